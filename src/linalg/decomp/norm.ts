/**
 * Matrix and vector norms, condition number.
 */
import { ShapeError, ValueError } from '../errors.js';
import { assertFinite, checkTensor, type Tensor } from '../tensor.js';
import { svdvals } from './svd.js';
import { nrm2, type FiniteOption } from './util.js';

/** Norm orders accepted by `norm`. */
export type NormOrd = 'fro' | 'nuc' | 1 | 2 | number;

/**
 * Matrix or vector norm (numpy `linalg.norm` for the supported orders).
 * 2-D `a`: `'fro'` (default; Frobenius, computed with dnrm2-style scaling so it neither overflows
 * nor underflows), `1` (max column sum), `Infinity` (max row sum), `2` (largest singular value),
 * `'nuc'` (sum of singular values); the last two use the Jacobi `svdvals`.
 * 1-D `a`: `2` (default), `1`, `Infinity`. 0-size inputs give 0.
 *
 * ```ts
 * norm(tensor([[3, 0], [4, 0]]));        // 5 (Frobenius)
 * norm(tensor([[3, 0], [4, 5]]), 2);     // √45
 * ```
 */
export function norm(a: Tensor, ord?: NormOrd, opts: FiniteOption = {}): number {
  checkTensor('norm', 'a', a);
  if (opts?.checkFinite !== false) assertFinite('norm', 'a', a);
  if (a.shape.length === 1) return vectorNorm(a, ord ?? 2);
  if (a.shape.length !== 2)
    throw new ShapeError('norm', `expected a 1-D vector or 2-D matrix, got ${a.shape.length}-D`, [a.shape]);
  const [m, n] = [a.shape[0]!, a.shape[1]!];
  const o = ord ?? 'fro';
  if (m === 0 || n === 0) {
    if (o === 'fro' || o === 'nuc' || o === 1 || o === 2 || o === Infinity) return 0;
  }
  switch (o) {
    case 'fro':
      return nrm2(a.data, 0, a.data.length);
    case 'nuc': {
      let s = 0;
      for (const x of svdvals(a, { checkFinite: false }).data) s += x;
      return s;
    }
    case 2:
      return svdvals(a, { checkFinite: false }).data[0]!;
    case 1: {
      let best = 0;
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let i = 0; i < m; i++) s += Math.abs(a.data[i * n + j]!);
        best = Math.max(best, s);
      }
      return best;
    }
    case Infinity: {
      let best = 0;
      for (let i = 0; i < m; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += Math.abs(a.data[i * n + j]!);
        best = Math.max(best, s);
      }
      return best;
    }
    default:
      throw new ValueError(
        'norm',
        `unsupported matrix norm order ${String(o)} for shape (${m}, ${n}); use 'fro', 'nuc', 1, 2 or Infinity`,
      );
  }
}

function vectorNorm(a: Tensor, ord: NormOrd): number {
  const x = a.data;
  if (ord === 2) return nrm2(x, 0, x.length);
  if (ord === 1) {
    let s = 0;
    for (const v of x) s += Math.abs(v);
    return s;
  }
  if (ord === Infinity) {
    let s = 0;
    for (const v of x) s = Math.max(s, Math.abs(v));
    return s;
  }
  throw new ValueError(
    'norm',
    `unsupported vector norm order ${String(ord)} for shape (${x.length},); use 1, 2 or Infinity`,
  );
}

/**
 * 2-norm condition number σ_max/σ_min (numpy `cond` with p = None), from the Jacobi `svdvals`
 * (so it is accurate even when huge, e.g. for graded matrices). Exactly singular → Infinity.
 * Throws ValueError on a 0-size matrix (numpy raises too).
 *
 * ```ts
 * cond(tensor([[1, 0], [0, 1e-6]]));   // 1e6
 * ```
 */
export function cond(a: Tensor, opts: FiniteOption = {}): number {
  checkTensor('cond', 'a', a);
  if (a.shape.length !== 2) throw new ShapeError('cond', `expected a 2-D matrix, got ${a.shape.length}-D`, [a.shape]);
  if (a.data.length === 0)
    throw new ValueError('cond', `condition number of an empty matrix of shape (${a.shape.join(', ')}) is undefined`);
  if (opts?.checkFinite !== false) assertFinite('cond', 'a', a);
  const s = svdvals(a, { checkFinite: false }).data;
  const lo = s[s.length - 1]!;
  return lo === 0 ? Infinity : s[0]! / lo;
}
