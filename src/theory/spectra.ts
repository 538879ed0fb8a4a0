/**
 * Spectra: model spectra (power law, exponential), the POD of a two-variable kernel by
 * quadrature-weighted SVD (PAPER.md §1, "Computing the POD numerically"), and the averaged
 * singular values of attention-logit matrices (the paper's Fig. 1 analysis).
 */
import { ShapeError, ValueError } from '../linalg/errors.js';
import { createRng } from '../linalg/random.js';
import { assertFinite, type Tensor } from '../linalg/tensor.js';
import { svd, svdvals } from '../linalg/decomp/index.js';
import { checkInt, checkPositive, quantileSorted } from './util.js';

/** Options of the model spectra. */
export interface ModelSpectrumOptions {
  /** Terms kept when `rank` is `Infinity` (default 1024). The tail beyond is not represented. */
  maxTerms?: number;
}

function termCount(op: string, rank: number, opts: ModelSpectrumOptions): number {
  if (rank === Infinity) {
    const n = opts.maxTerms ?? 1024;
    checkInt(op, 'maxTerms', n);
    return n;
  }
  checkInt(op, 'rank', rank);
  return rank;
}

/**
 * `σ_k = k^(−α)`, `k = 1..rank` (App. B.2 uses α = 0.55 and 1, rank 2, 6, ∞). For `rank =
 * Infinity` the first `maxTerms` terms are returned (the infinite target is then represented by
 * its truncation; `powerLawTailEnergy(alpha, maxTerms)` gives what is cut off).
 *
 * @example
 * ```ts
 * powerLawSpectrum(1, 4); // ≈ [1, 0.5, 0.3333, 0.25]
 * const s = powerLawSpectrum(0.55, Infinity, { maxTerms: 32 }); // App. B.2's rank ∞, truncated
 * s.length; // → 32
 * ```
 */
export function powerLawSpectrum(alpha: number, rank: number, opts: ModelSpectrumOptions = {}): Float64Array {
  checkPositive('powerLawSpectrum', 'alpha', alpha, true);
  const n = termCount('powerLawSpectrum', rank, opts);
  const s = new Float64Array(n);
  for (let k = 1; k <= n; k++) s[k - 1] = Math.pow(k, -alpha);
  return s;
}

/**
 * `σ_k = e^(−γ k)`, `k = 1..rank` (PAPER.md §3: an exponentially small tail).
 *
 * @example
 * ```ts
 * exponentialSpectrum(1, 3); // ≈ [0.3679, 0.1353, 0.04979]
 * ```
 */
export function exponentialSpectrum(gamma: number, rank: number, opts: ModelSpectrumOptions = {}): Float64Array {
  checkPositive('exponentialSpectrum', 'gamma', gamma, true);
  const n = termCount('exponentialSpectrum', rank, opts);
  const s = new Float64Array(n);
  for (let k = 1; k <= n; k++) s[k - 1] = Math.exp(-gamma * k);
  return s;
}

/** The integration domain: `[lo, hi]` on every axis, or per-axis bounds. */
export type Domain = readonly [number, number] | { readonly lo: readonly number[]; readonly hi: readonly number[] };

/** Options of {@link kernelSpectrum}. */
export interface KernelSpectrumOptions {
  /** Domain of both arguments (default `[0, 1]` per axis). */
  domain?: Domain;
  /** Token dimension (default 1). With d > 1 the kernel receives Float64Arrays. */
  d?: number;
  /** Grid points per axis for the tensor midpoint grid (default 128 for d = 1, 24 for d = 2). */
  grid?: number;
  /** `'grid'` (default for d ≤ 2) or `'montecarlo'` (default for d > 2). */
  method?: 'grid' | 'montecarlo';
  /** Monte-Carlo points (default 512). */
  points?: number;
  /** Seed of the Monte-Carlo points (default 0). */
  seed?: number;
  /** Number of singular triplets returned (default: all). */
  rank?: number;
  /** Compute the two-grid discretisation-error estimate (default true). */
  errorEstimate?: boolean;
  /** Memory cap in bytes (default {@link KERNEL_SPECTRUM_MAX_BYTES}, 256 MiB). A request whose
   * estimated working memory `4 · 8 · N²` (kernel, U, Vᵀ and SVD workspace) exceeds it is refused
   * with a ValueError naming the size it would need; raise the cap explicitly to run it. */
  maxBytes?: number;
}

