/**
 * Complexity measures of a Transformer target (PAPER.md §3; Jiang & Li 2024, Sec. 4):
 * `C_1^(α) = sup_k σ_k k^α`, the tail `Σ_{k>m} σ_k²`, `C_0`, `C_2^(β)(H, k)`, and the helpers
 * `lipschitzEstimate`, `supNorm` that estimate the constants of `C_0` from callables.
 */
import { NonFiniteError, ValueError } from '../linalg/errors.js';
import { createRng } from '../linalg/random.js';
import type { CouplingTarget } from './targets.js';
import { type Domain, quadrature } from './spectra.js';
import type { TokenFn } from './targets.js';
import { checkAlpha, checkInt, checkPositive, checkSpectrum } from './util.js';

/**
 * `C_1^(α) = sup_k σ_k k^α`, `k = 1, 2, …` (PAPER.md §3). Needs `α > 1/2` (ValueError otherwise):
 * only then does `C_1` bound the tail, `Σ_{k>m} σ_k² ≤ C_1² m^(1−2α)/(2α−1)`. Linear in σ;
 * equals 1 on `σ_k = k^−α`.
 *
 * @example
 * ```ts
 * c1([1, 0.5, 0.25], 1); // → 1 (max of 1·1, 0.5·2, 0.25·3)
 * c1(powerLawSpectrum(0.55, 16), 1); // ≈ 3.482 (σ_k k = k^0.45, largest at k = 16)
 * ```
 */
export function c1(spectrum: ArrayLike<number>, alpha: number): number {
  checkAlpha('c1', alpha);
  const s = checkSpectrum('c1', spectrum);
  let best = 0;
  for (let k = 1; k <= s.length; k++) best = Math.max(best, s[k - 1]! * Math.pow(k, alpha));
  return best;
}

/**
 * `Σ_{i>k} σ_i²` (i 1-based): the squared L² error of the best rank-k truncation of the coupling
 * (Eckart–Young; PAPER.md §1). Summed smallest-first for accuracy. `k ≥ 0`.
 *
 * @example
 * ```ts
 * tailEnergy([1, 0.5, 0.25], 1); // → 0.3125 (0.5² + 0.25²)
 * tailEnergy([1, 0.5, 0.25], 3); // → 0
 * ```
 */
export function tailEnergy(spectrum: ArrayLike<number>, k: number): number {
  const s = checkSpectrum('tailEnergy', spectrum);
  checkInt('tailEnergy', 'k', k, 0);
  let t = 0;
  for (let i = s.length - 1; i >= k; i--) t += s[i]! * s[i]!;
  return t;
}

/**
 * `Σ_{i>k} i^(−2α)` for the untruncated power law `σ_i = i^−α` (α > 1/2): the Hurwitz zeta
 * `ζ(2α, k+1)`, by a direct sum of the first 32 terms and Euler–Maclaurin for the rest
 * (relative error below 1e-13). Use it for what `powerLawSpectrum(α, Infinity)` truncates.
 *
 * @example
 * ```ts
 * powerLawTailEnergy(1, 0); // ≈ 1.644934 (π²/6)
 * // what powerLawSpectrum(1, Infinity) (1024 terms) leaves out of Σ_{k>4} σ_k²:
 * powerLawTailEnergy(1, 4) - tailEnergy(powerLawSpectrum(1, Infinity), 4); // ≈ 9.761e-4 (≈ 1/1024)
 * ```
 */
export function powerLawTailEnergy(alpha: number, k: number): number {
  checkAlpha('powerLawTailEnergy', alpha);
  checkInt('powerLawTailEnergy', 'k', k, 0);
  const s = 2 * alpha;
  const M = k + 1 + 32; // sum i = k+1 .. M−1 directly, the rest by Euler–Maclaurin at M
  let direct = 0;
  for (let i = M - 1; i >= k + 1; i--) direct += Math.pow(i, -s);
  // Σ_{i≥M} i^−s = M^(1−s)/(s−1) + M^−s/2 + Σ_j B_2j/(2j)! · s(s+1)…(s+2j−2) M^(−s−2j+1)
  const B = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66];
  let em = Math.pow(M, 1 - s) / (s - 1) + Math.pow(M, -s) / 2;
  let rising = s,
    fact = 2;
  for (let j = 1; j <= B.length; j++) {
    em += (B[j - 1]! / fact) * rising * Math.pow(M, -s - 2 * j + 1);
    rising *= (s + 2 * j - 1) * (s + 2 * j);
    fact *= (2 * j + 1) * (2 * j + 2);
  }
  return direct + em;
}

