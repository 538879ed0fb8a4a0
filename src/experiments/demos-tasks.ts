/**
 * The three demonstration tasks of App. B.1 of Jiang & Li (2024) — nearest point, centre of
 * gravity, selection average — as seeded data generators that also return the attention matrix
 * each task's structure calls for ("ideal"), plus the one-layer attention model trained on them.
 *
 * Model: the paper's one-layer one-head Transformer (PAPER.md §2, no position encoding, no
 * residual, no normalisation, no 1/√m_h scale), `Ĥ_t(x) = F̂(Σ_s softmax_s[(W_Q f̂(x_t))ᵀ W_K f̂(x_s)] W_V f̂(x_s))`,
 * with a vector readout F̂ : R^{m_v} → R² because every demonstration target is a point of R²
 * **[ours]** (the paper's `Transformer` class has a scalar readout).
 *
 * Shape legend: N sequences, T = τ tokens, d token width, o = 2 output width.
 */
import { createRng, reshape, ShapeError, ValueError, type Rng, type Tensor } from '../linalg/index.js';
import {
  Attention,
  MLP,
  checkInput,
  type Activation,
  type Model,
  type Params,
  type TransformerConfig,
} from '../models/index.js';
import { checkConfigKeys } from '../models/module.js';

/** The demonstrations. */
export type DemoTask = 'nearest-point' | 'centre-of-gravity' | 'selection-average';

/** Every demonstration, in report order. */
export const DEMO_TASKS: readonly DemoTask[] = ['nearest-point', 'centre-of-gravity', 'selection-average'];

/** Sizes of the tasks (App. B.1): 6 + 6 points, τ = 10, and τ = 8 with k = 3. */
export type TaskSizes = { queries: number; keys: number; cogTau: number; selTau: number; selK: number };

/** A seeded data set of one task. */
export interface TaskData {
  /** Inputs (N, T, d). */
  x: Tensor;
  /** Targets (N, T, 2). */
  y: Tensor;
  /** The attention each task's structure calls for, (N, T, T), rows summing to 1. */
  ideal: Float64Array;
  /** Rows (token positions) on which the attention is assessed. */
  rows: number[];
  T: number;
  d: number;
}

/**
 * Token width d of a task: nearest point adds a key flag to the two coordinates, centre of gravity
 * a mass, selection average a one-hot position (τ entries: the per-query index sets are positions).
 */
export function taskDim(task: DemoTask, s: TaskSizes): number {
  return task === 'selection-average' ? 2 + s.selTau : 3;
}

/** Sequence length τ of a task. */
export function taskTau(task: DemoTask, s: TaskSizes): number {
  return task === 'nearest-point' ? s.queries + s.keys : task === 'centre-of-gravity' ? s.cogTau : s.selTau;
}

/**
 * N seeded sequences of `task` with targets and ideal attention:
 * - nearest-point: tokens (u₁, u₂, isKey), u ~ U[0,1]²; the first `queries` tokens are queries
 *   (isKey = 0), the rest keys. Target at every token: the nearest key point (for a key, itself);
 *   ideal attention one-hot on that key. Assessed rows: the queries.
 * - centre-of-gravity: tokens (u₁, u₂, m), u ~ U[0,1]², mass m ~ U[0.1, 1]; target at every
 *   token: the mass-weighted centre Σ_s m_s u_s / Σ_s m_s; ideal attention the normalised masses
 *   m_s / Σ m (App. B.1; not uniform, so W_Q = W_K = 0 does not solve it). Assessed rows: all.
 * - selection-average: tokens (u₁, u₂, e_t), u ~ U[0,1]², e_t the one-hot position; each query
 *   position t has its own index set S_t of k positions (drawn once from `structureSeed`, the same
 *   for every sequence); target at token t: the mean of u over S_t; ideal attention 1/k on S_t —
 *   a query-dependent coupling. Assessed rows: all.
 */