/**
 * Default memory cap of {@link kernelSpectrum}: 256 MiB (N ≈ 2900 quadrature points; the SVD costs O(N³)).
 *
 * @example
 * ```ts
 * KERNEL_SPECTRUM_MAX_BYTES; // → 268435456
 * try {
 *   kernelSpectrum((u, v) => Math.min(u, v), { grid: 4096 }); // four 4096 × 4096 matrices (512 MiB): refused
 * } catch (e) {
 *   (e as Error).name; // → 'ValueError'
 * }
 * ```
 */
export const KERNEL_SPECTRUM_MAX_BYTES = 256 * 2 ** 20;

/** Result of {@link kernelSpectrum}. */
export interface KernelSpectrum {
  /** Approximate POD singular values `σ_1 ≥ σ_2 ≥ …` (length `rank`). */
  sigma: Float64Array;
  /** `|σ_k(N) − σ_k(N')|` with `N'` the half-size grid (or point set): an estimate of the
   * discretisation error of the coarse solve, hence conservative for the fine one. NaN when
   * `errorEstimate` is false. */
  error: Float64Array;
  /** Quadrature points, row-major `(N, d)`. */
  points: Float64Array;
  /** Quadrature weights (length N). */
  weights: Float64Array;
  /** `φ_k(points_i)`, shape `(N, rank)`: left POD functions, normalised in the discrete L² norm. */
  phi: Tensor;
  /** `ψ_k(points_j)`, shape `(N, rank)`: right POD functions. */
  psi: Tensor;
}

function domainBounds(op: string, domain: Domain | undefined, d: number): [number[], number[]] {
  let lo: number[], hi: number[];
  if (domain === undefined) {
    lo = new Array<number>(d).fill(0);
    hi = new Array<number>(d).fill(1);
  } else if (Array.isArray(domain)) {
    lo = new Array<number>(d).fill(domain[0]);
    hi = new Array<number>(d).fill(domain[1]);
  } else {
    const b = domain as { lo: readonly number[]; hi: readonly number[] };
    if (b.lo.length !== d || b.hi.length !== d)
      throw new ValueError(op, `domain bounds have ${b.lo.length} and ${b.hi.length} entries, expected d = ${d}`);
    lo = [...b.lo];
    hi = [...b.hi];
  }
  for (let i = 0; i < d; i++) {
    if (!Number.isFinite(lo[i]!) || !Number.isFinite(hi[i]!) || !(hi[i]! > lo[i]!))
      throw new ValueError(op, `domain axis ${i} must be a finite interval lo < hi, got [${lo[i]}, ${hi[i]}]`);
  }
  return [lo, hi];
}

/**
 * Quadrature nodes and weights: tensor midpoint grid (n per axis) or n Monte-Carlo points.
 *
 * @example
 * ```ts
 * const q = quadrature([0], [1], 4, 'grid');
 * q.points; // → [0.125, 0.375, 0.625, 0.875]
 * q.weights; // → [0.25, 0.25, 0.25, 0.25]
 * quadrature([0, 0], [1, 2], 3, 'montecarlo', 7).weights; // ≈ [0.6667, 0.6667, 0.6667] (area 2 / 3 points)
 * ```
 */
