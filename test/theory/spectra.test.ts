import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { exponentialSpectrum, kernelSpectrum, logitSpectrum, powerLawSpectrum } from '../../src/theory/index.js';
import { createRng } from '../../src/linalg/random.js';
import { NonFiniteError, ShapeError, ValueError } from '../../src/linalg/errors.js';
import type { Tensor } from '../../src/linalg/tensor.js';

const sineKernel =
  (sigma: readonly number[]) =>
  (u: number, v: number): number => {
    let s = 0;
    for (let k = 1; k <= sigma.length; k++)
      s += sigma[k - 1]! * 2 * Math.sin(2 * k * Math.PI * u) * Math.sin(2 * k * Math.PI * v);
    return s;
  };

describe('model spectra', () => {
  it('power law and exponential spectra have the closed forms', () => {
    expect(powerLawSpectrum(0.55, 3)).toBeAllclose([1, 2 ** -0.55, 3 ** -0.55], { rtol: 1e-15 });
    expect(exponentialSpectrum(0.5, 2)).toBeAllclose([Math.exp(-0.5), Math.exp(-1)], { rtol: 1e-15 });
    expect(powerLawSpectrum(1, Infinity, { maxTerms: 10 }).length).toBe(10);
    expect(powerLawSpectrum(1, Infinity).length).toBe(1024);
    expect(() => powerLawSpectrum(1, 0)).toThrow(ValueError);
    expect(() => exponentialSpectrum(Number.NaN, 3)).toThrow(ValueError);
  });
});