/** Inputs of {@link c0}. */
export interface C0Input {
  /** `K_F`: Lipschitz constant of the readout F. */
  lipschitzF: number;
  /** `‖f‖_∞` over the token domain. */
  supF: number;
  /** `sup_i (‖φ_i‖_∞ + ‖ψ_i‖_∞)`. */
  supBases: number;
}

/**
 * `C_0 = max{ K_F ‖f‖_∞ sup_i(‖φ_i‖_∞ + ‖ψ_i‖_∞), 1 }` (PAPER.md §3). **[ours]** the paper prints
 * `inf{·, 1}`, which would make the bound's prefactor at most 1 whatever the target; we read it
 * as `max`, the form a Lipschitz argument produces.
 *
 * @example
 * ```ts
 * c0({ lipschitzF: 1, supF: 1, supBases: 2 * Math.SQRT2 }); // ≈ 2.8284 (sine basis, F = f = id)
 * c0({ lipschitzF: 0.1, supF: 1, supBases: 1 }); // → 1 (the max with 1)
 * ```
 */
export function c0(input: C0Input): number {
  checkPositive('c0', 'lipschitzF', input.lipschitzF, true);
  checkPositive('c0', 'supF', input.supF, true);
  checkPositive('c0', 'supBases', input.supBases, true);
  return Math.max(input.lipschitzF * input.supF * input.supBases, 1);
}

/** `C_FF` constants supplied by the caller: numbers, or per-index functions for the bases. */
export interface CffInput {
  F: number;
  f: number;
  /** `C_FF(φ_i)`, i = 1.. (array indexed from 0, or a function of the 1-based i). */
  phi: ArrayLike<number> | ((i: number) => number);
  psi: ArrayLike<number> | ((i: number) => number);
}

function cffAt(op: string, c: ArrayLike<number> | ((i: number) => number), i: number, what: string): number {
  const v = typeof c === 'function' ? c(i) : c[i - 1];
  if (v === undefined)
    throw new ValueError(
      op,
      `C_FF(${what}_${i}) is needed but only ${(c as ArrayLike<number>).length} values were supplied`,
    );
  if (!Number.isFinite(v)) throw new NonFiniteError(op, `C_FF(${what}_${i})`, i - 1, v);
  if (v < 0) throw new ValueError(op, `C_FF(${what}_${i}) must be >= 0, got ${v}`);
  return v;
}

/**
 * `C_2^(β)(H, k) = C_FF(F) + C_FF(f) + Σ_{i≤k} (C_FF(φ_i) + C_FF(ψ_i))` (PAPER.md §3). The
 * `C_FF` values are plug-ins supplied by the caller **[ours]** (the paper leaves them abstract).
 *
 * @example
 * ```ts
 * const cFF = { F: 1, f: 1, phi: [2, 4, 6], psi: [2, 4, 6] };
 * c2({ cFF, k: 0 }); // → 2
 * c2({ cFF, k: 2 }); // → 14 (1 + 1 + (2 + 2) + (4 + 4))
 * ```
 */
export function c2(input: { cFF: CffInput; k: number }): number {
  const op = 'c2';
  checkInt(op, 'k', input.k, 0);
  checkPositive(op, 'C_FF(F)', input.cFF.F, true);
  checkPositive(op, 'C_FF(f)', input.cFF.f, true);
  let s = input.cFF.F + input.cFF.f;
  for (let i = 1; i <= input.k; i++) s += cffAt(op, input.cFF.phi, i, 'phi') + cffAt(op, input.cFF.psi, i, 'psi');
  return s;
}

/** Options of the sampling helpers. */
export interface SampleOptions {
  /** Token dimension (default: from the domain, else 1). */
  d?: number;
  /** Grid points per axis (d ≤ 2; default 2001 for d = 1, 101 for d = 2) or Monte-Carlo points (d > 2; default 20000). */
  points?: number;
  /** Seed of the Monte-Carlo points (default 0). */
  seed?: number;
}

