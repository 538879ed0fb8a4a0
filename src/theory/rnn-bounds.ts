/**
 * The RNN side of the rate comparison (PAPER.md §4): the decay rate of a memory, Jiang & Li's
 * `C_1, C_2, C_RNN` and rate `d C_RNN / m`, and Li, Han, E & Li (2021)'s `β, γ` and rate
 * `C(α) γ d / (β m^α)` (their Thm. 4.2: `e^{βt}|ρ^{(j)}(t)| ≤ γ β^{j+1}` for j ≤ α, which needs
 * β strictly below the memory's decay rate λ for a memory decaying like e^{−λt}).
 */
import { ValueError } from '../linalg/errors.js';
import { lstsq } from '../linalg/decomp/index.js';
import { checkInt, checkPositive, toFinite } from './util.js';

/** Options of {@link rnnComplexity}. */
export interface RnnComplexityOptions {
  /** Fraction of the window used to fit the decay rate: the last `tailFraction` of it (default 0.5). */
  tailFraction?: number;
  /** A known decay rate λ (`|ρ(t)| ~ e^{−λt}`), overriding the estimate (the decay is then taken as
   * exponential). */
  decayRate?: number;
  /** Smoothness order used for Li et al.'s γ (default 1). */
  smoothness?: number;
  /** Li et al.'s β, which their theorem needs strictly below λ (default λ/2). */
  beta?: number;
}

/** How the memory's envelope decays on the fitted tail window. */
export type DecayModel = 'exponential' | 'polynomial' | 'finite' | 'none';

/** The RNN-side measures of a memory `ρ`. */
export interface RnnComplexity {
  /** Estimated asymptotic decay rate λ (Infinity for a memory that vanishes; ≤ 0: no decay; NaN: polynomial). */
  decayRate: number;
  /** Which decay the tail window shows: C_RNN is finite only for 'exponential' and 'finite'. */
  decayModel: DecayModel;
  /** Why C_RNN is infinite ('' when finite). */
  reason: string;
  /** Paper: `C_1 = 1 + inf{b > 0 : e^{t/b}|ρ(t)| → 0} = 1 + 1/λ` (Infinity without exponential decay). */
  c1: number;
  /** Paper: `C_2 = sup_t e^{t/C_1} |ρ(t)|` (`sup|ρ|` when C_1 = ∞). */
  c2: number;
  /** `C_RNN = C_1 · C_2`. */
  cRnn: number;
  /** Li et al.: decay rate β < λ (default λ/2; NaN without exponential decay). */
  beta: number;
  /** Li et al.: `γ = max_{0≤j≤α} sup_t e^{βt} |Δ^j ρ(t)| / β^(j+1)` (**[ours]** Δ the forward
   * difference). */
  gamma: number;
  /** Li et al.: smoothness order α used for γ. */
  smoothness: number;
}

/** The decreasing envelope `M(t) = max_{s≥t} |ρ(s)|`. */
function envelope(r: Float64Array): Float64Array {
  const M = new Float64Array(r.length);
  let run = 0;
  for (let t = r.length - 1; t >= 0; t--) {
    run = Math.max(run, Math.abs(r[t]!));
    M[t] = run;
  }
  return M;
}

/** Least squares `y ≈ a + b x` by Householder QR (linalg.lstsq): slope and residual sum of squares. */
function lineFit(x: Float64Array, y: Float64Array): { slope: number; rss: number } {
  const n = x.length,
    A = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    A[2 * i] = 1;
    A[2 * i + 1] = x[i]!;
  }
  const sol = lstsq({ data: A, shape: [n, 2] }, { data: y, shape: [n] }).x.data;
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (y[i]! - sol[0]! - sol[1]! * x[i]!) ** 2;
  return { slope: sol[1]!, rss };
}

