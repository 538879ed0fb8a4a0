import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { exponentialSpectrum, fitExponential, fitPowerLaw, tailEnergy } from '../../src/theory/index.js';
import { createRng } from '../../src/linalg/random.js';
import { NonFiniteError, ValueError } from '../../src/linalg/errors.js';

const xs = Array.from({ length: 16 }, (_, i) => i + 1); // m_h = 1..16, as in App. B.2

describe('fitPowerLaw: exact data', () => {
  it('recovers (a, p) exactly from noiseless data, with r2 = 1', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 3, noNaN: true }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        (p, a) => {
          const fit = fitPowerLaw(
            xs,
            xs.map((x) => a * x ** -p),
            { bootstrap: 20 },
          );
          expect(fit.exponent).toBeCloseTo(p, 10);
          expect(fit.prefactor).toBeAllclose(a, { rtol: 1e-10 });
          expect(fit.offset).toBe(0);
          expect(fit.r2).toBeCloseTo(1, 12);
          expect(fit.ci95.exponent[1] - fit.ci95.exponent[0]).toBeLessThan(1e-10);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('recovers (a, p, c) with an offset from noiseless data', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.3, max: 2.5, noNaN: true }),
        fc.double({ min: 0.5, max: 10, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        (p, a, c) => {
          const fit = fitPowerLaw(
            xs,
            xs.map((x) => a * x ** -p + c),
            { offset: true, bootstrap: 0 },
          );
          expect(fit.exponent).toBeCloseTo(p, 6);
          expect(fit.prefactor).toBeCloseTo(a, 5);
          expect(fit.offset).toBeCloseTo(c, 6);
        },
      ),
      { numRuns: 30 },
    );
  });
});

/** Fraction of `reps` seeded noisy data sets whose 95% CI of the exponent covers the truth. */
function coverage(reps: number, offset: boolean): { cover: number; inside: boolean } {
  const rng = createRng(2024);
  const [a, p, c] = [2, 0.8, offset ? 0.05 : 0];
  let hits = 0;
  let first = false;
  for (let r = 0; r < reps; r++) {
    // noise: multiplicative log-normal (5%) without offset, additive N(0, 0.01²) with it
    const y = xs.map((x) =>
      offset ? a * x ** -p + c + 0.01 * rng.normal() : a * x ** -p * Math.exp(0.05 * rng.normal()),
    );
    const fit = fitPowerLaw(xs, y, { offset, bootstrap: 200, seed: r });
    const [lo, hi] = fit.ci95.exponent;
    const inside = lo <= p && p <= hi;
    if (r === 0)
      first =
        inside &&
        fit.ci95.prefactor[0] <= a &&
        a <= fit.ci95.prefactor[1] &&
        (!offset || (fit.ci95.offset[0] <= c && c <= fit.ci95.offset[1]));
    if (inside) hits++;
  }
  return { cover: hits / reps, inside: first };
}

describe('fitPowerLaw: bootstrap confidence intervals', () => {
  // 200 repetitions: the coverage estimate has a standard error of 1.5 points at 95%, so the band
  // [0.88, 0.99] rejects both badly too narrow (≤ 85%) and degenerate, always-covering intervals.
  it('covers the planted exponent in about 95% of seeded repetitions (log–log OLS)', () => {
    const { cover, inside } = coverage(200, false);
    expect(inside).toBe(true);
    expect(cover).toBeGreaterThan(0.88);
    expect(cover).toBeLessThan(0.99);
  });

  it('covers the planted exponent in about 95% of seeded repetitions (with offset, LM)', () => {
    const { cover, inside } = coverage(200, true);
    expect(inside).toBe(true);
    expect(cover).toBeGreaterThan(0.88);
    expect(cover).toBeLessThan(0.99);
  });

  it('is reproducible from its seed and changes with it', () => {
    const y = xs.map((x, i) => x ** -1 * (1 + 0.05 * Math.sin(7 * i)));
    const a = fitPowerLaw(xs, y, { bootstrap: 100, seed: 5 }),
      b = fitPowerLaw(xs, y, { bootstrap: 100, seed: 5 });
    const c = fitPowerLaw(xs, y, { bootstrap: 100, seed: 6 });
    expect(a.ci95).toEqual(b.ci95);
    expect(a.ci95.exponent).not.toEqual(c.ci95.exponent);
    expect(a.residuals.length).toBe(16);
  });

  it('weights: a zero-weight outlier is ignored', () => {
    const y = xs.map((x) => 3 * x ** -1.5);
    y[3] = 100;
    const w = xs.map((_, i) => (i === 3 ? 0 : 1));
    expect(fitPowerLaw(xs, y, { weights: w, bootstrap: 0 }).exponent).toBeCloseTo(1.5, 10);
  });
});

describe('fitExponential', () => {
  it('recovers λ with and without offset', () => {
    const x = Array.from({ length: 12 }, (_, i) => i);
    expect(
      fitExponential(
        x,
        x.map((t) => 4 * Math.exp(-0.7 * t)),
        { bootstrap: 0 },
      ).exponent,
    ).toBeCloseTo(0.7, 12);
    const f = fitExponential(
      x,
      x.map((t) => 4 * Math.exp(-0.7 * t) + 0.3),
      { offset: true, bootstrap: 0 },
    );
    expect(f.exponent).toBeCloseTo(0.7, 7);
    expect(f.offset).toBeCloseTo(0.3, 7);
  });
});

describe('fits of theoretical tails', () => {
  it('an exponential spectrum has an exponentially small tail: fitExponential recovers 2γ', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 1.5, noNaN: true }), (g) => {
        const s = exponentialSpectrum(g, Infinity, { maxTerms: 4096 });
        const m = Array.from({ length: 10 }, (_, i) => i + 1);
        // Σ_{k>m} e^{−2γk} = e^{−2γ(m+1)}/(1 − e^{−2γ}): exactly exponential in m with rate 2γ
        const fit = fitExponential(
          m,
          m.map((k) => tailEnergy(s, k)),
          { bootstrap: 0 },
        );
        expect(fit.exponent).toBeCloseTo(2 * g, 9);
      }),
      { numRuns: 20 },
    );
  });
});

describe('fit errors', () => {
  it('rejects x <= 0, y <= 0 without offset, non-finite data, mismatched lengths and too few points', () => {
    expect(() => fitPowerLaw([0, 1, 2], [1, 2, 3])).toThrow(ValueError);
    expect(() => fitPowerLaw([0, 1, 2], [1, 2, 3])).toThrow(/x must be > 0/);
    expect(() => fitPowerLaw([1, 2, 3], [1, -2, 3])).toThrow(/y must be > 0/);
    expect(() => fitPowerLaw([1, 2, Number.NaN], [1, 2, 3])).toThrow(NonFiniteError);
    expect(() => fitPowerLaw([1, 2, 3], [1, 2, Infinity])).toThrow(NonFiniteError);
    expect(() => fitPowerLaw([1, 2, 3], [1, 2])).toThrow(/same length/);
    expect(() => fitPowerLaw([1, 2], [1, 2])).toThrow(ValueError);
    expect(() => fitPowerLaw([1, 2, 3], [1, 2, 3], { offset: true })).toThrow(/at least 4/);
    expect(() => fitPowerLaw([2, 2, 2], [1, 2, 3])).toThrow(/singular/);
    expect(() => fitPowerLaw([1, 2, 3], [1, 2, 3], { weights: [1, -1, 1] })).toThrow(ValueError);
    expect(() => fitExponential([1, 2, 3], [1, 2])).toThrow(ValueError);
  });
});
