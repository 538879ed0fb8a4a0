/**
 * Householder QR on column-major storage, optionally with Businger–Golub column pivoting
 * (LAPACK xGEQP3/xLAQP2 norm downdating). Internal kernel of `qr`, `svd`, `lstsq`.
 *
 * Reflectors follow LAPACK's xLARFG: H_k = I − τ_k v_k v_kᵀ, v_k(k) = 1, the rest of v_k stored
 * below the diagonal of column k; R is on and above the diagonal. Backward stable:
 * Q·R = A·P + E with ‖E‖ ≤ c·m·n·ε·‖A‖ (Higham, ASNA 2nd ed., Thm 19.4); with rows pre-sorted by
 * decreasing ∞-norm and column pivoting the error is also small row-wise (Cox & Higham 1998),
 * which is what the relative accuracy of the Jacobi SVD on graded matrices needs.
 */
import { nrm2 } from './util.js';

/** A·P = Q·R in LAPACK's compact form (reflectors below the diagonal, R on and above it). */
export interface HouseholderQR {
  /** Column-major m×n: R on/above the diagonal, reflector tails below. */
  cm: Float64Array;
  m: number;
  n: number;
  /** Reflector scalars, length min(m, n). */
  tau: Float64Array;
  /** Column permutation (A·P): perm[j] = original column at position j; identity without pivoting. */
  perm: Int32Array;
}

/**
 * Factorises in place the column-major m×n matrix `cm`. With `pivot`, at step k the remaining
 * column of largest (downdated) norm is swapped to position k.
 */
export function householderQR(cm: Float64Array, m: number, n: number, pivot: boolean): HouseholderQR {
  const kmax = Math.min(m, n);
  const tau = new Float64Array(kmax);
  const perm = new Int32Array(n);
  for (let j = 0; j < n; j++) perm[j] = j;
  // Phase 0: column norms for pivoting (vn1 = current partial norm, vn2 = norm at last recompute).
  const vn1 = new Float64Array(pivot ? n : 0),
    vn2 = new Float64Array(pivot ? n : 0);
  if (pivot)
    for (let j = 0; j < n; j++) {
      vn1[j] = nrm2(cm, j * m, m);
      vn2[j] = vn1[j]!;
    }
  const tol3z = Math.sqrt(Number.EPSILON);
  for (let k = 0; k < kmax; k++) {
    // Phase 1: pivot — bring the column of largest partial norm to position k.
    if (pivot) {
      let p = k;
      for (let j = k + 1; j < n; j++) if (vn1[j]! > vn1[p]!) p = j;
      if (p !== k) {
        swapColumns(cm, m, p, k);
        const t = perm[p]!;
        perm[p] = perm[k]!;
        perm[k] = t;
        vn1[p] = vn1[k]!;
        vn2[p] = vn2[k]!;
      }
    }
    // Phase 2: reflector for cm[k.., k].
    const ck = k * m;
    tau[k] = makeReflector(cm, ck + k, m - k);
    // Phase 3: apply H_k to the trailing columns.
    const tk = tau[k]!;
    if (tk !== 0) {
      for (let j = k + 1; j < n; j++) applyReflector(cm, ck + k, m - k, tk, cm, j * m + k);
    }
    // Phase 4: downdate the partial column norms (LAPACK xLAQP2 with the safe recompute).
    if (pivot) {
      for (let j = k + 1; j < n; j++) {
        if (vn1[j] === 0) continue;
        let t = Math.abs(cm[j * m + k]!) / vn1[j]!;
        t = Math.max(0, 1 - t * t);
        const r = vn1[j]! / vn2[j]!;
        if (t * r * r <= tol3z) {
          vn1[j] = k + 1 < m ? nrm2(cm, j * m + k + 1, m - k - 1) : 0;
          vn2[j] = vn1[j]!;
        } else vn1[j] = vn1[j]! * Math.sqrt(t);
      }
    }
  }
  return { cm, m, n, tau, perm };
}

function swapColumns(cm: Float64Array, m: number, p: number, k: number): void {
  const op = p * m,
    ok = k * m;
  for (let i = 0; i < m; i++) {
    const t = cm[op + i]!;
    cm[op + i] = cm[ok + i]!;
    cm[ok + i] = t;
  }
}

/** LAPACK's safe minimum for reflectors, dlamch('S')/dlamch('E') = 2^-1022 / 2^-53 = 2^-969. */
const SAFMIN = 2 ** -969;
const RSAFMN = 2 ** 969;