function sampleSet(
  op: string,
  domain: Domain,
  opts: SampleOptions,
): { pts: Float64Array; d: number; n: number; lo: number[]; hi: number[] } {
  const d = opts.d ?? (Array.isArray(domain) ? 1 : (domain as { lo: readonly number[] }).lo.length);
  checkInt(op, 'd', d);
  const lo = Array.isArray(domain)
    ? new Array<number>(d).fill(domain[0])
    : [...(domain as { lo: readonly number[] }).lo];
  const hi = Array.isArray(domain)
    ? new Array<number>(d).fill(domain[1])
    : [...(domain as { hi: readonly number[] }).hi];
  for (let i = 0; i < d; i++)
    if (!(hi[i]! > lo[i]!)) throw new ValueError(op, `domain axis ${i} must satisfy lo < hi, got [${lo[i]}, ${hi[i]}]`);
  if (d <= 2) {
    const side = opts.points ?? (d === 1 ? 2001 : 101);
    checkInt(op, 'points', side, 2);
    // a closed tensor grid, end points included: axis j takes lo_j + (hi_j − lo_j)·i/(side − 1)
    const n = Math.pow(side, d);
    const pts = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const idx = d === 2 ? [Math.floor(i / side), i % side] : [i];
      for (let j = 0; j < d; j++) pts[i * d + j] = lo[j]! + ((hi[j]! - lo[j]!) * idx[j]!) / (side - 1);
    }
    return { pts, d, n, lo, hi };
  }
  const n = opts.points ?? 20000;
  const rng = createRng(opts.seed ?? 0);
  const pts = new Float64Array(n * d);
  for (let i = 0; i < n * d; i++) pts[i] = lo[i % d]! + (hi[i % d]! - lo[i % d]!) * rng.uniform();
  return { pts, d, n, lo, hi };
}

/** The tokens a coupling sees: a grid (or MC set) of `[0,1]^d`, pushed through the encoding at every t. */
function tokenCloud(target: CouplingTarget, so: SampleOptions): { pts: Float64Array; d: number; n: number } {
  const d = target.d,
    pe = target.positionEncoding !== 'none';
  const tau = pe ? (target.tau ?? 1) : 1;
  const base = sampleSet(
    'measures',
    { lo: new Array<number>(d).fill(0), hi: new Array<number>(d).fill(1) },
    {
      ...so,
      d,
      points: so.points ?? (d === 1 ? (pe ? 257 : 2001) : d === 2 ? (pe ? 33 : 101) : pe ? 2000 : 20000),
    },
  );
  if (!pe) return { pts: base.pts, d, n: base.n };
  const pts = new Float64Array(base.n * tau * d);
  for (let t = 0; t < tau; t++)
    for (let i = 0; i < base.n; i++)
      pts.set(target.encode(t, base.pts.subarray(i * d, (i + 1) * d)).subarray(0, d), (t * base.n + i) * d);
  return { pts, d, n: base.n * tau };
}

function evalNorm(op: string, fn: (u: Float64Array) => number | ArrayLike<number>, u: Float64Array): number {
  const v = fn(u);
  let s: number;
  if (typeof v === 'number') s = Math.abs(v);
  else {
    s = 0;
    for (let i = 0; i < v.length; i++) s = Math.hypot(s, v[i]!);
  }
  if (!Number.isFinite(s)) throw new NonFiniteError(op, 'fn(u)', 0, s);
  return s;
}

/**
 * `‖g‖_∞` estimated as the max of `|g|` (Euclidean norm for vector values) over a closed tensor
 * grid (d ≤ 2) or seeded Monte-Carlo points (d > 2). A lower bound of the true sup norm, exact
 * when the maximiser is a grid point.
 *
 * @example
 * ```ts
 * supNorm((u) => u[0]! * (1 - u[0]!)); // → 0.25 (attained at the grid point 0.5)
 * supNorm((u) => [u[0]!, u[1]!], { lo: [0, 0], hi: [3, 4] }); // → 5 (Euclidean norm of a vector value)
 * ```
 */
export function supNorm(
  fn: (u: Float64Array) => number | ArrayLike<number>,
  domain: Domain = [0, 1],
  opts: SampleOptions = {},
): number {
  const { pts, d, n } = sampleSet('supNorm', domain, opts);
  let best = 0;
  for (let i = 0; i < n; i++) best = Math.max(best, evalNorm('supNorm', fn, pts.subarray(i * d, (i + 1) * d)));
  return best;
}

