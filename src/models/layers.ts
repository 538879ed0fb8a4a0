/**
 * Building blocks of the seqrate models, written bottom-up in the nanoGPT style: `Linear`, `MLP`,
 * `LayerNorm`, position encodings and `Attention`. Each block knows its parameter names (under a
 * prefix), initialises them from a seeded generator, and `apply`s itself to a tensor reading the
 * tensors from a parameter record, so a forward pass is pure in its parameters.
 *
 * Reference: Vaswani et al. 2017 (attention, sinusoidal encoding); Jiang & Li 2024 §2
 * (`Attention` with `m_h`, `m_v` and no scale is the paper's attention).
 *
 * Shape legend: B batch, T tokens (τ), n model width, m_h query/key width per head,
 * m_v value width per head, H heads, M = B·T rows of a token-wise map.
 */
import {
  add,
  broadcastTo,
  concat,
  createRng,
  dense,
  gelu,
  layerNorm,
  matmul,
  relu,
  reshape,
  softmax,
  tanh,
  transpose,
  mul,
  ShapeError,
  ValueError,
  fmtShape,
  ones,
  randn,
  zeros,
  type Rng,
  type Tensor,
} from '../linalg/index.js';
import { checkConfigKeys, checkInput, checkInt, param, type Model, type Params } from './module.js';

/** Activation functions of the feed-forward networks. */
export type Activation = 'relu' | 'tanh' | 'gelu';

/**
 * Applies an activation by name.
 *
 * @example
 * ```ts
 * Array.from(activate(tensor([-1, 0, 2]), 'relu').data); // → [0, 0, 2]
 * Array.from(activate(tensor([-1, 0, 2]), 'tanh').data); // ≈ [-0.7616, 0, 0.9640]
 * ```
 */
export function activate(x: Tensor, act: Activation): Tensor {
  if (act === 'relu') return relu(x);
  if (act === 'tanh') return tanh(x);
  if (act === 'gelu') return gelu(x);
  throw new ValueError('activate', `unknown activation '${String(act)}' (relu, tanh, gelu)`);
}

/** Normal(0, std²) tensor from `rng`. */
function normal(rng: Rng, shape: readonly number[], std: number): Tensor {
  const t = randn(rng, shape);
  for (let i = 0; i < t.data.length; i++) t.data[i]! *= std;
  return t;
}

/** `x` (…, k) → (M, k): collapses the leading axes so a token-wise map is one 2-D matmul. */
function rows(x: Tensor): Tensor {
  const k = x.shape[x.shape.length - 1]!;
  return reshape(x, [-1, k]); // (…, k) → (M, k)
}

/**
 * Affine map on the last axis: `y = x W + b`, W (inDim, outDim), b (outDim).
 * Initialisation: W ~ N(0, 1/inDim) (LeCun), b = 0.
 *
 * @example
 * ```ts
 * const fc = new Linear('fc.', 3, 2);
 * Object.keys(fc.init(createRng(0))); // → ['fc.weight', 'fc.bias']
 * const p = { 'fc.weight': tensor([[1, 0], [0, 1], [1, 1]]), 'fc.bias': tensor([0, 10]) };
 * Array.from(fc.apply(tensor([[1, 2, 3]]), p).data);         // → [4, 15]
 * Array.from(fc.apply(tensor([[1, 2, -3]]), p, 'relu').data); // → [0, 9]
 * fc.apply(zeros([4, 5, 3]), p).shape;                        // → [4, 5, 2]: token-wise on (B, T, 3)
 * ```
 */
export class Linear {
  constructor(
    readonly prefix: string,
    readonly inDim: number,
    readonly outDim: number,
    readonly bias = true,
  ) {
    checkInt('Linear', 'inDim', inDim);
    checkInt('Linear', 'outDim', outDim);
  }

  /** Fresh parameters `{prefix}weight` (inDim, outDim) and `{prefix}bias` (outDim). */
  init(rng: Rng): Params {
    const p: Params = { [`${this.prefix}weight`]: normal(rng, [this.inDim, this.outDim], 1 / Math.sqrt(this.inDim)) };
    if (this.bias) p[`${this.prefix}bias`] = zeros([this.outDim]);
    return p;
  }