describe('kernelSpectrum', () => {
  it('recovers the exact σ of random rank-r sine kernels (discrete orthogonality on the midpoint grid)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.01, max: 5, noNaN: true }), { minLength: 1, maxLength: 6 }), (raw) => {
        const sigma = [...raw].sort((a, b) => b - a);
        const { sigma: s, error } = kernelSpectrum(sineKernel(sigma), { grid: 32 });
        expect(s.subarray(0, sigma.length)).toBeAllclose(sigma, { rtol: 1e-11, atol: 1e-12 });
        // rank r: everything after is zero to rounding, and the two grids (32, 16 > 2r) agree
        for (let k = sigma.length; k < s.length; k++) expect(s[k]!).toBeLessThan(1e-12 * sigma[0]!);
        for (let k = 0; k < sigma.length; k++) expect(error[k]!).toBeLessThan(1e-11 * sigma[0]!);
      }),
      { numRuns: 15 },
    );
  });

  it('recovers the σ of asymmetric kernels (φ_k = √2 sin, ψ_k = √2 cos) and returns distinct bases', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.05, max: 3, noNaN: true }), { minLength: 1, maxLength: 4 }), (raw) => {
        const sigma = [...raw].sort((a, b) => b - a);
        const rho = (u: number, v: number): number =>
          sigma.reduce(
            (acc, sk, i) => acc + sk * 2 * Math.sin(2 * (i + 1) * Math.PI * u) * Math.cos(2 * (i + 1) * Math.PI * v),
            0,
          );
        const ks = kernelSpectrum(rho, { grid: 24, rank: sigma.length });
        expect(ks.sigma).toBeAllclose(sigma, { rtol: 1e-11, atol: 1e-12 });
        // ψ_1 = √2 cos(2πv) up to sign: orthogonal to every sine on the midpoint grid
        let dot = 0;
        for (let i = 0; i < 24; i++)
          dot += ks.weights[i]! * ks.psi.data[i * sigma.length]! * Math.sin(2 * Math.PI * ks.points[i]!);
        expect(Math.abs(dot)).toBeLessThan(1e-10);
      }),
      { numRuns: 10 },
    );
  });

  it('returns sampled bases that reproduce the kernel on the grid and are orthonormal in the weighted norm', () => {
    const sigma = [2, 1, 0.5];
    const ks = kernelSpectrum(sineKernel(sigma), { grid: 24, rank: 3 });
    const N = ks.weights.length;
    for (let i = 0; i < N; i += 5)
      for (let j = 0; j < N; j += 3) {
        let v = 0;
        for (let k = 0; k < 3; k++) v += ks.sigma[k]! * ks.phi.data[i * 3 + k]! * ks.psi.data[j * 3 + k]!;
        expect(v).toBeCloseTo(sineKernel(sigma)(ks.points[i]!, ks.points[j]!), 10);
      }
    for (let a = 0; a < 3; a++)
      for (let b = 0; b < 3; b++) {
        let g = 0;
        for (let i = 0; i < N; i++) g += ks.weights[i]! * ks.phi.data[i * 3 + a]! * ks.phi.data[i * 3 + b]!;
        expect(g).toBeCloseTo(a === b ? 1 : 0, 10);
      }
  });

  /*
   * Hand-derived spectra of two infinite-rank kernels on [0, 1].
   *
   * Brownian motion, ρ(u,v) = min(u,v). (Kf)(u) = ∫_0^u v f(v) dv + u ∫_u^1 f(v) dv, so
   * (Kf)'(u) = ∫_u^1 f and (Kf)'' = −f. An eigenpair Kf = λf therefore solves λ f'' = −f with
   * f(0) = 0 (since (Kf)(0) = 0) and f'(1) = 0 (since (Kf)'(1) = 0): f = sin(ωu), ω = λ^(−1/2),
   * cos ω = 0, i.e. ω = (k − 1/2)π and λ_k = 1/((k − 1/2)² π²). K is symmetric positive, so its
   * singular values are these eigenvalues.
   *
   * Brownian bridge, ρ(u,v) = min(u,v) − uv. Same computation with the extra −u∫v f(v)dv term:
   * (Kf)'' = −f still, now with f(0) = f(1) = 0, so f = sin(kπu) and λ_k = 1/(k² π²).
   */
  const bm = (k: number): number => 1 / ((k - 0.5) ** 2 * Math.PI ** 2);
  const bb = (k: number): number => 1 / (k ** 2 * Math.PI ** 2);

  it('agrees with the analytic spectra of min(u,v) and min(u,v) − uv, and the error estimate covers the true error', () => {
    for (const [rho, exact] of [
      [(u: number, v: number) => Math.min(u, v), bm],
      [(u: number, v: number) => Math.min(u, v) - u * v, bb],
    ] as const) {
      const { sigma, error } = kernelSpectrum(rho, { grid: 128, rank: 6 });
      for (let k = 1; k <= 6; k++) {
        const err = Math.abs(sigma[k - 1]! - exact(k));
        expect(err).toBeLessThan(2e-3 * exact(k));
        expect(err).toBeLessThanOrEqual(error[k - 1]!);
      }
    }
  });

  it('converges as the grid refines (error to the analytic σ shrinks ~4x per doubling: midpoint rule, O(N^-2))', () => {
    const errs = [16, 32, 64, 128].map((n) => {
      const { sigma } = kernelSpectrum((u, v) => Math.min(u, v) - u * v, { grid: n, rank: 3, errorEstimate: false });
      return [1, 2, 3].map((k) => Math.abs(sigma[k - 1]! - bb(k)));
    });
    for (let g = 1; g < errs.length; g++) {
      for (let k = 0; k < 3; k++) {
        const ratio = errs[g - 1]![k]! / errs[g]![k]!;
        expect(ratio).toBeGreaterThan(3);
        expect(ratio).toBeLessThan(5);
      }
    }
  });

  it('d = 2: a product kernel has the products of the 1-D spectra (tensor grid and Monte-Carlo)', () => {
    const rho = (u: Float64Array, v: Float64Array): number =>
      (Math.min(u[0]!, v[0]!) - u[0]! * v[0]!) * (Math.min(u[1]!, v[1]!) - u[1]! * v[1]!);
    // sorted products λ_i λ_j: (1,1), (1,2), (2,1), then (1,3) since 1/9 > 1/16
    const exact = [bb(1) * bb(1), bb(1) * bb(2), bb(2) * bb(1), bb(1) * bb(3)];
    const grid = kernelSpectrum(rho, { d: 2, grid: 20, rank: 4 });
    expect(grid.points.length).toBe(400 * 2);
    // midpoint-rule error of a 1-D mode sin(kπu) is about (kπh)²/24 relative, h = 1/20: 2.8% at k = 3;
    // the two-grid estimate must cover the true error
    expect(grid.sigma).toBeAllclose(exact, { rtol: 3e-2 });
    for (let k = 0; k < 4; k++) expect(Math.abs(grid.sigma[k]! - exact[k]!)).toBeLessThanOrEqual(grid.error[k]!);
    const mc = kernelSpectrum(rho, { d: 2, method: 'montecarlo', points: 400, seed: 3, rank: 2 });
    expect(mc.sigma[0]!).toBeGreaterThan(0.8 * exact[0]!);
    expect(mc.sigma[0]!).toBeLessThan(1.2 * exact[0]!);
    expect(mc.error[0]!).toBeGreaterThan(0);
  });

  it('a non-unit domain scales the spectrum: min(u,v) on [0, L] has σ_k = L² · σ_k([0,1])', () => {
    const { sigma } = kernelSpectrum((u, v) => Math.min(u, v), { domain: [0, 2], grid: 128, rank: 2 });
    expect(sigma).toBeAllclose([4 * bm(1), 4 * bm(2)], { rtol: 2e-3 });
  });

  it('rejects bad inputs with typed errors', () => {
    expect(() => kernelSpectrum(() => Number.NaN, { grid: 4 })).toThrow(NonFiniteError);
    expect(() => kernelSpectrum((u, v) => u * v, { domain: [1, 0] })).toThrow(ValueError);
    expect(() => kernelSpectrum((u, v) => u * v, { grid: 1 })).toThrow(ValueError);
  });
});