/**
 * Lipschitz constant estimated as the max of `‖g(a) − g(b)‖ / ‖a − b‖` over neighbouring grid
 * points along every axis (d ≤ 2; for d = 2 also one step along the finite-difference steepest
 * direction, see `steepestNeighbour`) or over seeded random pairs at distance ≤ 1% of the box
 * (d > 2). A lower bound of the true constant, tight for C¹ functions as the grid refines.
 *
 * @example
 * ```ts
 * lipschitzEstimate((u) => Math.sin(2 * Math.PI * u[0]!)); // ≈ 6.28317 (2π = 6.28319, from below)
 * lipschitzEstimate((u) => u[0]! + 2 * u[1]!, { lo: [0, 0], hi: [1, 1] }, { points: 11 }); // ≈ 2.2361 (√5)
 * ```
 */
export function lipschitzEstimate(
  fn: (u: Float64Array) => number | ArrayLike<number>,
  domain: Domain = [0, 1],
  opts: SampleOptions = {},
): number {
  const op = 'lipschitzEstimate';
  const { pts, d, n, lo, hi } = sampleSet(op, domain, opts);
  const vec = (u: Float64Array): Float64Array => {
    const v = fn(u);
    return typeof v === 'number' ? Float64Array.of(v) : Float64Array.from(v);
  };
  const diff = (a: Float64Array, b: Float64Array): number => {
    const fa = vec(a),
      fb = vec(b);
    let num = 0,
      den = 0;
    for (let i = 0; i < fa.length; i++) num = Math.hypot(num, fa[i]! - (fb[i] ?? 0));
    for (let i = 0; i < d; i++) den = Math.hypot(den, a[i]! - b[i]!);
    if (!Number.isFinite(num)) throw new NonFiniteError(op, 'fn(u)', 0, num);
    return den > 0 ? num / den : 0;
  };
  let best = 0;
  if (d <= 2) {
    // neighbours along each axis of the closed grid (row-major: axis 1 has stride 1, axis 0 stride side)
    const side = Math.round(Math.pow(n, 1 / d));
    for (let i = 0; i < n; i++) {
      const a = pts.subarray(i * d, (i + 1) * d);
      if (d === 1 || (i % side) + 1 < side) {
        if (i + 1 < n) best = Math.max(best, diff(a, pts.subarray((i + 1) * d, (i + 2) * d)));
      }
      if (d === 2 && i + side < n) best = Math.max(best, diff(a, pts.subarray((i + side) * d, (i + side + 1) * d)));
      if (d === 2 && i + side < n && (i % side) + 1 < side) {
        const b0 = pts.subarray((i + side) * d, (i + side + 1) * d),
          b1 = pts.subarray((i + 1) * d, (i + 2) * d);
        best = Math.max(best, diff(a, steepestNeighbour(vec, a, b0, b1, lo, hi)));
      }
    }
    return best;
  }
  const rng = createRng((opts.seed ?? 0) + 1);
  const b = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const a = pts.subarray(i * d, (i + 1) * d);
    for (let j = 0; j < d; j++)
      b[j] = Math.min(hi[j]!, Math.max(lo[j]!, a[j]! + 0.01 * (hi[j]! - lo[j]!) * (2 * rng.uniform() - 1)));
    best = Math.max(best, diff(a, b));
  }
  return best;
}

/**
 * d = 2: the axis quotients alone miss a gradient between the axes (`u_0 + 2u_1` gives 2, not √5).
 * From the forward differences to the axis neighbours `b0` (axis 0) and `b1` (axis 1), the
 * direction v maximising `‖J v‖` (top eigenvector of `JᵀJ`), and a point one grid step from `a`
 * along ±v, clipped to the box: its quotient is a genuine difference quotient, so still ≤ the true
 * constant, and tends to `sup ‖J‖₂` for C¹ maps as the grid refines.
 */
