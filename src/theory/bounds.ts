/**
 * Rate bounds: the Transformer's Jackson-type bound (Jiang & Li 2024, Thm. 4.2; PAPER.md §3) in
 * the printed and proof-faithful variants, its minimiser over `m_h`, and the RNN side (PAPER.md
 * §4): the paper's `C_1, C_2, C_RNN` and Li, Han, E & Li (2021)'s decay rate, size and smoothness.
 */
import { ValueError } from '../linalg/errors.js';
import type { Measures } from './measures.js';
import { checkAlpha, checkInt, checkPositive, toFinite } from './util.js';

/** Options of {@link transformerBound}. */
export interface TransformerBoundOptions {
  /** Sequence length τ. */
  tau: number;
  /** Attention (query/key) dimension `m_h ≥ 1`. */
  mh: number;
  /** FFN neurons `m_FF ≥ 1`. */
  mff: number;
  /** FFN rate exponent (default: `measures.beta`). */
  beta?: number;
  /** `'printed'` (default): the theorem as printed; `'proof'`: the exact tail. */
  variant?: 'printed' | 'proof';
}

/** Every term of the bound, separately. `total = prefactor · (attention + ffn)`. */
export interface TransformerBoundTerms {
  variant: 'printed' | 'proof';
  /** `τ² C_0`. */
  prefactor: number;
  /** Printed: `C_1/m_h^(2α−1)`. Proof: the exact tail `Σ_{k>m_h} σ_k²`. */
  attention: number;
  /** `C_1²/((2α−1) m_h^(2α−1))`, the proof's upper bound of the exact tail (both variants report it). */
  attentionC1Form: number;
  /** `C_2^(β)(H, m_h) · m_h^(β+1) / m_FF^β`. */
  ffn: number;
  total: number;
}

/**
 * The bound `τ² C_0 ( A(m_h) + C_2^(β)(H, m_h) m_h^(β+1) / m_FF^β )` on
 * `inf_Ĥ ∫ Σ_t |H_t − Ĥ_t| dx` (PAPER.md §3), with `n = 2m_h + m_v`.
 *
 * - `'printed'`: `A = C_1^(α) / m_h^(2α−1)`, as the theorem is printed.
 * - `'proof'` **[ours]**: `A = Σ_{k>m_h} σ_k²`, the exact squared L² truncation error the proof
 *   actually bounds (by `C_1²/((2α−1) m_h^(2α−1))`, also returned as `attentionC1Form`).
 *
 * Known inconsistencies, exposed rather than hidden: the statement prints `C_1` where the proof
 * yields `C_1²/(2α−1)`; the factor `m_h^(β+1)` is not derived in the paper (we keep it in both
 * variants); an L¹ error is bounded through an L² tail. Every term is returned.
 */