/**
 * Estimates `λ` from samples `ρ(0..L−1)`: minus the least-squares slope of `log M(t)`, `M(t) =
 * max_{s≥t}|ρ(s)|` (the decreasing envelope), over the last `tailFraction` of the window, and
 * classifies the decay: **[ours]** 'polynomial' when `log M` is fitted better by a line in
 * `log(1+t)` than by a line in `t` (then no exponential rate exists and λ is NaN), 'finite' when
 * the memory is exactly zero from some point on (λ = ∞), 'none' when it does not decay (λ ≤ 0).
 *
 * @example
 * ```ts
 * const s = Array.from({ length: 32 }, (_, i) => i);
 * decayAnalysis(s.map((t) => Math.exp(-0.5 * t))); // ≈ { rate: 0.5, model: 'exponential' }
 * decayAnalysis(s.map((t) => (1 + t) ** -1.5)); // → { rate: NaN, model: 'polynomial' }
 * decayAnalysis([1, 0.5, 0, 0]); // → { rate: Infinity, model: 'finite' }
 * ```
 */
export function decayAnalysis(rho: ArrayLike<number>, tailFraction = 0.5): { rate: number; model: DecayModel } {
  const op = 'decayRate';
  const r = toFinite(op, 'rho', rho);
  if (!(tailFraction > 0 && tailFraction <= 1)) {
    throw new ValueError(op, `tailFraction must lie in (0, 1], got ${tailFraction}`);
  }
  const L = r.length,
    M = envelope(r);
  if (M[0] === 0) return { rate: Infinity, model: 'finite' };
  const t0 = Math.min(Math.max(0, L - Math.max(2, Math.ceil(tailFraction * L))), L - 1);
  if (L - t0 < 2) throw new ValueError(op, `need at least 2 samples to estimate a decay rate, got ${L}`);
  if (M[L - 1] === 0) return { rate: Infinity, model: 'finite' }; // finite support inside the window
  const n = L - t0,
    t = new Float64Array(n),
    lt = new Float64Array(n),
    y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    t[i] = t0 + i;
    lt[i] = Math.log(1 + t0 + i);
    y[i] = Math.log(M[t0 + i]!);
  }
  const ex = lineFit(t, y);
  const rate = -ex.slope;
  if (!(rate > 0)) return { rate, model: 'none' };
  if (n >= 3 && ex.rss > 1e-24 * n) {
    const po = lineFit(lt, y);
    if (po.rss < ex.rss) return { rate: NaN, model: 'polynomial' };
  }
  return { rate, model: 'exponential' };
}

/**
 * The decay rate λ of {@link decayAnalysis} (NaN for a polynomially decaying memory).
 *
 * @example
 * ```ts
 * decayRate(Array.from({ length: 32 }, (_, t) => 3 * Math.exp(-0.25 * t))); // ≈ 0.25
 * ```
 */
export function decayRate(rho: ArrayLike<number>, tailFraction = 0.5): number {
  return decayAnalysis(rho, tailFraction).rate;
}

/** Li et al.'s γ: `max_{0≤j≤α} sup_t e^{βt} |Δ^j ρ(t)| / β^(j+1)`. */
function liGamma(r: Float64Array, beta: number, smoothness: number): number {
  let gamma = 0;
  let diff = r.slice();
  for (let j = 0; j <= smoothness && diff.length > 0; j++) {
    const scale = Math.pow(beta, j + 1);
    for (let t = 0; t < diff.length; t++) gamma = Math.max(gamma, (Math.exp(beta * t) * Math.abs(diff[t]!)) / scale);
    const next = new Float64Array(Math.max(0, diff.length - 1));
    for (let t = 0; t < next.length; t++) next[t] = diff[t + 1]! - diff[t]!;
    diff = next;
  }
  return gamma;
}

const POLYNOMIAL_REASON =
  'no exponential decay: the envelope of |ρ| is fitted better by a power of (1+t) than by ' +
  'e^{−λt}, so C_1 = 1 + inf{b : e^{t/b}|ρ(t)| → 0} = ∞';

const givenModel = (rate: number): DecayModel => (rate === Infinity ? 'finite' : rate > 0 ? 'exponential' : 'none');