export function quadrature(
  lo: readonly number[],
  hi: readonly number[],
  n: number,
  method: 'grid' | 'montecarlo',
  seed = 0,
): { points: Float64Array; weights: Float64Array } {
  checkInt('quadrature', 'n (points per axis or Monte-Carlo points)', n, 1);
  const d = lo.length;
  let vol = 1;
  for (let i = 0; i < d; i++) vol *= hi[i]! - lo[i]!;
  if (method === 'montecarlo') {
    const rng = createRng(seed);
    const points = new Float64Array(n * d);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < d; j++) points[i * d + j] = lo[j]! + (hi[j]! - lo[j]!) * rng.uniform();
    return { points, weights: new Float64Array(n).fill(vol / n) };
  }
  const N = Math.pow(n, d);
  const points = new Float64Array(N * d);
  for (let i = 0; i < N; i++) {
    let rem = i;
    for (let j = d - 1; j >= 0; j--) {
      const idx = rem % n;
      rem = Math.floor(rem / n);
      points[i * d + j] = lo[j]! + ((hi[j]! - lo[j]!) * (idx + 0.5)) / n;
    }
  }
  return { points, weights: new Float64Array(N).fill(vol / N) };
}

/** The weighted kernel matrix `K_ij = √w_i ρ(u_i, u_j) √w_j` (throws on a non-finite value). */
function weightedKernel(
  op: string,
  rho: (u: never, v: never) => number,
  points: Float64Array,
  weights: Float64Array,
  d: number,
): Tensor {
  const N = weights.length;
  const K = new Float64Array(N * N);
  const call = rho as unknown as (u: number | Float64Array, v: number | Float64Array) => number;
  for (let i = 0; i < N; i++) {
    const u = d === 1 ? points[i]! : points.subarray(i * d, (i + 1) * d);
    for (let j = 0; j < N; j++) {
      const v = d === 1 ? points[j]! : points.subarray(j * d, (j + 1) * d);
      K[i * N + j] = Math.sqrt(weights[i]! * weights[j]!) * call(u, v);
    }
  }
  assertFinite(op, 'the sampled kernel rho(u, v)', K);
  return { data: K, shape: [N, N] };
}

/** Refuses a solve whose N × N matrices would exceed the cap (before anything is allocated). */
function checkMemory(op: string, N: number, d: number, maxBytes = KERNEL_SPECTRUM_MAX_BYTES): void {
  if (!(maxBytes > 0) || Number.isNaN(maxBytes)) {
    throw new ValueError(op, `maxBytes must be a number > 0, got ${maxBytes}`);
  }
  const need = 32 * N * N; // 4 float64 N × N arrays: K, U, Vᵀ, workspace
  if (need > maxBytes || !Number.isSafeInteger(N * N)) {
    const gib = (need / 2 ** 30).toPrecision(3);
    throw new ValueError(
      op,
      `N = ${N} quadrature points (d = ${d}) would need about ${gib} GiB ` +
        `(${need.toExponential(3)} bytes) for ` +
        `its N x N matrices, above the cap of ${maxBytes} bytes; use fewer points or pass a larger maxBytes explicitly`,
    );
  }
}

/**
 * The POD of a two-variable kernel, `ρ(u, v) = Σ_k σ_k φ_k(u) ψ_k(v)` (PAPER.md §1), computed as
 * the SVD of the quadrature-weighted matrix `K_ij = √w_i ρ(u_i, u_j) √w_j`. On `[0,1]` with a
 * uniform midpoint grid this is `ρ(u_i, u_j)/N`. The singular values of `K` converge to the `σ_k`
 * (Nyström; the midpoint rule is O(N^−2) for smooth kernels, slower at kinks); the sampled
 * functions are `φ_k(u_i) = U_ik/√w_i`, `ψ_k(u_j) = V_jk/√w_j`.
 *
 * The discretisation error is estimated by repeating the solve on a half-size grid (or a fresh
 * half-size Monte-Carlo set) and reporting `|σ_k(N) − σ_k(N/2)|`.
 *
 * For d = 1 `rho` takes numbers; for d > 1 it takes Float64Arrays of length d and the grid is a
 * tensor midpoint grid (`grid^d` points) or `points` seeded Monte-Carlo nodes of weight `|I|/N`.
 *
 * @example
 * ```ts
 * // Brownian-motion covariance min(u, v): σ_k = 1/((k − 1/2)² π²) = 0.4053, 0.04503, 0.01621, …
 * const { sigma, error, phi } = kernelSpectrum((u, v) => Math.min(u, v), { grid: 32, rank: 3 });
 * sigma; // ≈ [0.4054, 0.04511, 0.01629]
 * error; // ≈ [2.4e-4, 2.5e-4, 2.5e-4] (|σ_k(32) − σ_k(16)|; true errors ≈ 8e-5)
 * phi.shape; // → [32, 3]
 * ```
 */
