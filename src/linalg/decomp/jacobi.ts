/**
 * One-sided (Hestenes) Jacobi orthogonalisation, the core of `svd`.
 *
 * Given X (r×n, columns contiguous) it applies plane rotations from the right until all columns
 * are mutually orthogonal to a relative tolerance: X·J = W, WᵀW diagonal. Then σ_j = ‖W_j‖ and
 * X = (W·diag(σ)⁻¹)·diag(σ)·Jᵀ. Demmel & Veselić (SIMAX 13, 1992) prove that every σ_j is then
 * computed to a relative error of O(ε·κ(X·D⁻¹)), D = diag(column norms): the accuracy does not
 * depend on the column grading of X. Rotations follow Rutishauser's formula; the pair test uses the
 * cosine |x_pᵀx_q|/(‖x_p‖‖x_q‖) > √r·ε (LAPACK xGESVJ's CTOL), so pairs already orthogonal are
 * skipped for the price of one dot product. De Rijk's pivoting (SISSC 10, 1989) moves the column
 * of largest norm to the front of each sweep, which speeds convergence and sorts σ on the fly.
 *
 * Scaled columns (as xGESVJ's D): column j is stored as x_j = 2^k_j·y_j with ‖y_j‖ kept within
 * [2^-64, 2^64], the integer exponents k_j apart. The tolerance √r·ε assumes every column carries
 * relative precision ε; a column stored unscaled in the subnormal range carries only the absolute
 * precision 2^-1074, so its cosines may be unreachable below the tolerance, and the rotation that
 * should reduce them changes no bit (the update t·x_p rounds to zero): the sweep repeats forever.
 * Likewise a norm ratio above 2^1024 overflowed Rutishauser's ζ and gave a no-op rotation. With
 * scaled columns every rotation acts at relative precision ε whatever the norms, and a pair whose
 * exponents differ by more than MGS_GAP uses the limit of the rotation (t = −cos·ρ, ρ = small/large
 * norm: a Gram–Schmidt step on the smaller column, the larger one unchanged to within ρ² ≤ 2^-544).
 */
import { NonConvergenceError } from '../errors.js';
import { nrm2, timesPow2 } from './util.js';

/** Maximum number of sweeps before a NonConvergenceError (LAPACK uses 30). */
export const MAX_SWEEPS = 40;

/** ‖y_j‖ is kept in [2^-WINDOW, 2^WINDOW] (products of two entries stay far from over/underflow). */
const WINDOW = 64;
/** Exponent gap beyond which Rutishauser's rotation is replaced by its limit (see the file comment). */
const MGS_GAP = 400;

/** Column norms of the orthogonalised W as a[j]·2^k[j], a[j] ∈ [1, 2), or a[j] = 0 for a zero column. */
export interface JacobiNorms {
  a: Float64Array;
  k: Int32Array;
}

/**
 * Orthogonalises the columns of `x` (r×n, column j at x[j*r ..]) in place. When `acc` is given
 * (n×n column-major, usually the identity) the same rotations are applied to its columns.
 * On return the columns of `x` are the unit vectors W_j/σ_j (zero for a zero column) and the
 * σ_j are returned as JacobiNorms (unsorted: the caller sorts), which need not be representable as
 * doubles. Throws NonConvergenceError (sweeps, largest remaining cosine) after `maxSweeps` sweeps.
 */
export function oneSidedJacobi(
  op: string,
  x: Float64Array,
  r: number,
  n: number,
  acc: Float64Array | null,
  maxSweeps = MAX_SWEEPS,
): JacobiNorms {
  // Column j of X lives at x[off[j] ..], of J at acc[aoff[j] ..]; de Rijk swaps permute them.
  const off = new Int32Array(n),
    aoff = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    off[j] = j * r;
    aoff[j] = j * n;
  }
  const cols: Cols = { x, r, off, a: new Float64Array(n), k: new Int32Array(n) };
  for (let j = 0; j < n; j++) rescale(cols, j, 0, true);
  const tol = Math.sqrt(Math.max(r, 1)) * Number.EPSILON;
  let sweep = 0,
    rotated = 1,
    worst = 0;
  for (; sweep < maxSweeps && rotated > 0; sweep++) {
    rotated = 0;
    worst = 0;
    for (let j = 0; j < n; j++) rescale(cols, j, nrm2(x, off[j]!, r), false);
    for (let p = 0; p < n - 1; p++) {
      pivot(cols, aoff, p);
      // The rotation of (p, q) also computes y_p'·y_{q+1}, the next pair's dot product.
      let have = false,
        next = 0;
      for (let q = p + 1; q < n; q++) {
        const pending = have;
        have = false;
        const ap = cols.a[p]!,
          aq = cols.a[q]!;
        if (ap === 0 || aq === 0) continue;
        const cosine = (pending ? next : dot(x, off[p]!, off[q]!, r)) / ap / aq;
        const ac = Math.abs(cosine);
        if (!(ac > tol)) continue;
        if (ac > worst) worst = ac;
        rotated++;
        const res = rotatePair(cols, acc, aoff, p, q, cosine, q + 1 < n ? off[q + 1]! : -1);
        have = res.have;
        next = res.next;
      }
    }
  }
  if (rotated > 0)
    throw new NonConvergenceError(
      op,
      sweep,
      worst,
      `one-sided Jacobi on a ${r}×${n} matrix: largest cosine between columns still above ${tol.toExponential(2)}`,
    );
  // Write the columns back contiguously in their final order, as unit vectors.
  compact(x, off, r);
  if (acc) compact(acc, aoff, n);
  for (let j = 0; j < n; j++) off[j] = j * r;
  return unitColumns(cols, n);
}

