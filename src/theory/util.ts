/**
 * Small validation and numeric helpers shared by the theory modules (not part of the public
 * surface). Every check throws a typed error from src/linalg/errors.ts naming the operation.
 */
import { NonFiniteError, ShapeError, ValueError } from '../linalg/errors.js';
import type { Tensor } from '../linalg/tensor.js';
import { lstsq } from '../linalg/decomp/index.js';
import { checkNumber } from '../linalg/validate.js';

/** Copies `a` into a Float64Array after checking it is non-empty (unless allowed) and finite. */
export function toFinite(op: string, what: string, a: ArrayLike<number>, allowEmpty = false): Float64Array {
  if (!allowEmpty && a.length === 0) throw new ValueError(op, `${what} is empty`);
  const out = Float64Array.from(a);
  for (let i = 0; i < out.length; i++) {
    const v = out[i]!;
    if (v - v !== 0) throw new NonFiniteError(op, what, i, v);
  }
  return out;
}

/** A validated spectrum: non-empty, finite, non-negative. */
export function checkSpectrum(op: string, spectrum: ArrayLike<number>): Float64Array {
  const s = toFinite(op, 'spectrum', spectrum);
  for (let i = 0; i < s.length; i++) {
    if (s[i]! < 0)
      throw new ValueError(op, `spectrum entries are singular values and must be >= 0, got ${s[i]} at index ${i}`);
  }
  return s;
}

/** Throws unless `alpha > 1/2` (the range where C_1^(alpha) controls an L² tail). */
export function checkAlpha(op: string, alpha: number): void {
  if (!Number.isFinite(alpha) || alpha <= 0.5) {
    throw new ValueError(
      op,
      `alpha must be a finite number > 1/2 (the measure needs sum_k k^(-2 alpha) < inf), got ${alpha}`,
    );
  }
}

/** Throws unless `n` is an integer >= `min` (the shared validator, src/linalg/validate.ts). */
export function checkInt(op: string, what: string, n: number, min = 1): void {
  checkNumber(op, what, n, { int: true, min });
}

/** Throws unless `x` is finite and > 0 (or >= 0 when `allowZero`) (the shared validator). */
export function checkPositive(op: string, what: string, x: number, allowZero = false): void {
  checkNumber(op, what, x, allowZero ? { min: 0 } : { gt: 0 });
}

/**
 * Checks a (B, τ, d) input tensor and returns its dims. Throws a ShapeError for the wrong rank or
 * token dimension, and a NonFiniteError at the first NaN/±Inf entry (targets and alterations
 * would otherwise turn it into silent NaN outputs).
 */
export function dims3(op: string, x: Tensor, d?: number): [number, number, number] {
  if (x.shape.length !== 3)
    throw new ShapeError(op, `expected inputs of shape (B, tau, d), got ${x.shape.length}-D`, [x.shape]);
  const [B, T, D] = [x.shape[0]!, x.shape[1]!, x.shape[2]!];
  if (d !== undefined && D !== d) throw new ShapeError(op, `expected token dimension d = ${d}, got ${D}`, [x.shape]);
  const v = x.data;
  for (let i = 0; i < v.length; i++) if (v[i]! - v[i]! !== 0) throw new NonFiniteError(op, 'the input', i, v[i]!);
  return [B, T, D];
}

/** Checks two arrays have the same length. */
export function sameLength(op: string, a: ArrayLike<number>, b: ArrayLike<number>, na = 'x', nb = 'y'): void {
  if (a.length !== b.length)
    throw new ValueError(op, `${na} and ${nb} must have the same length, got ${a.length} and ${b.length}`);
}

/**
 * Weighted linear least squares `min Σ_r w_r (Σ_i c_i cols[i][r] − y_r)²` for a small dense
 * design (n × k) by Householder QR (`linalg.lstsq`, rows scaled by `√w_r`; never forms AᵀA).
 * Returns the coefficients, or null when the design is rank-deficient.
 */
export function smallLstsq(cols: Float64Array[], y: Float64Array, w?: Float64Array): Float64Array | null {
  const k = cols.length,
    n = y.length;
  const A = new Float64Array(n * k),
    b = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const sw = w ? Math.sqrt(w[r]!) : 1;
    for (let i = 0; i < k; i++) A[r * k + i] = sw * cols[i]![r]!;
    b[r] = sw * y[r]!;
  }
  return solveLstsq(A, b, n, k);
}

/**
 * The Levenberg–Marquardt step `argmin_s Σ_r w_r (J_r·s − r_r)² + λ Σ_j d_j s_j²` with
 * `d_j = Σ_r w_r J_rj²` (Marquardt's diagonal scaling), as the least-squares problem of the
 * stacked matrix `[√w J; √(λ d) I]` solved by Householder QR. Null when rank-deficient.
 */
export function dampedStep(
  J: Float64Array,
  res: Float64Array,
  w: Float64Array,
  k: number,
  lambda: number,
): Float64Array | null {
  const n = res.length,
    A = new Float64Array((n + k) * k),
    b = new Float64Array(n + k);
  const d = new Float64Array(k);
  for (let r = 0; r < n; r++) {
    const sw = Math.sqrt(w[r]!);
    for (let j = 0; j < k; j++) {
      A[r * k + j] = sw * J[r * k + j]!;
      d[j] = d[j]! + w[r]! * J[r * k + j]! ** 2;
    }
    b[r] = sw * res[r]!;
  }
  for (let j = 0; j < k; j++) A[(n + j) * k + j] = Math.sqrt(lambda * d[j]!) + 1e-150;
  return solveLstsq(A, b, n + k, k);
}

function solveLstsq(A: Float64Array, b: Float64Array, n: number, k: number): Float64Array | null {
  for (let i = 0; i < A.length; i++) if (!Number.isFinite(A[i]!)) return null;
  for (let i = 0; i < b.length; i++) if (!Number.isFinite(b[i]!)) return null;
  const sol = lstsq({ data: A, shape: [n, k] }, { data: b, shape: [n] });
  return sol.rank < k ? null : Float64Array.from(sol.x.data);
}

/** Empirical quantile (linear interpolation, numpy's default) of a sorted array. */
export function quantileSorted(s: Float64Array, q: number): number {
  if (s.length === 0) return NaN;
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos),
    hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}
