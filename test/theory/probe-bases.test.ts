/**
 * The corrected bound beyond the sine family: orthonormal cosine, Walsh, Haar and Legendre bases,
 * φ ≠ ψ, flat/step/one-huge spectra, non-identity f and F, τ up to 8, scales 1e-4..10. Each case
 * measures the L¹ error of the exact rank-m_h truncation (evaluateErrors) and requires the bound
 * to be no smaller than the error's lower 95% limit; the bound divided by 10 is shown to fail on
 * the same generator (so the property can fail).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { couplingTarget, measures, transformerBound, type Measures, type TokenFn } from '../../src/theory/index.js';
import { truncationErrors } from './bound-helpers.js';

const sign = (b: boolean): number => (b ? 1 : -1);
const FAMILIES: Record<string, (k: number) => TokenFn> = {
  cosine: (k) => (u) => Math.SQRT2 * Math.cos(2 * Math.PI * k * u[0]!),
  walsh: (k) => (u) => {
    // Walsh function k: product of the Rademacher functions of k's bits
    let v = 1;
    for (let b = 0; 2 ** b <= k; b++) if ((k >> b) & 1) v *= sign(Math.floor(u[0]! * 2 ** (b + 1)) % 2 === 0);
    return v;
  },
  haar: (k) => (u) => {
    // k = 2^j + i: 2^(j/2) on the left half of [i/2^j, (i+1)/2^j), minus on the right
    const j = Math.floor(Math.log2(k)),
      i = k - 2 ** j,
      x = u[0]! * 2 ** j - i;
    return x >= 0 && x < 1 ? 2 ** (j / 2) * sign(x < 0.5) : 0;
  },
  legendre: (k) => (u) => {
    // √(2k+1) P_k(2u − 1) by the three-term recurrence
    const x = 2 * u[0]! - 1;
    let p0 = 1,
      p1 = x;
    for (let n = 1; n < k; n++) [p0, p1] = [p1, ((2 * n + 1) * x * p1 - n * p0) / (n + 1)];
    return Math.sqrt(2 * k + 1) * (k === 0 ? 1 : p1);
  },
};
const SPECTRA: Record<string, (k: number, R: number) => number> = {
  power: (k) => k ** -1.5,
  flat: () => 1,
  step: (k, R) => (k <= R / 2 ? 1 : 0.1),
  huge1: (k) => (k === 1 ? 50 : 0.01),
};
const MAPS = {
  f: { id: undefined, walsh: (u: Float64Array) => sign(u[0]! < 0.5) },
  F: { id: undefined, tanh: (z: Float64Array) => Math.tanh(3 * z[0]!), times5: (z: Float64Array) => 5 * z[0]! },
};

const caseArb = fc.record({
  phi: fc.constantFrom(...Object.keys(FAMILIES)),
  psi: fc.constantFrom(...Object.keys(FAMILIES)),
  spectrum: fc.constantFrom(...Object.keys(SPECTRA)),
  logScale: fc.integer({ min: -40, max: 10 }).map((i) => i / 10),
  R: fc.integer({ min: 2, max: 6 }),
  mhFrac: fc.double({ min: 0, max: 0.999, noNaN: true }),
  tau: fc.integer({ min: 2, max: 8 }),
  f: fc.constantFrom('id', 'walsh'),
  F: fc.constantFrom('id', 'tanh', 'times5'),
});
type Case = typeof caseArb extends fc.Arbitrary<infer C> ? C : never;
/** m_h ∈ [1, R − 1]: a proper truncation (m_h ≥ R has error 0 = bound). */
const mhOf = (c: Case): number => 1 + Math.floor(c.mhFrac * (c.R - 1));

/** Measured L¹ error of the case's truncation and its measures (Legendre starts at degree 1: mean 0). */
function run(c: Case): { m: Measures; lo: number; hi: number } {
  const fam = (name: string) => Array.from({ length: c.R }, (_, i) => FAMILIES[name]!(i + 1));
  const spectrum = Array.from({ length: c.R }, (_, i) => 10 ** c.logScale * SPECTRA[c.spectrum]!(i + 1, c.R));
  const f = MAPS.f[c.f as keyof typeof MAPS.f],
    F = MAPS.F[c.F as keyof typeof MAPS.F];
  const basis = { phi: fam(c.phi), psi: fam(c.psi) };
  const H = couplingTarget({ spectrum, basis, ...(f ? { f } : {}), ...(F ? { F } : {}) });
  const m = measures(H, { alpha: 1, beta: 0.5, cFF: { F: 1, f: 1, phi: () => 1, psi: () => 1 } });
  const e = truncationErrors(H, mhOf(c), c.tau, 64, 3);
  return { m, lo: e.l1.ciLow, hi: e.l1.ciHigh };
}
const roundoff = (c: Case): number => 1e-12 * c.tau * (1 + 10 ** c.logScale * 50 * c.R);

describe('corrected bound on non-sine orthonormal bases (fast-check, measured errors)', () => {
  it('is flagged an upper bound and dominates the measured L¹ error', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { m, lo } = run(c);
        const b = transformerBound(m, { tau: c.tau, mh: mhOf(c), mff: Infinity });
        return b.isUpperBound && b.total + roundoff(c) >= lo;
      }),
      { seed: 17, numRuns: 30 },
    );
  });

  it('the same generator catches a bound 10 times too small (measured min slack 5.8)', () => {
    const out = fc.check(
      fc.property(caseArb, (c) => {
        const { m, lo } = run(c);
        const b = transformerBound(m, { tau: c.tau, mh: mhOf(c), mff: Infinity });
        return b.total / 10 + roundoff(c) >= lo;
      }),
      { seed: 17, numRuns: 60, endOnFailure: true },
    );
    expect(out.failed).toBe(true);
  });
});
