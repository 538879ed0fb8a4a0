/**
 * checkBound on the exact POD truncation at and beyond the rank: the bound is 0 there, the measured
 * L¹ error is rounding (~5e-16: the target's Chebyshev sine recurrence and the model's Math.sin
 * differ in the last bits). Without a floating-point allowance `holds` reported a violation of the
 * corrected bound on its own construction; the allowance must stay far below any real error.
 */
import { describe, expect, it } from 'vitest';
import { checkBound, couplingTarget, measures } from '../../src/theory/index.js';
import { truncationErrors } from './bound-helpers.js';

describe('checkBound: rounding at m_h ≥ rank is not a violation, a real error is', () => {
  const H = couplingTarget({ spectrum: [1, 0.5, 0.25] });
  const m = measures(H, { alpha: 1, beta: 0.5 });
  const pts = [1, 2, 3, 4].map((mh) => {
    const e = truncationErrors(H, mh, 8, 256, 1);
    return { mh, error: e.l1.mean, ciHigh: e.l1.ciHigh };
  });

  it('the exact truncation holds at every m_h, including m_h = 3, 4 where the bound is 0', () => {
    expect(pts[2]!.error).toBeGreaterThan(0); // rounding, not exactly 0: the case the allowance is for
    expect(pts[2]!.error).toBeLessThan(1e-14);
    const r = checkBound(pts, m, { tau: 8, measure: 'l1' });
    expect(r.points.map((p) => p.bound)).toEqual([expect.any(Number), expect.any(Number), 0, 0]);
    expect(r.points.every((p) => p.holds)).toBe(true);
    expect(r.allHold).toBe(true);
    expect(r.roundoff).toBeLessThan(1e-9);
  });

  it('an error of 1e-8 where the bound is 0 is still a violation (l1 and mse)', () => {
    const bad = [...pts.slice(0, 3), { mh: 4, error: 1e-8, ciHigh: 1.1e-8 }];
    const r = checkBound(bad, m, { tau: 8, measure: 'l1' });
    expect(r.points[3]!.holds).toBe(false);
    expect(r.allHold).toBe(false);
    const mse = checkBound([{ mh: 4, error: 1e-16, ciHigh: 1e-16 }], m, { tau: 8, measure: 'mse' });
    expect(mse.allHold).toBe(false);
    expect(() => checkBound(pts, m, { tau: 8, measure: 'l1', roundoff: -1 })).toThrow(/roundoff/);
  });
});
