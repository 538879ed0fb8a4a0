/**
 * The preconditioned one-sided Jacobi SVD of a tall matrix (Drmač & Veselić, "New fast and
 * accurate Jacobi SVD algorithm I/II", SIMAX 29, 2008), simplified:
 *
 *   0. scale A by an exact power of two when max|a_ij| is outside [2^-500, 2^500] (no overflow of
 *      squared norms, no subnormal data; σ are scaled back exactly);
 *   1. sort the rows by decreasing ∞-norm (Cox–Higham row pivoting: makes the next step
 *      row-wise backward stable, needed for row-graded A = D·B);
 *   2. Householder QR with column pivoting, A·P = Q·R (R n×n, |r_11| ≥ |r_22| ≥ … roughly);
 *   3. second preconditioner: QR of Rᵀ = Q2·R2 (no pivoting), then one-sided Jacobi on the lower
 *      triangular X = R2ᵀ: X·J = W = Ũ·Σ. After the two QR steps X is strongly diagonally
 *      dominant (one step of the QR algorithm on RᵀR), so Jacobi converges in few sweeps;
 *   4. R = X·Q2ᵀ gives A = (Q·Ũ)·Σ·(P·Q2·J)ᵀ: U = Q·Ũ, V = P·Q2·J.
 *
 * Relative accuracy: every σ_i has relative error O(ε·(κ(B_c) + κ(B_r))) for A = D_r·B·D_c,
 * independent of the gradings D (Drmač–Veselić Thm; Demmel et al., "Computing the SVD with high
 * relative accuracy", LAA 299, 1999) as long as D_r spans less than the exponent range: a row
 * below max·2^-1022 makes the reflector entries v_i = a_i/(a_1 − β) of step 2 underflow (open,
 * test/fixtures/README.md). SVD of AᵀA is never formed.
 */
import { bidiagonalQR, formUt, formVt } from './bidiag.js';
import { bidiagonalize } from './brd.js';
import { applyQ, householderQR } from './householder.js';
import { qrFactor } from './wy.js';
import { oneSidedJacobi } from './jacobi.js';
import { maxAbs, safeRangeExponent, scalePow2, timesPow2 } from './util.js';

/** Internal result of the tall-matrix SVD drivers, column-major factors. */
export interface TallSVD {
  /** Singular values, descending, length n. */
  s: Float64Array;
  /** Column-major m×ucols left vectors (ucols = n thin, m full), or null. */
  u: Float64Array | null;
  ucols: number;
  /** Column-major n×n right vectors V (column j contiguous = row j of Vᵀ), or null. */
  v: Float64Array | null;
}

/** Which algorithm: 'auto' picks Golub–Kahan unless the matrix looks graded (see `isGraded`). */
export type SvdMethod = 'auto' | 'jacobi' | 'golub-kahan';

/**
 * Row/column norm spread above which a matrix counts as graded. For A = D_r·B·D_c the
 * Golub–Kahan relative error bound ε·κ(A) exceeds Jacobi's ε·κ(B) by at most κ(D_r)·κ(D_c); with
 * D taken as the row and column norms this spread is what we measure (a heuristic proxy for the
 * optimal scaling: matrices within it gain at most this factor from Jacobi).
 */
export const GRADED_SPREAD = 100;

/** (max/min row 2-norm)·(max/min column 2-norm) > GRADED_SPREAD, zero rows/columns included. */
export function isGraded(cm: Float64Array, m: number, n: number): boolean {
  const rows = new Float64Array(m);
  let cmax = 0,
    cmin = Infinity;
  for (let j = 0; j < n; j++) {
    let c = 0;
    const o = j * m;
    for (let i = 0; i < m; i++) {
      const v = cm[o + i]!;
      const v2 = v * v;
      c += v2;
      rows[i] = rows[i]! + v2;
    }
    if (c > cmax) cmax = c;
    if (c < cmin) cmin = c;
  }
  let rmax = 0,
    rmin = Infinity;
  for (let i = 0; i < m; i++) {
    const r = rows[i]!;
    if (r > rmax) rmax = r;
    if (r < rmin) rmin = r;
  }
  if (rmin === 0 || cmin === 0) return true;
  return Math.sqrt((rmax / rmin) * (cmax / cmin)) > GRADED_SPREAD;
}

