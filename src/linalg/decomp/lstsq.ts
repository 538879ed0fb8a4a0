/**
 * Least squares and the pseudo-inverse.
 */
import { ShapeError, ValueError } from '../errors.js';
import { checkTensor, type Tensor } from '../tensor.js';
import { applyQt } from './householder.js';
import { qrFactor } from './wy.js';
import { svd, svdvals } from './svd.js';
import { entry, maxAbs, safeRangeExponent, scalePow2, toColMajor, type FiniteOption } from './util.js';

/** Options of `lstsq`. */
export interface LstsqOptions extends FiniteOption {
  /** Singular values ≤ rcond·σ_max are treated as zero (default ε·max(m, n), numpy's default). */
  rcond?: number;
}

/** Result of `lstsq` (numpy `lstsq`'s four outputs). */
export interface LstsqResult {
  /** Minimum-norm least-squares solution, (n,) or (n, k) like `b`. */
  x: Tensor;
  /** Squared 2-norms of the residual columns, (1,) or (k,); empty unless rank = n < m (numpy). */
  residuals: Tensor;
  /** Effective rank: #{σ_i > rcond·σ_1}. */
  rank: number;
  /** Singular values of `a`, descending. */
  s: Tensor;
}

/**
 * Minimum-norm solution of min‖A·x − b‖₂ (numpy `lstsq` semantics; `b` is (m,) or (m, k)).
 * The rank is decided from the singular values (Jacobi `svdvals`). Full column rank (rank = n ≤ m):
 * Householder QR path x = R⁻¹·(Qᵀb)[:n], backward stable (Higham ASNA Thm 20.3) and the residual
 * norms come from the tail of Qᵀb. Otherwise: truncated SVD path x = V·Σ⁺·Uᵀ·b (σ_i ≤ rcond·σ_1
 * dropped), the minimum-norm solution of the numerically rank-deficient problem.
 *
 * ```ts
 * // fit y = c0 + c1·t through (0,1), (1,3), (2,5)
 * const { x } = lstsq(tensor([[1, 0], [1, 1], [1, 2]]), tensor([1, 3, 5]));   // x ≈ [1, 2]
 * ```
 */
export function lstsq(a: Tensor, b: Tensor, opts: LstsqOptions = {}): LstsqResult {
  const [m, n] = entry('lstsq', a, opts);
  checkTensor('lstsq', 'b', b);
  if (b.shape.length !== 1 && b.shape.length !== 2)
    throw new ShapeError('lstsq', `b must be 1-D or 2-D, got ${b.shape.length}-D`, [a.shape, b.shape]);
  if (b.shape[0] !== m) throw new ShapeError('lstsq', `a has ${m} rows but b has ${b.shape[0]}`, [a.shape, b.shape]);
  const k = b.shape.length === 1 ? 1 : b.shape[1]!;
  if (opts?.checkFinite !== false) entry('lstsq', { data: b.data, shape: [m, k] }, opts, 'b');
  const rcond = opts?.rcond ?? Number.EPSILON * Math.max(m, n);
  if (!(rcond >= 0) || !Number.isFinite(rcond))
    throw new ValueError('lstsq', `rcond must be a finite non-negative number, got ${rcond}`);
  const xShape = b.shape.length === 1 ? [n] : [n, k];
  // exact power-of-two scaling of a and b into the safe range (subnormal or huge data), undone on x
  const ea = safeRangeExponent(maxAbs(a.data)),
    eb = safeRangeExponent(maxAbs(b.data));
  if (ea === 0 && eb === 0) return solve(a, b, m, n, k, xShape, rcond);
  const as = a.data.slice(),
    bs = b.data.slice();
  scalePow2(as, ea);
  scalePow2(bs, eb);
  const r = solve({ data: as, shape: a.shape }, { data: bs, shape: b.shape }, m, n, k, xShape, rcond);
  scalePow2(r.x.data, ea - eb);
  scalePow2(r.residuals.data, -2 * eb);
  scalePow2(r.s.data, -ea);
  return r;
}

