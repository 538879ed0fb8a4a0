/**
 * `checkBound`: "check the theory on my numbers". Takes measured errors at several `m_h` (with
 * their upper confidence limits) and a target's measures, and returns per point the bound, the
 * slack `bound / error` and whether the bound holds at the upper confidence limit, plus the
 * fitted exponent of the measured errors beside the exponent the chosen variant predicts for
 * that error measure, and which of the bound's terms sets it (docs/THEORY.md, "Rates").
 */
import { ValueError } from '../linalg/errors.js';
import { transformerBound, type BoundVariant, type TransformerBoundTerms } from './bounds.js';
import { fitPowerLaw, type FitOptions, type FitResult } from './fit.js';
import { couplingOscillation, type FfnErrors } from './corrected.js';
import type { Measures } from './measures.js';
import { checkInt } from './util.js';

/** A measured point: the error at `m_h` and its upper confidence limit. */
export interface BoundPoint {
  mh: number;
  error: number;
  ciHigh: number;
}

/** Options of {@link checkBound}. */
export interface CheckBoundOptions {
  tau: number;
  /** FFN neurons (default `Infinity`: exact token-wise maps, the constructive model). */
  mff?: number;
  /** Default `'corrected'`. */
  variant?: BoundVariant;
  /** Which measured error the points hold: `'l1'` = `E Σ_t |H_t − Ĥ_t|`,
   * `'mse'` = `E (1/τ) Σ_t (H_t − Ĥ_t)²`. */
  measure: 'l1' | 'mse';
  beta?: number;
  oscillation?: number;
  ffnErrors?: FfnErrors;
  /** Options of the power-law fit of the measured errors (default: 500 bootstrap resamples, seed 0). */
  fit?: FitOptions;
  /** Floating-point allowance added to the bound in `holds` (default `a = 1e-12 τ (1 + Ω)` for 'l1', `a²`
   * for 'mse', Ω the logit-row oscillation bound): the bound is about exact arithmetic, and at
   * `m_h ≥ rank` the exact truncation's measured error is rounding (~1e-16), not 0. */
  roundoff?: number;
}

/** One checked point. */
export interface CheckedPoint extends BoundPoint {
  bound: number;
  /** `bound / error` (≥ 1 where the bound holds at the point estimate). */
  slack: number;
  /** `bound + roundoff ≥ ciHigh`. */
  holds: boolean;
  /** The bound's attention-rank terms at this point (corrected: per-token, before the prefactor). */
  offDiagonal: number;
  diagonal: number;
}

/** Result of {@link checkBound}. */
export interface CheckBoundResult {
  variant: BoundVariant;
  measure: 'l1' | 'mse';
  /** Whether the variant is an upper bound of this measure (false for printed/proof). */
  isUpperBound: boolean;
  caveat: string;
  points: CheckedPoint[];
  /** Every point holds. */
  allHold: boolean;
  /** The smallest `bound / error` over the points. */
  minSlack: number;
  /** The floating-point allowance `holds` used (see {@link CheckBoundOptions.roundoff}). */
  roundoff: number;
  /** Power-law fit `error ~ m_h^−p` of the measured errors (null with fewer than 3 points). */
  measured: FitResult | null;
  /** The variant's asymptotic exponent for this measure (infinite-rank `σ_k ~ k^−α`). */
  predictedExponent: number;
  /** Which term sets `predictedExponent`. */
  predictedBy: 'diagonal' | 'off-diagonal' | 'tail' | 'printed';
  /** The bound's own log–log slope over the given `m_h` (what the finite spectrum gives there). */
  boundExponentOverRange: number;
  /** The term that is larger at the largest `m_h` (sets the bound over this range). */
  dominantOverRange: 'diagonal' | 'off-diagonal' | 'tail' | 'printed';
}

type Term = CheckBoundResult['predictedBy'];

