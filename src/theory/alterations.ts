/**
 * Alterations of the temporal structure (PAPER.md §5; Jiang & Li 2024, Sec. 6): re-ordering
 * time by a permutation, mixing time by a filter θ, the mixed memory of a linear target, and a
 * causality check that decides RNN admissibility.
 *
 * Conventions (0-based time `t = 0..τ−1`): `(x∘p)(t) = x(p(t))`; an altered target satisfies
 * `H̃(x∘p) = H(x)`, i.e. `H̃(y) = H(y∘p⁻¹)` (input permuted, output index unchanged).
 */
import { NonFiniteError, ShapeError, ValueError } from '../linalg/errors.js';
import { createRng, type Rng } from '../linalg/random.js';
import type { Tensor } from '../linalg/tensor.js';
import type { RnnComplexity } from './rnn-bounds.js';
import type { Target } from './targets.js';
import { checkInt, dims3, toFinite } from './util.js';

/** A temporal alteration: acts on inputs and on targets. */
export interface TimeAlteration {
  readonly kind: 'permute' | 'mix';
  /** The altered input: `x∘p` (permute) or `θ∗x` (mix). Shape `(B, τ, d)` preserved. */
  apply(x: Tensor): Tensor;
  /** The altered target: `H̃(y) = H(y∘p⁻¹)` (permute) or `H̃(x) = H(θ∗x)` (mix). */
  target(h: Target): Target;
}

/** A permutation alteration, also exposing `p` and its inverse. */
export interface Permutation extends TimeAlteration {
  readonly kind: 'permute';
  readonly p: Int32Array;
  readonly inverse: Int32Array;
}

/** Gathers `x[b, idx[t], :]` into position t. */
function gatherTime(x: Tensor, idx: Int32Array, op: string): Tensor {
  const [B, T, d] = dims3(op, x);
  if (T !== idx.length)
    throw new ShapeError(op, `the permutation has length ${idx.length} but the inputs have ${T} time steps`, [
      x.shape,
      [idx.length],
    ]);
  const out = new Float64Array(x.data.length);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++)
      out.set(x.data.subarray((b * T + idx[t]!) * d, (b * T + idx[t]! + 1) * d), (b * T + t) * d);
  return { data: out, shape: [B, T, d] };
}

/**
 * Re-orders time by the permutation `p` of `0..τ−1` (PAPER.md §5 "Ordering"). `apply(x) = x∘p`;
 * `target(H)` is `H̃` with `H̃(x∘p) = H(x)`. A Transformer target keeps its POD spectrum (its
 * bases are relabelled across position pieces); a causal RNN target becomes non-causal as soon
 * as some `p(t) > t` (i.e. `p` is not the identity).
 *
 * @example
 * ```ts
 * const p = permuteTime([2, 0, 1]);
 * p.apply(tensor([[[10], [20], [30]]])).data; // → [30, 10, 20] ((x∘p)(t) = x(p(t)))
 * p.inverse; // → [1, 2, 0]
 * const H = linearMemoryTarget([1, 0.5]); // y(t) = x(t) + 0.5 x(t−1)
 * const x = tensor([[[1], [2], [3]]]);
 * p.target(H).evaluate(p.apply(x)).data; // → [1, 2.5, 4] (= H.evaluate(x): H̃(x∘p) = H(x))
 * isCausal(p.target(H), { tau: 3 }).causal; // → false
 * ```
 */
export function permuteTime(p: ArrayLike<number>): Permutation {
  const op = 'permuteTime';
  const n = p.length;
  if (n === 0) throw new ValueError(op, 'the permutation is empty');
  const perm = new Int32Array(n),
    inverse = new Int32Array(n).fill(-1);
  for (let t = 0; t < n; t++) {
    const v = p[t]!;
    if (!Number.isInteger(v) || v < 0 || v >= n || inverse[v] !== -1)
      throw new ValueError(op, `p is not a permutation of 0..${n - 1}: entry ${v} at index ${t}`);
    perm[t] = v;
    inverse[v] = t;
  }
  return {
    kind: 'permute',
    p: perm,
    inverse,
    apply: (x) => gatherTime(x, perm, `${op}.apply`),
    target: (h) => ({
      kind: 'altered',
      d: h.d,
      tau: n,
      evaluate: (y: Tensor) => h.evaluate(gatherTime(y, inverse, `${op}.target`)),
    }),
  };
}

/**
 * The paper's Table 2 ordering: swap the first `k` steps with the last `k` (τ = 32, k = 10). Needs `2k ≤ τ`.
 *
 * @example
 * ```ts
 * swapEnds(6, 2); // → [4, 5, 2, 3, 0, 1]
 * const p = permuteTime(swapEnds(32, 10)); // Table 2's ordering alteration
 * ```
 */
