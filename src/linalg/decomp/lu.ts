/**
 * LU with partial pivoting: `solve` and `det`.
 */
import { ShapeError, SeqrateError } from '../errors.js';
import { checkTensor, type Tensor } from '../tensor.js';
import { entry, entrySquare, timesPow2, type FiniteOption } from './util.js';

/**
 * Thrown by `solve` when the matrix is exactly singular (a zero pivot).
 *
 * @example
 * ```ts
 * try {
 *   solve(tensor([[1, 2], [2, 4]]), tensor([1, 1]));
 * } catch (e) {
 *   const err = e as SingularMatrixError;
 *   err.pivotIndex; // → 1
 *   err.message;
 *   // → 'solve: matrix of shape (2, 2) is singular: zero pivot at step 1 of LU with partial pivoting'
 * }
 * ```
 */
export class SingularMatrixError extends SeqrateError {
  readonly pivotIndex: number;
  constructor(op: string, n: number, pivotIndex: number) {
    super(op, `matrix of shape (${n}, ${n}) is singular: zero pivot at step ${pivotIndex} of LU with partial pivoting`);
    this.name = 'SingularMatrixError';
    this.pivotIndex = pivotIndex;
  }
}

interface LU {
  lu: Float64Array;
  piv: Int32Array;
  sign: number;
  zeroPivot: number;
}

/** Row-major in-place Doolittle LU with partial pivoting (right-looking, xGETF2). */
function luFactor(data: Float64Array, n: number): LU {
  const lu = data.slice();
  const piv = new Int32Array(n);
  let sign = 1,
    zeroPivot = -1;
  for (let k = 0; k < n; k++) {
    let p = k,
      best = Math.abs(lu[k * n + k]!);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(lu[i * n + k]!);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    piv[k] = p;
    if (p !== k) {
      sign = -sign;
      for (let j = 0; j < n; j++) {
        const t = lu[k * n + j]!;
        lu[k * n + j] = lu[p * n + j]!;
        lu[p * n + j] = t;
      }
    }
    const d = lu[k * n + k]!;
    if (d === 0) {
      if (zeroPivot < 0) zeroPivot = k;
      continue;
    }
    const rk = k * n;
    for (let i = k + 1; i < n; i++) {
      const ri = i * n;
      const l = lu[ri + k]! / d;
      lu[ri + k] = l;
      if (l === 0) continue;
      for (let j = k + 1; j < n; j++) lu[ri + j] = lu[ri + j]! - l * lu[rk + j]!;
    }
  }
  return { lu, piv, sign, zeroPivot };
}

/**
 * Solves A·X = B for square A by LU with partial pivoting (xGESV, unblocked). `b` may be a
 * vector (n,) → x (n,), or a matrix (n, k) → x (n, k) (numpy semantics). Backward stable in
 * practice (growth factor ≤ 2ⁿ⁻¹, tiny for all but contrived matrices; Higham ASNA §9.4).
 * Throws SingularMatrixError on an exact zero pivot, ShapeError on shape mismatch.
 *
 * ```ts
 * solve(tensor([[2, 1], [1, 3]]), tensor([3, 5])).data;   // [0.8, 1.4]
 * ```
 */
export function solve(a: Tensor, b: Tensor, opts: FiniteOption = {}): Tensor {
  const n = entrySquare('solve', a, opts);
  checkTensor('solve', 'b', b);
  if (b.shape.length !== 1 && b.shape.length !== 2)
    throw new ShapeError('solve', `b must be 1-D or 2-D, got ${b.shape.length}-D`, [a.shape, b.shape]);
  if (b.shape[0] !== n) throw new ShapeError('solve', `a has ${n} rows but b has ${b.shape[0]}`, [a.shape, b.shape]);
  if (opts?.checkFinite !== false)
    entry('solve', b.shape.length === 1 ? { data: b.data, shape: [n, 1] } : b, opts, 'b');
  const k = b.shape.length === 1 ? 1 : b.shape[1]!;
  const f = luFactor(a.data, n);
  if (f.zeroPivot >= 0) throw new SingularMatrixError('solve', n, f.zeroPivot);
  const x = b.data.slice();
  // P·B, then L·Y = PB (unit lower), then U·X = Y.
  for (let i = 0; i < n; i++) {
    const p = f.piv[i]!;
    if (p !== i)
      for (let c = 0; c < k; c++) {
        const t = x[i * k + c]!;
        x[i * k + c] = x[p * k + c]!;
        x[p * k + c] = t;
      }
  }
  const lu = f.lu;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const l = lu[i * n + j]!;
      if (l !== 0) for (let c = 0; c < k; c++) x[i * k + c] = x[i * k + c]! - l * x[j * k + c]!;
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let j = i + 1; j < n; j++) {
      const u = lu[i * n + j]!;
      if (u !== 0) for (let c = 0; c < k; c++) x[i * k + c] = x[i * k + c]! - u * x[j * k + c]!;
    }
    const d = lu[i * n + i]!;
    for (let c = 0; c < k; c++) x[i * k + c] = x[i * k + c]! / d;
  }
  return { data: x, shape: [...b.shape] };
}

/**
 * Determinant of a square matrix: the product of the LU pivots times the permutation sign
 * (numpy `det`). The product is accumulated as mantissa × 2^exponent so intermediate
 * overflow/underflow does not occur; the final value may still be ±Inf or 0 if out of range.
 * det of a 0×0 matrix is 1.
 *
 * ```ts
 * det(tensor([[1, 2], [3, 4]]));   // -2
 * ```
 */
export function det(a: Tensor, opts: FiniteOption = {}): number {
  const n = entrySquare('det', a, opts);
  if (n === 0) return 1;
  const f = luFactor(a.data, n);
  if (f.zeroPivot >= 0) return 0;
  // det = mant·2^ex with mant kept in [1, 4): each pivot is split into its own mantissa and
  // exponent first (a running product could underflow to 0 — then log2 gave −∞ and 0·∞ = NaN).
  let mant = f.sign,
    ex = 0;
  for (let i = 0; i < n; i++) {
    const u = f.lu[i * n + i]!,
      eu = Math.floor(Math.log2(Math.abs(u)));
    mant *= timesPow2(u, -eu);
    const em = Math.floor(Math.log2(Math.abs(mant)));
    mant = timesPow2(mant, -em);
    ex += eu + em;
  }
  if (ex === 0) return mant;
  const e1 = Math.trunc(ex / 2);
  return mant * Math.pow(2, e1) * Math.pow(2, ex - e1);
}
