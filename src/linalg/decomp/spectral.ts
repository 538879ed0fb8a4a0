/**
 * Spectral radius ρ(W) = max |λᵢ(W)| of a square matrix, without computing eigenvalues.
 */
import * as K from '../kernels/index.js';
import type { Tensor } from '../tensor.js';
import { entrySquare, nrm2, type FiniteOption } from './util.js';

/**
 * Spectral radius of a square matrix by Gelfand's formula ρ(W) = lim_k ‖W^k‖^{1/k}
 * (Horn & Johnson, Matrix Analysis, 2nd ed., Cor. 5.6.14), with k = 2^j by repeated squaring:
 * each square is renormalised to unit Frobenius norm and the log-norm accumulated, so nothing
 * overflows or underflows. The estimate carries the factor (C·k^{m−1})^{1/k} → 1 of a Jordan
 * block of size m; after 60 squarings (k = 2^60) it is 1 to double precision for any matrix of
 * moderate size. Works for non-normal and complex-spectrum W (where power iteration fails), at
 * the cost of 61 m×m products. Returns 0 for nilpotent W and for the 0×0 matrix.
 *
 * Throws a ShapeError naming 'spectralRadius' unless `w` is a square 2-D matrix, a NonFiniteError
 * when it holds NaN/±Inf (unless `checkFinite: false`).
 *
 * ```ts
 * spectralRadius(tensor([[0, 1], [-1, 0]])); // 1 (a rotation: eigenvalues ±i)
 * ```
 */
export function spectralRadius(w: Tensor, opts: FiniteOption = {}): number {
  const m = entrySquare('spectralRadius', w, opts);
  let a: Float64Array = Float64Array.from(w.data);
  let logNorm = 0,
    k = 1,
    est = 0;
  for (let j = 0; j <= 60; j++) {
    const nrm = nrm2(a, 0, a.length);
    if (nrm === 0) return 0;
    for (let i = 0; i < a.length; i++) a[i] = a[i]! / nrm;
    logNorm += Math.log(nrm); // ‖W^k‖_F = exp(logNorm), with a = W^k / ‖W^k‖_F
    est = Math.exp(logNorm / k);
    a = K.matmul({ data: a, shape: [m, m] }, { data: a, shape: [m, m] }).data; // a²
    logNorm *= 2;
    k *= 2;
  }
  return est;
}
