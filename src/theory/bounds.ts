/**
 * The Transformer's Jackson-type bound (Jiang & Li 2024, Thm. 4.2; PAPER.md §3) in three variants
 * — as printed, proof-faithful, and corrected (ours, an upper bound of the L¹ error; see
 * corrected.ts and docs/THEORY.md) — and its minimiser over `m_h`. The RNN side is in rnn-bounds.ts.
 */
import { ValueError } from '../linalg/errors.js';
import { correctedParts, softmaxLipschitz, type CorrectedParts, type FfnErrors } from './corrected.js';
import type { Measures } from './measures.js';
import { checkAlpha, checkInt, checkPositive } from './util.js';

/** The three variants: the theorem as printed, the proof's exact tail, and our derived bound. */
export type BoundVariant = 'printed' | 'proof' | 'corrected';
const VARIANTS: readonly BoundVariant[] = ['printed', 'proof', 'corrected'];

/** Options of {@link transformerBound}. */
export interface TransformerBoundOptions {
  /** Sequence length τ. */
  tau: number;
  /** Attention (query/key) dimension `m_h ≥ 1`. */
  mh: number;
  /** FFN neurons `m_FF ≥ 1`, or `Infinity` for exact token-wise maps (the FFN term is then 0). */
  mff: number;
  /** FFN rate exponent (default: `measures.beta`). */
  beta?: number;
  /** `'corrected'` (default, an upper bound of the L¹ error), `'printed'` or `'proof'` (kept for the record). */
  variant?: BoundVariant;
  /** Corrected only: a bound Ω on the logit-row oscillation of ρ and of every truncation (default:
   * `2 supPhi supPsi Σ_k σ_k`). A smaller value the caller cannot prove voids the guarantee. */
  oscillation?: number;
  /** Corrected only: measured sup-norm errors of the fitted maps, instead of the `C_FF` plug-ins. */
  ffnErrors?: FfnErrors;
}

/** Every term of the bound, separately. `total = attentionTotal + ffnTotal` for every variant. */
export interface TransformerBoundTerms {
  variant: BoundVariant;
  /** True only for 'corrected' on targets meeting its assumptions: then `total ≥ E_x Σ_t |H_t − Ĥ_t|`. */
  isUpperBound: boolean;
  /** Why this is not an upper bound of the L¹ error ('' when `isUpperBound`). */
  caveat: string;
  /** Printed/proof: `τ² C_0`. Corrected: `K_F r_f λ(Ω + 2δ, τ) τ` (`r_f` = `parts.valueRadius`). */
  prefactor: number;
  /** Printed: `C_1/m_h^(2α−1)`. Proof: `Σ_{k>m_h} σ_k²`. Corrected: `offDiagonal + diagonal`. */
  attention: number;
  /** `C_1²/((2α−1) m_h^(2α−1))`, the proof's upper bound of the exact tail (every variant reports it). */
  attentionC1Form: number;
  /** Printed/proof: `C_2^(β)(H, m_h) m_h^(β+1) / m_FF^β` (to be multiplied by the prefactor).
   * Corrected: the absolute FFN term `ffnTotal` (see `corrected.ffnParts`). */
  ffn: number;
  /** `prefactor · attention`: the attention-rank part of the bound. */
  attentionTotal: number;
  /** The FFN part of the bound (printed/proof: `prefactor · ffn`; corrected: `ffn`). */
  ffnTotal: number;
  total: number;
  /** Corrected: per-token off-diagonal term `(τ−1)√(Σ_{k>m_h} σ_k²)` (NaN for the other variants). */
  offDiagonal: number;
  /** Corrected: per-token diagonal term `Σ_{k>m_h} σ_k` (NaN for the other variants). */
  diagonal: number;
  /** Corrected: every constant of the derivation (undefined for the other variants). */
  corrected?: CorrectedParts;
}

const CAVEAT_PRINTED =
  "printed: violated by the proof's own construction (σ_k = k^-3, R = 512, τ = 16: the exact " +
  'rank-m_h POD truncation has L1 error ~ m_h^-2, above τ²C_0 C_1/m_h^(2α-1) from m_h ≈ 24 on); ' +
  'it also bounds an ' +
  'L1 error by an L2-type quantity, so it fails under spectrum scaling too';
