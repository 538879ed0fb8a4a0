/**
 * Sequence-to-sequence targets of Jiang & Li (NeurIPS 2024), evaluated in batch on
 * `(B, τ, d)` inputs and returning `(B, τ)` outputs.
 *
 * - `couplingTarget`: `H_t(x) = F( Σ_s softmax_s[ρ(x(t), x(s))] f(x(s)) )` with
 *   `ρ(u, v) = Σ_k σ_k φ_k(u) ψ_k(v)` (PAPER.md §1, the paper's target form, Eq. (4) and App. B.2).
 * - `linearMemoryTarget`: `H_t(x) = Σ_{s=0}^{t} ρ(s)·x(t−s)` (PAPER.md §4, Li et al. 2021).
 * - `randomKernelTarget`: Table 3's memory `ρ(s) ~ U[0,1]` i.i.d. (seeded).
 *
 * Time is 0-based in code: `t = 0..τ−1` (the paper writes `1..τ`).
 */
import { ShapeError, ValueError } from '../linalg/errors.js';
import { createRng } from '../linalg/random.js';
import type { Tensor } from '../linalg/tensor.js';
import { checkInt, checkSpectrum, dims3, toFinite } from './util.js';

/** Anything that maps `(B, τ, d)` inputs to `(B, τ)` outputs. */
export interface Target {
  /** `'coupling' | 'linear' | 'altered' | ...`: which family built it. */
  readonly kind: string;
  /** Token dimension `d`. */
  readonly d: number;
  /** The design length `τ` when the target is tied to one (position encoding), else undefined. */
  readonly tau?: number | undefined;
  /** Evaluates the target: `x (B, τ, d) → y (B, τ)`. */
  evaluate(x: Tensor): Tensor;
}

/** A function of a token `u ∈ R^d` (a `Float64Array` of length d). */
export type TokenFn = (u: Float64Array) => number;

/** The bases of a coupling: `phi[k]`, `psi[k]` for `k = 0..r−1` (assumed orthonormal in L²). */
export interface CouplingBasis {
  readonly phi: readonly TokenFn[];
  readonly psi: readonly TokenFn[];
}

/** Options of {@link couplingTarget}. */
export interface CouplingSpec {
  /** Singular values `σ_1 ≥ σ_2 ≥ … ≥ 0` (the rank is their count). */
  spectrum: ArrayLike<number>;
  /** `'sine'` (default; d = 1): `φ_k = ψ_k = √2 sin(2kπu)`, the paper's App. B.2 basis; or callables. */
  basis?: 'sine' | CouplingBasis;
  /** Pointwise value map `f : R^d → R^{n'}`. Default: the identity (`n' = d`). */
  f?: (u: Float64Array) => number | ArrayLike<number>;
  /** Readout `F : R^{n'} → R`. Default: the sum of the components (the identity when n' = 1). */
  F?: (z: Float64Array) => number;
  /** Design length (needed with a position encoding). */
  tau?: number;
  /** Token dimension (default 1). */
  d?: number;
  /** `'none'` (default), `'sinusoidal'` (x(t) + e(t), e the standard sin/cos table), or `(t, x(t)) → token`. */
  positionEncoding?: 'none' | 'sinusoidal' | ((t: number, u: Float64Array) => Float64Array);
  /** Replace the softmax by a hard max (the first maximiser wins ties). Default false. */
  hardMax?: boolean;
}

/** A coupling target: carries its representation `(F, f, ρ)` for {@link measures}. */
export interface CouplingTarget extends Target {
  readonly kind: 'coupling';
  readonly spectrum: Float64Array;
  readonly basis: CouplingBasis;
  readonly basisName: 'sine' | 'custom';
  readonly f: (u: Float64Array) => Float64Array;
  readonly F: (z: Float64Array) => number;
  /** True when `f` and `F` are the defaults (identity / sum). */
  readonly identityMaps: boolean;
  readonly hardMax: boolean;
  readonly positionEncoding: 'none' | 'sinusoidal' | 'custom';
  /** The coupling `ρ(u, v) = Σ_k σ_k φ_k(u) ψ_k(v)` on (encoded) tokens. */
  coupling(u: Float64Array, v: Float64Array): number;
  /** The token the coupling sees at position t: `x̃(t) = encode(t, x(t))` (identity without encoding). */
  encode(t: number, u: Float64Array): Float64Array;
}

