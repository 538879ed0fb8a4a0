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
 */
import { NonConvergenceError } from '../errors.js';
import { nrm2 } from './util.js';

/** Maximum number of sweeps before a NonConvergenceError (LAPACK uses 30). */
export const MAX_SWEEPS = 40;

/**
 * Orthogonalises in place the columns of `x` (r×n, column j at x[j*r ..]). When `acc` is given
 * (n×n column-major, usually the identity) the same rotations are applied to its columns.
 * Returns the column norms (σ, unsorted: the caller sorts). Throws NonConvergenceError (sweeps,
 * largest remaining cosine) after `maxSweeps` sweeps.
 */
export function oneSidedJacobi(
  op: string,
  x: Float64Array,
  r: number,
  n: number,
  acc: Float64Array | null,
  maxSweeps = MAX_SWEEPS,
): Float64Array {
  // Column j of X lives at x[off[j] ..], of J at acc[aoff[j] ..]; de Rijk swaps permute offsets.
  const off = new Int32Array(n),
    aoff = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    off[j] = j * r;
    aoff[j] = j * n;
  }
  const nrm = new Float64Array(n);
  const tol = Math.sqrt(Math.max(r, 1)) * Number.EPSILON;
  let sweep = 0,
    rotated = 1,
    worst = 0;
  for (; sweep < maxSweeps && rotated > 0; sweep++) {
    rotated = 0;
    worst = 0;
    for (let j = 0; j < n; j++) nrm[j] = nrm2(x, off[j]!, r);
    for (let p = 0; p < n - 1; p++) {
      // de Rijk: largest remaining column first.
      let piv = p;
      for (let q = p + 1; q < n; q++) if (nrm[q]! > nrm[piv]!) piv = q;
      if (piv !== p) {
        swapI(off, p, piv);
        swapI(aoff, p, piv);
        const t = nrm[p]!;
        nrm[p] = nrm[piv]!;
        nrm[piv] = t;
      }
      const op0 = off[p]!;
      // The rotation of (p, q) also computes x_p'·x_{q+1}, the next pair's dot product.
      let have = false,
        next = 0;
      for (let q = p + 1; q < n; q++) {
        const np = nrm[p]!,
          nq = nrm[q]!;
        const pending = have;
        have = false;
        if (np === 0 || nq === 0) continue;
        const oq = off[q]!;
        // a dot product of columns of norm below ~2^-450 (or above 2^450) under/overflows: scale them first
        const prod = np * nq;
        const cosine =
          prod > SAFE_LO && prod < SAFE_HI
            ? (pending ? next : dot(x, op0, oq, r)) / np / nq
            : scaledCosine(x, op0, oq, r, np, nq);
        const ac = Math.abs(cosine);
        if (!(ac > tol)) continue;
        if (ac > worst) worst = ac;
        rotated++;
        // Rutishauser: ζ = (‖xq‖² − ‖xp‖²)/(2 xpᵀxq), t = sign(ζ)/(|ζ| + √(1+ζ²)).
        const zeta = (nq / np - np / nq) / (2 * cosine);
        const az = Math.abs(zeta);
        const t = az > 1e8 ? 0.5 / zeta : (zeta >= 0 ? 1 : -1) / (az + Math.sqrt(1 + zeta * zeta));
        const cs = 1 / Math.sqrt(1 + t * t),
          sn = cs * t;
        if (q + 1 < n) {
          next = rotDot(x, op0, oq, off[q + 1]!, r, cs, sn);
          have = true;
        } else rot(x, op0, oq, r, cs, sn);
        if (acc) rot(acc, aoff[p]!, aoff[q]!, n, cs, sn);
        // Norm updates: ‖xp'‖² = ‖xp‖²(1 − t·cos·‖xq‖/‖xp‖), ‖xq'‖² = ‖xq‖²(1 + t·cos·‖xp‖/‖xq‖).
        const fp = 1 - t * cosine * (nq / np),
          fq = 1 + t * cosine * (np / nq);
        nrm[p] = fp > 0.25 ? np * Math.sqrt(fp) : nrm2(x, op0, r);
        nrm[q] = fq > 0.25 ? nq * Math.sqrt(fq) : nrm2(x, oq, r);
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
  // Write the columns back contiguously in their final order.
  compact(x, off, r);
  if (acc) compact(acc, aoff, n);
  for (let j = 0; j < n; j++) nrm[j] = nrm2(x, j * r, r);
  return nrm;
}

const SAFE_LO = 2 ** -900,
  SAFE_HI = 2 ** 900;

/** 2^k for any k in [-2148, 2046], as the product of two factors (each a double). */
function halves(k: number): [number, number] {
  const k1 = Math.trunc(k / 2);
  return [2 ** k1, 2 ** (k - k1)];
}

/**
 * x_aᵀx_b / (na·nb) with both columns first scaled by exact powers of two to norms in [1, 2)
 * (so products neither underflow to subnormal nor overflow, whatever the column norms).
 */
function scaledCosine(x: Float64Array, a: number, b: number, len: number, na: number, nb: number): number {
  const ea = -Math.floor(Math.log2(na)),
    eb = -Math.floor(Math.log2(nb));
  const [a1, a2] = halves(ea),
    [b1, b2] = halves(eb);
  let sum = 0;
  for (let i = 0; i < len; i++) sum += x[a + i]! * a1 * a2 * (x[b + i]! * b1 * b2);
  const sa = na * a1 * a2,
    sb = nb * b1 * b2;
  return sum / sa / sb;
}

function swapI(a: Int32Array, p: number, q: number): void {
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

/** [x_a, x_b] ← [c·x_a − s·x_b, s·x_a + c·x_b] on len entries. */
function rot(x: Float64Array, a: number, b: number, len: number, c: number, s: number): void {
  for (let i = 0; i < len; i++) {
    const u = x[a + i]!,
      v = x[b + i]!;
    x[a + i] = c * u - s * v;
    x[b + i] = s * u + c * v;
  }
}

/** rot() on columns a, b that also returns (new x_a)·x_c. */
function rotDot(x: Float64Array, a: number, b: number, c: number, len: number, cs: number, sn: number): number {
  let s0 = 0,
    s1 = 0,
    i = 0;
  for (; i + 1 < len; i += 2) {
    const u0 = x[a + i]!,
      v0 = x[b + i]!,
      u1 = x[a + i + 1]!,
      v1 = x[b + i + 1]!;
    const n0 = cs * u0 - sn * v0,
      n1 = cs * u1 - sn * v1;
    x[a + i] = n0;
    x[a + i + 1] = n1;
    x[b + i] = sn * u0 + cs * v0;
    x[b + i + 1] = sn * u1 + cs * v1;
    s0 += n0 * x[c + i]!;
    s1 += n1 * x[c + i + 1]!;
  }
  if (i < len) {
    const u0 = x[a + i]!,
      v0 = x[b + i]!;
    const n0 = cs * u0 - sn * v0;
    x[a + i] = n0;
    x[b + i] = sn * u0 + cs * v0;
    s0 += n0 * x[c + i]!;
  }
  return s0 + s1;
}

function compact(buf: Float64Array, off: Int32Array, len: number): void {
  const tmp = new Float64Array(buf.length);
  for (let j = 0; j < off.length; j++) tmp.set(buf.subarray(off[j]!, off[j]! + len), j * len);
  buf.set(tmp);
}