const CAVEAT_PROOF =
  'proof: bounds an L1 error (linear in the logit error) by the squared L2 tail (quadratic in ' +
  'it), so scaling the spectrum by c → 0 breaks it (rank 2, σ = c·(1, 1/2), τ = 16, m_h = 1, c = 1e-3: ' +
  'error 7.72e-4 > bound 1.81e-4)';

function checkBoundOptions(
  op: string,
  m: Measures,
  opts: TransformerBoundOptions,
): { beta: number; variant: BoundVariant } {
  checkInt(op, 'tau', opts.tau);
  checkInt(op, 'mh', opts.mh);
  if (opts.mff !== Infinity) checkInt(op, 'mff', opts.mff);
  checkAlpha(op, m.alpha);
  const beta = opts.beta ?? m.beta;
  checkPositive(op, 'beta', beta);
  const variant = opts.variant ?? 'corrected';
  if (!VARIANTS.includes(variant)) {
    throw new ValueError(op, `variant must be 'printed', 'proof' or 'corrected', got '${String(variant)}'`);
  }
  return { beta, variant };
}

/** Why the corrected bound's assumptions fail for these measures ('' when they hold). */
function correctedCaveat(m: Measures): string {
  if (m.hardMax === true) {
    return (
      'corrected: assumes softmax attention (its Lipschitz factor λ), but the target attends by a hard max, ' +
      'which is discontinuous in the logits'
    );
  }
  if (m.positionEncoding !== undefined && m.positionEncoding !== 'none') {
    return `corrected: assumes i.i.d. uniform tokens, but the target has a '${m.positionEncoding}' position encoding`;
  }
  if (m.basisDefect > 1e-8) {
    const defect = m.basisDefect.toExponential(2);
    return `corrected: assumes orthonormal bases (the spectrum is the POD), but basisDefect = ${defect}`;
  }
  return '';
}

/**
 * A bound on `E_x Σ_t |H_t(x) − Ĥ_t(x)|` (the theorem's left side, x ~ U(I^τ)) at `(τ, m_h, m_FF)`,
 * `n = 2m_h + m_v`, in three variants (PAPER.md §3; docs/THEORY.md):
 *
 * - `'corrected'` **[ours, default]**: `K_F r_f λ(Ω+2δ, τ) τ [(τ−1)√(Σ_{k>m} σ_k²) + Σ_{k>m} σ_k + τδ]
 *   + τ(ε_F + K_F ε_f)`, derived in docs/THEORY.md ("The corrected bound"): an upper bound for every
 *   coupling target in the class (orthonormal bases, i.i.d. uniform tokens), any spectrum scale,
 *   any α > ½, any finite rank, any τ. `isUpperBound` is true when those assumptions hold.
 * - `'printed'`: `τ² C_0 (C_1^(α)/m_h^(2α−1) + C_2^(β)(H, m_h) m_h^(β+1)/m_FF^β)`, as printed.
 * - `'proof'`: the printed form with the exact tail `Σ_{k>m_h} σ_k²` in place of `C_1/m_h^(2α−1)`.
 *
 * Printed and proof are **not** upper bounds of the L¹ error (`isUpperBound: false`, `caveat` says
 * why); they are kept so the paper's inconsistencies stay measurable. Every term is returned.
 *
 * @example
 * ```ts
 * const H = couplingTarget({ spectrum: powerLawSpectrum(2, 32) }); // σ_k = k^−2, rank 32
 * const m = measures(H, { alpha: 2, beta: 0.5 });
 * const b = transformerBound(m, { tau: 16, mh: 4, mff: Infinity }); // exact token-wise maps
 * b.isUpperBound; // → true
 * [b.offDiagonal, b.diagonal]; // ≈ [0.8952, 0.1906] (per token: 15 √(Σ_{k>4} σ_k²), Σ_{k>4} σ_k)
 * b.total; // ≈ 4.343
 * const p = transformerBound(m, { tau: 16, mh: 4, mff: Infinity, variant: 'printed' });
 * [p.isUpperBound, p.total]; // ≈ [false, 11.31] (τ² C_0 C_1 / m_h³; p.caveat says why it is no bound)
 * ```
 */
