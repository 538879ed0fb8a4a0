/**
 * Public SVD entry points: `svd` and `svdvals`.
 */
import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { tallSVD, type SvdMethod } from './svdcore.js';
import { entry, fromColMajor, toColMajor, type FiniteOption } from './util.js';

/** Options of `svd`. */
export interface SvdOptions extends FiniteOption {
  /** Full (m×m, n×n) factors instead of the thin ones (default false: thin). */
  full?: boolean;
  /**
   * 'auto' (default): Golub–Kahan–Reinsch unless the matrix is graded (row-norm spread × column-norm
   * spread > 100, or a zero row/column), then the preconditioned Jacobi SVD. 'jacobi' or
   * 'golub-kahan' force one algorithm.
   */
  method?: SvdMethod;
}

/** Result of `svd`: A = U·diag(s)·Vᵀ. */
export interface SvdResult {
  /** Left singular vectors, m×k (thin, k = min(m, n)) or m×m (full). */
  u: Tensor;
  /** Singular values, descending, non-negative, length k. */
  s: Tensor;
  /** Right singular vectors transposed, k×n (thin) or n×n (full). */
  vt: Tensor;
}

/**
 * Singular value decomposition A = U·diag(s)·Vᵀ of a real m×n matrix. AᵀA is never formed.
 *
 * Algorithms (wide inputs go through Aᵀ; power-of-two prescaling keeps squared norms in range):
 * - Golub–Kahan–Reinsch (bidiag.ts, brd.ts): Householder bidiagonalisation, implicit-shift QR on
 *   the bidiagonal, U and V accumulated with blocked WY products. Backward stable; each σ_i has
 *   absolute error O(max(m,n)·ε·σ_1). Fast.
 * - Preconditioned one-sided Jacobi (svdcore.ts, jacobi.ts; Drmač–Veselić 2008): row sorting,
 *   QR with column pivoting, a second QR, then one-sided Jacobi with de Rijk pivoting. Backward
 *   stable too, and in addition every σ_i — however small — has relative error O(ε·κ(B)) for
 *   A = D₁·B·D₂ with diagonal gradings D (Demmel–Veselić 1992), which bidiagonalisation
 *   does not guarantee — provided D₁ spans less than the float64 exponent range: beyond, the QR
 *   preconditioner's Householder vectors underflow and only the normwise bound holds (rows
 *   1e179 … 1e-280: test/fixtures/README.md). About 10 sweeps on random dense input, so several
 *   times slower.
 * - `method: 'auto'` (default) uses Golub–Kahan unless the matrix looks graded: (max/min row
 *   norm)·(max/min column norm) > 100, or a zero row/column. Rationale: Golub–Kahan's relative
 *   error bound ε·κ(A) exceeds Jacobi's ε·κ(B) by at most κ(D₁)·κ(D₂), which this spread
 *   measures when D are the row/column norms; graded inputs (e.g. D spanning 1…1e-12) always go
 *   to Jacobi and get every σ_i to ≈1e-14 relative accuracy (test/fixtures/graded-svd.json).
 *   `method: 'jacobi'` or `'golub-kahan'` force one algorithm.
 * Stability: ‖A − UΣVᵀ‖ = O(max(m,n)·ε·‖A‖), ‖I − UᵀU‖, ‖I − VᵀV‖ = O(n·ε) on both paths.
 * Sign convention: the entry of largest magnitude of each column of U is positive (first one on
 * ties); the matching row of Vᵀ carries the sign. Size-0 inputs give empty factors like numpy.
 * Throws NonFiniteError on NaN/Inf (unless `checkFinite: false`), NonConvergenceError if Jacobi
 * needs more than 40 sweeps or the bidiagonal QR more than 75·n steps, ShapeError unless `a` is 2-D.
 *
 * ```ts
 * const { u, s, vt } = svd(tensor([[3, 0], [4, 5]]));   // s ≈ [6.708, 2.236]
 * const full = svd(tensor([[1, 2, 3]]), { full: true }); // u 1×1, s [3.742], vt 3×3
 * ```
 */
