/**
 * Symmetric eigendecomposition: Householder tridiagonalisation + implicit QL with Wilkinson-type
 * shifts (EISPACK tred2/tql2, as in JAMA), on flat arrays.
 */
import { NonConvergenceError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { entrySquare, maxAbs, normalisingExponent, scalePow2, timesPow2, type FiniteOption } from './util.js';

/** Maximum QL iterations per eigenvalue before a NonConvergenceError. */
const MAX_QL_ITER = 60;

/**
 * Eigenvalues (ascending) and orthonormal eigenvectors (columns of `vectors`) of a real symmetric
 * matrix: A = V·diag(values)·Vᵀ. Only the lower triangle is read (numpy's default UPLO='L').
 *
 * Algorithm: exact power-of-two scaling, Householder reduction to tridiagonal form (tred2,
 * 4/3·n³ + accumulation 4/3·n³ flops), then the implicit QL algorithm with shifts on the
 * tridiagonal matrix (tql2), rotations accumulated into V (Wilkinson & Reinsch, Handbook for
 * Automatic Computation II, 1971). Backward stable: ‖A − VΛVᵀ‖ = O(n·ε·‖A‖), ‖I − VᵀV‖ = O(n·ε);
 * each eigenvalue has absolute error O(n·ε·‖A‖) (not relative). 0×0 gives empty results.
 * Throws ShapeError unless `a` is square 2-D, NonFiniteError on NaN/Inf, NonConvergenceError
 * if an eigenvalue needs more than 60 QL iterations.
 *
 * ```ts
 * const { values, vectors } = eigh(tensor([[2, 1], [1, 2]]));   // values ≈ [1, 3]
 * ```
 */
export function eigh(a: Tensor, opts: FiniteOption = {}): { values: Tensor; vectors: Tensor } {
  const n = entrySquare('eigh', a, opts);
  if (n === 0)
    return { values: { data: new Float64Array(0), shape: [0] }, vectors: { data: new Float64Array(0), shape: [0, 0] } };
  // Symmetrise from the lower triangle and scale exactly.
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      const x = a.data[i * n + j]!;
      v[i * n + j] = x;
      v[j * n + i] = x;
    }
  const ex = normalisingExponent(maxAbs(v));
  scalePow2(v, ex);
  const d = new Float64Array(n),
    e = new Float64Array(n);
  tred2(v, d, e, n);
  // tql2 rotates columns of V: work on W = Vᵀ so that they are contiguous rows.
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) w[j * n + i] = v[i * n + j]!;
  tql2(w, d, e, n);
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[x]! - d[y]!);
  const values = new Float64Array(n),
    vectors = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    const src = order[c]!;
    values[c] = timesPow2(d[src]!, -ex);
    for (let i = 0; i < n; i++) vectors[i * n + c] = w[src * n + i]!;
  }
  return { values: { data: values, shape: [n] }, vectors: { data: vectors, shape: [n, n] } };
}

/** Householder tridiagonalisation (EISPACK tred2): V row-major in/out, d diagonal, e off-diagonal. */
function tred2(V: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j]!;
  // Phase 1: reduce row by row from the bottom.
  for (let i = n - 1; i > 0; i--) {
    let scale = 0,
      h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) {
        d[j] = V[(i - 1) * n + j]!;
        V[i * n + j] = 0;
        V[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] = d[k]! / scale;
        h += d[k]! * d[k]!;
      }
      let f = d[i - 1]!;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        V[j * n + i] = f;
        g = e[j]! + V[j * n + j]! * f;
        for (let k = j + 1; k <= i - 1; k++) {
          const vkj = V[k * n + j]!;
          g += vkj * d[k]!;
          e[k] = e[k]! + vkj * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] = e[j]! / h;
        f += e[j]! * d[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] = e[j]! - hh * d[j]!;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        g = e[j]!;
        for (let k = j; k <= i - 1; k++) V[k * n + j] = V[k * n + j]! - (f * e[k]! + g * d[k]!);
        d[j] = V[(i - 1) * n + j]!;
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  // Phase 2: accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    V[(n - 1) * n + i] = V[i * n + i]!;
    V[i * n + i] = 1;
    const h = d[i + 1]!;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[k * n + i + 1]! / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[k * n + i + 1]! * V[k * n + j]!;
        for (let k = 0; k <= i; k++) V[k * n + j] = V[k * n + j]! - g * d[k]!;
      }
    }
    for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[(n - 1) * n + j]!;
    V[(n - 1) * n + j] = 0;
  }
  V[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** Implicit QL on the tridiagonal (d, e) (EISPACK tql2); rotations applied to the rows of W = Vᵀ. */
function tql2(W: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0,
    tst1 = 0;
  const eps = Number.EPSILON;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n && Math.abs(e[m]!) > eps * tst1) m++;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > MAX_QL_ITER)
          throw new NonConvergenceError(
            'eigh',
            iter - 1,
            Math.abs(e[l]!),
            `implicit QL on the ${n}×${n} tridiagonal, eigenvalue ${l}`,
          );
        // Shift from the leading 2×2 block.
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i] = d[i]! - h;
        f += h;
        // Implicit QL sweep from m−1 up to l.
        p = d[m]!;
        let c = 1,
          c2 = 1,
          c3 = 1,
          s = 0,
          s2 = 0;
        const el1 = e[l + 1]!;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          const oa = (i + 1) * n,
            ob = i * n;
          for (let k = 0; k < n; k++) {
            const wh = W[oa + k]!,
              wi = W[ob + k]!;
            W[oa + k] = s * wi + c * wh;
            W[ob + k] = c * wi - s * wh;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > eps * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
}