export function transformerBound(m: Measures, opts: TransformerBoundOptions): TransformerBoundTerms {
  const op = 'transformerBound';
  const { beta, variant } = checkBoundOptions(op, m, opts);
  const e = 2 * m.alpha - 1;
  const attentionC1Form = (m.c1 * m.c1) / (e * Math.pow(opts.mh, e));
  if (variant === 'corrected') {
    const o: Parameters<typeof correctedParts>[1] = { tau: opts.tau, mh: opts.mh, mff: opts.mff, beta };
    if (opts.oscillation !== undefined) o.oscillation = opts.oscillation;
    if (opts.ffnErrors !== undefined) o.ffnErrors = opts.ffnErrors;
    const c = correctedParts(m, o);
    const prefactor = c.valueScale * c.softmaxLipschitz * opts.tau,
      attention = c.offDiagonal + c.diagonal;
    const ffnTotal = c.ffnParts.readout + c.ffnParts.value + c.ffnParts.logits;
    const caveat = correctedCaveat(m),
      attentionTotal = prefactor * attention;
    return {
      variant,
      isUpperBound: caveat === '',
      caveat,
      prefactor,
      attention,
      attentionC1Form,
      ffn: ffnTotal,
      attentionTotal,
      ffnTotal,
      total: attentionTotal + ffnTotal,
      offDiagonal: c.offDiagonal,
      diagonal: c.diagonal,
      corrected: c,
    };
  }
  const prefactor = opts.tau * opts.tau * m.c0;
  const attention = variant === 'printed' ? m.c1 / Math.pow(opts.mh, e) : m.tail(opts.mh);
  const ffn = opts.mff === Infinity ? 0 : (m.c2(opts.mh) * Math.pow(opts.mh, beta + 1)) / Math.pow(opts.mff, beta);
  return {
    variant,
    isUpperBound: false,
    caveat: variant === 'printed' ? CAVEAT_PRINTED : CAVEAT_PROOF,
    prefactor,
    attention,
    attentionC1Form,
    ffn,
    attentionTotal: prefactor * attention,
    ffnTotal: prefactor * ffn,
    total: prefactor * (attention + ffn),
    offDiagonal: NaN,
    diagonal: NaN,
  };
}

/** Result of {@link bestMh}. */
export interface BestMh {
  /** The minimising `m_h` (the smallest, on ties). */
  mh: number;
  /** The bound there. */
  bound: TransformerBoundTerms;
  /** `curve[i]`: the total bound at `m_h = i + 1`. */
  curve: Float64Array;
}

/**
 * Largest `mhMax` {@link bestMh} accepts: its curve takes `8 · mhMax` bytes.
 *
 * @example
 * ```ts
 * BEST_MH_MAX; // → 10000000 (an 80 MB curve)
 * ```
 */
export const BEST_MH_MAX = 10_000_000;

/**
 * Minimises {@link transformerBound} over `m_h = 1..mhMax` at a fixed `m_FF` (default variant
 * `'corrected'`, a bound). Linear in `mhMax + rank`: every term is updated by running sums
 * (`Σ_{i≤k} C_FF`, the tails, δ), not recomputed per `m_h`; the curve equals
 * `transformerBound(...).total` to rounding. Refuses `mhMax > BEST_MH_MAX` (ValueError naming the
 * memory it would need).
 *
 * @example
 * ```ts
 * const m = measures(couplingTarget({ spectrum: powerLawSpectrum(2, 32) }), { alpha: 2, beta: 0.5 });
 * // with m_FF = 10⁶ FFN neurons the FFN term grows with m_h: the bound has an interior minimum
 * const best = bestMh(m, { tau: 16, mff: 1e6, mhMax: 32 });
 * best.mh; // → 11
 * best.bound.total; // ≈ 6.036 (21.32 at m_h = 1, 6.722 at m_h = 32)
 * best.curve.length; // → 32 (best.curve[i] is the bound at m_h = i + 1)
 * ```
 */
