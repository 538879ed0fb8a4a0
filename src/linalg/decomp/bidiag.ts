/**
 * Golub–Kahan–Reinsch SVD, the fast path of `svd`/`svdvals` for matrices that are not graded:
 * Householder bidiagonalisation A = Q·B·Pᵀ (Golub & Kahan 1965) on column-major storage, then
 * the implicit-shift QR iteration on the bidiagonal B with deflation (Golub & Reinsch 1970; the
 * loop structure of LINPACK xSVDC / JAMA). Backward stable: every σ_i has absolute error
 * O(max(m,n)·ε·σ_1), but — unlike the Jacobi path — no relative accuracy for tiny σ_i of graded
 * matrices. Rotations act on rows of Uᵀ and Vᵀ so that they are contiguous.
 */
import { NonConvergenceError } from '../errors.js';
import type { Bidiagonal } from './brd.js';
import { accumulateIdentity } from './wy.js';

/** Uᵀ (ucols×m, rows contiguous): Q·[I_n 0; 0 I] restricted to the first ucols columns. */
export function formUt(b: Bidiagonal, ucols: number): Float64Array {
  const m = b.left.m,
    n = b.d.length;
  const y = new Float64Array(m * ucols); // column-major m×ucols = rows of Uᵀ
  for (let j = 0; j < ucols; j++) y[j * m + j] = 1;
  accumulateIdentity(
    { vbuf: b.left.cm, voff: (k) => k * m + k, shift: 0, tau: b.left.tau, count: n, dim: m },
    y,
    ucols,
  );
  return y;
}

/** Vᵀ (n×n, rows contiguous) with V = P_0···P_{n−3}: the right reflectors accumulated backwards. */
export function formVt(b: Bidiagonal): Float64Array {
  const n = b.d.length;
  const v = new Float64Array(n * n); // column-major V: column j contiguous = row j of Vᵀ
  for (let j = 0; j < n; j++) v[j * n + j] = 1;
  accumulateIdentity(
    { vbuf: b.pv, voff: (k) => k * n + k + 1, shift: 1, tau: b.taup, count: Math.max(0, n - 1), dim: n },
    v,
    n,
  );
  return v;
}

function hyp(a: number, b: number): number {
  const x = Math.abs(a),
    y = Math.abs(b);
  const big = x > y ? x : y;
  if (big === 0) return 0;
  if (big < 1e150 && big > 1e-150) return Math.sqrt(a * a + b * b);
  const sx = x / big,
    sy = y / big;
  return big * Math.sqrt(sx * sx + sy * sy);
}

/** [row a, row b] ← [c·a + s·b, −s·a + c·b] on len entries of `x`. */
function rot(x: Float64Array, a: number, b: number, len: number, c: number, s: number): void {
  for (let i = 0; i < len; i++) {
    const p = x[a + i]!,
      q = x[b + i]!;
    x[a + i] = c * p + s * q;
    x[b + i] = -s * p + c * q;
  }
}

/**
 * Implicit-shift QR on the bidiagonal (s = d, e), in place: on return `s` holds σ (descending,
 * non-negative). `ut` (rows of length m) and `vt` (rows of length n), when given, receive the
 * rotations: rows j of Uᵀ/Vᵀ for j < n. `known` (σ of the same bidiagonal, descending, e.g. from
 * a values-only run) turns the Wilkinson shift into the nearest known σ² when they agree to 1e-3.
 */