export function swapEnds(tau: number, k: number): Int32Array {
  checkInt('swapEnds', 'tau', tau);
  checkInt('swapEnds', 'k', k, 0);
  if (2 * k > tau)
    throw new ValueError(
      'swapEnds',
      `cannot swap the first and last ${k} steps of a length-${tau} sequence (need 2k <= tau)`,
    );
  const p = new Int32Array(tau);
  for (let t = 0; t < tau; t++) p[t] = t;
  for (let i = 0; i < k; i++) {
    p[i] = tau - k + i;
    p[tau - k + i] = i;
  }
  return p;
}

/**
 * The paper's Table 1 ordering: cyclic shift by `k`, `p(t) = (t + k) mod τ` (so `(x∘p)(t) = x(t + k)`).
 *
 * @example
 * ```ts
 * cyclicShift(5, 2); // → [2, 3, 4, 0, 1]
 * cyclicShift(5, -1); // → [4, 0, 1, 2, 3]
 * ```
 */
export function cyclicShift(tau: number, k: number): Int32Array {
  checkInt('cyclicShift', 'tau', tau);
  if (!Number.isInteger(k)) throw new ValueError('cyclicShift', `k must be an integer, got ${k}`);
  const p = new Int32Array(tau);
  for (let t = 0; t < tau; t++) p[t] = (((t + k) % tau) + tau) % tau;
  return p;
}

/** Boundary convention of a mixing filter. */
export type MixBoundary = 'causal' | 'forward';

/**
 * Mixes time with a length-`l` filter θ (PAPER.md §5 "Mixing"):
 * - `'causal'` (default, **[ours]**): `(θ∗x)(t) = Σ_{s<l} θ(s) x(t−s)`, zero before the start;
 *   causal targets stay causal (Prop. 6.3's RNN claim then holds).
 * - `'forward'` (as printed): `(θ∗x)(t) = Σ_{s<l} θ(s) x(t+s)`, zero past the end; the mixed
 *   target reads up to `l−1` future inputs, so it is **non-causal** and leaves the RNN's space.
 * `target(H)(x) = H(θ∗x)`.
 *
 * @example
 * ```ts
 * const x = tensor([[[1], [2], [3]]]);
 * mixTime([0.5, 0.5]).apply(x).data; // → [0.5, 1.5, 2.5] (causal: mean of x(t), x(t−1))
 * mixTime([0.5, 0.5], { boundary: 'forward' }).apply(x).data; // → [1.5, 2.5, 1.5] (reads x(t+1))
 * const H = linearMemoryTarget([1]); // y = x
 * isCausal(mixTime([0.5, 0.5], { boundary: 'forward' }).target(H), { tau: 3 }).causal; // → false
 * ```
 */
export function mixTime(
  theta: ArrayLike<number>,
  opts: { boundary?: MixBoundary } = {},
): TimeAlteration & { readonly theta: Float64Array; readonly boundary: MixBoundary } {
  const op = 'mixTime';
  const th = toFinite(op, 'theta', theta);
  const boundary = opts.boundary ?? 'causal';
  if (boundary !== 'causal' && boundary !== 'forward')
    throw new ValueError(op, `boundary must be 'causal' or 'forward', got '${String(boundary)}'`);
  const sign = boundary === 'causal' ? -1 : 1;
  const apply = (x: Tensor): Tensor => {
    const [B, T, d] = dims3(`${op}.apply`, x);
    const out = new Float64Array(x.data.length);
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        for (let s = 0; s < th.length; s++) {
          const r = t + sign * s;
          if (r < 0 || r >= T) continue;
          for (let j = 0; j < d; j++)
            out[(b * T + t) * d + j] = out[(b * T + t) * d + j]! + th[s]! * x.data[(b * T + r) * d + j]!;
        }
      }
    }
    return { data: out, shape: [B, T, d] };
  };
  return {
    kind: 'mix',
    theta: th,
    boundary,
    apply,
    target: (h) => ({ kind: 'altered', d: h.d, tau: h.tau, evaluate: (x: Tensor) => h.evaluate(apply(x)) }),
  };
}

/**
 * A random mixing filter **[ours]**: `θ ~ U[0,1]^l` i.i.d. from `rng`, normalised to `‖θ‖₁ = 1`
 * (the paper does not say how its filters are drawn).
 *
 * @example
 * ```ts
 * const theta = randomFilter(createRng(0), 3);
 * theta; // ≈ [0.4141, 0.5150, 0.07095]
 * theta.reduce((a, b) => a + b); // ≈ 1
 * ```
 */
