/**
 * Shared helpers of the bound property tests: the constructive (exact POD truncation) Transformer
 * of a coupling target, and its measured L¹/MSE errors. Tests may import models and theory both.
 */
import { constructiveTransformer, evaluateErrors, type EvaluateErrorsResult } from '../../src/models/index.js';
import { couplingTarget, type CouplingTarget } from '../../src/theory/index.js';

/** The rank-m_h POD truncation of `target` as a constructive Transformer (σ_k folded into φ_k). */
export function podTruncation(target: CouplingTarget, mh: number) {
  const { spectrum: s, basis: b } = target;
  return constructiveTransformer({
    phi: Array.from({ length: mh }, (_, k) => (u: Float64Array) => (k < s.length ? s[k]! * b.phi[k]!(u) : 0)),
    psi: Array.from({ length: mh }, (_, k) => (u: Float64Array) => (k < s.length ? b.psi[k]!(u) : 0)),
    f: (u) => target.f(u),
    F: (v) => target.F(v),
  });
}

/** The sine-basis target with spectrum `scale · k^−α`, k = 1..R (the paper's App. B.2 family). */
export function powerTarget(alpha: number, R: number, scale = 1): CouplingTarget {
  return couplingTarget({ spectrum: Float64Array.from({ length: R }, (_, i) => scale * (i + 1) ** -alpha) });
}

/** Measured L¹ and MSE of the rank-m_h truncation of `target` (x ~ U[0,1]^τ, seeded). */
export function truncationErrors(
  target: CouplingTarget,
  mh: number,
  tau: number,
  samples: number,
  seed: number,
): EvaluateErrorsResult {
  return evaluateErrors(podTruncation(target, mh), target, { tau, samples, seed });
}