export function makeTaskData(task: DemoTask, s: TaskSizes, N: number, seed: number, structureSeed = seed): TaskData {
  if (!Number.isSafeInteger(N) || N < 1) throw new ValueError('makeTaskData', `N must be a positive integer, got ${N}`);
  for (const [k, v] of Object.entries(s))
    if (!Number.isSafeInteger(v) || v < 1)
      throw new ValueError('makeTaskData', `sizes.${k} must be a positive integer, got ${v}`);
  if (s.selK >= s.selTau)
    throw new ValueError('makeTaskData', `selection needs k < τ, got k = ${s.selK}, τ = ${s.selTau}`);
  const rng = createRng(seed);
  const T = taskTau(task, s),
    d = taskDim(task, s);
  const sets = task === 'selection-average' ? indexSets(s, structureSeed) : [];
  const x = new Float64Array(N * T * d),
    y = new Float64Array(N * T * 2),
    ideal = new Float64Array(N * T * T);
  for (let b = 0; b < N; b++) {
    const u = fillTokens(rng, T); // (T, 2) coordinates
    const mass =
      task === 'centre-of-gravity'
        ? Float64Array.from({ length: T }, () => 0.1 + 0.9 * rng.uniform())
        : new Float64Array(0);
    const w = idealRows(task, s, u, mass, sets, T); // (T, T)
    for (let t = 0; t < T; t++) {
      x[(b * T + t) * d] = u[2 * t]!;
      x[(b * T + t) * d + 1] = u[2 * t + 1]!;
      if (task === 'nearest-point') x[(b * T + t) * d + 2] = t >= s.queries ? 1 : 0;
      else if (task === 'centre-of-gravity') x[(b * T + t) * d + 2] = mass[t]!;
      else x[(b * T + t) * d + 2 + t] = 1;
      for (let r = 0; r < T; r++) {
        const a = w[t * T + r]!;
        ideal[(b * T + t) * T + r] = a;
        const o = (b * T + t) * 2;
        y[o] = y[o]! + a * u[2 * r]!;
        y[o + 1] = y[o + 1]! + a * u[2 * r + 1]!;
      }
    }
  }
  const rows =
    task === 'nearest-point' ? Array.from({ length: s.queries }, (_, i) => i) : Array.from({ length: T }, (_, i) => i);
  return { x: { data: x, shape: [N, T, d] }, y: { data: y, shape: [N, T, 2] }, ideal, rows, T, d };
}

/** One sequence's coordinates (T, 2), u ~ U[0,1]². */
function fillTokens(rng: Rng, T: number): Float64Array {
  const u = new Float64Array(2 * T);
  for (let i = 0; i < 2 * T; i++) u[i] = rng.uniform();
  return u;
}

/** The per-query index sets S_t of selection average: k distinct positions for each query t (seeded). */
export function indexSets(s: TaskSizes, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: s.selTau }, () =>
    Array.from(rng.permutation(s.selTau).subarray(0, s.selK)).sort((a, b) => a - b),
  );
}

/** The ideal attention of one sequence (T, T); the target is this matrix applied to the coordinates. */
function idealRows(
  task: DemoTask,
  s: TaskSizes,
  u: Float64Array,
  mass: Float64Array,
  sets: number[][],
  T: number,
): Float64Array {
  const w = new Float64Array(T * T);
  if (task === 'centre-of-gravity') {
    const M = mass.reduce((a, v) => a + v, 0);
    for (let t = 0; t < T; t++) for (let r = 0; r < T; r++) w[t * T + r] = mass[r]! / M;
    return w;
  }
  if (task === 'selection-average') {
    for (let t = 0; t < T; t++) for (const r of sets[t]!) w[t * T + r] = 1 / s.selK;
    return w;
  }
  for (let t = 0; t < T; t++) {
    let best = -1,
      bd = Infinity;
    for (let r = s.queries; r < T; r++) {
      const dd = (u[2 * t]! - u[2 * r]!) ** 2 + (u[2 * t + 1]! - u[2 * r + 1]!) ** 2;
      if (dd < bd) {
        bd = dd;
        best = r;
      }
    }
    w[t * T + best] = 1;
  }
  return w;
}

/** Configuration of the demonstration model: the paper's Transformer sizes plus a vector readout. */
export interface DemoNetConfig extends Pick<TransformerConfig, 'd' | 'n' | 'mh' | 'mv' | 'ffnWidth' | 'ffnDepth'> {
  /** Width of the readout F̂ (2 for points in R²). */
  outDim: number;
  activation: Activation;
  /** Factor on the initial W_Q and W_K (default 1): > 1 starts from sharper, far-from-uniform attention. */
  qkInitScale?: number;
}

const KEYS = ['d', 'n', 'mh', 'mv', 'ffnWidth', 'ffnDepth', 'outDim', 'activation', 'qkInitScale'] as const;

/**
 * The paper's one-layer one-head attention model (no position encoding) with an `outDim`-wide
 * readout: x (B, T, d) → (B, T, outDim). Parameters `ffn_in.*`, `attn.wq|wk|wv`, `ffn_out.*`.
 * @example const m = new DemoNet({ d: 2, n: 8, mh: 4, mv: 4, ffnWidth: 16, ffnDepth: 1, outDim: 2, activation: 'tanh' }, { seed: 1 })
 */
export class DemoNet implements Model<DemoNetConfig> {
  readonly kind = 'DemoNet';
  readonly config: DemoNetConfig;
  readonly ffnIn: MLP;
  readonly attn: Attention;
  readonly ffnOut: MLP;
  params: Params;