/** SVD of the column-major m×n matrix `cm` (m ≥ n ≥ 1). `cm` is overwritten. */
export function tallSVD(
  op: string,
  cm: Float64Array,
  m: number,
  n: number,
  vectors: boolean,
  full: boolean,
  method: SvdMethod = 'auto',
): TallSVD {
  // Phase 0: exact scaling, then the choice of algorithm.
  // Only data outside [2^-500, 2^500] is scaled: normalising every matrix to max 1 would push
  // the small rows of a strongly graded one (1e150 … 1e-150) into underflow for no reason.
  const e = safeRangeExponent(maxAbs(cm));
  scalePow2(cm, e);
  if (method === 'golub-kahan' || (method === 'auto' && !isGraded(cm, m, n)))
    return golubKahan(op, cm, m, n, vectors, full, e);
  // Phase 1: row sorting by decreasing ∞-norm.
  const rowPerm = sortRowsByInfNorm(cm, m, n);
  // Phase 2: QR with column pivoting.
  const f = householderQR(cm, m, n, true);
  // Phase 3: second preconditioner, QR of R1ᵀ = Q2·R2 (no pivoting), then Jacobi on X = R2ᵀ.
  const y = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = j; i < n; i++) y[j * n + i] = cm[i * m + j]!;
  const f2 = qrFactor(y, n, n);
  const x = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = j; i < n; i++) x[j * n + i] = y[i * n + j]!;
  const acc = vectors ? identity(n) : null;
  // σ_j = a_j·2^k_j of the scaled matrix (x now holds the unit columns W_j/σ_j); σ of A = σ_j·2^-e.
  const sig = oneSidedJacobi(op, x, n, n, acc);
  // Phase 4: sort descending (de Rijk leaves it nearly sorted), assemble vectors.
  const lg = Array.from({ length: n }, (_, j) => sig.k[j]! + Math.log2(sig.a[j]!)); // −∞ for σ = 0
  const order = Array.from({ length: n }, (_, j) => j).sort((a, b) => lg[b]! - lg[a]! || a - b);
  const s = new Float64Array(n);
  for (let j = 0; j < n; j++) s[j] = timesPow2(sig.a[order[j]!]!, sig.k[order[j]!]! - e);
  if (!vectors || acc === null) return { s, u: null, ucols: 0, v: null };
  // Ũ = the unit columns of W, completed to an orthonormal basis where σ = 0.
  const ut = new Float64Array(n * n);
  const zero: number[] = [];
  for (let j = 0; j < n; j++) {
    const src = order[j]!;
    if (sig.a[src] === 0) {
      zero.push(j);
      continue;
    }
    ut.set(x.subarray(src * n, src * n + n), j * n);
  }
  completeBasis(ut, n, zero);
  // U = Q1·[Ũ 0; 0 I] with the row sorting undone.
  const ucols = full ? m : n;
  const uq = applyQ(f, ut, n, ucols, full);
  const u = new Float64Array(m * ucols);
  for (let j = 0; j < ucols; j++) for (let i = 0; i < m; i++) u[j * m + rowPerm[i]!] = uq[j * m + i]!;
  // V = P·Q2·J.
  const jo = new Float64Array(n * n);
  for (let j = 0; j < n; j++) jo.set(acc.subarray(order[j]! * n, order[j]! * n + n), j * n);
  const vq = applyQ(f2, jo, n, n, false);
  const v = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) v[j * n + f.perm[i]!] = vq[j * n + i]!;
  return { s, u, ucols, v };
}

/** The Golub–Kahan–Reinsch path (bidiag.ts) on the already scaled `cm`. */
function golubKahan(
  op: string,
  cm: Float64Array,
  m: number,
  n: number,
  vectors: boolean,
  full: boolean,
  e: number,
): TallSVD {
  const b = bidiagonalize(cm, m, n);
  const s = b.d,
    sup = b.e;
  const ucols = full ? m : n;
  const ut = vectors ? formUt(b, ucols) : null;
  const vt = vectors ? formVt(b) : null;
  // With vectors: a cheap values-only run first (O(n²)) provides the shifts for the expensive one.
  const known = vectors ? s.slice() : null;
  if (known) bidiagonalQR(op, known, sup.slice(), null, m, null);
  bidiagonalQR(op, s, sup, ut, m, vt, known);
  for (let j = 0; j < n; j++) s[j] = timesPow2(s[j]!, -e);
  return { s, u: ut, ucols: vectors ? ucols : 0, v: vt };
}

/** Stable in-place sort of the rows of column-major m×n `cm` by decreasing ∞-norm; returns the permutation. */
function sortRowsByInfNorm(cm: Float64Array, m: number, n: number): Int32Array {
  const w = new Float64Array(m);
  for (let j = 0; j < n; j++)
    for (let i = 0; i < m; i++) {
      const a = Math.abs(cm[j * m + i]!);
      if (a > w[i]!) w[i] = a;
    }
  const idx = Array.from({ length: m }, (_, i) => i).sort((a, b) => w[b]! - w[a]! || a - b);
  const perm = Int32Array.from(idx);
  const tmp = new Float64Array(m);
  for (let j = 0; j < n; j++) {
    const o = j * m;
    for (let i = 0; i < m; i++) tmp[i] = cm[o + perm[i]!]!;
    cm.set(tmp, o);
  }
  return perm;
}

function identity(n: number): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) a[i * n + i] = 1;
  return a;
}

/**
 * Fills the columns listed in `zero` of the column-major n×n `q` (other columns orthonormal) with
 * unit vectors orthogonal to everything else: Gram–Schmidt (twice) of the standard basis vector
 * with the largest residual.
 */
export function completeBasis(q: Float64Array, n: number, zero: number[]): void {
  const filled = new Uint8Array(n);
  for (let j = 0; j < n; j++) filled[j] = 1;
  for (const z of zero) filled[z] = 0;
  const w = new Float64Array(n);
  for (const z of zero) {
    // residual norms of e_i: 1 − Σ_j q_ij² over filled j
    let best = -1,
      bestRes = -1;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) if (filled[j]) s += q[j * n + i]! * q[j * n + i]!;
      if (1 - s > bestRes) {
        bestRes = 1 - s;
        best = i;
      }
    }
    w.fill(0);
    w[best] = 1;
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < n; j++) {
        if (!filled[j]) continue;
        let d = 0;
        for (let i = 0; i < n; i++) d += q[j * n + i]! * w[i]!;
        for (let i = 0; i < n; i++) w[i] = w[i]! - d * q[j * n + i]!;
      }
    }
    let nr = 0;
    for (let i = 0; i < n; i++) nr += w[i]! * w[i]!;
    nr = Math.sqrt(nr);
    for (let i = 0; i < n; i++) q[z * n + i] = w[i]! / nr;
    filled[z] = 1;
  }
}