/**
 * The paper's orthonormal sine basis on `[0, 1]`: `φ_k(u) = ψ_k(u) = √2 sin(2kπ u_0)`, k = 1..r
 * (App. B.2). Orthonormal in `L²[0,1]`; `‖φ_k‖_∞ = √2`.
 *
 * @example
 * ```ts
 * const { phi, psi } = sineBasis(3);
 * phi.length; // → 3
 * phi[0]!(Float64Array.of(0.25)); // ≈ 1.4142 (√2 sin(π/2))
 * psi[2]!(Float64Array.of(1 / 12)); // ≈ 1.4142 (√2 sin(3 · 2π/12))
 * ```
 */
export function sineBasis(rank: number): CouplingBasis {
  checkInt('sineBasis', 'rank', rank);
  const fns: TokenFn[] = [];
  for (let k = 1; k <= rank; k++) fns.push((u) => Math.SQRT2 * Math.sin(2 * k * Math.PI * u[0]!));
  return { phi: fns, psi: fns };
}

/**
 * The standard sinusoidal table `e(t)_{2i} = sin(t/10000^{2i/d})`, `e(t)_{2i+1} = cos(…)` (Vaswani et al.).
 *
 * @example
 * ```ts
 * sinusoidalEncoding(0, 4); // → [0, 1, 0, 1]
 * sinusoidalEncoding(1, 2); // ≈ [0.8415, 0.5403] (sin 1, cos 1)
 * ```
 */
export function sinusoidalEncoding(t: number, d: number): Float64Array {
  const e = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    const freq = 1 / Math.pow(10000, (2 * Math.floor(i / 2)) / d);
    e[i] = i % 2 === 0 ? Math.sin(t * freq) : Math.cos(t * freq);
  }
  return e;
}

/**
 * Builds `H_t(x) = F( Σ_s softmax_s[ρ(x̃(t), x̃(s))] f(x̃(s)) )`, `ρ = Σ_k σ_k φ_k ⊗ ψ_k`, with
 * `x̃(t)` the (optionally position-encoded) token (PAPER.md §1–2; Jiang & Li Eq. (4), App. B.2).
 *
 * Algorithm: per sequence, the basis values `φ_k(x̃(t))`, `ψ_k(x̃(s))` are tabulated once
 * (τ·r calls each), the τ×τ logits are `Σ_k σ_k φ_k(t) ψ_k(s)`, a max-shifted softmax (or hard
 * max) weighs `f(x̃(s))`, and `F` reads out. Cost `O(B τ (τ r + r·cost(φ)))`.
 *
 * Assumptions: the basis is orthonormal (then `spectrum` is the POD of ρ; {@link measures}
 * relies on it). **[ours]** default `f` = identity and `F` = sum of components, so that
 * `d = 1` gives the paper's `F = f = id`; the hard-max variant and the position encodings are
 * options the paper mentions but does not fix.
 *
 * @example
 * ```ts
 * const H = couplingTarget({ spectrum: powerLawSpectrum(1, 6) });   // App. B.2, r = 6
 * const y = H.evaluate(rand(createRng(0), [4, 16, 1]));              // (4, 16)
 * y.shape; // → [4, 16]
 * H.coupling(Float64Array.of(0.25), Float64Array.of(0.25)); // ≈ 3.0667 (2(σ_1 + σ_3 + σ_5))
 * ```
 */