function predicted(variant: BoundVariant, measure: 'l1' | 'mse', alpha: number): { p: number; by: Term } {
  if (variant === 'printed') return { p: 2 * alpha - 1, by: 'printed' };
  if (variant === 'proof') return { p: 2 * alpha - 1, by: 'tail' };
  // corrected: off-diagonal √tail₂ ~ m^−(α−½), diagonal trace ~ m^−(α−1); the MSE squares both
  const k = measure === 'l1' ? 1 : 2;
  return { p: k * (alpha - 1), by: 'diagonal' };
}

function boundAt(m: Measures, o: CheckBoundOptions, mh: number): { total: number; t: TransformerBoundTerms } {
  const opts: Parameters<typeof transformerBound>[1] = {
    tau: o.tau,
    mh,
    mff: o.mff ?? Infinity,
    variant: o.variant ?? 'corrected',
  };
  if (o.beta !== undefined) opts.beta = o.beta;
  if (o.oscillation !== undefined) opts.oscillation = o.oscillation;
  if (o.ffnErrors !== undefined) opts.ffnErrors = o.ffnErrors;
  const t = transformerBound(m, opts);
  if (o.measure === 'l1' || t.variant !== 'corrected') return { total: t.total, t };
  return { total: correctedMse(m, t, o.tau, mh), t };
}

/** `1e-12 τ (1 + Ω)` (L¹) or its square (MSE): far below any real error, far above rounding. */
function defaultRoundoff(m: Measures, o: CheckBoundOptions): number {
  const a = 1e-12 * o.tau * (1 + (o.oscillation ?? couplingOscillation(m)));
  return o.measure === 'l1' ? a : a * a;
}

/**
 * The corrected bound of the MSE `E (1/τ) Σ_t (H_t − Ĥ_t)²` (docs/THEORY.md, "The MSE"):
 * `(K_F r_f λ)² τ [(τ−1) tail₂ + (s·trace)²]` with `s = min(supPhi, supPsi)`, and, with fitted maps,
 * `2·that + 2c²`, `c = ε_F + K_F ε_f + K_F r_f λ τ δ` (from `(a + b)² ≤ 2a² + 2b²`).
 *
 * @example
 * ```ts
 * const m = measures(couplingTarget({ spectrum: powerLawSpectrum(2, 32) }), { alpha: 2, beta: 0.5 });
 * const t = transformerBound(m, { tau: 16, mh: 4, mff: Infinity });
 * correctedMse(m, t, 16, 4); // ≈ 0.1260 (the L¹ bound t.total is 4.343)
 * ```
 */
export function correctedMse(m: Measures, t: TransformerBoundTerms, tau: number, mh: number): number {
  const c = t.corrected!;
  const s = Math.min(m.parts.supPhi ?? m.parts.supBases, m.parts.supPsi ?? m.parts.supBases);
  const g = c.valueScale * c.softmaxLipschitz;
  const att = g * g * tau * ((tau - 1) * m.tail(mh) + (s * c.diagonal) ** 2);
  const cc = t.ffnTotal / tau; // per-token FFN part: ε_F + K_F ε_f + K_F r_f λ τ δ
  return cc > 0 ? 2 * att + 2 * cc * cc : att;
}

/**
 * Checks a bound against measured errors (see the file header). Every point must have
 * `m_h ≥ 1` integer, `error ≥ 0`, `ciHigh ≥ error`. The exponent fit needs ≥ 3 points with
 * positive errors (else `measured` is null).
 *
 * @example
 * ```ts
 * import { constructiveTransformer, evaluateErrors } from 'seqrate/models';
 * import { checkBound, couplingTarget, measures, powerLawSpectrum } from 'seqrate/theory';
 * const sigma = powerLawSpectrum(2, 32).map((s) => 0.5 * s); // σ_k = 0.5 k^−2
 * const H = couplingTarget({ spectrum: sigma });
 * // measured: the L¹ error of the exact rank-m_h POD truncation (the constructive model)
 * const points = [2, 4, 8].map((mh) => {
 *   const model = constructiveTransformer({
 *     phi: H.basis.phi.slice(0, mh).map((g, k) => (u: Float64Array) => sigma[k]! * g(u)),
 *     psi: H.basis.psi.slice(0, mh),
 *     f: (u) => u[0]!,
 *     F: (v) => v[0]!,
 *   });
 *   const { l1 } = evaluateErrors(model, H, { tau: 16, samples: 32, seed: 0 });
 *   return { mh, error: l1.mean, ciHigh: l1.ciHigh };
 * });
 * const r = checkBound(points, measures(H, { alpha: 2, beta: 0.5 }), { tau: 16, measure: 'l1' });
 * r.points.map((p) => p.error); // ≈ [0.08765, 0.03300, 0.01378]
 * r.points.map((p) => p.bound); // ≈ [4.951, 2.171, 0.8637]
 * [r.allHold, r.minSlack]; // ≈ [true, 56.48]
 * [r.measured!.exponent, r.predictedExponent, r.predictedBy]; // ≈ [1.334, 1, 'diagonal']
 * ```
 */
