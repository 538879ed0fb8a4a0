/**
 * LAPACK-style scaled residuals for the decomposition tests (plain loops, independent of the code
 * under test). Every ratio is "in units of ε" and should be O(1)–O(10) for a stable algorithm.
 */
import type { Tensor } from '../../../src/linalg/tensor.js';

export const EPS = Number.EPSILON;

/** Row-major product (m×k)·(k×n). */
export function mm(a: Tensor, b: Tensor): Tensor {
  const [m, k] = [a.shape[0]!, a.shape[1]!];
  const n = b.shape[1]!;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let l = 0; l < k; l++) {
      const c = a.data[i * k + l]!;
      if (c !== 0) for (let j = 0; j < n; j++) out[i * n + j] = out[i * n + j]! + c * b.data[l * n + j]!;
    }
  return { data: out, shape: [m, n] };
}

export function tr(a: Tensor): Tensor {
  const [m, n] = [a.shape[0]!, a.shape[1]!];
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j * m + i] = a.data[i * n + j]!;
  return { data: out, shape: [n, m] };
}

/** Induced 1-norm (max column sum) of a row-major m×n matrix. */
export function norm1(a: Tensor): number {
  const [m, n] = [a.shape[0]!, a.shape[1]!];
  let best = 0;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += Math.abs(a.data[i * n + j]!);
    if (!(s <= best)) best = s; // NaN propagates, so a NaN residual fails every `< 35`
  }
  return best;
}

/** Power of two c with max|a|·c ≈ 1 (1 for zero). */
export function unitScale(a: Tensor): number {
  let mx = 0;
  for (const v of a.data) mx = Math.max(mx, Math.abs(v));
  return mx === 0 ? 1 : Math.pow(2, -Math.round(Math.log2(mx)));
}

/**
 * ‖A − U·diag(s)·Vᵀ‖₁ / (‖A‖₁·max(m,n)·ε), computed after an exact power-of-two rescaling so
 * that near-overflow/underflow inputs are measured fairly. Uses the first k = s.length columns of
 * U and rows of Vᵀ.
 */
export function reconstructionRatio(a: Tensor, u: Tensor, s: Tensor, vt: Tensor): number {
  const [m, n] = [a.shape[0]!, a.shape[1]!];
  const k = s.data.length;
  const c = unitScale(a);
  const uc = u.shape[1]!;
  const r = new Float64Array(m * n);
  for (let i = 0; i < m * n; i++) r[i] = a.data[i]! * c;
  for (let l = 0; l < k; l++) {
    const sl = s.data[l]! * c;
    for (let i = 0; i < m; i++) {
      const f = u.data[i * uc + l]! * sl;
      if (f !== 0) for (let j = 0; j < n; j++) r[i * n + j] = r[i * n + j]! - f * vt.data[l * n + j]!;
    }
  }
  const an = norm1({ data: a.data.map((x) => x * c), shape: a.shape });
  const rn = norm1({ data: r, shape: [m, n] });
  if (an === 0) return rn === 0 ? 0 : 1 / EPS;
  return rn / (an * Math.max(m, n) * EPS);
}

/** ‖I − QᵀQ‖₁ / (max(1, cols)·ε) for the columns of row-major q (m×c). */
export function orthColsRatio(q: Tensor): number {
  const c = q.shape[1]!;
  if (c === 0) return 0;
  const g = mm(tr(q), q);
  for (let i = 0; i < c; i++) g.data[i * c + i] = g.data[i * c + i]! - 1;
  return norm1(g) / (Math.max(1, c) * EPS);
}

/** Same for the rows of row-major q (r×n): ‖I − Q·Qᵀ‖₁ / (r·ε). */
export function orthRowsRatio(q: Tensor): number {
  return orthColsRatio(tr(q));
}
