/**
 * Householder bidiagonalisation A = Q·B·Pᵀ (m ≥ n) for the Golub–Kahan–Reinsch path.
 * Fused unblocked code rather than a gemm-blocked xLABRD port: the port's BLAS-2 half makes more
 * passes over the panel, and it ran slower on the benchmark machine (bench/RESULTS.md).
 */
import { makeReflector, type HouseholderQR } from './householder.js';

/** A = Q·B·Pᵀ in factored form: B's diagonals plus the left and right Householder reflectors. */
export interface Bidiagonal {
  /** Diagonal (length n) and superdiagonal (length n, last entry 0) of B. */
  d: Float64Array;
  e: Float64Array;
  /** Left reflectors (column k below the diagonal of `cm`, scalars tauq). */
  left: HouseholderQR;
  /** Right reflectors: vector k (acting on indices k+1..n−1) in pv[k*n + k+1 ..], scalars taup. */
  pv: Float64Array;
  taup: Float64Array;
}

/** Bidiagonalises the column-major m×n matrix `cm` (m ≥ n ≥ 1) in place. */
export function bidiagonalize(cm: Float64Array, m: number, n: number): Bidiagonal {
  const b: Bidiagonal = {
    d: new Float64Array(n),
    e: new Float64Array(n),
    left: { cm, m, n, tau: new Float64Array(n), perm: new Int32Array(0) },
    pv: new Float64Array(n * n),
    taup: new Float64Array(n),
  };
  fused(b, cm, m, n);
  return b;
}

/**
 * Unblocked bidiagonalisation with the four BLAS-2 sweeps of each step (left dots, left update,
 * A·v, right update) fused into two passes over the trailing matrix ("BLAS 2.5", Howell et al.,
 * ACM TOMS 34, 2008), columns taken four (then two, then one) at a time so that the shared vectors are loaded once
 * per group:
 * pass 2 applies the left reflector and accumulates w = A·v, pass 3 applies the right reflector
 * and already computes the next step's left dot products.
 */