export function couplingTarget(spec: CouplingSpec): CouplingTarget {
  const op = 'couplingTarget';
  const spectrum = checkSpectrum(op, spec.spectrum);
  const d = spec.d ?? 1;
  checkInt(op, 'd', d);
  const r = spectrum.length;
  const basisName = spec.basis === undefined || spec.basis === 'sine' ? 'sine' : 'custom';
  if (basisName === 'sine' && d !== 1)
    throw new ValueError(op, `the built-in sine basis is defined on [0,1] (d = 1); pass your own basis for d = ${d}`);
  const basis = spec.basis === undefined || spec.basis === 'sine' ? sineBasis(r) : spec.basis;
  if (basis.phi.length < r || basis.psi.length < r) {
    throw new ValueError(
      op,
      `the basis has ${basis.phi.length} phi and ${basis.psi.length} psi functions but the spectrum has rank ${r}`,
    );
  }
  if (spec.tau !== undefined) checkInt(op, 'tau', spec.tau);
  const pe = spec.positionEncoding ?? 'none';
  if (pe !== 'none' && spec.tau === undefined)
    throw new ValueError(op, 'a position encoding needs the design length tau');
  const { f, F } = valueMaps(spec);
  const encode = makeEncoder(pe, d);
  const cu = new Float64Array(r),
    cv = new Float64Array(r),
    scratch = new Float64Array(r);
  const coupling = (u: Float64Array, v: Float64Array): number => {
    if (basisName === 'sine') {
      sineTable(u, cu, scratch);
      sineTable(v, cv, scratch);
    } else
      for (let k = 0; k < r; k++) {
        cu[k] = basis.phi[k]!(u);
        cv[k] = basis.psi[k]!(v);
      }
    let s = 0;
    for (let k = 0; k < r; k++) s += spectrum[k]! * cu[k]! * cv[k]!;
    return s;
  };
  const hardMax = spec.hardMax ?? false;
  const tabulate: Tabulate =
    basisName === 'sine'
      ? sineTable
      : (u, phi, psi) => {
          for (let k = 0; k < r; k++) {
            phi[k] = basis.phi[k]!(u);
            psi[k] = basis.psi[k]!(u);
          }
        };
  const evaluate = (x: Tensor): Tensor => evaluateCoupling(x, d, spec.tau, spectrum, tabulate, encode, f, F, hardMax);
  return {
    kind: 'coupling',
    d,
    tau: spec.tau,
    spectrum,
    basis,
    basisName,
    f,
    F,
    identityMaps: spec.f === undefined && spec.F === undefined,
    hardMax,
    positionEncoding: typeof pe === 'function' ? 'custom' : pe,
    coupling,
    encode,
    evaluate,
  };
}

/** The value map `f` (default identity) and readout `F` (default: sum of components). */
function valueMaps(spec: CouplingSpec): { f: (u: Float64Array) => Float64Array; F: (z: Float64Array) => number } {
  const fUser = spec.f;
  const f = (u: Float64Array): Float64Array => {
    if (!fUser) return u;
    const v = fUser(u);
    return typeof v === 'number' ? Float64Array.of(v) : Float64Array.from(v);
  };
  const F =
    spec.F ??
    ((z: Float64Array) => {
      let s = 0;
      for (let i = 0; i < z.length; i++) s += z[i]!;
      return s;
    });
  return { f, F };
}

/** `x̃(t) = encode(t, x(t))`: identity, `x(t) + e(t)` (sinusoidal table), or the caller's map. */
function makeEncoder(
  pe: NonNullable<CouplingSpec['positionEncoding']>,
  d: number,
): (t: number, u: Float64Array) => Float64Array {
  if (pe === 'none') return (_t, u) => u;
  if (pe === 'sinusoidal') {
    return (t, u) => {
      const e = sinusoidalEncoding(t, d);
      const out = new Float64Array(d);
      for (let i = 0; i < d; i++) out[i] = u[i]! + e[i]!;
      return out;
    };
  }
  return pe;
}

/** Writes `φ_k(u)` and `ψ_k(u)`, k = 0..len−1, into `phi` and `psi`. */
type Tabulate = (u: Float64Array, phi: Float64Array, psi: Float64Array) => void;

/**
 * The sine basis `√2 sin(2kπu)`, k = 1..r, by the Chebyshev recurrence
 * `sin((k+1)θ) = 2cos θ · sin(kθ) − sin((k−1)θ)`, θ = 2πu: two transcendental calls per token
 * instead of r. Rounding grows like k·ε (below 1e-12 for r ≤ 4096).
 */