/**
 * xLARFG on x = a[off .. off+len): overwrites x(0) with β, x(1..) with v(1..), returns τ.
 * β = −sign(x0)·‖x‖ so that H·x = β·e1. As in LAPACK dlarfg, when |β| < 2^-969 the vector is
 * first scaled up by exact powers of two (else 1/(α − β) overflows for subnormal x and v becomes
 * ±Inf/NaN), and β scaled back afterwards.
 */
export function makeReflector(a: Float64Array, off: number, len: number): number {
  if (len <= 1) return 0;
  let xnorm = nrm2(a, off + 1, len - 1);
  if (xnorm === 0) return 0;
  let alpha = a[off]!;
  let beta = -(alpha >= 0 ? 1 : -1) * hypot2(alpha, xnorm);
  let knt = 0;
  if (Math.abs(beta) < SAFMIN) {
    do {
      knt++;
      for (let i = off + 1; i < off + len; i++) a[i] = a[i]! * RSAFMN;
      beta *= RSAFMN;
      alpha *= RSAFMN;
    } while (Math.abs(beta) < SAFMIN && knt < 20);
    xnorm = nrm2(a, off + 1, len - 1);
    beta = -(alpha >= 0 ? 1 : -1) * hypot2(alpha, xnorm);
  }
  const tau = (beta - alpha) / beta;
  const scal = 1 / (alpha - beta);
  for (let i = off + 1; i < off + len; i++) a[i] = a[i]! * scal;
  for (let j = 0; j < knt; j++) beta *= SAFMIN;
  a[off] = beta;
  return tau;
}

function hypot2(x: number, y: number): number {
  const ax = Math.abs(x),
    ay = Math.abs(y);
  const big = Math.max(ax, ay),
    small = Math.min(ax, ay);
  if (big === 0) return 0;
  const r = small / big;
  return big * Math.sqrt(1 + r * r);
}

/**
 * Applies H = I − τ v vᵀ (v(0) = 1 implicit, v(1..) = a[voff+1 .. voff+len)) to the vector
 * y[yoff .. yoff+len).
 */
export function applyReflector(
  v: Float64Array,
  voff: number,
  len: number,
  tau: number,
  y: Float64Array,
  yoff: number,
): void {
  let w = y[yoff]!;
  for (let i = 1; i < len; i++) w += v[voff + i]! * y[yoff + i]!;
  w *= tau;
  if (w === 0) return;
  y[yoff] = y[yoff]! - w;
  for (let i = 1; i < len; i++) y[yoff + i] = y[yoff + i]! - w * v[voff + i]!;
}

/**
 * Computes Q·Y where Q = H_0···H_{k−1} (m×m) and Y is given as its top `rows` rows (column-major,
 * up to `cols` columns); rows below are zero; columns j beyond those of `y` are e_j when
 * `identityTail` (complete Q = Q·[Y 0; 0 I]), else zero. `yIsIdentity` (Y = I) lets the backward
 * accumulation skip the columns a reflector cannot reach. Returns column-major m×cols.
 */
export function applyQ(
  f: HouseholderQR,
  y: Float64Array,
  rows: number,
  cols: number,
  identityTail = false,
  yIsIdentity = false,
): Float64Array {
  const { cm, m, tau } = f;
  const out = new Float64Array(m * cols);
  const ycols = rows === 0 ? 0 : Math.min(cols, y.length / rows);
  for (let j = 0; j < cols; j++) {
    if (j < ycols) for (let i = 0; i < rows; i++) out[j * m + i] = y[j * rows + i]!;
    else if (identityTail && j < m) out[j * m + j] = 1;
  }
  for (let k = tau.length - 1; k >= 0; k--) {
    const tk = tau[k]!;
    if (tk === 0) continue;
    const vo = k * m + k;
    // With Y = I (backward accumulation), columns j < k are still e_j, untouched by H_k.
    for (let j = yIsIdentity ? k : 0; j < cols; j++) applyReflector(cm, vo, m - k, tk, out, j * m + k);
  }
  return out;
}

/** Computes Qᵀ·B in place for column-major B (m×cols). */
export function applyQt(f: HouseholderQR, b: Float64Array, cols: number): void {
  const { cm, m, tau } = f;
  for (let k = 0; k < tau.length; k++) {
    const tk = tau[k]!;
    if (tk === 0) continue;
    const vo = k * m + k;
    for (let j = 0; j < cols; j++) applyReflector(cm, vo, m - k, tk, b, j * m + k);
  }
}