function fused(b: Bidiagonal, cm: Float64Array, m: number, n: number): void {
  const { d, e, pv, taup } = b,
    tauq = b.left.tau;
  const w = new Float64Array(m),
    dots = new Float64Array(n);
  // Prologue: step 0's left reflector and its dot products with columns 1..n−1.
  tauq[0] = makeReflector(cm, 0, m);
  d[0] = cm[0]!;
  for (let j = 1; j < n; j++) {
    const co = j * m;
    let t = cm[co]!;
    for (let i = 1; i < m; i++) t += cm[i]! * cm[co + i]!;
    dots[j] = t;
  }
  for (let k = 0; k < n - 1; k++) {
    const uo = k * m + k + 1,
      tl = tauq[k]!;
    // Phase 1: row k after the left update → right reflector (kept in pv).
    const plen = n - k - 1,
      po = k * n + k + 1;
    for (let j = 0; j < plen; j++) pv[po + j] = cm[(k + 1 + j) * m + k]! - tl * dots[k + 1 + j]!;
    const tr = makeReflector(pv, po, plen);
    taup[k] = tr;
    e[k] = pv[po]!;
    const rows = m - k - 1,
      r0 = k + 1;
    // Phase 2: left update of rows k+1.. of columns k+1.., and w = A·v on the updated columns.
    w.fill(0, 0, rows);
    let j = k + 1;
    if (j < n) {
      // the first column (unit entry of v) alone
      const c0 = j * m + r0,
        f0 = tl * dots[j]!;
      for (let i = 0; i < rows; i++) {
        const x = cm[c0 + i]! - f0 * cm[uo + i]!;
        cm[c0 + i] = x;
        w[i] = w[i]! + x;
      }
      j++;
    }
    for (; j + 3 < n; j += 4) {
      const c0 = j * m + r0,
        c1 = c0 + m,
        c2 = c1 + m,
        c3 = c2 + m;
      const f0 = tl * dots[j]!,
        f1 = tl * dots[j + 1]!,
        f2 = tl * dots[j + 2]!,
        f3 = tl * dots[j + 3]!;
      const q = po + j - k - 1;
      const v0 = pv[q]!,
        v1 = pv[q + 1]!,
        v2 = pv[q + 2]!,
        v3 = pv[q + 3]!;
      for (let i = 0; i < rows; i++) {
        const u = cm[uo + i]!;
        const x0 = cm[c0 + i]! - f0 * u,
          x1 = cm[c1 + i]! - f1 * u,
          x2 = cm[c2 + i]! - f2 * u,
          x3 = cm[c3 + i]! - f3 * u;
        cm[c0 + i] = x0;
        cm[c1 + i] = x1;
        cm[c2 + i] = x2;
        cm[c3 + i] = x3;
        w[i] = w[i]! + (v0 * x0 + v1 * x1 + (v2 * x2 + v3 * x3));
      }
    }
    for (; j + 1 < n; j += 2) {
      const c0 = j * m + r0,
        c1 = c0 + m;
      const f0 = tl * dots[j]!,
        f1 = tl * dots[j + 1]!;
      const v0 = j === k + 1 ? 1 : pv[po + j - k - 1]!,
        v1 = pv[po + j - k]!;
      for (let i = 0; i < rows; i++) {
        const u = cm[uo + i]!;
        const x0 = cm[c0 + i]! - f0 * u,
          x1 = cm[c1 + i]! - f1 * u;
        cm[c0 + i] = x0;
        cm[c1 + i] = x1;
        w[i] = w[i]! + v0 * x0 + v1 * x1;
      }
    }
    if (j < n) {
      const c0 = j * m + r0,
        f0 = tl * dots[j]!,
        v0 = j === k + 1 ? 1 : pv[po + j - k - 1]!;
      for (let i = 0; i < rows; i++) {
        const x = cm[c0 + i]! - f0 * cm[uo + i]!;
        cm[c0 + i] = x;
        w[i] = w[i]! + v0 * x;
      }
    }
    // Phase 3: right update; column k+1 first so that step k+1's left reflector exists, then the
    // other columns together with their dot products against it.
    const cn = (k + 1) * m + r0;
    for (let i = 0; i < rows; i++) cm[cn + i] = cm[cn + i]! - tr * w[i]!;
    tauq[k + 1] = makeReflector(cm, cn, rows);
    d[k + 1] = cm[cn]!;
    j = k + 2;
    for (; j + 3 < n; j += 4) {
      const c0 = j * m + r0,
        c1 = c0 + m,
        c2 = c1 + m,
        c3 = c2 + m;
      const q = po + j - k - 1;
      const f0 = tr * pv[q]!,
        f1 = tr * pv[q + 1]!,
        f2 = tr * pv[q + 2]!,
        f3 = tr * pv[q + 3]!;
      const w0 = w[0]!;
      const y0 = cm[c0]! - f0 * w0,
        y1 = cm[c1]! - f1 * w0,
        y2 = cm[c2]! - f2 * w0,
        y3 = cm[c3]! - f3 * w0;
      cm[c0] = y0;
      cm[c1] = y1;
      cm[c2] = y2;
      cm[c3] = y3;
      let t0 = y0,
        t1 = y1,
        t2 = y2,
        t3 = y3;
      for (let i = 1; i < rows; i++) {
        const wi = w[i]!,
          u = cm[cn + i]!;
        const x0 = cm[c0 + i]! - f0 * wi,
          x1 = cm[c1 + i]! - f1 * wi,
          x2 = cm[c2 + i]! - f2 * wi,
          x3 = cm[c3 + i]! - f3 * wi;
        cm[c0 + i] = x0;
        cm[c1 + i] = x1;
        cm[c2 + i] = x2;
        cm[c3 + i] = x3;
        t0 += u * x0;
        t1 += u * x1;
        t2 += u * x2;
        t3 += u * x3;
      }
      dots[j] = t0;
      dots[j + 1] = t1;
      dots[j + 2] = t2;
      dots[j + 3] = t3;
    }
    for (; j + 1 < n; j += 2) {
      const c0 = j * m + r0,
        c1 = c0 + m;
      const f0 = tr * pv[po + j - k - 1]!,
        f1 = tr * pv[po + j - k]!;
      const y0 = cm[c0]! - f0 * w[0]!,
        y1 = cm[c1]! - f1 * w[0]!;
      cm[c0] = y0;
      cm[c1] = y1;
      let t0 = y0,
        t1 = y1;
      for (let i = 1; i < rows; i++) {
        const wi = w[i]!,
          u = cm[cn + i]!;
        const x0 = cm[c0 + i]! - f0 * wi,
          x1 = cm[c1 + i]! - f1 * wi;
        cm[c0 + i] = x0;
        cm[c1 + i] = x1;
        t0 += u * x0;
        t1 += u * x1;
      }
      dots[j] = t0;
      dots[j + 1] = t1;
    }
    if (j < n) {
      const c0 = j * m + r0,
        f0 = tr * pv[po + j - k - 1]!;
      const y0 = cm[c0]! - f0 * w[0]!;
      cm[c0] = y0;
      let t0 = y0;
      for (let i = 1; i < rows; i++) {
        const x = cm[c0 + i]! - f0 * w[i]!;
        cm[c0 + i] = x;
        t0 += cm[cn + i]! * x;
      }
      dots[j] = t0;
    }
  }
}
