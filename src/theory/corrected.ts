/**
 * The `'corrected'` variant of the Transformer bound **[ours]**: an upper bound of the L¹ error
 * `E_x Σ_t |H_t(x) − Ĥ_t(x)|` of the constructive (rank-m_h POD) Transformer, derived in the norm
 * of the theorem's left-hand side (docs/THEORY.md, "The corrected bound", steps 1–7). The paper's
 * printed statement and its proof bound an L¹ error by a squared L² tail, which is not a bound
 * (PAPER.md §3, "What the bound bounds"); this module is the replacement.
 *
 * Legend: τ tokens, `Ω` a bound on the per-row oscillation `sup_u (max_v ρ(u,v) − min_v ρ(u,v))`
 * of every logit row involved (ρ, its truncation, the fitted logit), `λ(Ω, τ)` the softmax's L¹
 * Lipschitz factor, `tail₂(m) = Σ_{k>m} σ_k²`, `trace(m) = Σ_{k>m} σ_k`.
 */
import { ValueError } from '../linalg/errors.js';
import type { Measures } from './measures.js';
import { checkPositive } from './util.js';

/**
 * `λ(Ω, τ) = 2 h(κ)`, `κ = e^Ω / (e^Ω + τ − 1)`, `h(κ) = κ(1 − κ)` for κ ≤ ½ and ¼ beyond.
 * For logit rows `a, b ∈ R^τ` whose convex combinations all oscillate by at most Ω,
 * `‖softmax(a) − softmax(b)‖₁ ≤ λ(Ω, τ) Σ_s |a_s − b_s|` (docs/THEORY.md steps 2–3: the Jacobian
 * `diag(q) − qqᵀ` gives `‖J e‖₁ ≤ 2 Σ_s q_s(1 − q_s)|e_s|`, and `q_s ≤ κ`). Tight at τ = 2, Ω = 0.
 *
 * @example
 * ```ts
 * softmaxLipschitz(0, 2); // → 0.5 (κ = ½: the tight case)
 * softmaxLipschitz(0, 16); // ≈ 0.1172 (κ = 1/16: 2κ(1 − κ))
 * softmaxLipschitz(10, 16); // → 0.5 (κ > ½: the cap 2 · ¼)
 * softmaxLipschitz(3, 1); // → 0 (one token: the softmax is constant)
 * ```
 */
export function softmaxLipschitz(oscillation: number, tau: number): number {
  checkPositive('softmaxLipschitz', 'oscillation', oscillation, true);
  if (!(Number.isSafeInteger(tau) && tau >= 1)) {
    throw new ValueError('softmaxLipschitz', `tau must be an integer >= 1, got ${tau}`);
  }
  if (tau === 1) return 0; // a single token: the softmax is the constant 1
  // κ = 1 / (1 + (τ − 1) e^−Ω), written so that Ω = 1e6 gives κ = 1 instead of NaN
  const kappa = 1 / (1 + (tau - 1) * Math.exp(-oscillation));
  return 2 * (kappa <= 0.5 ? kappa * (1 - kappa) : 0.25);
}

/**
 * `Σ_{i>k} σ_i` (i 1-based), summed smallest-first: the trace tail the diagonal pairs see.
 *
 * @example
 * ```ts
 * traceTail([1, 0.5, 0.25], 1); // → 0.75
 * tailEnergy([1, 0.5, 0.25], 1); // → 0.3125 (the squared tail, for comparison)
 * ```
 */
export function traceTail(spectrum: ArrayLike<number>, k: number): number {
  let t = 0;
  for (let i = spectrum.length - 1; i >= k; i--) t += spectrum[i]!;
  return t;
}

/**
 * A guaranteed bound of the per-row oscillation of ρ and of every truncation ρ_m:
 * `osc_v Σ_{k≤m} σ_k φ_k(u) ψ_k(v) ≤ Σ_k σ_k ‖φ_k‖_∞ · 2‖ψ_k‖_∞` (docs/THEORY.md step 3).
 * Uses `parts.supPhi`, `parts.supPsi` when the measures carry them, else `supBases` for both.
 *
 * @example
 * ```ts
 * const m = measures(couplingTarget({ spectrum: [1, 0.5] }), { alpha: 1, beta: 0.5 });
 * couplingOscillation(m); // ≈ 6 (2 · √2 · √2 · (1 + 0.5))
 * ```
 */
export function couplingOscillation(m: Measures): number {
  const sp = m.parts.supPhi ?? m.parts.supBases,
    sq = m.parts.supPsi ?? m.parts.supBases;
  let s = 0;
  for (let i = 0; i < m.spectrum.length; i++) s += m.spectrum[i]!;
  return 2 * sp * sq * s;
}

/** Sup-norm errors of the fitted token-wise maps (docs/THEORY.md step 6). */
export interface FfnErrors {
  /** `sup |F − F̂|` on the convex hull of the fitted values `f̂(I)`. */
  F: number;
  /** `sup_u ‖f(u) − f̂(u)‖`. */
  f: number;
  /** `sup_u |σ_k φ_k(u) − φ̂_k(u)|`, k = 1..m_h (the query side, σ_k folded in). */
  phi: ArrayLike<number>;
  /** `sup_u |ψ_k(u) − ψ̂_k(u)|`, k = 1..m_h. */
  psi: ArrayLike<number>;
}