export function checkBound(points: readonly BoundPoint[], m: Measures, o: CheckBoundOptions): CheckBoundResult {
  const op = 'checkBound';
  if (o.measure !== 'l1' && o.measure !== 'mse') {
    throw new ValueError(op, `measure must be 'l1' or 'mse', got '${String(o.measure)}'`);
  }
  if (points.length === 0) throw new ValueError(op, 'no points given');
  points.forEach((p, i) => {
    checkInt(op, `points[${i}].mh`, p.mh);
    if (!(p.error >= 0) || !Number.isFinite(p.error)) {
      throw new ValueError(op, `points[${i}].error must be a finite number >= 0, got ${p.error}`);
    }
    if (!(p.ciHigh >= p.error) || !Number.isFinite(p.ciHigh)) {
      throw new ValueError(op, `points[${i}].ciHigh must be finite and >= error (${p.error}), got ${p.ciHigh}`);
    }
  });
  const first = boundAt(m, o, points[0]!.mh).t; // validates the options before anything uses them
  const roundoff = o.roundoff ?? defaultRoundoff(m, o);
  if (!(roundoff >= 0) || !Number.isFinite(roundoff)) {
    throw new ValueError(op, `roundoff must be a finite number >= 0, got ${roundoff}`);
  }
  const checked = points.map((p): CheckedPoint => {
    const { total, t } = boundAt(m, o, p.mh);
    const slack = total / p.error,
      holds = total + roundoff >= p.ciHigh;
    return { ...p, bound: total, slack, holds, offDiagonal: t.offDiagonal, diagonal: t.diagonal };
  });
  const variant = first.variant;
  const pr = predicted(variant, o.measure, m.alpha);
  const mhs = points.map((p) => p.mh),
    positive = points.every((p) => p.error > 0);
  const errors = points.map((p) => p.error);
  const measured = points.length >= 3 && positive ? fitPowerLaw(mhs, errors, { seed: 0, ...o.fit }) : null;
  const distinct = new Set(mhs).size >= 2,
    bounds = checked.map((c) => c.bound);
  const fitBound = distinct && bounds.every((b) => b > 0);
  const boundExponentOverRange = fitBound ? fitPowerLaw(mhs, bounds, { bootstrap: 0 }).exponent : NaN;
  const last = checked.reduce((a, b) => (b.mh > a.mh ? b : a));
  const dominantOverRange: Term =
    variant !== 'corrected' ? pr.by : last.diagonal >= last.offDiagonal ? 'diagonal' : 'off-diagonal';
  const mseNote =
    o.measure === 'mse' && variant !== 'corrected' ? '; the paper states no MSE bound: compared as printed' : '';
  return {
    variant,
    measure: o.measure,
    isUpperBound: first.isUpperBound,
    caveat: first.caveat + mseNote,
    points: checked,
    allHold: checked.every((c) => c.holds),
    minSlack: Math.min(...checked.map((c) => c.slack)),
    roundoff,
    measured,
    predictedExponent: pr.p,
    predictedBy: pr.by,
    boundExponentOverRange,
    dominantOverRange,
  };
}
