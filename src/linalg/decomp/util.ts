/**
 * Shared helpers of the decompositions: entry checks, column-major copies, safe norms and exact
 * power-of-two scaling. Internal to src/linalg/decomp (not re-exported).
 *
 * Storage convention inside decomp: a matrix A (m×n) is held column-major ("cm"), i.e. column j
 * occupies `cm[j*m .. j*m+m)`. That is exactly the row-major data of Aᵀ, so a transpose is free
 * for wide inputs and the Householder / Jacobi inner loops run over contiguous memory.
 */
import { ShapeError } from '../errors.js';
import { assertFinite, checkTensor, dims2, type Tensor } from '../tensor.js';

/** Options common to every decomposition. */
export interface FiniteOption {
  /** Check the input for NaN/±Inf at entry and throw a NonFiniteError (default true). */
  checkFinite?: boolean;
}

/** Validates a 2-D finite matrix; returns [m, n]. */
export function entry(op: string, a: Tensor, opts: FiniteOption | undefined, what = 'a'): [number, number] {
  checkTensor(op, what, a);
  const dims = dims2(op, a);
  if (opts?.checkFinite !== false) assertFinite(op, what, a);
  return dims;
}

/** Validates a square 2-D finite matrix; returns n. */
export function entrySquare(op: string, a: Tensor, opts: FiniteOption | undefined): number {
  const [m, n] = entry(op, a, opts);
  if (m !== n) throw new ShapeError(op, `expected a square matrix, got ${m}×${n}`, [a.shape]);
  return n;
}

/** Column-major copy of a row-major m×n matrix (= row-major data of Aᵀ). */
export function toColMajor(data: Float64Array, m: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const ro = i * n;
    for (let j = 0; j < n; j++) out[j * m + i] = data[ro + j]!;
  }
  return out;
}

/** Row-major m×n Tensor from column-major data with leading dimension `ld` (≥ m). */
export function fromColMajor(cm: Float64Array, m: number, n: number, ld = m): Tensor {
  const out = new Float64Array(m * n);
  for (let j = 0; j < n; j++) {
    const co = j * ld;
    for (let i = 0; i < m; i++) out[i * n + j] = cm[co + i]!;
  }
  return { data: out, shape: [m, n] };
}

/**
 * 2-norm of `len` entries of `x` from `off` without overflow or harmful underflow: a plain sum of
 * squares first, redone with scaling (dnrm2-style) only when it is outside the safe range.
 */
export function nrm2(x: Float64Array, off: number, len: number): number {
  let s = 0;
  for (let i = off; i < off + len; i++) {
    const v = x[i]!;
    s += v * v;
  }
  if (s > 1e-290 && s < 1e290) return Math.sqrt(s);
  if (s === 0) {
    let any = false;
    for (let i = off; i < off + len; i++)
      if (x[i] !== 0) {
        any = true;
        break;
      }
    if (!any) return 0;
  }
  let scale = 0,
    ssq = 1;
  for (let i = off; i < off + len; i++) {
    const v = Math.abs(x[i]!);
    if (v === 0) continue;
    if (scale < v) {
      ssq = 1 + ssq * (scale / v) * (scale / v);
      scale = v;
    } else ssq += (v / scale) * (v / scale);
  }
  return scale * Math.sqrt(ssq);
}

/** Largest |x_i|. */
export function maxAbs(x: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const v = Math.abs(x[i]!);
    if (v > m) m = v;
  }
  return m;
}

/** 2^e as a double for any e in [-1074, 1023] (Math.pow is exact for powers of two). */
function pow2(e: number): number {
  return Math.pow(2, e);
}

/** Multiplies `x` in place by 2^e exactly (two steps when 2^e alone is out of range). */
export function scalePow2(x: Float64Array, e: number): void {
  if (e === 0) return;
  const e1 = Math.trunc(e / 2),
    e2 = e - e1;
  const f1 = pow2(e1),
    f2 = pow2(e2);
  for (let i = 0; i < x.length; i++) x[i] = x[i]! * f1 * f2;
}

/** Exponent e such that max|x|·2^e lies in [0.5, 1); 0 for an all-zero array. */
export function normalisingExponent(mx: number): number {
  if (mx === 0 || !Number.isFinite(mx)) return 0;
  return -(Math.floor(Math.log2(mx)) + 1);
}

/** Multiplies a scalar by 2^e exactly (in two steps). */
export function timesPow2(v: number, e: number): number {
  const e1 = Math.trunc(e / 2),
    e2 = e - e1;
  return v * pow2(e1) * pow2(e2);
}

/**
 * Exponent e of the exact scaling by 2^e that brings max|x| = `mx` into the safe range
 * [2^-500, 2^500], or 0 when it is already there (LAPACK xGELSD's anrm < smlnum / > bignum rule):
 * tiny (e.g. subnormal) data is scaled up to max|x|·2^e ∈ [½, 1), huge data down to ∈ [2^499, 2^500),
 * so entries of very different magnitude are not pushed into underflow without need.
 */
export function safeRangeExponent(mx: number): number {
  if (mx === 0 || !Number.isFinite(mx) || (mx >= 2 ** -500 && mx <= 2 ** 500)) return 0;
  const e = normalisingExponent(mx);
  return mx < 1 ? e : e + 500;
}