export function randomFilter(rng: Rng, length: number): Float64Array {
  checkInt('randomFilter', 'length', length);
  const th = new Float64Array(length);
  let s = 0;
  for (let i = 0; i < length; i++) {
    th[i] = rng.uniform() + Number.MIN_VALUE;
    s += th[i]!;
  }
  for (let i = 0; i < length; i++) th[i] = th[i]! / s;
  return th;
}

/** The memory of a mixed linear target: `causal[u] = ρ̃(u)`, `anticausal[u−1] = ρ̃(−u)`. */
export interface MixedMemory {
  causal: Float64Array;
  anticausal: Float64Array;
}

/**
 * The memory of a linear target `H_t = Σ_s ρ(s) x(t−s)` after mixing (PAPER.md §5), for `ρ`
 * given on `s = 0..L−1` (zero past the end); `causal` has the same length L.
 * - `'causal'`: `ρ̃(u) = Σ_{s'≤min(u,l−1)} θ(s') ρ(u−s')`, a convolution. **Exact**:
 *   `linearMemoryTarget(causal)` equals `mixTime(θ).target(linearMemoryTarget(ρ))`.
 * - `'forward'` (as printed): `ρ̃(u) = Σ_{s'} θ(s') ρ(u+s')` for `u ≥ −(l−1)`; the entries at
 *   `u < 0` (`anticausal`) are the non-causal part the paper drops. This is the paper's
 *   time-invariant form; it equals the exact mixed target except for the boundary terms it
 *   ignores, which involve only the first `l−1` inputs `x(0..l−2)`.
 *
 * @example
 * ```ts
 * const rho = [1, 0.5, 0.25];
 * mixedMemory(rho, [0.5, 0.5]).causal; // → [0.5, 0.75, 0.375]
 * const fwd = mixedMemory(rho, [0.5, 0.5], { boundary: 'forward' });
 * [fwd.causal, fwd.anticausal]; // → [[0.75, 0.375, 0.125], [0.5]] (ρ̃(−1) = θ(1) ρ(0): non-causal)
 * ```
 */
export function mixedMemory(
  rho: ArrayLike<number>,
  theta: ArrayLike<number>,
  opts: { boundary?: MixBoundary } = {},
): MixedMemory {
  const op = 'mixedMemory';
  const r = toFinite(op, 'rho', rho),
    th = toFinite(op, 'theta', theta);
  const boundary = opts.boundary ?? 'causal';
  const L = r.length,
    l = th.length;
  const causal = new Float64Array(L);
  if (boundary === 'causal') {
    for (let u = 0; u < L; u++) {
      let s = 0;
      for (let q = 0; q <= Math.min(u, l - 1); q++) s += th[q]! * r[u - q]!;
      causal[u] = s;
    }
    return { causal, anticausal: new Float64Array(0) };
  }
  if (boundary !== 'forward')
    throw new ValueError(op, `boundary must be 'causal' or 'forward', got '${String(boundary)}'`);
  const at = (u: number): number => {
    let s = 0;
    for (let q = 0; q < l; q++) {
      const i = u + q;
      if (i >= 0 && i < L) s += th[q]! * r[i]!;
    }
    return s;
  };
  for (let u = 0; u < L; u++) causal[u] = at(u);
  const anticausal = new Float64Array(l - 1);
  for (let u = 1; u < l; u++) anticausal[u - 1] = at(-u);
  return { causal, anticausal };
}

/**
 * The bound of `C_RNN` after a causal mix with θ: if `|ρ(t)| ≤ C_2 e^{−t/C_1}` then
 * `|ρ̃(u)| ≤ ‖θ‖₁ e^{(l−1)/C_1} C_2 e^{−u/C_1}`, so (with the decay rate, hence `C_1`, unchanged)
 * `C̃_RNN ≤ ‖θ‖₁ e^{(l−1)/C_1} C_RNN`. With `‖θ‖₁ ≤ 1` the growth is at most `e^{(l−1)/C_1}`.
 *
 * @example
 * ```ts
 * const rho = Array.from({ length: 32 }, (_, s) => Math.exp(-s)); // Table 2's memory
 * const c = rnnComplexity(rho); // C_1 = 2, C_RNN = 2
 * mixedCRnnBound(c, [0.5, 0.5]); // ≈ 3.297 (‖θ‖₁ e^{(l−1)/C_1} C_RNN = 2√e)
 * ```
 */
