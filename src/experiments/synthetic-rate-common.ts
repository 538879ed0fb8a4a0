/**
 * Shared pieces of `synthetic-rate` (config, point types, targets, inputs, error statistics and
 * the target diagnostics), imported by the experiment, its report and its fitted estimate, so that
 * none of them imports another in a cycle.
 */
import { createRng, rand, type Tensor } from '../linalg/index.js';
import { couplingTarget, powerLawSpectrum, powerLawTailEnergy } from '../theory/index.js';
import type { CheckBoundResult } from '../theory/index.js';
import type { FittedSummary } from './synthetic-rate-fitted.js';
import { pointSeed, type Config } from './types.js';

/** Hyper-parameters of the fitted estimate (config key `fitted`). */
export type FittedConfig = {
  /** m_h values at which the fitted estimate is computed (a sub-list of `mhs`). */
  mhs: number[];
  /** Replicate seeds: seed, seed+1, …, seed+seeds−1 (the trained estimate's training data of that seed). */
  seeds: number;
  /** Hidden width, hidden layers and activation of the fitted FFNs f̂ and F̂ ('tanh', 'relu' or 'gelu'). */
  width: number;
  depth: number;
  activation: string;
  /** Uniform sample points of [0, 1] for each basis fit. */
  samples: number;
  /**
   * L-BFGS iterations of each basis fit per two POD terms: a point fitting k = min(m_h, r) non-zero
   * terms gets fitIter × max(1, k/2) (the highest frequency sin(2kπu) to be fitted grows with k).
   */
  fitIter: number;
  /** Fine-tuning of the whole Transformer: float64 L-BFGS iterations and gradient tolerance. */
  lbfgsIter: number;
  gtol: number;
};

/** Config of synthetic-rate (every hyper-parameter; see presets for values). */
export type SyntheticRateConfig = Config & {
  tau: number;
  /** The paper's spectra σ_k = k^−α (scale 1), each at every rank of `ranks`. */
  alphas: number[];
  /** Ranks; the string 'inf' means infinite rank truncated at `R` terms. */
  ranks: (number | string)[];
  /**
   * Rate cases [ours]: rank ∞ with a scaled spectrum c·k^−α, chosen so that neither the truncation
   * at R nor the diagonal s = t dominates; the rate checks run on these.
   */
  rateCases: { alpha: number; scale: number }[];
  /** Whether the rate cases are also trained (costly), or only constructive. */
  rateTrained: boolean;
  R: number;
  mhs: number[];
  /** Replicate seeds of the trained estimate: seed, seed+1, …, seed+seeds−1. */
  seeds: number;
  trainSize: number;
  testSize: number;
  /** Monte-Carlo sequences for the constructive estimate. */
  constructiveSamples: number;
  model: { n: number; mv: number; ffnWidth: number; ffnDepth: number; activation: string };
  fit: { adamSteps: number; lr: number; lbfgsIter: number; gtol: number };
  /** Fit power laws on m_h ≤ fitMaxMh (well below R). */
  fitMaxMh: number;
  /** Grid of the numerical POD check. */
  podGrid: number;
  /** The fitted estimate (oracle-initialised achievability certificate, synthetic-rate-fitted.ts). */
  fitted: FittedConfig;
};

/** A sweep point; `scale` is 1 for the paper's spectra. */
export type SyntheticRateParams = {
  kind: 'trained' | 'constructive' | 'fitted' | 'spectrum';
  alpha: number;
  rank: number | string;
  mh: number;
  seed: number;
  scale: number;
};

/** The L¹ error E Σ_t |H_t − Ĥ_t| and the MSE per token, each with its Monte-Carlo standard error over sequences. */
export type ErrorStats = { l1: number; l1Se: number; mse: number; mseSe: number };

/** What a constructive point returns. */
export type ConstructiveResult = ErrorStats & {
  /** Σ_{k>m_h} σ_k² of the (truncated, scaled) spectrum. */
  tail: number;
  uniformMse: number;
  targetVariance: number;
  /** Mean attention mass of the target on s = t, and the fraction of ‖ρ‖² cut off by R (0 for finite rank). */
  diagMass: number;
  truncated: number;
};
/** What a trained point returns (training MSE is the paper's estimate; test errors beside it). */
export type TrainedResult = {
  trainMse: number;
  testMse: number;
  testL1: number;
  testL1Se: number;
  initialLoss: number;
  adamLoss: number;
  gradNorm: number;
  lbfgsIterations: number;
  lbfgsReason: string;
};
/** What a fitted point returns. */
export type FittedResult = {
  trainMse: number;
  testMse: number;
  warmMse: number;
  warmTestMse: number;
  fitInner: number;
  fitOuter: number;
  terms: number;
  fitIter: number;
  gradNorm: number;
  lbfgsIterations: number;
  lbfgsReason: string;
};
/** What a spectrum point returns. */
export type SpectrumResult = { numeric: number[]; prescribed: number[] };
/** Any point result. */
export type SyntheticRatePoint = ConstructiveResult | TrainedResult | FittedResult | SpectrumResult;

/** Numeric rank of a config rank (∞ → R). */
export function rankOf(c: SyntheticRateConfig, rank: number | string): number {
  return rank === 'inf' ? c.R : Number(rank);
}