/**
 * The RNN-side complexity of a memory sampled at `s = 0..L−1` (PAPER.md §4): the paper's
 * `C_1 = 1 + 1/λ`, `C_2 = sup_t e^{t/C_1}|ρ(t)|`, `C_RNN = C_1 C_2` (Jiang & Li, App. on RNNs),
 * and Li, Han, E & Li (2021)'s `β < λ`, `γ` and smoothness order (their Thm. 4.2 assumptions).
 * A memory without exponential decay (polynomial, e.g. `(1+s)^−1.5`, or none) has `C_RNN = ∞`
 * with the reason, not a window-dependent finite value. `rho` holds scalars (d = 1) or `|ρ(s)|`.
 *
 * @example
 * ```ts
 * const c = rnnComplexity(Array.from({ length: 32 }, (_, s) => Math.exp(-s))); // Table 2's memory
 * [c.decayModel, c.decayRate, c.c1, c.c2, c.cRnn]; // ≈ ['exponential', 1, 2, 1, 2]
 * [c.beta, c.gamma]; // ≈ [0.5, 2.528] (Li et al.: β = λ/2)
 * const poly = rnnComplexity(Array.from({ length: 32 }, (_, s) => (1 + s) ** -1.5));
 * [poly.decayModel, poly.cRnn]; // → ['polynomial', Infinity] (poly.reason says why)
 * ```
 */
export function rnnComplexity(rho: ArrayLike<number>, opts: RnnComplexityOptions = {}): RnnComplexity {
  const op = 'rnnComplexity';
  const r = toFinite(op, 'rho', rho);
  if (opts.decayRate !== undefined && Number.isNaN(opts.decayRate)) {
    throw new ValueError(op, 'decayRate must be a number (Infinity for a vanishing memory), got NaN');
  }
  const an: { rate: number; model: DecayModel } =
    opts.decayRate !== undefined
      ? { rate: opts.decayRate, model: givenModel(opts.decayRate) }
      : decayAnalysis(r, opts.tailFraction ?? 0.5);
  const lam = an.rate,
    smoothness = opts.smoothness ?? 1;
  checkInt(op, 'smoothness', smoothness, 0);
  const reason =
    an.model === 'polynomial'
      ? POLYNOMIAL_REASON
      : an.model === 'none'
        ? `no decay: the envelope of |ρ| does not fall on the tail window (fitted λ = ${lam})`
        : '';
  const c1v = an.model === 'finite' ? 1 : an.model === 'exponential' ? 1 + 1 / lam : Infinity;
  let c2v = 0;
  for (let t = 0; t < r.length; t++) c2v = Math.max(c2v, (c1v === Infinity ? 1 : Math.exp(t / c1v)) * Math.abs(r[t]!));
  let beta = NaN,
    gamma = Infinity;
  if (an.model === 'exponential') {
    beta = opts.beta ?? lam / 2;
    checkPositive(op, 'beta', beta);
    if (!(beta < lam)) {
      throw new ValueError(
        op,
        `Li et al.'s theorem needs beta < lambda (the decay rate), got beta = ${beta} ` + `>= ${lam}`,
      );
    }
    gamma = liGamma(r, beta, smoothness);
  } else if (an.model === 'finite') {
    beta = opts.beta ?? 1;
    checkPositive(op, 'beta', beta);
    gamma = liGamma(r, beta, smoothness);
  }
  return { decayRate: lam, decayModel: an.model, reason, c1: c1v, c2: c2v, cRnn: c1v * c2v, beta, gamma, smoothness };
}

/** Result of {@link rnnBound}. */
export interface RnnBound {
  /** Jiang & Li: `d · C_RNN / m` (∞ without exponential decay). */
  jiangLi: number;
  /** Li et al.: `C(α) γ d / (β m^α)` (NaN unless `cAlpha` is given). */
  liEtAl: number;
}

/**
 * The two RNN rates of PAPER.md §4 for a width-`m` linear RNN: `d C_RNN / m` (Jiang & Li) and
 * `C(α) γ d / (β m^α)` (Li, Han, E & Li 2021, Thm. 4.2). **[ours]** `C(α)` is supplied by the
 * caller (its value is not published); without it `liEtAl` is NaN.
 *
 * @example
 * ```ts
 * const c = rnnComplexity(Array.from({ length: 32 }, (_, s) => Math.exp(-s)));
 * rnnBound(c, { d: 1, m: 64 }); // ≈ { jiangLi: 0.03125, liEtAl: NaN } (d C_RNN / m)
 * rnnBound(c, { d: 1, m: 64, cAlpha: 1 }).liEtAl; // ≈ 0.07902 (C(α) γ d / (β m^α), C(α) = 1 assumed)
 * ```
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