  /**
   * x (…, inDim) → (…, outDim), one 2-D product over all rows, then the activation `act` if
   * given (`true` is 'relu'). ReLU runs inside the `dense` primitive; tanh and GELU after it.
   */
  apply(x: Tensor, p: Params, act: Activation | boolean = false): Tensor {
    const last = x.shape[x.shape.length - 1];
    if (last !== this.inDim)
      throw new ShapeError(
        'Linear',
        `${this.prefix}weight expects inputs (…, ${this.inDim}), got ${fmtShape(x.shape)}`,
        [x.shape],
      );
    const b = this.bias ? param('Linear', p, `${this.prefix}bias`) : null;
    const relu = act === true || act === 'relu';
    let y = dense(rows(x), param('Linear', p, `${this.prefix}weight`), b, relu); // (M, inDim)·(inDim, outDim) + b → (M, outDim)
    if (!relu && act !== false) y = activate(y, act);
    return x.shape.length === 2 ? y : reshape(y, [...x.shape.slice(0, -1), this.outDim]); // (M, out) → (…, out)
  }
}

/** MLP configuration. */
export interface MLPConfig {
  /** Input width (last axis of the input). */
  inDim: number;
  /** Width of every hidden layer. */
  width: number;
  /** Number of hidden layers (0: a single affine map inDim → outDim). */
  depth: number;
  /** Output width. */
  outDim: number;
  /** Hidden activation (default 'relu'). */
  activation?: Activation;
}

const MLP_KEYS = ['inDim', 'width', 'depth', 'outDim', 'activation'] as const;

/**
 * Token-wise feed-forward network: `depth` hidden layers of `width` units with the activation,
 * then a linear output layer; parameters `{prefix}{i}.weight/bias`, i = 0..depth.
 * Works as a block (`apply(x, params)`) and as a standalone model (`forward(x)`).
 *
 * @example
 * ```ts
 * const net = new MLP({ inDim: 1, width: 16, depth: 2, outDim: 1, activation: 'tanh' }, { seed: 0 });
 * Object.keys(net.params); // → ['0.weight', '0.bias', '1.weight', '1.bias', '2.weight', '2.bias']
 * net.forward(zeros([4, 5, 1])).shape; // → [4, 5, 1]: x (…, 1) → y (…, 1)
 * // as a block of a larger model: `apply` reads its tensors, named under a prefix, from a shared record
 * const ffn = new MLP({ inDim: 2, width: 4, depth: 1, outDim: 3 }, { seed: 0, prefix: 'ffn.' });
 * Object.keys(ffn.params)[0]; // → 'ffn.0.weight'
 * ffn.apply(zeros([5, 2]), { ...ffn.params, other: zeros([1]) }).shape; // → [5, 3]
 * ```
 */
export class MLP implements Model<MLPConfig> {
  readonly kind = 'MLP';
  readonly configKeys: readonly string[] = MLP_KEYS;
  readonly config: MLPConfig;
  readonly layers: Linear[];
  readonly activation: Activation;
  params: Params;

  constructor(config: MLPConfig, opts: { seed?: number; rng?: Rng; prefix?: string } = {}) {
    checkConfigKeys('MLP', config, MLP_KEYS);
    const { inDim, width, outDim } = config;
    const depth = checkInt('MLP', 'depth', config.depth, true);
    this.config = { ...config };
    this.activation = config.activation ?? 'relu';
    if (!['relu', 'tanh', 'gelu'].includes(this.activation))
      throw new ValueError('MLP', `unknown activation '${String(this.activation)}' (relu, tanh, gelu)`);
    const prefix = opts.prefix ?? '';
    const dims = [inDim, ...new Array<number>(depth).fill(width), outDim];
    this.layers = dims.slice(0, -1).map((d, i) => new Linear(`${prefix}${i}.`, d, dims[i + 1]!));
    const rng = opts.rng ?? createRng(opts.seed ?? 0);
    this.params = Object.assign({}, ...this.layers.map((l) => l.init(rng))) as Params;
  }