export function transformerBound(m: Measures, opts: TransformerBoundOptions): TransformerBoundTerms {
  const op = 'transformerBound';
  checkInt(op, 'tau', opts.tau);
  checkInt(op, 'mh', opts.mh);
  checkInt(op, 'mff', opts.mff);
  checkAlpha(op, m.alpha);
  const beta = opts.beta ?? m.beta;
  checkPositive(op, 'beta', beta);
  const variant = opts.variant ?? 'printed';
  if (variant !== 'printed' && variant !== 'proof') throw new ValueError(op, `variant must be 'printed' or 'proof', got '${String(variant)}'`);
  const e = 2 * m.alpha - 1;
  const prefactor = opts.tau * opts.tau * m.c0;
  const attentionC1Form = (m.c1 * m.c1) / (e * Math.pow(opts.mh, e));
  const attention = variant === 'printed' ? m.c1 / Math.pow(opts.mh, e) : m.tail(opts.mh);
  const ffn = (m.c2(opts.mh) * Math.pow(opts.mh, beta + 1)) / Math.pow(opts.mff, beta);
  return { variant, prefactor, attention, attentionC1Form, ffn, total: prefactor * (attention + ffn) };
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
 * Minimises {@link transformerBound} over `m_h = 1..mhMax` at a fixed `m_FF` by enumeration
 * (the bound trades a falling attention term against a rising FFN term).
 */
export function bestMh(m: Measures, budget: { tau: number; mff: number; mhMax: number; beta?: number; variant?: 'printed' | 'proof' }): BestMh {
  checkInt('bestMh', 'mhMax', budget.mhMax);
  const curve = new Float64Array(budget.mhMax);
  let best: TransformerBoundTerms | null = null, arg = 1;
  for (let mh = 1; mh <= budget.mhMax; mh++) {
    const o: TransformerBoundOptions = { tau: budget.tau, mh, mff: budget.mff };
    if (budget.beta !== undefined) o.beta = budget.beta;
    if (budget.variant !== undefined) o.variant = budget.variant;
    const b = transformerBound(m, o);
    curve[mh - 1] = b.total;
    if (best === null || b.total < best.total) { best = b; arg = mh; }
  }
  return { mh: arg, bound: best!, curve };
}

/** Options of {@link rnnComplexity}. */
export interface RnnComplexityOptions {
  /** Fraction of the window used to fit the decay rate: the last `tailFraction` of it (default 0.5). */
  tailFraction?: number;
  /** A known decay rate λ (`|ρ(t)| ~ e^{−λt}`), overriding the estimate. */
  decayRate?: number;
  /** Smoothness order used for Li et al.'s γ (default 1). */
  smoothness?: number;
}

/** The RNN-side measures of a memory `ρ`. */
export interface RnnComplexity {
  /** Estimated asymptotic decay rate λ (Infinity for a memory that vanishes; ≤ 0: no decay). */
  decayRate: number;
  /** Paper: `C_1 = 1 + inf{b > 0 : e^{t/b}|ρ(t)| → 0} = 1 + 1/λ` (Infinity when λ ≤ 0). */
  c1: number;
  /** Paper: `C_2 = sup_t e^{t/C_1} |ρ(t)|`. */
  c2: number;
  /** `C_RNN = C_1 · C_2`. */
  cRnn: number;
  /** Li et al.: decay rate β (= λ). */
  beta: number;
  /** Li et al.: size `γ = max_{0≤j≤α} sup_t e^{βt} |Δ^j ρ(t)| / β^j` (**[ours]** Δ the forward difference). */
  gamma: number;
  /** Li et al.: smoothness order α used for γ. */
  smoothness: number;
}

/**
 * Estimates `λ` from samples `ρ(0..L−1)`: minus the OLS slope of `log M(t)`, `M(t) = max_{s≥t}|ρ(s)|`
 * (the decreasing envelope), over the last `tailFraction` of the window. **[ours]** a finite
 * window is read as part of an infinite memory (a memory that is exactly zero from some point on
 * has λ = ∞). Exact for `ρ(t) = c e^{−λt}` and for finite convolutions of it (once past the filter).
 */
export function decayRate(rho: ArrayLike<number>, tailFraction = 0.5): number {
  const op = 'decayRate';
  const r = toFinite(op, 'rho', rho);
  if (!(tailFraction > 0 && tailFraction <= 1)) throw new ValueError(op, `tailFraction must lie in (0, 1], got ${tailFraction}`);
  const L = r.length;
  const M = new Float64Array(L);
  let run = 0;
  for (let t = L - 1; t >= 0; t--) { run = Math.max(run, Math.abs(r[t]!)); M[t] = run; }
  if (M[0] === 0) return Infinity;
  const t0 = Math.min(Math.max(0, L - Math.max(2, Math.ceil(tailFraction * L))), L - 1);
  if (L - t0 < 2) throw new ValueError(op, `need at least 2 samples to estimate a decay rate, got ${L}`);
  if (M[L - 1] === 0) return Infinity; // finite support inside the window
  let sx = 0, sy = 0, sxx = 0, sxy = 0, n = 0;
  for (let t = t0; t < L; t++) { const y = Math.log(M[t]!); sx += t; sy += y; sxx += t * t; sxy += t * y; n++; }
  const slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  return -slope;
}

/**
 * The RNN-side complexity of a memory sampled at `s = 0..L−1` (PAPER.md §4): the paper's
 * `C_1 = 1 + 1/λ`, `C_2 = sup_t e^{t/C_1}|ρ(t)|`, `C_RNN = C_1 C_2` (Jiang & Li, App. on RNNs),
 * and Li, Han, E & Li (2021)'s `β`, `γ` and smoothness order (their Thm. 4.2 assumptions).
 * `rho` holds scalars (d = 1) or `|ρ(s)|` norms.
 */
export function rnnComplexity(rho: ArrayLike<number>, opts: RnnComplexityOptions = {}): RnnComplexity {
  const op = 'rnnComplexity';
  const r = toFinite(op, 'rho', rho);
  if (opts.decayRate !== undefined && Number.isNaN(opts.decayRate)) throw new ValueError(op, 'decayRate must be a number (Infinity for a vanishing memory), got NaN');
  const lam = opts.decayRate ?? decayRate(r, opts.tailFraction ?? 0.5);
  const c1v = lam === Infinity ? 1 : lam > 0 ? 1 + 1 / lam : Infinity;
  let c2v = 0;
  for (let t = 0; t < r.length; t++) c2v = Math.max(c2v, (c1v === Infinity ? 1 : Math.exp(t / c1v)) * Math.abs(r[t]!));
  const smoothness = opts.smoothness ?? 1;
  checkInt(op, 'smoothness', smoothness, 0);
  let gamma = Infinity;
  if (lam > 0 && lam < Infinity) {
    gamma = 0;
    let diff = r.slice();
    for (let j = 0; j <= smoothness && diff.length > 0; j++) {
      for (let t = 0; t < diff.length; t++) gamma = Math.max(gamma, (Math.exp(lam * t) * Math.abs(diff[t]!)) / Math.pow(lam, j));
      const next = new Float64Array(Math.max(0, diff.length - 1));
      for (let t = 0; t < next.length; t++) next[t] = diff[t + 1]! - diff[t]!;
      diff = next;
    }
  } else if (lam === Infinity) gamma = 0;
  return { decayRate: lam, c1: c1v, c2: c2v, cRnn: c1v * c2v, beta: lam, gamma, smoothness };
}

/** Result of {@link rnnBound}. */
export interface RnnBound {
  /** Jiang & Li: `d · C_RNN / m`. */
  jiangLi: number;
  /** Li et al.: `C(α) γ d / (β m^α)` (NaN unless `cAlpha` is given). */
  liEtAl: number;
}

/**
 * The two RNN rates of PAPER.md §4 for a width-`m` linear RNN: `d C_RNN / m` (Jiang & Li) and
 * `C(α) γ d / (β m^α)` (Li, Han, E & Li 2021, Thm. 4.2). **[ours]** `C(α)` is supplied by the
 * caller (its value is not published); without it `liEtAl` is NaN.
 */
export function rnnBound(c: RnnComplexity, opts: { d: number; m: number; cAlpha?: number }): RnnBound {
  checkInt('rnnBound', 'd', opts.d);
  checkInt('rnnBound', 'm', opts.m);
  const jiangLi = (opts.d * c.cRnn) / opts.m;
  let liEtAl = NaN;
  if (opts.cAlpha !== undefined) {
    checkPositive('rnnBound', 'cAlpha', opts.cAlpha);
    liEtAl = (opts.cAlpha * c.gamma * opts.d) / (c.beta * Math.pow(opts.m, c.smoothness));
  }
  return { jiangLi, liEtAl };
}