/** The columns being orthogonalised: x_j = 2^k[j]·y_j, y_j at x[off[j] ..] with ‖y_j‖ = a[j]. */
interface Cols {
  x: Float64Array;
  r: number;
  off: Int32Array;
  a: Float64Array;
  k: Int32Array;
}

/**
 * Records ‖y_j‖ = `nrm` (computed here when `compute`) and, when it is outside the window (or
 * `compute`: the first scaling), multiplies y_j by an exact power of two to a norm in [1, 2).
 * Returns the exponent applied to y_j (0 when it was not rescaled).
 */
function rescale(c: Cols, j: number, nrm: number, compute: boolean): number {
  const o = c.off[j]!;
  const v = compute ? nrm2(c.x, o, c.r) : nrm;
  c.a[j] = v;
  if (v === 0 || (!compute && v >= 2 ** -WINDOW && v <= 2 ** WINDOW)) return 0;
  const e = -Math.floor(Math.log2(v));
  if (e === 0) return 0;
  const e1 = Math.trunc(e / 2),
    f1 = 2 ** e1,
    f2 = 2 ** (e - e1);
  for (let i = o; i < o + c.r; i++) c.x[i] = c.x[i]! * f1 * f2;
  c.a[j] = timesPow2(v, e);
  c.k[j] = c.k[j]! - e;
  return e;
}

/** De Rijk: swaps the column of largest norm 2^k·a among p.. into position p. */
function pivot(c: Cols, aoff: Int32Array, p: number): void {
  const n = c.a.length;
  let piv = p,
    best = logNorm(c, p);
  for (let q = p + 1; q < n; q++) {
    const l = logNorm(c, q);
    if (l > best) {
      best = l;
      piv = q;
    }
  }
  if (piv === p) return;
  swapI(c.off, p, piv);
  swapI(aoff, p, piv);
  swapF(c.a, p, piv);
  const t = c.k[p]!;
  c.k[p] = c.k[piv]!;
  c.k[piv] = t;
}

const logNorm = (c: Cols, j: number): number => c.k[j]! + Math.log2(c.a[j]!);

/**
 * Rotates the pair (p, q) so that x_p ⊥ x_q: [x_p, x_q] ← [c·x_p − s·x_q, s·x_p + c·x_q], s = c·t,
 * applied to the scaled columns as y_p ← c·(y_p − t_p·y_q), y_q ← c·(t_q·y_p + y_q) with
 * t_p = t·2^(k_q−k_p), t_q = t·2^(k_p−k_q). Updates the norms. When column `nextOff` ≥ 0, returns
 * y_p'·y_next (have = true) unless y_p had to be rescaled.
 */
function rotatePair(
  c: Cols,
  acc: Float64Array | null,
  aoff: Int32Array,
  p: number,
  q: number,
  cosine: number,
  nextOff: number,
): { have: boolean; next: number } {
  const ap = c.a[p]!,
    aq = c.a[q]!,
    d = c.k[q]! - c.k[p]!;
  const g = rotationOf(cosine, aq / ap, d);
  const cs = 1 / Math.sqrt(1 + g.t * g.t);
  const op0 = c.off[p]!,
    oq = c.off[q]!;
  let next = 0;
  if (nextOff >= 0) next = rotDot(c.x, op0, oq, nextOff, c.r, cs, cs * g.tp, cs * g.tq);
  else rot(c.x, op0, oq, c.r, cs, cs * g.tp, cs * g.tq);
  if (acc) rot(acc, aoff[p]!, aoff[q]!, c.a.length, cs, cs * g.t, cs * g.t);
  // Norm updates: ‖xp'‖² = ‖xp‖²·fp, ‖xq'‖² = ‖xq‖²·fq (recomputed on cancellation), the same for y.
  const np = g.fp > 0.25 ? ap * Math.sqrt(g.fp) : nrm2(c.x, op0, c.r),
    nq = g.fq > 0.25 ? aq * Math.sqrt(g.fq) : nrm2(c.x, oq, c.r);
  const ep = rescale(c, p, np, false);
  rescale(c, q, nq, false);
  return { have: nextOff >= 0 && ep === 0, next };
}

/**
 * Rutishauser's rotation for cosine `cosine` between columns of norms ‖x_p‖ = 1 and
 * ‖x_q‖ = ρ = ratio·2^d, returned as t = tan θ, t_p = t·2^d, t_q = t·2^-d and the norm factors
 * fp = 1 − t·cos·ρ, fq = 1 + t·cos/ρ. ζ = (ρ − 1/ρ)/(2·cos), t = sign(ζ)/(|ζ| + √(1+ζ²)). Beyond
 * MGS_GAP, the limit t = −cos·ρ (ρ ≪ 1) or t = cos/ρ (ρ ≫ 1) is exact to within ρ^∓2.
 */