describe('logitSpectrum', () => {
  const mat = (rows: number[][]): Tensor => ({
    data: Float64Array.from(rows.flat()),
    shape: [rows.length, rows[0]!.length],
  });

  it('averages singular values over matrices and reports quantiles', () => {
    const a = mat([
        [3, 0],
        [0, 1],
      ]),
      b = mat([
        [0, 5],
        [2, 0],
      ]);
    const ls = logitSpectrum([a, b], { quantiles: [0, 0.5, 1] });
    expect(ls.mean).toBeAllclose([4, 1.5], { rtol: 1e-14 });
    expect(ls.quantileValues[0]).toBeAllclose([3, 1], { rtol: 1e-14 });
    expect(ls.quantileValues[1]).toBeAllclose([4, 1.5], { rtol: 1e-14 });
    expect(ls.quantileValues[2]).toBeAllclose([5, 2], { rtol: 1e-14 });
    expect(ls.std).toBeAllclose([Math.SQRT2, Math.SQRT1_2], { rtol: 1e-14 });
    const norm = logitSpectrum(
      { data: Float64Array.from([...a.data, ...b.data]), shape: [2, 2, 2] },
      { normalize: 'max' },
    );
    expect(norm.mean).toBeAllclose([1, (1 / 3 + 2 / 5) / 2], { rtol: 1e-14 });
  });

  it('finds the rank of low-rank logit matrices (random rank-2 products)', () => {
    const rng = createRng(1);
    const mats: Tensor[] = [];
    for (let n = 0; n < 5; n++) {
      const q = Array.from({ length: 8 * 2 }, () => rng.normal()),
        k = Array.from({ length: 8 * 2 }, () => rng.normal());
      const m = new Float64Array(64);
      for (let i = 0; i < 8; i++)
        for (let j = 0; j < 8; j++) m[i * 8 + j] = q[2 * i]! * k[2 * j]! + q[2 * i + 1]! * k[2 * j + 1]!;
      mats.push({ data: m, shape: [8, 8] });
    }
    const ls = logitSpectrum(mats, { normalize: 'max' });
    expect(ls.mean[1]!).toBeGreaterThan(1e-3);
    for (let k = 2; k < 8; k++) expect(ls.mean[k]!).toBeLessThan(1e-13);
  });

  it('rejects mismatched shapes and empty input', () => {
    expect(() => logitSpectrum([])).toThrow(ValueError);
    expect(() => logitSpectrum([mat([[1, 2]]), mat([[1], [2]])])).toThrow(ShapeError);
    expect(() => logitSpectrum({ data: new Float64Array(4), shape: [4] })).toThrow(ShapeError);
  });
});