export function bidiagonalQR(
  op: string,
  s: Float64Array,
  e: Float64Array,
  ut: Float64Array | null,
  m: number,
  vt: Float64Array | null,
  known: Float64Array | null = null,
): void {
  const n = s.length;
  const eps = Number.EPSILON,
    tiny = Math.pow(2, -966);
  const maxIter = 75 * n;
  let p = n,
    iter = 0,
    total = 0;
  const cv = new Float64Array(n),
    sv = new Float64Array(n),
    cu = new Float64Array(n),
    su = new Float64Array(n);
  const carry = new Float64Array(CHAIN_BLOCK);
  e[n - 1] = 0;
  while (p > 0) {
    // Phase 1: find the unreduced block [k+1, p) and the case.
    let k: number, kase: number;
    for (k = p - 2; k >= 0; k--) {
      if (Math.abs(e[k]!) <= tiny + eps * (Math.abs(s[k]!) + Math.abs(s[k + 1]!))) {
        e[k] = 0;
        break;
      }
    }
    if (k === p - 2) kase = 4;
    else {
      let ks: number;
      for (ks = p - 1; ks > k; ks--) {
        const t = (ks !== p ? Math.abs(e[ks]!) : 0) + (ks !== k + 1 ? Math.abs(e[ks - 1]!) : 0);
        if (Math.abs(s[ks]!) <= tiny + eps * t) {
          s[ks] = 0;
          break;
        }
      }
      if (ks === k) kase = 3;
      else if (ks === p - 1) kase = 1;
      else {
        kase = 2;
        k = ks;
      }
    }
    k++;
    if (kase === 1) {
      // Deflate a negligible s[p−1]: chase e[p−2] up with rotations on V.
      let f = e[p - 2]!;
      e[p - 2] = 0;
      for (let j = p - 2; j >= k; j--) {
        const t = hyp(s[j]!, f),
          cs = s[j]! / t,
          sn = f / t;
        s[j] = t;
        if (j !== k) {
          f = -sn * e[j - 1]!;
          e[j - 1] = cs * e[j - 1]!;
        }
        if (vt) rot(vt, j * n, (p - 1) * n, n, cs, sn);
      }
    } else if (kase === 2) {
      // Split at a negligible s[k−1]: chase e[k−1] down with rotations on U.
      let f = e[k - 1]!;
      e[k - 1] = 0;
      for (let j = k; j < p; j++) {
        const t = hyp(s[j]!, f),
          cs = s[j]! / t,
          sn = f / t;
        s[j] = t;
        f = -sn * e[j]!;
        e[j] = cs * e[j]!;
        if (ut) rot(ut, j * m, (k - 1) * m, m, cs, sn);
      }
    } else if (kase === 3) {
      // One implicit QR step with the Wilkinson-type shift from the trailing 2×2 block.
      if (++total > maxIter)
        throw new NonConvergenceError(op, total - 1, Math.abs(e[p - 2]!), `Golub–Kahan QR on a ${n}×${n} bidiagonal`);
      const scale = Math.max(
        Math.abs(s[p - 1]!),
        Math.abs(s[p - 2]!),
        Math.abs(e[p - 2]!),
        Math.abs(s[k]!),
        Math.abs(e[k]!),
      );
      const sp = s[p - 1]! / scale,
        spm1 = s[p - 2]! / scale,
        epm1 = e[p - 2]! / scale;
      const sk = s[k]! / scale,
        ek = e[k]! / scale;
      const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
      const c = sp * epm1 * (sp * epm1);
      let shift = 0;
      if (b !== 0 || c !== 0) {
        shift = Math.sqrt(b * b + c);
        if (b < 0) shift = -shift;
        shift = c / (b + shift);
      }
      let f = (sk + sp) * (sk - sp) + shift;
      if (known) {
        // "Perfect" shift: the precomputed σ² nearest to the Wilkinson estimate μ = sp² − shift.
        // Any shift keeps the step orthogonal (stability is unaffected); a good one deflates the
        // bottom of the block in about one sweep instead of two.
        // Compared in the scaled domain: μ·scale² underflows to 0 for a block near 1e-160.
        const mu = sp * sp - shift;
        const sc = nearestSquare(known, mu, scale);
        if (Math.abs(sc * sc - mu) <= 1e-3 * Math.max(mu, Number.MIN_VALUE)) f = (sk + sc) * (sk - sc);
      }
      let g = sk * ek;
      for (let j = k; j < p - 1; j++) {
        let t = hyp(f, g),
          cs = f / t,
          sn = g / t;
        if (j !== k) e[j - 1] = t;
        f = cs * s[j]! + sn * e[j]!;
        e[j] = cs * e[j]! - sn * s[j]!;
        g = sn * s[j + 1]!;
        s[j + 1] = cs * s[j + 1]!;
        cv[j] = cs;
        sv[j] = sn;
        t = hyp(f, g);
        cs = f / t;
        sn = g / t;
        s[j] = t;
        f = cs * e[j]! + sn * s[j + 1]!;
        s[j + 1] = -sn * e[j]! + cs * s[j + 1]!;
        g = sn * e[j + 1]!;
        e[j + 1] = cs * e[j + 1]!;
        cu[j] = cs;
        su[j] = sn;
      }
      e[p - 2] = f;
      // The sweep's rotations (j, j+1), j = k..p−2, applied as chains (one pass over the rows).
      if (vt) rotChain(vt, n, k, p - 1, cv, sv, carry);
      if (ut) rotChain(ut, m, k, p - 1, cu, su, carry);
      iter++;
    } else {
      // Convergence of s[k]: make it non-negative, then bubble it into descending order.
      if (s[k]! <= 0) {
        s[k] = s[k]! < 0 ? -s[k]! : 0;
        if (vt) for (let i = 0; i < n; i++) vt[k * n + i] = -vt[k * n + i]!;
      }
      while (k < n - 1 && s[k]! < s[k + 1]!) {
        const t = s[k]!;
        s[k] = s[k + 1]!;
        s[k + 1] = t;
        if (vt) swapRows(vt, k * n, (k + 1) * n, n);
        if (ut && k < m - 1) swapRows(ut, k * m, (k + 1) * m, m);
        k++;
      }
      iter = 0;
      p--;
    }
  }
}