function sineTable(u: Float64Array, phi: Float64Array, psi: Float64Array): void {
  const th = 2 * Math.PI * u[0]!,
    c2 = 2 * Math.cos(th);
  let prev = 0,
    cur = Math.sin(th);
  for (let k = 0; k < phi.length; k++) {
    phi[k] = Math.SQRT2 * cur;
    psi[k] = phi[k]!;
    const next = c2 * cur - prev;
    prev = cur;
    cur = next;
  }
}

/** The batched evaluation of {@link couplingTarget} (phases: encode, tabulate bases, attend, read out). */
function evaluateCoupling(
  x: Tensor,
  d: number,
  tau: number | undefined,
  sigma: Float64Array,
  tabulate: Tabulate,
  encode: (t: number, u: Float64Array) => Float64Array,
  f: (u: Float64Array) => Float64Array,
  F: (z: Float64Array) => number,
  hardMax: boolean,
): Tensor {
  const op = 'couplingTarget.evaluate';
  const [B, T] = dims3(op, x, d);
  if (tau !== undefined && T > tau)
    throw new ShapeError(op, `sequence length ${T} exceeds the design length tau = ${tau}`, [x.shape]);
  const r = sigma.length;
  const out = new Float64Array(B * T);
  if (T === 0) return { data: out, shape: [B, 0] }; // no positions, no outputs
  const P = new Float64Array(T * r),
    Q = new Float64Array(T * r),
    logits = new Float64Array(T);
  const vals: Float64Array[] = new Array(T);
  const phiRow = new Float64Array(r),
    psiRow = new Float64Array(r);
  for (let b = 0; b < B; b++) {
    // phase 1: encoded tokens, basis tables P[t,k] = σ_k φ_k(x̃(t)), Q[s,k] = ψ_k(x̃(s)), values f(x̃(s))
    for (let t = 0; t < T; t++) {
      const u = encode(t, x.data.subarray((b * T + t) * d, (b * T + t + 1) * d));
      tabulate(u, phiRow, psiRow);
      for (let k = 0; k < r; k++) {
        P[t * r + k] = sigma[k]! * phiRow[k]!;
        Q[t * r + k] = psiRow[k]!;
      }
      vals[t] = f(u);
    }
    const nv = vals[0]!.length;
    const z = new Float64Array(nv);
    for (let t = 0; t < T; t++) {
      // phase 2: logits ρ(x̃(t), x̃(s)) and the (soft or hard) attention weights
      let mx = -Infinity,
        arg = 0;
      for (let s = 0; s < T; s++) {
        let l = 0;
        for (let k = 0; k < r; k++) l += P[t * r + k]! * Q[s * r + k]!;
        logits[s] = l;
        if (l > mx) {
          mx = l;
          arg = s;
        }
      }
      z.fill(0);
      if (hardMax) {
        z.set(vals[arg]!);
      } else {
        let den = 0;
        for (let s = 0; s < T; s++) {
          const e = Math.exp(logits[s]! - mx);
          logits[s] = e;
          den += e;
        }
        for (let s = 0; s < T; s++) {
          const w = logits[s]! / den,
            v = vals[s]!;
          for (let i = 0; i < nv; i++) z[i] = z[i]! + w * v[i]!;
        }
      }
      // phase 3: readout
      out[b * T + t] = F(z);
    }
  }
  return { data: out, shape: [B, T] };
}

/** A linear memory target: carries its memory for {@link rnnComplexity} and {@link mixedMemory}. */
export interface LinearMemoryTarget extends Target {
  readonly kind: 'linear';
  /** `memory(L)`: `ρ(0..L−1)` (row-major `(L, d)`; zeros past a finite memory's end). */
  memory(length: number): Float64Array;
  /** Non-causal lags `ρ(−1), ρ(−2), …` (row-major, `d` per lag); empty for a causal target. */
  readonly anticausal: Float64Array;
}

/** Options of {@link linearMemoryTarget}. */
export interface LinearMemoryOptions {
  /** Entries at negative lags `ρ(−1), ρ(−2), …` (d = 1), making `H_t` read `x(t+1), x(t+2), …`. */
  anticausal?: ArrayLike<number>;
}