export function kernelSpectrum(
  rho: (u: number, v: number) => number,
  opts?: KernelSpectrumOptions & { d?: 1 },
): KernelSpectrum;
export function kernelSpectrum(
  rho: (u: Float64Array, v: Float64Array) => number,
  opts: KernelSpectrumOptions & { d: number },
): KernelSpectrum;
export function kernelSpectrum(rho: (u: never, v: never) => number, opts: KernelSpectrumOptions = {}): KernelSpectrum {
  const op = 'kernelSpectrum';
  if (typeof rho !== 'function') throw new ValueError(op, 'rho must be a function of two tokens');
  const d = opts.d ?? 1;
  checkInt(op, 'd', d);
  const [lo, hi] = domainBounds(op, opts.domain, d);
  const method = opts.method ?? (d <= 2 ? 'grid' : 'montecarlo');
  // an unchecked typo ('Grid') used to take the Monte-Carlo point count as a per-axis grid size
  if (method !== 'grid' && method !== 'montecarlo')
    throw new ValueError(op, `method must be 'grid' or 'montecarlo', got '${String(method)}'`);
  const n = method === 'grid' ? (opts.grid ?? (d === 1 ? 128 : 24)) : (opts.points ?? 512);
  checkInt(op, method === 'grid' ? 'grid' : 'points', n, 2);
  const seed = opts.seed ?? 0;
  checkMemory(op, method === 'grid' ? Math.pow(n, d) : n, d, opts.maxBytes);
  // phase 1: the fine solve with vectors
  const { points, weights } = quadrature(lo, hi, n, method, seed);
  const N = weights.length;
  const { u, s, vt } = svd(weightedKernel(op, rho, points, weights, d));
  const r = Math.min(opts.rank ?? N, N);
  checkInt(op, 'rank', r);
  const sigma = s.data.slice(0, r);
  const phi = new Float64Array(N * r),
    psi = new Float64Array(N * r);
  for (let i = 0; i < N; i++) {
    const sw = 1 / Math.sqrt(weights[i]!);
    for (let k = 0; k < r; k++) {
      phi[i * r + k] = u.data[i * u.shape[1]! + k]! * sw;
      psi[i * r + k] = vt.data[k * N + i]! * sw;
    }
  }
  // phase 2: the half-size solve for the error estimate
  const error = new Float64Array(r).fill(NaN);
  if (opts.errorEstimate ?? true) {
    const nc = Math.max(1, Math.floor(n / 2));
    const q = quadrature(lo, hi, nc, method, seed + 1);
    const sc = svdvals(weightedKernel(op, rho, q.points, q.weights, d)).data;
    for (let k = 0; k < r; k++) error[k] = Math.abs(sigma[k]! - (sc[k] ?? 0));
  }
  return { sigma, error, points, weights, phi: { data: phi, shape: [N, r] }, psi: { data: psi, shape: [N, r] } };
}

/** Options of {@link logitSpectrum}. */
export interface LogitSpectrumOptions {
  /** Quantile levels reported per singular-value index (default 0.05, 0.25, 0.5, 0.75, 0.95). */
  quantiles?: readonly number[];
  /** `'none'` (default), `'max'` (divide by σ_1 of each matrix) or `'fro'` (divide by ‖M‖_F). */
  normalize?: 'none' | 'max' | 'fro';
}

