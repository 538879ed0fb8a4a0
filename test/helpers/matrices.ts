/**
 * Shared test matrices for the decompositions.
 *
 * - `orthonormal(rng, m, k)`: m×k with orthonormal columns (modified Gram–Schmidt applied twice to
 *   a Gaussian matrix — deliberately independent of the code under test).
 * - `withSpectrum(rng, m, n, s)`: U·diag(s)·Vᵀ from random orthonormal factors, so the singular
 *   values are known (to O(ε·s_1) absolute).
 * - `caseTable(seed)`: the tagged case table every decomposition is run on.
 * - `arbMatrix`, `arbSpectrumMatrix`: fast-check arbitraries built on the same generators
 *   (fast-check draws the seed and the shape; the entries come from the seeded generator).
 */
import fc from 'fast-check';
import { createRng, type Rng } from '../../src/linalg/random.js';
import type { Tensor } from '../../src/linalg/tensor.js';

export interface MatrixCase {
  /** Tag: 'square', 'tall', 'wide', '1x1', 'empty', 'rank-deficient', 'ill-conditioned', 'graded-BD', … */
  tag: string;
  a: Tensor;
  /** Exact singular values (descending) when known by construction. */
  s?: Float64Array;
}

/** Row-major m×k Gaussian with orthonormal columns (MGS twice). */
export function orthonormal(rng: Rng, m: number, k: number): Float64Array {
  const q = new Float64Array(m * k);
  for (let i = 0; i < q.length; i++) q[i] = rng.normal();
  for (let j = 0; j < k; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let l = 0; l < j; l++) {
        let d = 0;
        for (let i = 0; i < m; i++) d += q[i * k + l]! * q[i * k + j]!;
        for (let i = 0; i < m; i++) q[i * k + j] = q[i * k + j]! - d * q[i * k + l]!;
      }
    }
    let nr = 0;
    for (let i = 0; i < m; i++) nr += q[i * k + j]! ** 2;
    nr = Math.sqrt(nr);
    for (let i = 0; i < m; i++) q[i * k + j] = q[i * k + j]! / nr;
  }
  return q;
}

/** m×n matrix U·diag(s)·Vᵀ with Haar-like random U (m×k), V (n×k), k = s.length ≤ min(m, n). */
export function withSpectrum(rng: Rng, m: number, n: number, s: ArrayLike<number>): Tensor {
  const k = s.length;
  const u = orthonormal(rng, m, k),
    v = orthonormal(rng, n, k);
  const a = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let l = 0; l < k; l++) {
      const c = u[i * k + l]! * s[l]!;
      for (let j = 0; j < n; j++) a[i * n + j] = a[i * n + j]! + c * v[j * k + l]!;
    }
  }
  return { data: a, shape: [m, n] };
}

export function gaussian(rng: Rng, m: number, n: number): Tensor {
  const d = new Float64Array(m * n);
  for (let i = 0; i < d.length; i++) d[i] = rng.normal();
  return { data: d, shape: [m, n] };
}

/** Logarithmically spaced values from `hi` down to `lo` (n ≥ 1). */
export function logspace(hi: number, lo: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = n === 1 ? hi : hi * Math.pow(lo / hi, i / (n - 1));
  return out;
}

/** diag(dr)·B·diag(dc) (either may be null). */
export function grade(b: Tensor, dr: Float64Array | null, dc: Float64Array | null): Tensor {
  const [m, n] = [b.shape[0]!, b.shape[1]!];
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) out[i * n + j] = b.data[i * n + j]! * (dr ? dr[i]! : 1) * (dc ? dc[j]! : 1);
  return { data: out, shape: [m, n] };
}

function scaled(t: Tensor, c: number): Tensor {
  return { data: t.data.map((x) => x * c), shape: [...t.shape] };
}

