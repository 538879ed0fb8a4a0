/**
 * Public Householder QR.
 */
import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { accumulateIdentity, qrFactor } from './wy.js';
import { entry, fromColMajor, maxAbs, safeRangeExponent, scalePow2, toColMajor, type FiniteOption } from './util.js';

/** Options of `qr`. */
export interface QrOptions extends FiniteOption {
  /** 'reduced' (default): Q m×k, R k×n with k = min(m, n); 'complete': Q m×m, R m×n. */
  mode?: 'reduced' | 'complete';
}

/**
 * QR factorisation A = Q·R by Householder reflections (LAPACK xGEQRF + xORGQR: blocked compact-WY
 * updates with gemm for n ≥ 64, unblocked below).
 * Q has orthonormal columns, R is upper triangular (its diagonal may be negative, as in LAPACK
 * and numpy). Backward stable: ‖A − QR‖ ≤ c·m·n·ε·‖A‖ and ‖I − QᵀQ‖ ≤ c·m·n·ε (Higham, ASNA
 * Thm 19.4). Size-0 inputs follow numpy (e.g. 0×3 → Q 0×0, R 0×3).
 *
 * ```ts
 * const { q, r } = qr(tensor([[1, 2], [3, 4], [5, 6]]));            // q 3×2, r 2×2
 * const c = qr(tensor([[1, 2], [3, 4], [5, 6]]), { mode: 'complete' }); // q 3×3, r 3×2
 * ```
 */
export function qr(a: Tensor, opts: QrOptions = {}): { q: Tensor; r: Tensor } {
  const [m, n] = entry('qr', a, opts);
  const mode = opts?.mode ?? 'reduced';
  if (mode !== 'reduced' && mode !== 'complete')
    throw new ValueError('qr', `mode must be 'reduced' or 'complete', got '${String(mode)}'`);
  const k = Math.min(m, n);
  const qcols = mode === 'complete' ? m : k;
  // exact power-of-two scaling of subnormal or huge data into the safe range (Q is unchanged; R is scaled back)
  const cm = toColMajor(a.data, m, n),
    e = safeRangeExponent(maxAbs(cm));
  scalePow2(cm, e);
  const f = qrFactor(cm, m, n);
  // R: the upper triangle of the first qcols rows.
  const r = new Float64Array(qcols * n);
  for (let i = 0; i < qcols; i++) for (let j = i; j < n; j++) r[i * n + j] = f.cm[j * m + i]!;
  scalePow2(r, -e);
  // Q = H_0···H_{k−1}·[I_k 0; 0 I], accumulated backwards in blocks (compact WY + gemm).
  const q = new Float64Array(m * qcols);
  for (let j = 0; j < qcols; j++) q[j * m + j] = 1;
  accumulateIdentity({ vbuf: f.cm, voff: (c) => c * m + c, shift: 0, tau: f.tau, count: k, dim: m }, q, qcols);
  return { q: fromColMajor(q, m, qcols), r: { data: r, shape: [qcols, n] } };
}