  constructor(config: DemoNetConfig, opts: { seed: number }) {
    checkConfigKeys('DemoNet', config, KEYS);
    this.config = { ...config };
    const rng = createRng(opts.seed);
    const { d, n, mh, mv, ffnWidth: width, ffnDepth: depth, outDim, activation } = config;
    this.ffnIn = new MLP({ inDim: d, width, depth, outDim: n, activation }, { rng, prefix: 'ffn_in.' });
    this.attn = new Attention('attn.', { dim: n, mh, mv });
    const a = this.attn.init(rng);
    const k = config.qkInitScale ?? 1;
    if (!(k > 0 && Number.isFinite(k)))
      throw new ValueError('DemoNet', `qkInitScale must be a positive finite number, got ${String(k)}`);
    for (const w of ['attn.wq', 'attn.wk']) a[w] = { data: a[w]!.data.map((v) => v * k), shape: a[w]!.shape };
    this.ffnOut = new MLP({ inDim: mv, width, depth, outDim, activation }, { rng, prefix: 'ffn_out.' });
    this.params = { ...this.ffnIn.params, ...a, ...this.ffnOut.params };
  }

  /** x (B, T, d) → (B, T, outDim). */
  forward(x: Tensor, params: Params = this.params): Tensor {
    checkInput('DemoNet.forward', x, [undefined, undefined, this.config.d], 'x (B, τ, d)');
    const o = this.attn.apply(this.ffnIn.apply(x, params), params); // (B, T, m_v)
    return this.ffnOut.apply(o, params); // (B, T, outDim)
  }

  /** The softmax attention matrices (B, T, T) as plain numbers, row t over s. */
  attention(x: Tensor, params: Params = this.params): Float64Array {
    checkInput('DemoNet.attention', x, [undefined, undefined, this.config.d], 'x (B, τ, d)');
    const [B, T] = [x.shape[0]!, x.shape[1]!];
    const l = reshape(this.attn.logits(this.ffnIn.apply(x, params), params), [B * T, T]).data; // (B, T, T) → (B·T, T)
    const out = new Float64Array(B * T * T);
    for (let r = 0; r < B * T; r++) {
      let m = -Infinity,
        z = 0;
      for (let s = 0; s < T; s++) m = Math.max(m, l[r * T + s]!);
      for (let s = 0; s < T; s++) z += out[r * T + s] = Math.exp(l[r * T + s]! - m);
      for (let s = 0; s < T; s++) out[r * T + s]! /= z;
    }
    return out;
  }
}

/**
 * Attention statistics on the assessed rows of a data set (a type, not an interface, so that a
 * point result containing it is JSON: an interface has no index signature).
 */
export type AttentionStats = {
  /** Mean over assessed rows of the attention mass on the ideal support (nearest key / selected tokens / all). */
  massOnIdeal: number;
  /** Mean over assessed rows of the total-variation distance ½Σ_s|A_ts − A*_ts| to the ideal row. */
  tv: number;
  /** Mean row entropy divided by log τ (1 = uniform). */
  entropyRatio: number;
  /** Fraction of assessed rows whose arg-max attention lies on the ideal support. */
  argmaxHit: number;
  /** The same mass for uniform attention (the untrained baseline). */
  uniformMass: number;
  /** The TV distance of uniform attention to the ideal (what W_Q = W_K = 0 achieves). */
  uniformTv: number;
};

/**
 * Compares learned attention A (N, T, T) with the ideal A* on `rows`: mass on the support of A*,
 * total-variation distance, entropy ratio, arg-max hit rate, and the uniform-attention baseline.
 */
export function attentionStats(
  A: Float64Array,
  ideal: Float64Array,
  N: number,
  T: number,
  rows: readonly number[],
): AttentionStats {
  if (A.length !== N * T * T || ideal.length !== N * T * T)
    throw new ShapeError('attentionStats', `expected ${N}·${T}·${T} entries, got ${A.length} and ${ideal.length}`, [
      [A.length],
      [ideal.length],
    ]);
  let mass = 0,
    tv = 0,
    ent = 0,
    hit = 0,
    uni = 0,
    utv = 0;
  for (let b = 0; b < N; b++)
    for (const t of rows) {
      const o = (b * T + t) * T;
      let best = 0,
        supp = 0;
      for (let s = 0; s < T; s++) {
        const a = A[o + s]!,
          w = ideal[o + s]!;
        if (w > 0) {
          mass += a;
          supp++;
        }
        tv += 0.5 * Math.abs(a - w);
        utv += 0.5 * Math.abs(1 / T - w);
        if (a > 0) ent -= a * Math.log(a);
        if (a > A[o + best]!) best = s;
      }
      if (ideal[o + best]! > 0) hit++;
      uni += supp / T;
    }
  const R = N * rows.length;
  return {
    massOnIdeal: mass / R,
    tv: tv / R,
    entropyRatio: ent / R / Math.log(T),
    argmaxHit: hit / R,
    uniformMass: uni / R,
    uniformTv: utv / R,
  };
}