/** The target of (α, rank, scale): ρ = Σ_k scale·k^−α √2 sin(2kπu) √2 sin(2kπv). */
export function targetOf(
  c: SyntheticRateConfig,
  alpha: number,
  rank: number | string,
  scale = 1,
): ReturnType<typeof couplingTarget> {
  const s = powerLawSpectrum(alpha, rankOf(c, rank));
  if (scale !== 1) for (let k = 0; k < s.length; k++) s[k] = s[k]! * scale;
  return couplingTarget({ spectrum: s, tau: c.tau });
}

/** The (α, rank, scale) targets of a config: the paper's (scale 1, every rank), then the rate cases (rank ∞). */
export function casesOf(
  c: SyntheticRateConfig,
): { alpha: number; rank: number | string; scale: number; role: 'paper' | 'rate' }[] {
  return [
    ...c.alphas.flatMap((alpha) => c.ranks.map((rank) => ({ alpha, rank, scale: 1, role: 'paper' as const }))),
    ...c.rateCases.map((r) => ({
      alpha: r.alpha,
      rank: 'inf' as number | string,
      scale: r.scale,
      role: 'rate' as const,
    })),
  ];
}

/** Replicate seeds. */
export function seedsOf(c: SyntheticRateConfig): number[] {
  return Array.from({ length: c.seeds }, (_, i) => c.seed + i);
}

/** U[0,1] sequences (n, τ, 1) from a labelled seed. */
export function inputs(seed: number, n: number, tau: number, ...labels: (string | number)[]): Tensor {
  return rand(createRng(pointSeed(seed, ...labels)), [n, tau, 1]);
}

/** Point-key suffix of a scale (empty for the paper's scale 1, so that the paper's keys are unchanged). */
export function scaleKey(scale: number): string {
  return scale === 1 ? '' : ` scale=${scale}`;
}

/**
 * Mean softmax mass the target puts on s = t over the sequences x (B, τ, 1): ρ(u, u) grows with
 * Σσ_k for the sine basis, and a large diagonal mass means H_t(x) ≈ x(t) (PAPER §3, "What the
 * bound bounds").
 */
export function diagonalMass(target: ReturnType<typeof couplingTarget>, x: Tensor): number {
  const T = x.shape[1]!,
    B = x.shape[0]!;
  let m = 0;
  const u = new Float64Array(1),
    v = new Float64Array(1),
    l = new Float64Array(T);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++) {
      u[0] = x.data[b * T + t]!;
      let mx = -Infinity;
      for (let s = 0; s < T; s++) {
        v[0] = x.data[b * T + s]!;
        l[s] = target.coupling(u, v);
        mx = Math.max(mx, l[s]!);
      }
      let z = 0;
      for (let s = 0; s < T; s++) z += Math.exp(l[s]! - mx);
      m += Math.exp(l[t]! - mx) / z;
    }
  return m / (B * T);
}

/** Fraction of ‖ρ‖² = Σ_k σ_k² that truncating k^−α at R terms cuts off: ζ(2α, R+1)/ζ(2α); 0 for a finite rank. */
export function truncatedFraction(c: SyntheticRateConfig, alpha: number, rank: number | string): number {
  return rank === 'inf' ? powerLawTailEnergy(alpha, c.R) / powerLawTailEnergy(alpha, 0) : 0;
}

// ---- assembled curves (shared by the report, its checks and its figures) ----

/** The trained estimate at one m_h: training MSE over seeds (the paper's estimate), test MSE and test L¹. */
export interface TrainedSummary {
  median: number;
  min: number;
  max: number;
  testMedian: number;
  testL1: number;
  gradNorm: number;
  reasons: string;
  capped: number;
}

/** One (α, rank, scale) curve. */
export interface Curve {
  alpha: number;
  rank: number | string;
  scale: number;
  role: 'paper' | 'rate';
  mh: number[];
  /** Mean attention mass of the target on s = t, and the fraction of ‖ρ‖² cut off by R. */
  diagMass: number;
  truncated: number;
  cons: ConstructiveResult[];
  /** null where the preset does not train this case. */
  trained: (TrainedSummary | null)[];
  bound: { printed: number; proof: number; corrected: number }[];
  /** The fitted estimate at each m_h (null where the preset does not compute it). */
  fitted: (FittedSummary | null)[];
  /** checkBound of the corrected bound on the constructive L¹ error and MSE (every m_h; exponents on m_h ≤ fitMaxMh). */
  l1: CheckBoundResult;
  mse: CheckBoundResult;
}

/** Power-law fit summary (exponent p of error ~ m_h^−p). */
export interface Fit {
  alpha: number;
  scale: number;
  estimate: Estimate;
  exponent: number;
  lo: number;
  hi: number;
  r2: number;
  theory: number;
}

export type Estimate = 'constructive' | 'trained' | 'fitted';

/** The curve value of an estimate at index i (NaN where it is not computed): MSE, or the L¹ error where `l1`. */
export function curveValue(cv: Curve, estimate: Estimate, i: number, l1 = false): number {
  if (estimate === 'constructive') return l1 ? cv.cons[i]!.l1 : cv.cons[i]!.mse;
  if (estimate === 'trained') return (l1 ? cv.trained[i]?.testL1 : cv.trained[i]?.median) ?? NaN;
  return l1 ? NaN : (cv.fitted[i]?.median ?? NaN);
}