/**
 * The tagged case table: square, tall, wide, 1×1, 0-size (0×3, 3×0, 0×0), rank-deficient,
 * ill-conditioned (σ down to 1e-12), graded B·D, D·B, D·B·D (D spanning 1…1e-12), SPD,
 * near-overflow (×1e300), near-underflow (×1e-300), all-zero.
 */
export function caseTable(seed = 20240601): MatrixCase[] {
  const rng = createRng(seed);
  const cases: MatrixCase[] = [];
  const spec = (tag: string, m: number, n: number, s: Float64Array): void => {
    cases.push({ tag, a: withSpectrum(rng, m, n, s), s });
  };
  spec('square', 9, 9, logspace(3, 0.5, 9));
  spec('tall', 14, 6, logspace(2, 0.1, 6));
  spec('wide', 5, 12, logspace(4, 1, 5));
  cases.push({ tag: '1x1', a: { data: Float64Array.of(-2.5), shape: [1, 1] }, s: Float64Array.of(2.5) });
  for (const sh of [
    [0, 3],
    [3, 0],
    [0, 0],
  ] as const)
    cases.push({ tag: 'empty', a: { data: new Float64Array(0), shape: [...sh] }, s: new Float64Array(0) });
  const rd = new Float64Array(7);
  rd.set([5, 2, 1]);
  cases.push({ tag: 'rank-deficient', a: withSpectrum(rng, 10, 7, Float64Array.of(5, 2, 1)), s: rd });
  spec('ill-conditioned', 10, 10, logspace(1, 1e-12, 10));
  const b = gaussian(rng, 8, 8);
  const d = logspace(1, 1e-12, 8);
  cases.push({ tag: 'graded-BD', a: grade(b, null, d) });
  cases.push({ tag: 'graded-DB', a: grade(b, d, null) });
  cases.push({ tag: 'graded-DBD', a: grade(b, d, d.slice().reverse()) });
  const spd = logspace(10, 0.01, 7);
  cases.push({ tag: 'spd', a: symmetricWithSpectrum(rng, spd), s: spd });
  const g = gaussian(rng, 7, 5);
  cases.push({ tag: 'near-overflow', a: scaled(g, 1e300) });
  cases.push({ tag: 'near-underflow', a: scaled(g, 1e-300) });
  cases.push({ tag: 'all-zero', a: { data: new Float64Array(24), shape: [4, 6] }, s: new Float64Array(4) });
  return cases;
}

/** Symmetric Q·diag(w)·Qᵀ (eigenvalues w, any sign). */
export function symmetricWithSpectrum(rng: Rng, w: ArrayLike<number>): Tensor {
  const n = w.length;
  const q = orthonormal(rng, n, n);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let acc = 0;
      for (let l = 0; l < n; l++) acc += q[i * n + l]! * w[l]! * q[j * n + l]!;
      a[i * n + j] = acc;
      a[j * n + i] = acc;
    }
  return { data: a, shape: [n, n] };
}

/** fast-check: a Gaussian m×n matrix with m, n in [1, maxDim], entries from a drawn seed. */
export function arbMatrix(maxDim = 8, minDim = 1): fc.Arbitrary<Tensor> {
  return fc
    .tuple(
      fc.integer({ min: minDim, max: maxDim }),
      fc.integer({ min: minDim, max: maxDim }),
      fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    )
    .map(([m, n, seed]) => gaussian(createRng(seed), m, n));
}

/** fast-check: {a, s} with a chosen spectrum spanning `decades` orders of magnitude. */
export function arbSpectrumMatrix(maxDim = 8, decades = 12): fc.Arbitrary<{ a: Tensor; s: Float64Array }> {
  return fc
    .tuple(
      fc.integer({ min: 1, max: maxDim }),
      fc.integer({ min: 1, max: maxDim }),
      fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      fc.double({ min: 0, max: decades, noNaN: true }),
    )
    .map(([m, n, seed, dec]) => {
      const s = logspace(1, Math.pow(10, -dec), Math.min(m, n));
      return { a: withSpectrum(createRng(seed), m, n, s), s };
    });
}
