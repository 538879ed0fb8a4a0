/**
 * The playground's computations, all through the library (no numbers of its own): the coupling
 * target of the paper's App. B.2 with σ_k = scale · k^−α, its POD recomputed from ρ by quadrature
 * and SVD, the attention part of the bound of every variant (printed, proof, corrected) against
 * m_h, and the measured L¹ error E_x Σ_t |H_t(x) − Ĥ_t(x)| of the constructive Transformer (exact
 * POD truncated to m_h terms) with its 95% Monte-Carlo interval (`evaluateErrors`).
 */
import { constructiveTransformer, evaluateErrors } from '../../src/models/index.js';
import {
  couplingTarget,
  kernelSpectrum,
  measures,
  powerLawSpectrum,
  transformerBound,
} from '../../src/theory/index.js';

/** The target a user picks. rank 0 means "∞", truncated at R_INF terms. */
export interface TargetChoice {
  alpha: number;
  rank: number;
  scale: number;
  tau: number;
}

/** Terms kept for an infinite rank. */
export const R_INF = 32;
/** The m_h values on the x axis. */
export const MHS = [1, 2, 3, 4, 6, 8, 12, 16];
/** Bound variants drawn (every variant `transformerBound` accepts). */
export const VARIANTS = ['printed', 'proof', 'corrected'] as const;

/** σ_k = scale · k^−α for k = 1..rank (rank 0: R_INF terms). */
export function spectrumOf(c: TargetChoice): Float64Array {
  const s = powerLawSpectrum(c.alpha, c.rank === 0 ? R_INF : c.rank);
  return s.map((v) => v * c.scale);
}

/** The target H of a choice. */
export function targetOf(c: TargetChoice): ReturnType<typeof couplingTarget> {
  return couplingTarget({ spectrum: spectrumOf(c), tau: c.tau });
}

/** Prescribed σ_k and the POD recomputed from ρ alone (grid 4·K points, first K values). */
export function podSpectrum(c: TargetChoice): { k: number[]; prescribed: number[]; numeric: number[] } {
  const target = targetOf(c);
  const K = Math.min(target.spectrum.length, 16);
  const sp = kernelSpectrum((u: number, v: number) => target.coupling(Float64Array.of(u), Float64Array.of(v)), {
    grid: Math.max(64, 4 * K),
    rank: K,
    errorEstimate: false,
  });
  return {
    k: Array.from({ length: K }, (_, i) => i + 1),
    prescribed: Array.from(target.spectrum.subarray(0, K)),
    numeric: Array.from(sp.sigma),
  };
}

/**
 * The attention part of each variant's bound at each m_h (`attentionTotal`: τ²C_0 × the attention
 * term for printed and proof, the corrected bound's attention terms with its prefactor); the FFN
 * part is left out because the constructive model uses the exact bases (m_FF → ∞).
 */
export function boundCurves(c: TargetChoice, mhs: readonly number[] = MHS): Record<string, number[]> {
  const m = measures(targetOf(c), { alpha: c.alpha, beta: 0.5 });
  const out: Record<string, number[]> = {};
  for (const variant of VARIANTS) {
    out[variant] = mhs.map((mh) => {
      return transformerBound(m, { tau: c.tau, mh, mff: 1, variant }).attentionTotal;
    });
  }
  return out;
}

/** Measured L¹ error of the constructive model at each m_h: mean and 95% interval over seeded sequences. */
export function constructiveL1(
  c: TargetChoice,
  samples = 200,
  mhs: readonly number[] = MHS,
  seed = 1,
): { mean: number[]; lo: number[]; hi: number[] } {
  const target = targetOf(c);
  const sigma = target.spectrum;
  const s2 = Math.SQRT2;
  const out = { mean: [] as number[], lo: [] as number[], hi: [] as number[] };
  for (const mh of mhs) {
    const k = Math.min(mh, sigma.length);
    const model = constructiveTransformer({
      phi: Array.from(
        { length: k },
        (_, i) => (u: Float64Array) => sigma[i]! * s2 * Math.sin(2 * (i + 1) * Math.PI * u[0]!),
      ),
      psi: Array.from({ length: k }, (_, i) => (u: Float64Array) => s2 * Math.sin(2 * (i + 1) * Math.PI * u[0]!)),
      f: (u) => u[0]!,
      F: (v) => v[0]!,
    });
    const { l1 } = evaluateErrors(model, target, { tau: c.tau, samples, seed });
    out.mean.push(l1.mean);
    out.lo.push(l1.ciLow);
    out.hi.push(l1.ciHigh);
  }
  return out;
}