  /** x (…, inDim) → (…, outDim): hidden layers with the activation, a linear output layer. */
  apply(x: Tensor, p: Params): Tensor {
    const last = this.layers.length - 1;
    return this.layers.reduce((h, layer, i) => layer.apply(h, p, i < last ? this.activation : false), x);
  }

  /** Standalone use: checks x (…, inDim) (shape and finiteness), then `apply`. */
  forward(x: Tensor, params: Params = this.params): Tensor {
    checkInput(
      'MLP.forward',
      x,
      [...x.shape.slice(0, -1).map(() => undefined), this.config.inDim],
      `(…, ${this.config.inDim})`,
    );
    return this.apply(x, params);
  }
}

/**
 * Layer normalisation over the last axis with learned `{prefix}gamma` (ones) and `{prefix}beta` (zeros).
 *
 * @example
 * ```ts
 * const ln = new LayerNorm('ln.', 2);
 * Array.from(ln.apply(tensor([[1, 3], [10, 10]]), ln.init()).data); // ≈ [-1, 1, 0, 0]
 * ```
 */
export class LayerNorm {
  constructor(
    readonly prefix: string,
    readonly dim: number,
    readonly eps = 1e-5,
  ) {}
  /** Fresh parameters: `{prefix}gamma` = 1, `{prefix}beta` = 0, both (dim). */
  init(): Params {
    return { [`${this.prefix}gamma`]: ones([this.dim]), [`${this.prefix}beta`]: zeros([this.dim]) };
  }
  /** x (…, dim) → normalised over the last axis, scaled and shifted. */
  apply(x: Tensor, p: Params): Tensor {
    return layerNorm(
      x,
      param('LayerNorm', p, `${this.prefix}gamma`),
      param('LayerNorm', p, `${this.prefix}beta`),
      this.eps,
    );
  }
}

/**
 * Fixed sinusoidal position encoding (Vaswani et al. 2017, §3.5): (T, dim) with
 * `e(t)_{2i} = sin(t / 10000^{2i/dim})`, `e(t)_{2i+1} = cos(t / 10000^{2i/dim})`, t = 0..T−1.
 *
 * @example
 * ```ts
 * const e = sinusoidalEncoding(3, 4); // (T, dim) = (3, 4)
 * Array.from(e.data.slice(0, 4)); // → [0, 1, 0, 1]: t = 0
 * Array.from(e.data.slice(4, 8)); // ≈ [0.8415, 0.5403, 0.0100, 1.0000]: sin 1, cos 1, sin 0.01, cos 0.01
 * ```
 */
export function sinusoidalEncoding(T: number, dim: number): Tensor {
  checkInt('sinusoidalEncoding', 'T', T);
  checkInt('sinusoidalEncoding', 'dim', dim);
  const e = zeros([T, dim]);
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < dim; j++) {
      const freq = 1 / 10000 ** ((2 * Math.floor(j / 2)) / dim);
      e.data[t * dim + j] = j % 2 === 0 ? Math.sin(t * freq) : Math.cos(t * freq);
    }
  }
  return e;
}

/**
 * Initial learned position encoding (T, dim) ~ N(0, std²).
 *
 * @example
 * ```ts
 * const pe = learnedEncodingInit(createRng(0), 16, 8, 0.02); // the ViT's initial `pos`
 * pe.shape; // → [16, 8]
 * ```
 */
export function learnedEncodingInit(rng: Rng, T: number, dim: number, std = 1): Tensor {
  return normal(rng, [T, dim], std);
}

/** Attention configuration. */
export interface AttentionConfig {
  /** Input token width n. */
  dim: number;
  /** Query/key width per head m_h. */
  mh: number;
  /** Value width per head m_v. */
  mv: number;
  /** Number of heads H (default 1). */
  heads?: number;
  /** Multiply logits by 1/sqrt(m_h) (default false: the paper's model has no scale). */
  scale?: boolean;
  /** Causal mask: token t attends to s ≤ t only (default false). */
  causal?: boolean;
  /** Output projection H·m_v → outDim with bias (default: none, output is the H·m_v concatenation). */
  outDim?: number;
}

