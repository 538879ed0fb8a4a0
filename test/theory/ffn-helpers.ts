/**
 * Helpers of the FFN-term tests: sup-norm errors of the token-wise maps of a fitted constructive
 * Transformer, measured on a fine grid of [0, 1] plus a Lipschitz margin per cell (so that the
 * grid maximum is raised to a bound of the sup, up to the accuracy of the slope estimate).
 */
import type { Tensor } from '../../src/linalg/index.js';
import type { Transformer } from '../../src/models/index.js';
import type { FfnErrors } from '../../src/theory/index.js';

/** `sup |g − ĝ|` on [lo, hi] from samples on a grid of `n` points: max + max slope · h / 2. */
export function supOnGrid(err: Float64Array, lo: number, hi: number): number {
  const n = err.length,
    h = (hi - lo) / (n - 1);
  let mx = 0,
    slope = 0;
  for (let i = 0; i < n; i++) {
    mx = Math.max(mx, Math.abs(err[i]!));
    if (i > 0) slope = Math.max(slope, Math.abs(Math.abs(err[i]!) - Math.abs(err[i - 1]!)) / h);
  }
  return mx + (2 * slope * h) / 2; // twice the observed slope: a margin for curvature inside a cell
}

/** The fitted maps' sup errors against φ_k (σ folded in), ψ_k, f = id and F = id (d = 1, n' = 1). */
export function fittedErrors(
  model: Transformer,
  phi: ((u: number) => number)[],
  psi: ((u: number) => number)[],
  n = 4001,
): FfnErrors {
  const mh = phi.length,
    width = 2 * mh + 1;
  const grid: Tensor = { data: Float64Array.from({ length: n }, (_, i) => i / (n - 1)), shape: [n, 1] };
  const out = model.ffnIn.apply(grid, model.params).data; // (n, 2m_h + 1): φ̂, ψ̂, ĝ
  const col = (j: number, g: (u: number) => number): number =>
    supOnGrid(
      Float64Array.from({ length: n }, (_, i) => g(i / (n - 1)) - out[i * width + j]!),
      0,
      1,
    );
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < n; i++) {
    lo = Math.min(lo, out[i * width + 2 * mh]!);
    hi = Math.max(hi, out[i * width + 2 * mh]!);
  }
  const vgrid: Tensor = {
    data: Float64Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1)),
    shape: [n, 1],
  };
  const Fhat = model.ffnOut.apply(vgrid, model.params).data;
  return {
    phi: phi.map((g, k) => col(k, g)),
    psi: psi.map((g, k) => col(mh + k, g)),
    f: col(2 * mh, (u) => u),
    F: supOnGrid(
      Float64Array.from({ length: n }, (_, i) => vgrid.data[i]! - Fhat[i]!),
      lo,
      hi,
    ),
  };
}
