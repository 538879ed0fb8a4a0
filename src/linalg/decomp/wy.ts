/**
 * Blocked (compact WY) accumulation of Householder reflectors with gemm: a block of nb reflectors
 * H_kb···H_{kb+nb−1} = I − V·T·Vᵀ (Schreiber & Van Loan, SISSC 10, 1989; LAPACK xLARFT/xLARFB),
 * so that forming Q costs three matrix products per block instead of nb rank-1 sweeps.
 * Same rounding behaviour class as the unblocked product (backward stable, ‖I − QᵀQ‖ = O(m·ε)).
 */
import { gemm } from '../kernels/matmul.js';
import { applyReflector, householderQR, makeReflector, type HouseholderQR } from './householder.js';

/** Reflector k acts on indices k+shift .. dim−1; its vector (unit first entry implicit) starts at vbuf[voff(k)]. */
export interface ReflectorSet {
  vbuf: Float64Array;
  voff: (k: number) => number;
  shift: number;
  tau: Float64Array;
  /** Number of reflectors. */
  count: number;
  /** Dimension of the space they act on. */
  dim: number;
}

const NB = 32;

/**
 * Y ← H_0···H_{count−1}·Y for column-major Y (dim × cols) that started as the identity (columns
 * j < k+shift are untouched by H_k and are skipped: backward accumulation).
 */
export function accumulateIdentity(r: ReflectorSet, y: Float64Array, cols: number): void {
  const { count, dim, shift, tau } = r;
  if (count === 0) return;
  if (dim < 2 * NB) {
    unblocked(r, y, cols, 0, count);
    return;
  }
  const last = Math.floor((count - 1) / NB) * NB;
  for (let kb = last; kb >= 0; kb -= NB) {
    const nb = Math.min(NB, count - kb);
    const s0 = kb + shift,
      mm = dim - s0,
      cc = cols - s0;
    if (mm <= 0 || cc <= 0) continue;
    const { vt, t } = blockReflector(r, kb, nb, mm);
    // Yᵀ is row-major (cols × dim); the block is rows s0.., columns s0.. of it.
    const yOff = s0 * dim + s0;
    const w = new Float64Array(cc * nb),
      w2 = new Float64Array(cc * nb);
    gemm(false, true, cc, nb, mm, y, yOff, dim, vt, 0, mm, w, 0, nb, false); // Wᵀ = Yᵀ·V
    gemm(false, true, cc, nb, nb, w, 0, nb, t, 0, nb, w2, 0, nb, false); // Wᵀ·Tᵀ
    for (let i = 0; i < w2.length; i++) w2[i] = -w2[i]!;
    gemm(false, false, cc, mm, nb, w2, 0, nb, vt, 0, mm, y, yOff, dim, true); // Yᵀ −= Wᵀ·Tᵀ·Vᵀ
  }
}

/**
 * The compact-WY pair of reflectors kb..kb+nb−1 restricted to their last `mm` coordinates:
 * Vᵀ (nb × mm, row-major, unit entries explicit) and T (nb × nb upper triangular, row-major) with
 * H_kb···H_{kb+nb−1} = I − V·T·Vᵀ (xLARFT, forward, columnwise).
 */
function blockReflector(r: ReflectorSet, kb: number, nb: number, mm: number): { vt: Float64Array; t: Float64Array } {
  const vt = new Float64Array(nb * mm);
  for (let i = 0; i < nb; i++) {
    const len = mm - i;
    if (len <= 0) continue;
    vt[i * mm + i] = 1;
    const o = r.voff(kb + i);
    for (let p = 1; p < len; p++) vt[i * mm + i + p] = r.vbuf[o + p]!;
  }
  // T_ii = τ_i, T[0:i, i] = −τ_i·T[0:i,0:i]·(Vᵀ v_i).
  const t = new Float64Array(nb * nb),
    z = new Float64Array(nb);
  for (let i = 0; i < nb; i++) {
    const ti = r.tau[kb + i]!;
    t[i * nb + i] = ti;
    if (ti === 0) continue;
    for (let q = 0; q < i; q++) {
      let s = 0;
      for (let p = i; p < mm; p++) s += vt[q * mm + p]! * vt[i * mm + p]!;
      z[q] = s;
    }
    for (let q = 0; q < i; q++) {
      let s = 0;
      for (let l = q; l < i; l++) s += t[q * nb + l]! * z[l]!;
      t[q * nb + i] = -ti * s;
    }
  }
  return { vt, t };
}

/**
 * Householder QR without pivoting, blocked (LAPACK xGEQRF): each panel of NB columns is factored
 * unblocked, then Hᵀ = I − V·Tᵀ·Vᵀ is applied to the trailing columns with three gemm calls.
 * Same result format and backward stability as `householderQR(cm, m, n, false)`, which it calls
 * for small matrices.
 */
export function qrFactor(cm: Float64Array, m: number, n: number): HouseholderQR {
  const kmax = Math.min(m, n);
  if (m < 2 * NB || n < 2 * NB) return householderQR(cm, m, n, false);
  const tau = new Float64Array(kmax);
  const perm = new Int32Array(n);
  for (let j = 0; j < n; j++) perm[j] = j;
  const set: ReflectorSet = { vbuf: cm, voff: (k) => k * m + k, shift: 0, tau, count: kmax, dim: m };
  for (let kb = 0; kb < kmax; kb += NB) {
    const nb = Math.min(NB, kmax - kb),
      mm = m - kb,
      c0 = kb + nb,
      cc = n - c0;
    // Panel.
    for (let k = kb; k < kb + nb; k++) {
      const tk = makeReflector(cm, k * m + k, m - k);
      tau[k] = tk;
      if (tk !== 0) for (let j = k + 1; j < kb + nb; j++) applyReflector(cm, k * m + k, m - k, tk, cm, j * m + k);
    }
    if (cc <= 0) continue;
    // Trailing update C ← C − V·Tᵀ·(Vᵀ·C); in row-major terms Cᵀ −= (Cᵀ·V·T)·Vᵀ.
    const { vt, t } = blockReflector(set, kb, nb, mm);
    const cOff = c0 * m + kb;
    const w = new Float64Array(cc * nb),
      w2 = new Float64Array(cc * nb);
    gemm(false, true, cc, nb, mm, cm, cOff, m, vt, 0, mm, w, 0, nb, false); // Wᵀ = Cᵀ·V
    gemm(false, false, cc, nb, nb, w, 0, nb, t, 0, nb, w2, 0, nb, false); // Wᵀ·T
    for (let i = 0; i < w2.length; i++) w2[i] = -w2[i]!;
    gemm(false, false, cc, mm, nb, w2, 0, nb, vt, 0, mm, cm, cOff, m, true); // Cᵀ −= Wᵀ·T·Vᵀ
  }
  return { cm, m, n, tau, perm };
}

function unblocked(r: ReflectorSet, y: Float64Array, cols: number, k0: number, k1: number): void {
  for (let k = k1 - 1; k >= k0; k--) {
    const tk = r.tau[k]!;
    if (tk === 0) continue;
    const s0 = k + r.shift,
      len = r.dim - s0;
    if (len <= 0) continue;
    for (let j = s0; j < cols; j++) applyReflector(r.vbuf, r.voff(k), len, tk, y, j * r.dim + s0);
  }
}