/**
 * (Multi-head) softmax attention with query/key width m_h and value width m_v:
 * `out_t = Σ_s softmax_s(q_tᵀ k_s · c) v_s`, q = x W_Q, k = x W_K, v = x W_V, c = 1 or 1/√m_h.
 * Parameters `{prefix}wq` (n, H·m_h), `{prefix}wk` (n, H·m_h), `{prefix}wv` (n, H·m_v), and with an
 * output projection `{prefix}wo` (H·m_v, outDim), `{prefix}bo` (outDim). No biases on q, k, v
 * (the paper's W_Q, W_K, W_V are linear).
 *
 * @example
 * ```ts
 * // one head, n = m_h = m_v = 1, all weights 1: the logit of (t, s) is x_t·x_s
 * const att = new Attention('att.', { dim: 1, mh: 1, mv: 1 });
 * const p = { 'att.wq': tensor([[1]]), 'att.wk': tensor([[1]]), 'att.wv': tensor([[1]]) };
 * const x = tensor([[[0], [1]]]); // (B, T, n) = (1, 2, 1)
 * Array.from(att.logits(x, p).data); // → [0, 0, 0, 1]
 * Array.from(att.apply(x, p).data);  // ≈ [0.5, 0.7311]: (0 + 1)/2 and e/(1 + e)
 * const causal = new Attention('att.', { dim: 1, mh: 1, mv: 1, causal: true });
 * Array.from(causal.apply(x, p).data); // ≈ [0, 0.7311]: token 0 sees only itself
 * // several heads with an output projection, as in the ViT
 * const mha = new Attention('mha.', { dim: 8, mh: 2, mv: 4, heads: 2, outDim: 8, scale: true });
 * mha.apply(zeros([3, 5, 8]), mha.init(createRng(0))).shape; // → [3, 5, 8]
 * ```
 */
export class Attention {
  readonly heads: number;
  readonly scale: boolean;
  readonly causal: boolean;
  constructor(
    readonly prefix: string,
    readonly config: AttentionConfig,
  ) {
    checkConfigKeys('Attention', config, ['dim', 'mh', 'mv', 'heads', 'scale', 'causal', 'outDim']);
    checkInt('Attention', 'dim', config.dim);
    checkInt('Attention', 'mh', config.mh);
    checkInt('Attention', 'mv', config.mv);
    this.heads = checkInt('Attention', 'heads', config.heads ?? 1);
    this.scale = config.scale ?? false;
    this.causal = config.causal ?? false;
    if (config.outDim !== undefined) checkInt('Attention', 'outDim', config.outDim);
  }

  /** Output width: outDim, or H·m_v without a projection. */
  get outWidth(): number {
    return this.config.outDim ?? this.heads * this.config.mv;
  }

  /** Fresh parameters: W_Q, W_K, W_V ~ N(0, 1/n) (and W_O ~ N(0, 1/(H·m_v)), b_O = 0 with a projection). */
  init(rng: Rng): Params {
    const { dim, mh, mv, outDim } = this.config,
      H = this.heads,
      s = 1 / Math.sqrt(dim);
    const p: Params = {
      [`${this.prefix}wq`]: normal(rng, [dim, H * mh], s),
      [`${this.prefix}wk`]: normal(rng, [dim, H * mh], s),
      [`${this.prefix}wv`]: normal(rng, [dim, H * mv], s),
    };
    if (outDim !== undefined) {
      p[`${this.prefix}wo`] = normal(rng, [H * mv, outDim], 1 / Math.sqrt(H * mv));
      p[`${this.prefix}bo`] = zeros([outDim]);
    }
    return p;
  }

  /** x (B, T, n), W (n, H·k) → (B, H, T, k) (or (B, T, k) when H = 1). */
  private project(x: Tensor, w: Tensor, k: number): Tensor {
    const [B, T] = [x.shape[0]!, x.shape[1]!],
      H = this.heads;
    const y = matmul(rows(x), w); // (B·T, n)·(n, H·k) → (B·T, H·k)
    if (H === 1) return reshape(y, [B, T, k]); // (B·T, k) → (B, T, k)
    return transpose(reshape(y, [B, T, H, k]), [0, 2, 1, 3]); // (B·T, H·k) → (B, T, H, k) → (B, H, T, k)
  }

