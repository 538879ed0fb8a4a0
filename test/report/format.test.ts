import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeXml, fmtCoord, fmtNum, fmtSci, fmtSeconds } from '../../src/report/format.js';

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
    expect(escapeXml('a<b & "c">')).toBe('a&lt;b &amp; &quot;c&quot;&gt;');
  });
  it('fmtNum round-trips to 3 significant digits (property)', () => {
    fc.assert(fc.property(fc.double({ min: -1e12, max: 1e12, noNaN: true }).filter((x) => Math.abs(x) > 1e-12), (x) => {
      const y = Number(fmtNum(x));
      expect(Math.abs(y - x)).toBeLessThanOrEqual(Math.abs(x) * 5e-3);
      expect(fmtNum(x)).toBe(fmtNum(x));
      expect(fmtNum(x)).toMatch(/^-?\d+(\.\d+)?(e-?\d+)?$/);
    }), { numRuns: 200 });
  });
});