function steepestNeighbour(
  vec: (u: Float64Array) => Float64Array,
  a: Float64Array,
  b0: Float64Array,
  b1: Float64Array,
  lo: number[],
  hi: number[],
): Float64Array {
  const fa = vec(a),
    f0 = vec(b0),
    f1 = vec(b1),
    h0 = b0[0]! - a[0]!,
    h1 = b1[1]! - a[1]!;
  let m00 = 0,
    m01 = 0,
    m11 = 0;
  for (let j = 0; j < fa.length; j++) {
    const c0 = (f0[j]! - fa[j]!) / h0,
      c1 = (f1[j]! - fa[j]!) / h1;
    m00 += c0 * c0;
    m01 += c0 * c1;
    m11 += c1 * c1;
  }
  const th = 0.5 * Math.atan2(2 * m01, m00 - m11),
    step = Math.min(h0, h1);
  const at = (sign: number): Float64Array =>
    Float64Array.of(a[0]! + sign * step * Math.cos(th), a[1]! + sign * step * Math.sin(th));
  const inside = (b: Float64Array): boolean => b[0]! >= lo[0]! && b[0]! <= hi[0]! && b[1]! >= lo[1]! && b[1]! <= hi[1]!;
  const b = inside(at(1)) ? at(1) : at(-1);
  for (let j = 0; j < 2; j++) b[j] = Math.min(hi[j]!, Math.max(lo[j]!, b[j]!));
  return b;
}

/** Options of {@link measures}. */
export interface MeasuresOptions {
  /** Spectral decay exponent of `C_1^(α)` (> 1/2). */
  alpha: number;
  /** FFN rate exponent β of `C_FF^(β)` (> 0). */
  beta: number;
  /** `C_FF` plug-ins. Default **[ours]**, only for the sine basis with identity f, F:
   * `C_FF(√2 sin(2kπu)) = 2√2 π k` (its Barron constant ∫|ω||ĝ(ω)|dω) and `C_FF(id) = 1`. */
  cFF?: CffInput;
  /** Sampling of the sup norms / Lipschitz constants for custom maps (see {@link SampleOptions}). */
  sample?: SampleOptions;
}

/** All measures of a coupling target, the input of {@link transformerBound}. */
export interface Measures {
  spectrum: Float64Array;
  alpha: number;
  beta: number;
  c0: number;
  c1: number;
  /** `C_2^(β)(H, k)` as a function of k. */
  c2: (k: number) => number;
  /** `Σ_{i>k} σ_i²` as a function of k. */
  tail: (k: number) => number;
  /** The constants `C_0` was built from; `supPhi = max_k ‖φ_k‖_∞`, `supPsi = max_k ‖ψ_k‖_∞` (used by the
   * corrected bound; when absent it falls back to `supBases` for each, which is valid but looser);
   * `valueRadius = sup_u ‖f(u) − c‖` for the centre c of the box spanned by f (≤ supF; the corrected
   * bound uses it because attention weights sum to one, so a constant shift of f cancels). */
  parts: { lipschitzF: number; supF: number; supBases: number; supPhi?: number; supPsi?: number; valueRadius?: number };
  /** The per-basis `C_FF` plug-ins (the corrected bound's FFN term needs them per k, not summed). */
  cFF?: CffInput;
  /** The target's position encoding: the corrected bound assumes i.i.d. uniform tokens ('none'). */
  positionEncoding?: 'none' | 'sinusoidal' | 'custom';
  /** The target attends by a hard max: the corrected bound's softmax Lipschitz step does not apply. */
  hardMax?: boolean;
  /** `max |⟨φ_i, φ_j⟩ − δ_ij|` over both bases by quadrature on `[0,1]^d` (0 for the sine basis):
   * the spectrum is the POD only when this is ≈ 0. */
  basisDefect: number;
}

/**
 * `max_{i,j} |⟨g_i, g_j⟩_{L²[0,1]^d} − δ_ij|` by midpoint quadrature, d ≤ 2: the Richardson
 * combination `(4 G_2n − G_n)/3` of the Gram matrices on n and 2n points per axis (n = 1024 for
 * d = 1, 48 for d = 2): exact for trigonometric polynomials of degree < n and dyadic step
 * functions (Haar, Walsh), error O(n⁻⁴) for smooth ones (an orthonormal Legendre basis is no longer
 * flagged by the O(n⁻²) error of a single midpoint rule), and not fooled by a function vanishing on one grid (`cos(2nπu)` is 0 at every midpoint of the
 * n-grid). d > 2: 4096 seeded Monte-Carlo points (a statistical estimate). Any finite sample can
 * be fooled by a function vanishing on it: for custom bases this is a check, not a proof.
 *
 * @example
 * ```ts
 * orthonormalityDefect(sineBasis(4).phi); // ≈ 7e-16 (orthonormal)
 * orthonormalityDefect([() => 1, (u) => u[0]!]); // ≈ 0.6667 (‖u‖² = 1/3, not 1)
 * ```
 */