export function bestMh(
  m: Measures,
  budget: { tau: number; mff: number; mhMax: number; beta?: number; variant?: BoundVariant },
): BestMh {
  const op = 'bestMh';
  checkInt(op, 'mhMax', budget.mhMax);
  if (budget.mhMax > BEST_MH_MAX) {
    const mib = ((8 * budget.mhMax) / 2 ** 20).toFixed(0);
    throw new ValueError(
      op,
      `mhMax = ${budget.mhMax} exceeds the cap ${BEST_MH_MAX} ` +
        `(its curve would need ${mib} MiB); ` +
        'beyond the rank the attention terms are 0 anyway',
    );
  }
  const base: TransformerBoundOptions = { tau: budget.tau, mh: 1, mff: budget.mff };
  if (budget.beta !== undefined) base.beta = budget.beta;
  if (budget.variant !== undefined) base.variant = budget.variant;
  const first = transformerBound(m, base); // validates every option once
  const curve = boundCurve(m, first, base, budget.mhMax);
  let arg = 1;
  for (let i = 1; i < curve.length; i++) if (curve[i]! < curve[arg - 1]!) arg = i + 1;
  return { mh: arg, bound: transformerBound(m, { ...base, mh: arg }), curve };
}

/** The totals at m_h = 1..M by running sums (see {@link bestMh}). */
function boundCurve(m: Measures, first: TransformerBoundTerms, o: TransformerBoundOptions, M: number): Float64Array {
  const s = m.spectrum,
    R = s.length,
    tau = o.tau,
    beta = o.beta ?? m.beta;
  // suffix sums: sq[k] = Σ_{i>k} σ_i², tr[k] = Σ_{i>k} σ_i, for k = 0..R (smallest first)
  const sq = new Float64Array(R + 1),
    tr = new Float64Array(R + 1);
  for (let k = R - 1; k >= 0; k--) {
    sq[k] = sq[k + 1]! + s[k]! * s[k]!;
    tr[k] = tr[k + 1]! + s[k]!;
  }
  const tail = (k: number): number => (k >= R ? 0 : sq[k]!);
  const curve = new Float64Array(M);
  const e = 2 * m.alpha - 1,
    mffPow = o.mff === Infinity ? Infinity : Math.pow(o.mff, beta);
  if (first.variant !== 'corrected') {
    const c2base = m.c2(0);
    let c2run = c2base;
    for (let mh = 1; mh <= M; mh++) {
      c2run = m.cFF ? c2run + cffValue(m.cFF.phi, mh) + cffValue(m.cFF.psi, mh) : m.c2(mh);
      const att = first.variant === 'printed' ? m.c1 / Math.pow(mh, e) : tail(mh);
      const ffn = mffPow === Infinity ? 0 : (c2run * Math.pow(mh, beta + 1)) / mffPow;
      curve[mh - 1] = first.prefactor * (att + ffn);
    }
    return curve;
  }
  const c = first.corrected!;
  const sp = m.parts.supPhi ?? m.parts.supBases,
    sqs = m.parts.supPsi ?? m.parts.supBases;
  const ffnFixed = c.ffnParts.readout + c.ffnParts.value;
  let delta = 0;
  for (let mh = 1; mh <= M; mh++) {
    if (mffPow !== Infinity) {
      const sk = s[mh - 1] ?? 0,
        ep = (sk * cffValue(m.cFF!.phi, mh)) / mffPow,
        eq = cffValue(m.cFF!.psi, mh) / mffPow;
      delta += ep * sqs + (sk * sp + ep) * eq;
    }
    const lam = softmaxLipschitz(c.oscillation + 2 * delta, tau);
    const att = c.valueScale * lam * tau * ((tau - 1) * Math.sqrt(tail(mh)) + (mh >= R ? 0 : tr[mh]!));
    curve[mh - 1] = att + ffnFixed + c.valueScale * lam * tau * tau * delta;
  }
  return curve;
}

function cffValue(c: ArrayLike<number> | ((i: number) => number), i: number): number {
  const v = typeof c === 'function' ? c(i) : c[i - 1];
  if (v === undefined || !Number.isFinite(v) || v < 0) {
    throw new ValueError('bestMh', `C_FF plug-in ${i} must be a finite number >= 0, got ${String(v)}`);
  }
  return v;
}