function rotationOf(
  cosine: number,
  ratio: number,
  d: number,
): { t: number; tp: number; tq: number; fp: number; fq: number } {
  if (d < -MGS_GAP) {
    const tq = -cosine * ratio; // t·2^-d: the Gram–Schmidt coefficient of y_p in y_q
    return { t: timesPow2(tq, d), tp: timesPow2(timesPow2(tq, d), d), tq, fp: 1, fq: 1 - cosine * cosine };
  }
  if (d > MGS_GAP) {
    const tp = cosine / ratio; // t·2^d
    return { t: timesPow2(tp, -d), tp, tq: timesPow2(timesPow2(tp, -d), -d), fp: 1 - cosine * cosine, fq: 1 };
  }
  const rho = timesPow2(ratio, d);
  const zeta = (rho - 1 / rho) / (2 * cosine);
  const az = Math.abs(zeta);
  const t = az > 1e8 ? 0.5 / zeta : (zeta >= 0 ? 1 : -1) / (az + Math.sqrt(1 + zeta * zeta));
  return { t, tp: timesPow2(t, d), tq: timesPow2(t, -d), fp: 1 - t * cosine * rho, fq: 1 + (t * cosine) / rho };
}

/** Normalises the (compacted) columns to unit norm; their norms as a·2^k with a ∈ [1, 2). */
function unitColumns(c: Cols, n: number): JacobiNorms {
  const a = new Float64Array(n),
    k = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    const o = j * c.r,
      v = nrm2(c.x, o, c.r);
    if (v === 0) continue;
    for (let i = o; i < o + c.r; i++) c.x[i] = c.x[i]! / v;
    const e = Math.floor(Math.log2(v));
    a[j] = timesPow2(v, -e);
    k[j] = c.k[j]! + e;
    if (a[j]! >= 2) {
      a[j] = a[j]! / 2;
      k[j] = k[j]! + 1;
    } else if (a[j]! < 1) {
      a[j] = a[j]! * 2;
      k[j] = k[j]! - 1;
    }
  }
  return { a, k };
}

function swapI(a: Int32Array, p: number, q: number): void {
  const t = a[p]!;
  a[p] = a[q]!;
  a[q] = t;
}

function swapF(a: Float64Array, p: number, q: number): void {
  const t = a[p]!;
  a[p] = a[q]!;
  a[q] = t;
}

/** x[a..a+len)·x[b..b+len), four accumulators. */
function dot(x: Float64Array, a: number, b: number, len: number): number {
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0,
    i = 0;
  for (; i + 3 < len; i += 4) {
    s0 += x[a + i]! * x[b + i]!;
    s1 += x[a + i + 1]! * x[b + i + 1]!;
    s2 += x[a + i + 2]! * x[b + i + 2]!;
    s3 += x[a + i + 3]! * x[b + i + 3]!;
  }
  for (; i < len; i++) s0 += x[a + i]! * x[b + i]!;
  return s0 + s1 + (s2 + s3);
}

/** [x_a, x_b] ← [c·x_a − sa·x_b, sb·x_a + c·x_b] on len entries (a rotation when sa = sb). */
function rot(x: Float64Array, a: number, b: number, len: number, c: number, sa: number, sb: number): void {
  for (let i = 0; i < len; i++) {
    const u = x[a + i]!,
      v = x[b + i]!;
    x[a + i] = c * u - sa * v;
    x[b + i] = sb * u + c * v;
  }
}

/** rot() on columns a, b that also returns (new x_a)·x_c. */
function rotDot(
  x: Float64Array,
  a: number,
  b: number,
  c: number,
  len: number,
  cs: number,
  sa: number,
  sb: number,
): number {
  let s0 = 0,
    s1 = 0,
    i = 0;
  for (; i + 1 < len; i += 2) {
    const u0 = x[a + i]!,
      v0 = x[b + i]!,
      u1 = x[a + i + 1]!,
      v1 = x[b + i + 1]!;
    const n0 = cs * u0 - sa * v0,
      n1 = cs * u1 - sa * v1;
    x[a + i] = n0;
    x[a + i + 1] = n1;
    x[b + i] = sb * u0 + cs * v0;
    x[b + i + 1] = sb * u1 + cs * v1;
    s0 += n0 * x[c + i]!;
    s1 += n1 * x[c + i + 1]!;
  }
  if (i < len) {
    const u0 = x[a + i]!,
      v0 = x[b + i]!;
    const n0 = cs * u0 - sa * v0;
    x[a + i] = n0;
    x[b + i] = sb * u0 + cs * v0;
    s0 += n0 * x[c + i]!;
  }
  return s0 + s1;
}

function compact(buf: Float64Array, off: Int32Array, len: number): void {
  const tmp = new Float64Array(buf.length);
  for (let j = 0; j < off.length; j++) tmp.set(buf.subarray(off[j]!, off[j]! + len), j * len);
  buf.set(tmp);
}
