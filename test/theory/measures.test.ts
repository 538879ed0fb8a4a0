import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  bestMh,
  c0,
  c1,
  c2,
  couplingTarget,
  exponentialSpectrum,
  lipschitzEstimate,
  measures,
  orthonormalityDefect,
  powerLawSpectrum,
  powerLawTailEnergy,
  supNorm,
  tailEnergy,
  transformerBound,
} from '../../src/theory/index.js';
import { NonFiniteError, ValueError } from '../../src/linalg/errors.js';

// entries 0 or in [1e-6, 10]: scaling subnormal values by c underflows, which is not what c1 is about
const spectrumArb = fc
  .array(fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 10, noNaN: true })), { minLength: 1, maxLength: 20 })
  .map((a) => Float64Array.from([...a].sort((x, y) => y - x)));

describe('c1', () => {
  it('equals 1 on k^-alpha and scales linearly with the spectrum', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.51, max: 3, noNaN: true }),
        fc.integer({ min: 1, max: 200 }),
        spectrumArb,
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        (alpha, r, s, c) => {
          expect(c1(powerLawSpectrum(alpha, r), alpha)).toBeCloseTo(1, 12);
          expect(
            c1(
              s.map((v) => c * v),
              alpha,
            ),
          ).toBeAllclose(c * c1(s, alpha), { rtol: 1e-12, atol: 0 });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('is the sup of σ_k k^α (hand example)', () => {
    expect(c1([1, 1, 0.1], 1)).toBe(2);
  });

  it('bounds the tail: Σ_{i>k} σ_i² ≤ C_1² k^(1−2α)/(2α−1) for every spectrum and k ≥ 1', () => {
    fc.assert(
      fc.property(
        spectrumArb,
        fc.double({ min: 0.55, max: 3, noNaN: true }),
        fc.integer({ min: 1, max: 25 }),
        (s, alpha, k) => {
          const C = c1(s, alpha);
          expect(tailEnergy(s, k)).toBeLessThanOrEqual(
            ((C * C * Math.pow(k, 1 - 2 * alpha)) / (2 * alpha - 1)) * (1 + 1e-12),
          );
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe('tailEnergy', () => {
  it('matches the geometric closed form for exponential spectra', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 3, noNaN: true }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        (g, r, k0) => {
          const k = Math.min(k0, r);
          // Σ_{i=k+1}^{r} e^{−2γi} = e^{−2γ(k+1)} (1 − e^{−2γ(r−k)}) / (1 − e^{−2γ})
          const exact = (Math.exp(-2 * g * (k + 1)) * -Math.expm1(-2 * g * (r - k))) / -Math.expm1(-2 * g);
          expect(tailEnergy(exponentialSpectrum(g, r), k)).toBeAllclose(exact, { rtol: 1e-12, atol: 1e-300 });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('matches ζ(2α) − Σ_{i≤k} i^(−2α) for power laws: known values and the untruncated tail', () => {
    // ζ(2) = π²/6, ζ(4) = π⁴/90
    expect(powerLawTailEnergy(1, 0)).toBeAllclose(Math.PI ** 2 / 6, { rtol: 1e-13 });
    expect(powerLawTailEnergy(2, 0)).toBeAllclose(Math.PI ** 4 / 90, { rtol: 1e-13 });
    expect(powerLawTailEnergy(1, 1)).toBeAllclose(Math.PI ** 2 / 6 - 1, { rtol: 1e-13 });
    // truncated tail + what truncation cut off = the untruncated tail
    fc.assert(
      fc.property(
        fc.double({ min: 0.55, max: 3, noNaN: true }),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 1, max: 300 }),
        (alpha, k, extra) => {
          const N = k + extra;
          expect(tailEnergy(powerLawSpectrum(alpha, N), k) + powerLawTailEnergy(alpha, N)).toBeAllclose(
            powerLawTailEnergy(alpha, k),
            { rtol: 1e-12 },
          );
        },
      ),
      { numRuns: 50 },
    );
    expect(tailEnergy([3, 2, 1], 0)).toBe(14);
    expect(tailEnergy([3, 2, 1], 5)).toBe(0);
  });
});

describe('c0, c2, supNorm, lipschitzEstimate', () => {
  it('c0 is the product, read as a max with 1', () => {
    expect(c0({ lipschitzF: 2, supF: 3, supBases: 4 })).toBe(24);
    expect(c0({ lipschitzF: 0.1, supF: 1, supBases: 2 })).toBe(1);
  });

  it('c2 sums the plug-ins up to k', () => {
    expect(c2({ cFF: { F: 1, f: 2, phi: [1, 2, 3], psi: [10, 20, 30] }, k: 2 })).toBe(1 + 2 + 1 + 10 + 2 + 20);
    expect(c2({ cFF: { F: 1, f: 0, phi: (i) => i, psi: () => 0 }, k: 4 })).toBe(11);
    expect(() => c2({ cFF: { F: 1, f: 0, phi: [1], psi: [1] }, k: 2 })).toThrow(ValueError);
    // a negative constant is a domain error, not a 'non-finite value' (it used to be a NonFiniteError)
    expect(() => c2({ cFF: { F: 1, f: 0, phi: [1, -2], psi: [1, 1] }, k: 2 })).toThrow(
      /^c2: C_FF\(phi_2\) must be >= 0, got -2/,
    );
    expect(() => c2({ cFF: { F: 1, f: 0, phi: [1, Number.NaN], psi: [1, 1] }, k: 2 })).toThrow(
      /^c2: C_FF\(phi_2\) contains a non-finite value NaN/,
    );
  });

  it('supNorm and lipschitzEstimate are exact on simple functions (grid contains the maximiser)', () => {
    expect(supNorm((u) => Math.SQRT2 * Math.sin(2 * Math.PI * u[0]!))).toBeCloseTo(Math.SQRT2, 12);
    expect(supNorm((u) => [u[0]!, u[1]!], { lo: [0, 0], hi: [3, 4] })).toBeCloseTo(5, 12);
    expect(lipschitzEstimate((u) => 3 * u[0]! - 1, [0, 2])).toBeCloseTo(3, 10); // difference quotients: rounding ~ ε/h
    // sin(2πu) has Lipschitz constant 2π (at u = 0); neighbouring-grid estimate within 1e-5
    expect(lipschitzEstimate((u) => Math.sin(2 * Math.PI * u[0]!))).toBeCloseTo(2 * Math.PI, 4);
    // d = 2: the Euclidean constant of u0 + 2u1 is ‖(1, 2)‖ = √5 (axis neighbours alone would give 2)
    expect(lipschitzEstimate((u) => u[0]! + 2 * u[1]!, { lo: [0, 0], hi: [1, 1] })).toBeCloseTo(Math.sqrt(5), 10);
    // d > 2: Monte-Carlo pairs; a linear map's ratio is at most its norm and nearly attains it
    const L = lipschitzEstimate(
      (u) => u[0]! + u[1]! + u[2]!,
      { lo: [0, 0, 0], hi: [1, 1, 1] },
      { points: 4000, seed: 1 },
    );
    expect(L).toBeLessThanOrEqual(Math.sqrt(3) + 1e-12);
    expect(L).toBeGreaterThan(0.95 * Math.sqrt(3));
  });
});

describe('measures and the Transformer bound', () => {
  const H = couplingTarget({ spectrum: powerLawSpectrum(1, 8) });
  const M = measures(H, { alpha: 1, beta: 0.5 });

  it("computes the exact measures of the paper's sine targets", () => {
    expect(M.c0).toBeCloseTo(2 * Math.SQRT2, 14);
    expect(M.c1).toBeCloseTo(1, 14);
    // default plug-ins [ours]: C_FF(id) = 1, C_FF(√2 sin 2kπu) = 2√2πk
    expect(M.c2(2)).toBeCloseTo(2 + 2 * (2 * Math.SQRT2 * Math.PI) * 3, 10);
    expect(M.tail(6)).toBeCloseTo(1 / 49 + 1 / 64, 14);
  });

  it('estimates C_0 by sampling for custom maps', () => {
    const T = couplingTarget({
      spectrum: [1],
      basis: { phi: [(u) => 2 * u[0]!], psi: [(u) => u[0]!] },
      f: (u) => 3 * u[0]!,
      F: (z) => 2 * z[0]!,
    });
    const m = measures(T, { alpha: 1, beta: 0.5, cFF: { F: 1, f: 1, phi: [1], psi: [1] } });
    expect(m.parts.supBases).toBeCloseTo(3, 12);
    expect(m.parts.supF).toBeCloseTo(3, 12);
    expect(m.parts.lipschitzF).toBeCloseTo(2, 10);
    expect(m.c0).toBeCloseTo(18, 9);
    // ⟨2u, 2u⟩ = 4/3 and ⟨u, u⟩ = 1/3 on [0,1]: not orthonormal, so the spectrum is not the POD
    expect(m.basisDefect).toBeCloseTo(2 / 3, 6);
    expect(M.basisDefect).toBe(0);
    expect(() => measures(T, { alpha: 1, beta: 0.5 })).toThrow(ValueError);
    // with a position encoding x̃(t) = x(t) + t the coupling sees tokens up to τ: ‖f‖_∞ = 3·τ
    const Tp = couplingTarget({
      spectrum: [1],
      tau: 4,
      basis: T.basis,
      f: (u) => 3 * u[0]!,
      F: (z) => 2 * z[0]!,
      positionEncoding: (t, u) => Float64Array.of(u[0]! + t),
    });
    expect(measures(Tp, { alpha: 1, beta: 0.5, cFF: { F: 1, f: 1, phi: [1], psi: [1] } }).parts.supF).toBeCloseTo(
      12,
      12,
    );
    const Ts = couplingTarget({ spectrum: [1, 0.5], tau: 4, positionEncoding: 'sinusoidal' });
    const ms = measures(Ts, { alpha: 1, beta: 0.5 });
    expect(ms.parts.supBases).toBeCloseTo(2 * Math.SQRT2, 14);
    // d = 1: x̃(t) = x(t) + sin(t), largest at x = 1, t = 2 (sin 2 > sin 1 > sin 3 > sin 0)
    expect(ms.parts.supF).toBeCloseTo(1 + Math.sin(2), 12);
  });

  it('orthonormalityDefect is ~0 on orthonormal bases (d = 1, 2, 3) and detects a non-orthonormal one', () => {
    const c = (k: number) => (u: Float64Array) => Math.SQRT2 * Math.cos(2 * k * Math.PI * u[0]!);
    expect(orthonormalityDefect([c(1), c(2), () => 1])).toBeLessThan(1e-12);
    const prod = (a: number, b: number) => (u: Float64Array) =>
      2 * Math.cos(2 * a * Math.PI * u[0]!) * Math.cos(2 * b * Math.PI * u[1]!);
    expect(orthonormalityDefect([prod(1, 1), prod(1, 2), prod(2, 1)], 2)).toBeLessThan(1e-12);
    // d = 3 uses 4096 Monte-Carlo points: a statistical estimate, error ~ 1/√4096 ≈ 0.016 per entry
    expect(orthonormalityDefect([() => 1, (u) => Math.sqrt(3) * (2 * u[2]! - 1)], 3)).toBeLessThan(0.1);
    expect(orthonormalityDefect([(u) => u[0]!, (u) => 1 - u[0]!])).toBeCloseTo(2 / 3, 6);
  });

  it('printed and proof bounds decrease in m_FF; the proof attention term decreases in m_h', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.55, max: 2, noNaN: true }),
        fc.integer({ min: 2, max: 40 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.double({ min: 0.1, max: 2, noNaN: true }),
        (alpha, r, mh, mff, beta) => {
          const m = measures(couplingTarget({ spectrum: powerLawSpectrum(alpha, r) }), { alpha, beta });
          for (const variant of ['printed', 'proof'] as const) {
            const a = transformerBound(m, { tau: 16, mh, mff, variant });
            const b = transformerBound(m, { tau: 16, mh, mff: mff + 1, variant });
            expect(b.total).toBeLessThan(a.total);
            expect(a.total).toBeCloseTo(a.prefactor * (a.attention + a.ffn), 8);
          }
          const p1 = transformerBound(m, { tau: 16, mh, mff, variant: 'proof' });
          const p2 = transformerBound(m, { tau: 16, mh: mh + 1, mff, variant: 'proof' });
          if (mh < r) expect(p2.attention).toBeLessThan(p1.attention);
          else expect(p2.attention).toBe(0);
          // the exact tail never exceeds the proof's C_1² form
          expect(p1.attention).toBeLessThanOrEqual(p1.attentionC1Form * (1 + 1e-12));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('has the printed closed form', () => {
    const b = transformerBound(M, { tau: 4, mh: 2, mff: 100, variant: 'printed' });
    expect(b.prefactor).toBeCloseTo(16 * 2 * Math.SQRT2, 12);
    expect(b.attention).toBeCloseTo(1 / 2, 14);
    expect(b.ffn).toBeCloseTo((M.c2(2) * 2 ** 1.5) / 10, 12);
    // the default is the variant that is a bound; printed is flagged as not one
    expect(transformerBound(M, { tau: 4, mh: 2, mff: 100 }).variant).toBe('corrected');
    expect(b.isUpperBound).toBe(false);
    expect(b.caveat).toMatch(/printed/);
  });

  it('printed uses C_1, the proof form C_1²/(2α−1) (a spectrum with C_1 = 3, α = 0.75)', () => {
    const m3 = measures(couplingTarget({ spectrum: powerLawSpectrum(0.75, 50).map((v) => 3 * v) }), {
      alpha: 0.75,
      beta: 0.5,
    });
    expect(m3.c1).toBeCloseTo(3, 13);
    const pr = transformerBound(m3, { tau: 2, mh: 4, mff: 10, variant: 'printed' });
    const pf = transformerBound(m3, { tau: 2, mh: 4, mff: 10, variant: 'proof' });
    expect(pr.attention).toBeCloseTo(3 / 4 ** 0.5, 13);
    expect(pf.attentionC1Form).toBeCloseTo(9 / (0.5 * 4 ** 0.5), 12);
    let tail = 0;
    for (let k = 5; k <= 50; k++) tail += 9 * k ** -1.5;
    expect(pf.attention).toBeCloseTo(tail, 12);
    expect(pf.ffn).toBe(pr.ffn);
  });

  it('bestMh minimises the bound over m_h', () => {
    const best = bestMh(M, { tau: 16, mff: 1e6, mhMax: 12, variant: 'proof' });
    let mn = Infinity,
      arg = 0;
    best.curve.forEach((v, i) => {
      if (v < mn) {
        mn = v;
        arg = i + 1;
      }
    });
    expect(best.mh).toBe(arg);
    expect(best.bound.total).toBeCloseTo(mn, 9);
    expect(best.mh).toBeGreaterThan(1);
    // the curve is the bound itself at every m_h (the arg-min check above alone would pass on any curve);
    // running sums (linear in mhMax) instead of per-m_h sums: equal to rounding
    expect(best.curve.length).toBe(12);
    const direct = best.curve.map(
      (_, i) => transformerBound(M, { tau: 16, mh: i + 1, mff: 1e6, variant: 'proof' }).total,
    );
    expect(best.curve).toBeAllclose(direct, { rtol: 1e-12 });
    expect(best.bound).toEqual(transformerBound(M, { tau: 16, mh: best.mh, mff: 1e6, variant: 'proof' }));
  });

  it('rejects bad inputs', () => {
    expect(() => c1([1, 0.5], 0.5)).toThrow(ValueError);
    expect(() => c1([], 1)).toThrow(ValueError);
    expect(() => c1([1, Number.NaN], 1)).toThrow(NonFiniteError);
    expect(() => c1([1, -1], 1)).toThrow(ValueError);
    expect(() => tailEnergy([], 1)).toThrow(ValueError);
    expect(() => measures(H, { alpha: 0.4, beta: 0.5 })).toThrow(ValueError);
    expect(() => transformerBound(M, { tau: 4, mh: 0, mff: 1 })).toThrow(ValueError);
    expect(() => transformerBound(M, { tau: 4, mh: 1, mff: 1, variant: 'other' as 'proof' })).toThrow(/variant/);
    expect(() => c0({ lipschitzF: Number.NaN, supF: 1, supBases: 1 })).toThrow(ValueError);
  });
});