/** Result of {@link logitSpectrum}: per singular-value index k, statistics over the matrices. */
export interface LogitSpectrum {
  mean: Float64Array;
  std: Float64Array;
  quantiles: readonly number[];
  /** `quantileValues[q][k]`: the q-th quantile of σ_k over the matrices. */
  quantileValues: Float64Array[];
  /** The singular values of every matrix (`all[i][k]`). */
  all: Float64Array[];
}

/**
 * Singular values of many attention-logit matrices (the pre-softmax `τ×τ` matrices of Fig. 1),
 * averaged over the matrices, with standard deviations and quantiles for violin-style plots.
 * `matrices` is a `(N, τ, τ')` tensor or a list of 2-D tensors of a common shape.
 *
 * @example
 * ```ts
 * const a = tensor([[1, 2], [2, 4]]); // rank 1: σ = (5, 0)
 * const b = tensor([[3, 0], [0, 1]]); // σ = (3, 1)
 * const s = logitSpectrum([a, b]);
 * s.mean; // ≈ [4, 0.5]
 * s.std; // ≈ [1.414, 0.7071]
 * logitSpectrum([a, b], { normalize: 'max' }).mean; // ≈ [1, 0.1667]
 * ```
 */
export function logitSpectrum(matrices: Tensor | readonly Tensor[], opts: LogitSpectrumOptions = {}): LogitSpectrum {
  const op = 'logitSpectrum';
  const list: Tensor[] = [];
  if (Array.isArray(matrices)) list.push(...(matrices as readonly Tensor[]));
  else {
    const m = matrices as Tensor;
    if (m.shape.length !== 3) throw new ShapeError(op, 'expected a (N, tau, tau) stack of matrices', [m.shape]);
    const [N, a, b] = [m.shape[0]!, m.shape[1]!, m.shape[2]!];
    for (let i = 0; i < N; i++) list.push({ data: m.data.subarray(i * a * b, (i + 1) * a * b), shape: [a, b] });
  }
  if (list.length === 0) throw new ValueError(op, 'no matrices given');
  const norm = opts.normalize ?? 'none';
  if (norm !== 'none' && norm !== 'max' && norm !== 'fro')
    throw new ValueError(op, `normalize must be 'none', 'max' or 'fro', got '${String(norm)}'`);
  const shape0 = list[0]!.shape;
  if (shape0.length !== 2) throw new ShapeError(op, 'each matrix must be 2-D', [shape0]);
  const all = list.map((m, i) => {
    if (m.shape.length !== 2 || m.shape[0] !== shape0[0] || m.shape[1] !== shape0[1])
      throw new ShapeError(op, `matrix ${i} differs in shape from matrix 0`, [shape0, m.shape]);
    const s = svdvals(m).data.slice();
    const c = norm === 'max' ? s[0]! : norm === 'fro' ? Math.hypot(...s) : 1;
    if (c > 0) for (let k = 0; k < s.length; k++) s[k] = s[k]! / c;
    return s;
  });
  const r = all[0]!.length,
    n = all.length;
  const qs = opts.quantiles ?? [0.05, 0.25, 0.5, 0.75, 0.95];
  for (const q of qs) if (!(q >= 0 && q <= 1)) throw new ValueError(op, `quantile levels must lie in [0, 1], got ${q}`);
  const mean = new Float64Array(r),
    std = new Float64Array(r);
  const quantileValues = qs.map(() => new Float64Array(r));
  const col = new Float64Array(n);
  for (let k = 0; k < r; k++) {
    for (let i = 0; i < n; i++) col[i] = all[i]![k]!;
    let m = 0;
    for (let i = 0; i < n; i++) m += col[i]!;
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (col[i]! - m) ** 2;
    mean[k] = m;
    std[k] = n > 1 ? Math.sqrt(v / (n - 1)) : 0;
    const sorted = col.slice().sort();
    qs.forEach((q, j) => {
      quantileValues[j]![k] = quantileSorted(sorted, q);
    });
  }
  return { mean, std, quantiles: [...qs], quantileValues, all };
}