/**
 * The linear functional `H_t(x) = Σ_{s=0}^{t} ρ(s)·x(t−s)` (PAPER.md §4; Li, Han, E & Li 2021),
 * with `x(t) ∈ R^d` and `ρ(s) ∈ R^d`. `rho` is an array (d = 1, finite memory, zero past its end),
 * a `(L, d)` tensor, or a function `s ↦ ρ(s)` (d = 1, infinite memory, sampled on demand).
 *
 * With `anticausal` lags (used for the paper's forward-looking mixing, PAPER.md §5) the target
 * also adds `Σ_{u=1}^{l−1} ρ(−u) x(t+u)` (inputs past the end count as zero): not causal.
 *
 * @example
 * ```ts
 * const H = linearMemoryTarget((s) => Math.exp(-s));   // Table 2
 * H.evaluate(tensor([[[1], [0], [0]]])).data; // ≈ [1, 0.3679, 0.1353] (the impulse response ρ(t))
 * H.memory(3); // ≈ [1, 0.3679, 0.1353]
 * ```
 */
export function linearMemoryTarget(
  rho: ArrayLike<number> | Tensor | ((s: number) => number),
  options: LinearMemoryOptions = {},
): LinearMemoryTarget {
  const op = 'linearMemoryTarget';
  let d = 1;
  let memory: (L: number) => Float64Array;
  if (typeof rho === 'function') {
    memory = (L) => {
      const m = new Float64Array(L);
      for (let s = 0; s < L; s++) m[s] = rho(s);
      return toFinite(op, 'rho(s)', m, true);
    };
  } else {
    let flat: Float64Array;
    if ('shape' in rho && 'data' in rho) {
      if (rho.shape.length !== 2 && rho.shape.length !== 1)
        throw new ShapeError(op, 'a memory tensor must be (L,) or (L, d)', [rho.shape]);
      d = rho.shape.length === 2 ? rho.shape[1]! : 1;
      flat = toFinite(op, 'rho', rho.data);
    } else flat = toFinite(op, 'rho', rho);
    memory = (L) => {
      const m = new Float64Array(L * d);
      m.set(flat.subarray(0, Math.min(flat.length, L * d)));
      return m;
    };
  }
  const anti = toFinite(op, 'anticausal', options.anticausal ?? [], true);
  if (anti.length > 0 && d !== 1) throw new ValueError(op, 'anticausal lags are supported for d = 1 only');
  const evaluate = (x: Tensor): Tensor => {
    const [B, T] = dims3(`${op}.evaluate`, x, d);
    const m = memory(T);
    const out = new Float64Array(B * T);
    for (let b = 0; b < B; b++) {
      const xb = x.data.subarray(b * T * d, (b + 1) * T * d);
      for (let t = 0; t < T; t++) {
        let y = 0;
        for (let s = 0; s <= t; s++) for (let j = 0; j < d; j++) y += m[s * d + j]! * xb[(t - s) * d + j]!;
        for (let u = 1; u <= anti.length && t + u < T; u++) y += anti[u - 1]! * xb[t + u]!;
        out[b * T + t] = y;
      }
    }
    return { data: out, shape: [B, T] };
  };
  return { kind: 'linear', d, memory, anticausal: anti, evaluate };
}

/**
 * Table 3's target without temporal order: a linear memory `ρ(s) ~ U[0,1]` i.i.d. for
 * `s = 0..τ−1`, drawn from `createRng(seed)` (PAPER.md §6).
 *
 * @example
 * ```ts
 * const H = randomKernelTarget({ tau: 4, seed: 0 });
 * H.rho; // ≈ [0.6013, 0.7478, 0.1030, 0.4166]
 * // the response to a unit impulse at t = 0 is the memory itself: y(t) = ρ(t)
 * H.evaluate(tensor([[[1], [0], [0], [0]]])).data; // ≈ [0.6013, 0.7478, 0.1030, 0.4166]
 * ```
 */
export function randomKernelTarget(opts: {
  tau: number;
  seed: number;
}): LinearMemoryTarget & { readonly rho: Float64Array } {
  checkInt('randomKernelTarget', 'tau', opts.tau);
  const rng = createRng(opts.seed);
  const rho = new Float64Array(opts.tau);
  for (let s = 0; s < opts.tau; s++) rho[s] = rng.uniform();
  return { ...linearMemoryTarget(rho), tau: opts.tau, rho };
}