const CHAIN_BLOCK = 64;

/**
 * Applies rotations j = k..last−1 in order, rotation j acting on rows (j, j+1) of `x` (rows of
 * length len) as [r_j, r_{j+1}] ← [c_j·r_j + s_j·r_{j+1}, −s_j·r_j + c_j·r_{j+1}] (LAPACK xLASR
 * 'V','F' wave), column blocks at a time so the carried row stays in a register-sized buffer.
 */
function rotChain(
  x: Float64Array,
  len: number,
  k: number,
  last: number,
  c: Float64Array,
  s: Float64Array,
  carry: Float64Array,
): void {
  for (let i0 = 0; i0 < len; i0 += CHAIN_BLOCK) {
    const bl = Math.min(CHAIN_BLOCK, len - i0);
    const r0 = k * len + i0;
    for (let i = 0; i < bl; i++) carry[i] = x[r0 + i]!;
    for (let j = k; j < last; j++) {
      const cj = c[j]!,
        sj = s[j]!;
      const cur = j * len + i0,
        nxt = cur + len;
      for (let i = 0; i < bl; i++) {
        const a = carry[i]!,
          b = x[nxt + i]!;
        x[cur + i] = cj * a + sj * b;
        carry[i] = cj * b - sj * a;
      }
    }
    const rl = last * len + i0;
    for (let i = 0; i < bl; i++) x[rl + i] = carry[i]!;
  }
}

/** sig_i/scale for the entry of `sig` (descending, ≥ 0) whose (sig_i/scale)² is nearest to mu. */
function nearestSquare(sig: Float64Array, mu: number, scale: number): number {
  const sq = (i: number): number => (sig[i]! / scale) * (sig[i]! / scale);
  let lo = 0,
    hi = sig.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sq(mid) > mu) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(sq(lo - 1) - mu) < Math.abs(sq(lo) - mu)) lo--;
  return sig[lo]! / scale;
}

function swapRows(x: Float64Array, a: number, b: number, len: number): void {
  for (let i = 0; i < len; i++) {
    const t = x[a + i]!;
    x[a + i] = x[b + i]!;
    x[b + i] = t;
  }
}