export function orthonormalityDefect(fns: readonly TokenFn[], d = 1): number {
  checkInt('orthonormalityDefect', 'd', d);
  const lo = new Array<number>(d).fill(0),
    hi = new Array<number>(d).fill(1);
  let G: Float64Array;
  if (d > 2) G = gram(fns, d, quadrature(lo, hi, 4096, 'montecarlo', 7));
  else {
    const n = d === 1 ? 1024 : 48;
    const coarse = gram(fns, d, quadrature(lo, hi, n, 'grid')),
      fine = gram(fns, d, quadrature(lo, hi, 2 * n, 'grid'));
    G = fine.map((g, i) => (4 * g - coarse[i]!) / 3);
  }
  const r = fns.length;
  let worst = 0;
  for (let a = 0; a < r; a++)
    for (let b = 0; b <= a; b++) worst = Math.max(worst, Math.abs(G[a * r + b]! - (a === b ? 1 : 0)));
  if (!Number.isFinite(worst)) throw new NonFiniteError('orthonormalityDefect', 'the basis values', 0, worst);
  return worst;
}

/** The Gram matrix `Σ_i w_i g_a(u_i) g_b(u_i)` (r × r, lower triangle filled) on quadrature `q`. */
function gram(fns: readonly TokenFn[], d: number, q: { points: Float64Array; weights: Float64Array }): Float64Array {
  const N = q.weights.length,
    r = fns.length;
  const V = new Float64Array(N * r),
    G = new Float64Array(r * r);
  for (let i = 0; i < N; i++) for (let k = 0; k < r; k++) V[i * r + k] = fns[k]!(q.points.subarray(i * d, (i + 1) * d));
  for (let a = 0; a < r; a++)
    for (let b = 0; b <= a; b++) {
      let g = 0;
      for (let i = 0; i < N; i++) g += q.weights[i]! * V[i * r + a]! * V[i * r + b]!;
      G[a * r + b] = g;
    }
  return G;
}

/** Half the diagonal of the box spanned by `f` over the cloud: `sup ‖f − centre‖` is at most this. */
function boxRadius(f: (u: Float64Array) => Float64Array, cloud: { pts: Float64Array; d: number; n: number }): number {
  let lo: Float64Array | null = null,
    hi: Float64Array | null = null;
  for (let i = 0; i < cloud.n; i++) {
    const v = f(cloud.pts.subarray(i * cloud.d, (i + 1) * cloud.d));
    if (lo === null || hi === null) {
      lo = Float64Array.from(v);
      hi = Float64Array.from(v);
      continue;
    }
    for (let j = 0; j < v.length; j++) {
      lo[j] = Math.min(lo[j]!, v[j]!);
      hi[j] = Math.max(hi[j]!, v[j]!);
    }
  }
  let r = 0;
  for (let j = 0; lo !== null && hi !== null && j < lo.length; j++) r = Math.hypot(r, (hi[j]! - lo[j]!) / 2);
  return r;
}

/**
 * Computes `C_0`, `C_1^(α)`, `C_2^(β)(H, ·)` and the tail for a target built by
 * {@link couplingTarget}. The spectrum is the target's (its bases are assumed orthonormal, so it
 * is the POD). The sup norms and `K_F` are exact for the sine basis with identity maps on [0,1]
 * (`‖φ_k‖_∞ + ‖ψ_k‖_∞ = 2√2`, `‖f‖_∞ = 1`, `K_F = 1`) and sampled otherwise
 * (`K_F` on `[−‖f‖_∞, ‖f‖_∞]^{n'}`); for custom bases `basisDefect` reports how far they are
 * from orthonormal (the spectrum is the POD only when it is ≈ 0). With a position encoding the
 * sup norms are taken over the encoded tokens `x̃(t)`, t = 0..τ−1, that the coupling actually
 * sees (for the sine basis `2√2` is kept: its sup over R, attained on any unit interval).
 *
 * @example
 * ```ts
 * const H = couplingTarget({ spectrum: powerLawSpectrum(1, 6) }); // App. B.2, α = 1, r = 6
 * const m = measures(H, { alpha: 1, beta: 0.5 });
 * m.c0; // ≈ 2.8284 (K_F ‖f‖∞ sup(‖φ‖∞ + ‖ψ‖∞) = 1 · 1 · 2√2)
 * m.c1; // → 1
 * m.tail(2); // ≈ 0.2414 (Σ_{k=3..6} k^−2)
 * m.c2(1); // ≈ 19.77 (C_FF(F) + C_FF(f) + 2 · 2√2π)
 * m.basisDefect; // → 0
 * ```
 */