export function svd(a: Tensor, opts: SvdOptions = {}): SvdResult {
  const [m, n] = entry('svd', a, opts);
  checkMethod('svd', opts?.method);
  const full = opts?.full === true;
  const k = Math.min(m, n);
  if (k === 0) {
    return {
      u: full ? eyeT(m) : { data: new Float64Array(0), shape: [m, 0] },
      s: { data: new Float64Array(0), shape: [0] },
      vt: full ? eyeT(n) : { data: new Float64Array(0), shape: [0, n] },
    };
  }
  let u: Tensor, vt: Tensor, s: Float64Array;
  if (m >= n) {
    const r = tallSVD('svd', toColMajor(a.data, m, n), m, n, true, full, opts?.method);
    s = r.s;
    u = fromColMajor(r.u!, m, r.ucols);
    vt = { data: r.v!, shape: [n, n] };
  } else {
    // Aᵀ (n×m, tall) has column-major data equal to A's row-major data.
    const r = tallSVD('svd', a.data.slice(), n, m, true, full, opts?.method);
    s = r.s;
    u = fromColMajor(r.v!, m, m);
    vt = { data: r.u!, shape: [r.ucols, n] };
  }
  fixSigns(u, vt, k);
  return { u, s: { data: s, shape: [k] }, vt };
}

/**
 * Singular values only, descending (numpy `svdvals` / `svd(a, compute_uv=False)`). Same dispatch
 * as `svd` (Golub–Kahan unless graded, then Jacobi) without any vector accumulation: the cost is
 * essentially the bidiagonalisation, 4/3·n²·(3m − n) flops. Same relative accuracy on graded
 * matrices as `svd`.
 *
 * ```ts
 * svdvals(tensor([[3, 0], [4, 5]])).data;   // Float64Array [6.708…, 2.236…]
 * ```
 */
export function svdvals(a: Tensor, opts: FiniteOption & { method?: SvdMethod } = {}): Tensor {
  const [m, n] = entry('svdvals', a, opts);
  checkMethod('svdvals', opts?.method);
  const k = Math.min(m, n);
  if (k === 0) return { data: new Float64Array(0), shape: [0] };
  const r =
    m >= n
      ? tallSVD('svdvals', toColMajor(a.data, m, n), m, n, false, false, opts?.method)
      : tallSVD('svdvals', a.data.slice(), n, m, false, false, opts?.method);
  return { data: r.s, shape: [k] };
}

function checkMethod(op: string, method: unknown): void {
  if (method !== undefined && method !== 'auto' && method !== 'jacobi' && method !== 'golub-kahan') {
    throw new ValueError(op, `method must be 'auto', 'jacobi' or 'golub-kahan', got '${String(method)}'`);
  }
}

function eyeT(n: number): Tensor {
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) d[i * n + i] = 1;
  return { data: d, shape: [n, n] };
}

/** Applies the sign convention to row-major u (m×c) and vt (r×n): u's largest entry positive. */
function fixSigns(u: Tensor, vt: Tensor, k: number): void {
  const [m, c] = [u.shape[0]!, u.shape[1]!];
  const n = vt.shape[1]!;
  for (let j = 0; j < c; j++) {
    let bi = 0,
      bv = -1;
    for (let i = 0; i < m; i++) {
      const x = Math.abs(u.data[i * c + j]!);
      if (x > bv) {
        bv = x;
        bi = i;
      }
    }
    if (u.data[bi * c + j]! >= 0) continue;
    for (let i = 0; i < m; i++) u.data[i * c + j] = -u.data[i * c + j]!;
    if (j < k) for (let i = 0; i < n; i++) vt.data[j * n + i] = -vt.data[j * n + i]!;
  }
}