/** lstsq on data in the safe range: QR path at full column rank, else the truncated SVD. */
function solve(a: Tensor, b: Tensor, m: number, n: number, k: number, xShape: number[], rcond: number): LstsqResult {
  const s = svdvals(a, { checkFinite: false });
  const rank = effectiveRank(s.data, rcond);
  if (rank === n && m >= n) return qrPath(a, b, m, n, k, xShape, s);
  // Truncated SVD path: x = Σ_i<rank v_i (u_iᵀ b)/σ_i.
  const { u, s: s2, vt } = svd(a, { checkFinite: false });
  const r = Math.min(effectiveRank(s2.data, rcond), rank);
  const kk = Math.min(m, n);
  const x = new Float64Array(n * k);
  const c = new Float64Array(k);
  for (let i = 0; i < r; i++) {
    c.fill(0);
    for (let row = 0; row < m; row++) {
      const uri = u.data[row * kk + i]!;
      if (uri !== 0) for (let col = 0; col < k; col++) c[col] = c[col]! + uri * b.data[row * k + col]!;
    }
    const inv = 1 / s2.data[i]!;
    for (let j = 0; j < n; j++) {
      const v = vt.data[i * n + j]! * inv;
      for (let col = 0; col < k; col++) x[j * k + col] = x[j * k + col]! + v * c[col]!;
    }
  }
  return { x: { data: x, shape: xShape }, residuals: { data: new Float64Array(0), shape: [0] }, rank: r, s: s2 };
}

function effectiveRank(s: Float64Array, rcond: number): number {
  if (s.length === 0) return 0;
  const cut = rcond * s[0]!;
  let r = 0;
  for (let i = 0; i < s.length; i++) if (s[i]! > cut) r++;
  return r;
}

/** Householder QR path for full column rank, m ≥ n. */
function qrPath(a: Tensor, b: Tensor, m: number, n: number, k: number, xShape: number[], s: Tensor): LstsqResult {
  const f = qrFactor(toColMajor(a.data, m, n), m, n);
  const qtb = toColMajor(b.data, m, k);
  applyQt(f, qtb, k);
  const x = new Float64Array(n * k);
  for (let col = 0; col < k; col++) {
    const o = col * m;
    for (let i = n - 1; i >= 0; i--) {
      let t = qtb[o + i]!;
      for (let j = i + 1; j < n; j++) t -= f.cm[j * m + i]! * x[j * k + col]!;
      x[i * k + col] = t / f.cm[i * m + i]!;
    }
  }
  let residuals: Tensor = { data: new Float64Array(0), shape: [0] };
  if (m > n) {
    const res = new Float64Array(k);
    for (let col = 0; col < k; col++) {
      let acc = 0;
      for (let i = n; i < m; i++) {
        const v = qtb[col * m + i]!;
        acc += v * v;
      }
      res[col] = acc;
    }
    residuals = { data: res, shape: [k] };
  }
  return { x: { data: x, shape: xShape }, residuals, rank: n, s };
}

/** Options of `pinv`. */
export interface PinvOptions extends FiniteOption {
  /** Relative cutoff: σ_i ≤ rcond·σ_1 are treated as zero (default ε·max(m, n)). */
  rcond?: number;
}

/**
 * Moore–Penrose pseudo-inverse A⁺ = V·Σ⁺·Uᵀ (n×m) from the Jacobi SVD, singular values
 * ≤ rcond·σ_1 dropped. Satisfies the four Penrose conditions to O(ε·κ) accuracy.
 *
 * ```ts
 * pinv(tensor([[1, 2], [2, 4]]));   // rank 1: [[0.04, 0.08], [0.08, 0.16]]
 * ```
 */
export function pinv(a: Tensor, opts: PinvOptions = {}): Tensor {
  const [m, n] = entry('pinv', a, opts);
  const rcond = opts?.rcond ?? Number.EPSILON * Math.max(m, n);
  if (!(rcond >= 0) || !Number.isFinite(rcond))
    throw new ValueError('pinv', `rcond must be a finite non-negative number, got ${rcond}`);
  const out = new Float64Array(n * m);
  if (m === 0 || n === 0) return { data: out, shape: [n, m] };
  // (A·2^e)⁺ = A⁺·2^-e: tiny or huge data is inverted in the safe range and scaled back
  // (±Inf where A⁺ overflows, never 0·Inf = NaN)
  const e = safeRangeExponent(maxAbs(a.data));
  const as = e === 0 ? a : { data: a.data.slice(), shape: a.shape };
  if (e !== 0) scalePow2(as.data, e);
  const { u, s, vt } = svd(as, { checkFinite: false });
  const r = effectiveRank(s.data, rcond),
    kk = Math.min(m, n);
  for (let i = 0; i < r; i++) {
    const inv = 1 / s.data[i]!;
    for (let j = 0; j < n; j++) {
      const v = vt.data[i * n + j]! * inv;
      if (v === 0) continue;
      for (let row = 0; row < m; row++) out[j * m + row] = out[j * m + row]! + v * u.data[row * kk + i]!;
    }
  }
  scalePow2(out, e);
  return { data: out, shape: [n, m] };
}