export function measures(target: CouplingTarget, opts: MeasuresOptions): Measures {
  const op = 'measures';
  checkAlpha(op, opts.alpha);
  checkPositive(op, 'beta', opts.beta);
  if (target.kind !== 'coupling')
    throw new ValueError(
      op,
      `measures needs a target built by couplingTarget, got kind '${String((target as { kind: unknown }).kind)}'`,
    );
  const spectrum = target.spectrum,
    r = spectrum.length,
    d = target.d;
  const exact = target.basisName === 'sine' && target.identityMaps;
  let supBases: number,
    supF: number,
    lipF: number,
    supPhi = Math.SQRT2,
    supPsi = Math.SQRT2,
    valueRadius = 0.5;
  if (exact && target.positionEncoding === 'none') {
    supBases = 2 * Math.SQRT2;
    supF = 1;
    lipF = 1;
  } else {
    // sampled over the tokens the coupling actually sees (encoded, when there is a position encoding)
    const so = opts.sample ?? {};
    const cloud = tokenCloud(target, so);
    const maxOver = (fn: (u: Float64Array) => number | ArrayLike<number>): number => {
      let m = 0;
      for (let i = 0; i < cloud.n; i++)
        m = Math.max(m, evalNorm(op, fn, cloud.pts.subarray(i * cloud.d, (i + 1) * cloud.d)));
      return m;
    };
    supBases = 0;
    if (target.basisName === 'sine')
      supBases = 2 * Math.SQRT2; // sup over R, attained on any interval of length 1
    else {
      supPhi = 0;
      supPsi = 0;
      for (let k = 0; k < r; k++) {
        const a = maxOver(target.basis.phi[k]!),
          b = maxOver(target.basis.psi[k]!);
        supBases = Math.max(supBases, a + b);
        supPhi = Math.max(supPhi, a);
        supPsi = Math.max(supPsi, b);
      }
    }
    supF = maxOver(target.f);
    valueRadius = boxRadius(target.f, cloud);
    const nOut = target.f(new Float64Array(d).fill(0.5)).length;
    lipF = lipschitzEstimate(
      target.F,
      { lo: new Array<number>(nOut).fill(-supF), hi: new Array<number>(nOut).fill(Math.max(supF, 1e-12)) },
      so,
    );
  }
  let cFF = opts.cFF;
  if (cFF === undefined) {
    if (!exact)
      throw new ValueError(
        op,
        'cFF (the C_FF plug-ins) is required unless the target uses the sine basis with identity f and F',
      );
    const sine = (i: number): number => 2 * Math.SQRT2 * Math.PI * i;
    cFF = { F: 1, f: 1, phi: sine, psi: sine };
  }
  const cf = cFF;
  return {
    spectrum,
    alpha: opts.alpha,
    beta: opts.beta,
    c0: c0({ lipschitzF: lipF, supF, supBases }),
    c1: c1(spectrum, opts.alpha),
    c2: (k: number) => c2({ cFF: cf, k }),
    tail: (k: number) => tailEnergy(spectrum, k),
    parts: { lipschitzF: lipF, supF, supBases, supPhi, supPsi, valueRadius },
    cFF: cf,
    positionEncoding: target.positionEncoding,
    hardMax: target.hardMax,
    basisDefect:
      target.basisName === 'sine'
        ? 0
        : Math.max(
            orthonormalityDefect(target.basis.phi.slice(0, r), d),
            orthonormalityDefect(target.basis.psi.slice(0, r), d),
          ),
  };
}
