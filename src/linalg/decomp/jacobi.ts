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
 * Returns the column norms (σ, unsorted: the caller sorts).
 */
export function oneSidedJacobi(op: string, x: Float64Array, r: number, n: number, acc: Float64Array | null): Float64Array {
  const cols: Float64Array[] = [], jc: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    cols.push(x.subarray(j * r, j * r + r));
    if (acc) jc.push(acc.subarray(j * n, j * n + n));
  }
  const nrm = new Float64Array(n);
  const tol = Math.sqrt(Math.max(r, 1)) * Number.EPSILON;
  let sweep = 0, rotated = 1, worst = 0;
  for (; sweep < MAX_SWEEPS && rotated > 0; sweep++) {
    rotated = 0; worst = 0;
    for (let j = 0; j < n; j++) nrm[j] = nrm2(cols[j]!, 0, r);
    for (let p = 0; p < n - 1; p++) {
      // de Rijk: largest remaining column first.
      let piv = p;
      for (let q = p + 1; q < n; q++) if (nrm[q]! > nrm[piv]!) piv = q;
      if (piv !== p) swapCols(cols, jc, nrm, p, piv, acc !== null);
      for (let q = p + 1; q < n; q++) {
        const np = nrm[p]!, nq = nrm[q]!;
        if (np === 0 || nq === 0) continue;
        const xp = cols[p]!, xq = cols[q]!;
        let d = 0;
        for (let i = 0; i < r; i++) d += xp[i]! * xq[i]!;
        const cosine = d / np / nq;
        const ac = Math.abs(cosine);
        if (!(ac > tol)) continue;
        if (ac > worst) worst = ac;
        rotated++;
        // Rutishauser: ζ = (‖xq‖² − ‖xp‖²)/(2 xpᵀxq), t = sign(ζ)/(|ζ| + √(1+ζ²)).
        const zeta = (nq / np - np / nq) / (2 * cosine);
        const az = Math.abs(zeta);
        const t = az > 1e8 ? 0.5 / zeta : (zeta >= 0 ? 1 : -1) / (az + Math.sqrt(1 + zeta * zeta));
        const cs = 1 / Math.sqrt(1 + t * t), sn = cs * t;
        for (let i = 0; i < r; i++) {
          const a = xp[i]!, b = xq[i]!;
          xp[i] = cs * a - sn * b;
          xq[i] = sn * a + cs * b;
        }
        if (acc) {
          const vp = jc[p]!, vq = jc[q]!;
          for (let i = 0; i < n; i++) {
            const a = vp[i]!, b = vq[i]!;
            vp[i] = cs * a - sn * b;
            vq[i] = sn * a + cs * b;
          }
        }
        // Norm updates: ‖xp'‖² = ‖xp‖²(1 − t·cos·‖xq‖/‖xp‖), ‖xq'‖² = ‖xq‖²(1 + t·cos·‖xp‖/‖xq‖).
        const fp = 1 - t * cosine * (nq / np), fq = 1 + t * cosine * (np / nq);
        nrm[p] = fp > 0.25 ? np * Math.sqrt(fp) : nrm2(xp, 0, r);
        nrm[q] = fq > 0.25 ? nq * Math.sqrt(fq) : nrm2(xq, 0, r);
      }
    }
  }
  if (rotated > 0) throw new NonConvergenceError(op, sweep, worst, `one-sided Jacobi on a ${r}×${n} matrix: largest cosine between columns still above ${tol.toExponential(2)}`);
  // Write the (possibly permuted) columns back contiguously in their final order.
  compact(x, cols, r);
  if (acc) compact(acc, jc, n);
  for (let j = 0; j < n; j++) nrm[j] = nrm2(x, j * r, r);
  return nrm;
}

function swapCols(cols: Float64Array[], jc: Float64Array[], nrm: Float64Array, p: number, q: number, withAcc: boolean): void {
  const c = cols[p]!; cols[p] = cols[q]!; cols[q] = c;
  if (withAcc) { const v = jc[p]!; jc[p] = jc[q]!; jc[q] = v; }
  const t = nrm[p]!; nrm[p] = nrm[q]!; nrm[q] = t;
}

function compact(buf: Float64Array, views: Float64Array[], len: number): void {
  const tmp = new Float64Array(buf.length);
  for (let j = 0; j < views.length; j++) tmp.set(views[j]!, j * len);
  buf.set(tmp);
}