/** The corrected variant's own terms (all absolute, already multiplied out). */
export interface CorrectedParts {
  /** Ω: the logit-row oscillation bound used for the exact truncation. */
  oscillation: number;
  /** δ: `sup |ρ_m − l̂|`, the logit error the fitted bases add (0 with exact bases). */
  logitFitError: number;
  /** λ(Ω + 2δ, τ). */
  softmaxLipschitz: number;
  /** `K_F r_f`, `r_f = parts.valueRadius` (else `‖f‖_∞`): attention weights sum to 1, so f − c works
   * for any constant c. */
  valueScale: number;
  /** Per-token off-diagonal sum `(τ − 1) √tail₂(m_h)` (Cauchy–Schwarz, step 4). */
  offDiagonal: number;
  /** Per-token diagonal term `Σ_{k>m_h} σ_k` (the trace tail, step 5). */
  diagonal: number;
  /** The FFN contributions: readout `τ ε_F`, value `τ K_F ε_f`, logits `K_F r_f λ τ² δ`. */
  ffnParts: { readout: number; value: number; logits: number };
}

/** Per-k sup-norm fit errors from the `C_FF` plug-ins: `ε_g = C_FF(g) / m_FF^β` (σ_k scales φ_k). */
function pluginErrors(op: string, m: Measures, mh: number, mff: number, beta: number): FfnErrors {
  if (mff === Infinity) return { F: 0, f: 0, phi: new Float64Array(mh), psi: new Float64Array(mh) };
  const cff = m.cFF;
  if (cff === undefined) {
    throw new ValueError(
      op,
      "the 'corrected' FFN term needs the per-basis C_FF plug-ins (measures().cFF) " + 'or explicit ffnErrors',
    );
  }
  const at = (c: ArrayLike<number> | ((i: number) => number), i: number): number => {
    const v = typeof c === 'function' ? c(i) : c[i - 1];
    if (v === undefined || !(v >= 0) || !Number.isFinite(v)) {
      throw new ValueError(op, `C_FF plug-in ${i} must be a finite number >= 0, got ${String(v)}`);
    }
    return v;
  };
  const scale = Math.pow(mff, -beta);
  const phi = new Float64Array(mh),
    psi = new Float64Array(mh);
  for (let k = 1; k <= mh; k++) {
    phi[k - 1] = (m.spectrum[k - 1] ?? 0) * at(cff.phi, k) * scale;
    psi[k - 1] = at(cff.psi, k) * scale;
  }
  return { F: cff.F * scale, f: cff.f * scale, phi, psi };
}

/**
 * The corrected bound's parts at `(τ, m_h)`:
 * `E Σ_t |H_t − Ĥ_t| ≤ K_F r_f λ(Ω+2δ, τ) τ [ (τ−1)√tail₂ + trace + τ δ ] + τ(ε_F + K_F ε_f)`.
 * With exact bases (`mff = Infinity` or zero `ffnErrors`) δ = ε = 0.
 *
 * @example
 * ```ts
 * const m = measures(couplingTarget({ spectrum: powerLawSpectrum(2, 32) }), { alpha: 2, beta: 0.5 });
 * const c = correctedParts(m, { tau: 16, mh: 4, mff: Infinity, beta: 0.5 });
 * [c.oscillation, c.softmaxLipschitz, c.valueScale]; // ≈ [6.457, 0.5, 0.5]
 * [c.offDiagonal, c.diagonal, c.logitFitError]; // ≈ [0.8952, 0.1906, 0]
 * // with m_FF = 10⁴ neurons the C_FF plug-ins add a logit error δ and FFN terms
 * const fitted = correctedParts(m, { tau: 16, mh: 4, mff: 1e4, beta: 0.5 });
 * fitted.ffnParts; // ≈ { readout: 0.16, value: 0.16, logits: 35.53 }
 * ```
 */
export function correctedParts(
  m: Measures,
  opts: { tau: number; mh: number; mff: number; beta: number; oscillation?: number; ffnErrors?: FfnErrors },
): CorrectedParts {
  const op = 'transformerBound';
  const { tau, mh } = opts;
  const omega = opts.oscillation ?? couplingOscillation(m);
  checkPositive(op, 'oscillation', omega, true);
  const eps = opts.ffnErrors ?? pluginErrors(op, m, mh, opts.mff, opts.beta);
  if (eps.phi.length < mh || eps.psi.length < mh) {
    throw new ValueError(op, `ffnErrors.phi/psi need m_h = ${mh} entries, got ${eps.phi.length} and ${eps.psi.length}`);
  }
  const sp = m.parts.supPhi ?? m.parts.supBases,
    sq = m.parts.supPsi ?? m.parts.supBases;
  // δ = Σ_{k≤m} (ε_φk ‖ψ_k‖_∞ + (σ_k‖φ_k‖_∞ + ε_φk) ε_ψk)   (step 6: product rule for σφψ − φ̂ψ̂)
  let delta = 0;
  for (let k = 0; k < mh; k++) {
    const ep = eps.phi[k]!,
      eq = eps.psi[k]!;
    checkPositive(op, `ffnErrors.phi[${k}]`, ep, true);
    checkPositive(op, `ffnErrors.psi[${k}]`, eq, true);
    delta += ep * sq + ((m.spectrum[k] ?? 0) * sp + ep) * eq;
  }
  checkPositive(op, 'ffnErrors.F', eps.F, true);
  checkPositive(op, 'ffnErrors.f', eps.f, true);
  const lam = softmaxLipschitz(omega + 2 * delta, tau);
  const valueScale = m.parts.lipschitzF * (m.parts.valueRadius ?? m.parts.supF);
  return {
    oscillation: omega,
    logitFitError: delta,
    softmaxLipschitz: lam,
    valueScale,
    offDiagonal: (tau - 1) * Math.sqrt(m.tail(mh)),
    diagonal: traceTail(m.spectrum, mh),
    ffnParts: {
      readout: tau * eps.F,
      value: tau * m.parts.lipschitzF * eps.f,
      logits: valueScale * lam * tau * tau * delta,
    },
  };
}