  /** Pre-softmax logits (B, H, T, T) (or (B, T, T) when H = 1), scale applied, no mask. */
  logits(x: Tensor, p: Params): Tensor {
    if (x.shape.length !== 3 || x.shape[2] !== this.config.dim) {
      throw new ShapeError('Attention', `expected tokens (B, T, ${this.config.dim}), got ${fmtShape(x.shape)}`, [
        x.shape,
      ]);
    }
    const { mh } = this.config;
    const q = this.project(x, param('Attention', p, `${this.prefix}wq`), mh);
    const k = this.project(x, param('Attention', p, `${this.prefix}wk`), mh);
    const l = matmul(q, k, { transB: true }); // (…, T, m_h)·(…, m_h, T) → (…, T, T)
    return this.scale ? mul(l, 1 / Math.sqrt(mh)) : l;
  }

  /** x (B, T, n) → (B, T, outWidth). */
  apply(x: Tensor, p: Params): Tensor {
    const [B, T] = [x.shape[0]!, x.shape[1]!],
      H = this.heads,
      { mv } = this.config;
    let l = this.logits(x, p);
    if (this.causal) l = add(l, causalMask(T)); // −1e30 above the diagonal: exp underflows to exactly 0
    const a = softmax(l, -1); // over s
    const v = this.project(x, param('Attention', p, `${this.prefix}wv`), mv);
    let o = matmul(a, v); // (…, T, T)·(…, T, m_v) → (…, T, m_v)
    if (H > 1) o = reshape(transpose(o, [0, 2, 1, 3]), [B, T, H * mv]); // (B, H, T, m_v) → (B, T, H, m_v) → (B, T, H·m_v)
    if (this.config.outDim === undefined) return o;
    const y = add(
      matmul(rows(o), param('Attention', p, `${this.prefix}wo`)),
      param('Attention', p, `${this.prefix}bo`),
    ); // (B·T, H·m_v) → (B·T, out)
    return reshape(y, [B, T, this.config.outDim]); // (B·T, out) → (B, T, out)
  }
}

const maskCache = new Map<number, Tensor>();
/**
 * (T, T) additive causal mask: 0 on and below the diagonal, −1e30 above.
 *
 * @example
 * ```ts
 * Array.from(causalMask(3).data); // → [0, -1e30, -1e30, 0, 0, -1e30, 0, 0, 0]
 * Array.from(softmax(add(zeros([3, 3]), causalMask(3)), -1).data.slice(3, 6)); // → [0.5, 0.5, 0]
 * ```
 */
export function causalMask(T: number): Tensor {
  let m = maskCache.get(T);
  if (!m) {
    m = zeros([T, T]);
    for (let t = 0; t < T; t++) for (let s = t + 1; s < T; s++) m.data[t * T + s] = -1e30;
    maskCache.set(T, m);
  }
  return m;
}

/**
 * Concatenates tokens with a per-position encoding: x (B, T, d), e (T, p) → (B, T, d + p).
 *
 * @example
 * ```ts
 * const x = tensor([[[1], [2]], [[3], [4]]]); // (B, T, d) = (2, 2, 1)
 * const e = tensor([[0, 0], [1, 1]]);         // (T, p) = (2, 2)
 * const z = concatPositions(x, e);
 * z.shape;             // → [2, 2, 3]
 * Array.from(z.data);  // → [1, 0, 0, 2, 1, 1, 3, 0, 0, 4, 1, 1]
 * ```
 */
export function concatPositions(x: Tensor, e: Tensor): Tensor {
  const [B, T] = [x.shape[0]!, x.shape[1]!];
  if (e.shape[0] !== T)
    throw new ShapeError(
      'concatPositions',
      `position encoding has ${e.shape[0]} positions but the input has τ = ${T}`,
      [x.shape, e.shape],
    );
  const eb = broadcastTo(reshape(e, [1, T, e.shape[1]!]), [B, T, e.shape[1]!]); // (T, p) → (1, T, p) → (B, T, p)
  return concat([x, eb], 2);
}
