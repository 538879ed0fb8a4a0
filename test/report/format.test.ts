import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeXml, fmtCoord, fmtNum, fmtRange, fmtSci, fmtSeconds } from '../../src/report/format.js';

/** Seconds back from `3.2 s`, `2 min 05 s`, `1 h 02 min 05 s`; every field below its carry. */
function parseSeconds(t: string): number {
  const m = /^(?:(\d+) h (\d{2}) min (\d{2}) s|(\d+) min (\d{2}) s|(\d+(?:\.\d)?) s)$/.exec(t);
  if (m === null) throw new Error(`unexpected format '${t}'`);
  if (m[1] !== undefined) {
    expect(Number(m[2])).toBeLessThan(60);
    expect(Number(m[3])).toBeLessThan(60);
    return 3600 * Number(m[1]) + 60 * Number(m[2]) + Number(m[3]);
  }
  if (m[4] !== undefined) {
    expect(Number(m[4])).toBeGreaterThan(0);
    expect(Number(m[4])).toBeLessThan(60);
    expect(Number(m[5])).toBeLessThan(60);
    return 60 * Number(m[4]) + Number(m[5]);
  }
  expect(Number(m[6])).toBeLessThan(60);
  return Number(m[6]);
}

describe('number formatting', () => {
  it('formats plain and scientific ranges', () => {
    expect(fmtNum(12.5)).toBe('12.5');
    expect(fmtNum(0.000123456)).toBe('1.23e-4');
    expect(fmtNum(1.02e-7)).toBe('1.02e-7');
    expect(fmtNum(3.57e-2)).toBe('0.0357');
    expect(fmtNum(2e6)).toBe('2e6');
    expect(fmtNum(99999.5)).toBe('1e5');
    expect(fmtNum(-0.00099996)).toBe('-1e-3');
    expect(fmtNum(-0)).toBe('0');
    expect(fmtNum(1)).toBe('1');
    expect(fmtNum(NaN)).toBe('NaN');
    expect(fmtNum(-Infinity)).toBe('-inf');
    expect(fmtSci(3.57e-2)).toBe('3.57e-2');
    expect(fmtSci(1e10, 2)).toBe('1e10');
  });
  it('coordinates never print -0 and keep two decimals', () => {
    expect(fmtCoord(-0.001)).toBe('0');
    expect(fmtCoord(12.3456)).toBe('12.35');
    expect(fmtCoord(3)).toBe('3');
    expect(() => fmtCoord(NaN)).toThrow(/non-finite/);
  });
  it('seconds and escaping', () => {
    expect(fmtSeconds(3.21)).toBe('3.2 s');
    expect(fmtSeconds(125)).toBe('2 min 05 s');
    expect(fmtSeconds(119.6)).toBe('2 min 00 s');
    expect(fmtSeconds(59.6)).toBe('1 min 00 s');
    expect(fmtSeconds(9.96)).toBe('10 s');
    expect(fmtSeconds(3599.5)).toBe('1 h 00 min 00 s');
    expect(fmtSeconds(-1)).toBe('?');
    expect(escapeXml('a<b & "c">')).toBe('a&lt;b &amp; &quot;c&quot;&gt;');
  });
  it('fmtNum round-trips to 3 significant digits (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e12, max: 1e12, noNaN: true }).filter((x) => Math.abs(x) > 1e-12),
        (x) => {
          const y = Number(fmtNum(x));
          expect(Math.abs(y - x)).toBeLessThanOrEqual(Math.abs(x) * 5e-3);
          expect(fmtNum(x)).toBe(fmtNum(x));
          expect(fmtNum(x)).toMatch(/^-?\d+(\.\d+)?(e-?\d+)?$/);
        },
      ),
      { numRuns: 200 },
    );
  });
  it('fmtSeconds never prints a carry (60 s, 1 min 60 s) and reads back within its rounding (property)', () => {
    // any duration, and durations just above a rounding boundary (k/10 − 0.05)
    const nearBoundary = fc.integer({ min: 0, max: 100_000 }).map((k) => Math.max(0, k / 10 - 0.05 + 1e-9));
    fc.assert(
      fc.property(fc.oneof(fc.double({ min: 0, max: 1e7, noNaN: true }), nearBoundary), (s) => {
        const t = fmtSeconds(s);
        const back = parseSeconds(t);
        expect(Math.abs(back - s), t).toBeLessThanOrEqual(s < 9.95 ? 0.05 + 1e-9 : 0.5 + 1e-9);
      }),
      { numRuns: 2000 },
    );
  });
  it('fmtRange prints one value when the spread is degenerate', () => {
    expect(fmtRange(0.00156, 0.00156)).toBe('0.00156');
    expect(fmtRange(0.001561, 0.001559)).toBe('0.00156');
    expect(fmtRange(1, 2)).toBe('1 – 2');
  });
});