export function mixedCRnnBound(c: RnnComplexity, theta: ArrayLike<number>): number {
  const th = toFinite('mixedCRnnBound', 'theta', theta);
  let l1 = 0;
  for (const v of th) l1 += Math.abs(v);
  return l1 * Math.exp((th.length - 1) / c.c1) * c.cRnn;
}

/** Options of {@link isCausal}. */
export interface CausalityOptions {
  /** Sequence length (default: the target's `tau`, else 16). */
  tau?: number;
  /** Token dimension (default: the target's `d`). */
  d?: number;
  /** Seed of the random base inputs and perturbations (default 0). */
  seed?: number;
  /** Random base sequences (default 4). */
  trials?: number;
  /** A change counts when `|Δy| > tol · (1 + |y|)` (default 1e-10). */
  tol?: number;
}

/** Result of {@link isCausal}: `violations` lists (output t, perturbed input t' > t) pairs found. */
export interface CausalityReport {
  causal: boolean;
  /** The largest relative change of an output `y_t` under a perturbation of a later input. */
  maxLeak: number;
  violations: { t: number; tPrime: number; delta: number }[];
}

/**
 * Decides whether `H_t` depends on some `x(t')`, `t' > t` (PAPER.md §5: RNN admissibility). For
 * `trials` seeded base inputs `x ~ U[0,1]^{τ×d}` and every `t'`, replaces `x(t')` by a fresh
 * random token and checks that no `y_t`, `t < t'`, moves by more than `tol·(1 + |y_t|)`.
 * A sampled test: a dependence that vanishes on all sampled inputs goes unseen.
 *
 * @example
 * ```ts
 * isCausal(linearMemoryTarget([1, 0.5]), { tau: 8 }).causal; // → true
 * const leaky = isCausal(linearMemoryTarget([1], { anticausal: [0.5] }), { tau: 8 }); // reads x(t+1)
 * [leaky.causal, leaky.violations[0]]; // ≈ [false, { t: 0, tPrime: 1, delta: 0.08554 }]
 * isCausal(couplingTarget({ spectrum: [1] }), { tau: 8 }).causal; // → false (attention sees all tokens)
 * ```
 */
export function isCausal(target: Target | ((x: Tensor) => Tensor), opts: CausalityOptions = {}): CausalityReport {
  const op = 'isCausal';
  const evaluate = typeof target === 'function' ? target : (x: Tensor) => target.evaluate(x);
  const T = opts.tau ?? (typeof target === 'function' ? 16 : (target.tau ?? 16));
  const d = opts.d ?? (typeof target === 'function' ? 1 : target.d);
  checkInt(op, 'tau', T);
  checkInt(op, 'd', d);
  const trials = opts.trials ?? 4,
    tol = opts.tol ?? 1e-10;
  checkInt(op, 'trials', trials);
  if (!(tol >= 0 && tol < Infinity)) throw new ValueError(op, `tol must be a finite number >= 0, got ${tol}`);
  const rng = createRng(opts.seed ?? 0);
  // batch: row 0 is the base input, row 1 + t' has x(t') replaced
  const B = T + 1;
  const violations: CausalityReport['violations'] = [];
  let maxLeak = 0;
  for (let trial = 0; trial < trials; trial++) {
    const x = new Float64Array(B * T * d);
    for (let i = 0; i < T * d; i++) x[i] = rng.uniform();
    for (let tp = 0; tp < T; tp++) {
      x.copyWithin((tp + 1) * T * d, 0, T * d);
      for (let j = 0; j < d; j++) x[((tp + 1) * T + tp) * d + j] = rng.uniform();
    }
    const y = evaluate({ data: x, shape: [B, T, d] });
    if (y.shape.length !== 2 || y.shape[0] !== B || y.shape[1] !== T)
      throw new ShapeError(op, `the target must map (B, tau, d) to (B, tau)`, [[B, T, d], y.shape]);
    // a NaN output would make every leak NaN and the verdict a silent 'not causal'
    for (let i = 0; i < y.data.length; i++)
      if (!Number.isFinite(y.data[i]!)) throw new NonFiniteError(op, 'the target output', i, y.data[i]!);
    for (let tp = 1; tp < T; tp++) {
      for (let t = 0; t < tp; t++) {
        const y0 = y.data[t]!,
          y1 = y.data[(tp + 1) * T + t]!;
        const leak = Math.abs(y1 - y0) / (1 + Math.abs(y0));
        maxLeak = Math.max(maxLeak, leak);
        if (leak > tol && violations.length < 32) violations.push({ t, tPrime: tp, delta: y1 - y0 });
      }
    }
  }
  return { causal: maxLeak <= tol, maxLeak, violations };
}
