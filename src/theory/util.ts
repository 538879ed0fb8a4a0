/**
 * Small validation and numeric helpers shared by the theory modules (not part of the public
 * surface). Every check throws a typed error from src/linalg/errors.ts naming the operation.
 */
import { NonFiniteError, ShapeError, ValueError } from '../linalg/errors.js';
import type { Tensor } from '../linalg/tensor.js';
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
    if (s[i]! < 0) throw new ValueError(op, `spectrum entries are singular values and must be >= 0, got ${s[i]} at index ${i}`);
  }
  return s;
}

/** Throws unless `alpha > 1/2` (the range where C_1^(alpha) controls an L² tail). */
export function checkAlpha(op: string, alpha: number): void {
  if (!Number.isFinite(alpha) || alpha <= 0.5) {
    throw new ValueError(op, `alpha must be a finite number > 1/2 (the measure needs sum_k k^(-2 alpha) < inf), got ${alpha}`);
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
  if (x.shape.length !== 3) throw new ShapeError(op, `expected inputs of shape (B, tau, d), got ${x.shape.length}-D`, [x.shape]);
  const [B, T, D] = [x.shape[0]!, x.shape[1]!, x.shape[2]!];
  if (d !== undefined && D !== d) throw new ShapeError(op, `expected token dimension d = ${d}, got ${D}`, [x.shape]);
  const v = x.data;
  for (let i = 0; i < v.length; i++) if (v[i]! - v[i]! !== 0) throw new NonFiniteError(op, 'the input', i, v[i]!);
  return [B, T, D];
}

/** Checks two arrays have the same length. */
export function sameLength(op: string, a: ArrayLike<number>, b: ArrayLike<number>, na = 'x', nb = 'y'): void {
  if (a.length !== b.length) throw new ValueError(op, `${na} and ${nb} must have the same length, got ${a.length} and ${b.length}`);
}

/** Weighted linear least squares for a tiny dense design (n × k, k <= 4) by the normal equations
 * solved with a Cholesky factorisation plus a scaled ridge guard. Returns the coefficients, or
 * null when the system is singular. Only used for 2–3 parameter fits of well-spread data. */
export function smallLstsq(cols: Float64Array[], y: Float64Array, w?: Float64Array): Float64Array | null {
  const k = cols.length, n = y.length;
  const A = new Float64Array(k * k), b = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let r = 0; r < n; r++) s += (w ? w[r]! : 1) * cols[i]![r]! * cols[j]![r]!;
      A[i * k + j] = s;
      A[j * k + i] = s;
    }
    let s = 0;
    for (let r = 0; r < n; r++) s += (w ? w[r]! : 1) * cols[i]![r]! * y[r]!;
    b[i] = s;
  }
  return solveSpd(A, b, k);
}

/** Solves the k × k SPD system A x = b by Cholesky (column-scaled for conditioning); null if not SPD. */
export function solveSpd(A: Float64Array, b: Float64Array, k: number): Float64Array | null {
  const sc = new Float64Array(k);
  for (let i = 0; i < k; i++) sc[i] = A[i * k + i]! > 0 ? 1 / Math.sqrt(A[i * k + i]!) : 1;
  const L = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * k + j]! * sc[i]! * sc[j]!;
      for (let p = 0; p < j; p++) s -= L[i * k + p]! * L[j * k + p]!;
      if (i === j) {
        if (!(s > 1e-14)) return null;
        L[i * k + i] = Math.sqrt(s);
      } else L[i * k + j] = s / L[j * k + j]!;
    }
  }
  const z = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = b[i]! * sc[i]!;
    for (let p = 0; p < i; p++) s -= L[i * k + p]! * z[p]!;
    z[i] = s / L[i * k + i]!;
  }
  const x = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let p = i + 1; p < k; p++) s -= L[p * k + i]! * x[p]!;
    x[i] = s / L[i * k + i]!;
  }
  for (let i = 0; i < k; i++) x[i] = x[i]! * sc[i]!;
  return x;
}

/** Empirical quantile (linear interpolation, numpy's default) of a sorted array. */
export function quantileSorted(s: Float64Array, q: number): number {
  if (s.length === 0) return NaN;
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}
