/**
 * The paper's Transformer: one layer, one head, no residual, no normalisation (Jiang & Li 2024,
 * §2, PAPER.md §2):
 *
 *   Ĥ_t(x) = F̂( Σ_s softmax_s[ (W_Q ĥ(t))ᵀ (W_K ĥ(s)) ] · W_V ĥ(s) ),   ĥ(s) = f̂(x(s))
 *
 * f̂ : R^d → R^n and F̂ : R^{m_v} → R are token-wise MLPs; W_Q, W_K ∈ R^{m_h×n}, W_V ∈ R^{m_v×n}
 * (stored transposed, (n, m_h) and (n, m_v), as right-multipliers of row tokens).
 * **[ours]** position encoding: the token x(t) ∈ R^d is concatenated with e(t) ∈ R^{peDim}
 * (sinusoidal or learned) before f̂. Since f̂'s first layer is affine this is the paper's
 * `x(t) ↦ A x(t) + e(t)` followed by f̂.
 *
 * The constructive model of PAPER.md §2 lives in constructive.ts.
 *
 * Shape legend: B batch, T = τ tokens, d token width, n = f̂ output width, m_h, m_v, p = peDim.
 */
import { createRng, reshape, type Tensor, ValueError } from '../linalg/index.js';
import { checkElements } from '../linalg/validate.js';
import { Attention, MLP, concatPositions, learnedEncodingInit, sinusoidalEncoding, type Activation } from './layers.js';
import { checkConfigKeys, checkInput, checkInt, param, type Model, type Params } from './module.js';

/** Configuration of the paper's Transformer. */
export interface TransformerConfig {
  /** Token dimension d (input x(s) ∈ R^d). */
  d: number;
  /** Width n of ĥ = f̂(x(s)). */
  n: number;
  /** Query/key width m_h (the quantity the rate is about). */
  mh: number;
  /** Value width m_v. */
  mv: number;
  /** Hidden width of f̂ and F̂. */
  ffnWidth: number;
  /** Hidden layers of f̂ and F̂ (0: affine). */
  ffnDepth: number;
  /** 'none' (permutation-equivariant), 'sinusoidal' (fixed) or 'learned'. */
  positionEncoding: 'none' | 'sinusoidal' | 'learned';
  /** Sequence length τ; required when positionEncoding ≠ 'none'. */
  tau?: number;
  /** Width p of the position encoding concatenated to x(t) (default 16). */
  peDim?: number;
  /** Activation of f̂ and F̂ (default 'relu'). */
  activation?: Activation;
  /** Scale logits by 1/√m_h (default false, as in the paper). */
  scale?: boolean;
}

const KEYS = [
  'd',
  'n',
  'mh',
  'mv',
  'ffnWidth',
  'ffnDepth',
  'positionEncoding',
  'tau',
  'peDim',
  'activation',
  'scale',
] as const;

/**
 * The paper's one-layer one-head Transformer. Parameters: `ffn_in.*` (f̂), `attn.wq`, `attn.wk`,
 * `attn.wv`, `ffn_out.*` (F̂), and `pe` (τ, p) when the encoding is learned.
 *
 * @example
 * ```ts
 * const config = { d: 1, n: 8, mh: 2, mv: 8, ffnWidth: 16, ffnDepth: 2, positionEncoding: 'none' } as const;
 * const m = new Transformer(config, { seed: 0 });
 * const x = tensor([[[0.1], [0.5], [0.9]]]); // (B, τ, d) = (1, 3, 1)
 * Array.from(m.forward(x).data); // ≈ [-0.006200, -0.006280, -0.006360]: x (B, τ, 1) → y (B, τ)
 * m.attentionLogits(x).shape;    // → [1, 3, 3]
 * // no position encoding: permuting the tokens permutes the outputs
 * Array.from(m.forward(permuteTokens(x, [2, 0, 1])).data); // ≈ [-0.006360, -0.006200, -0.006280]
 * const pe = new Transformer({ ...config, positionEncoding: 'learned', tau: 3, peDim: 4 });
 * pe.params.pe!.shape; // → [3, 4]: a learned (τ, p) encoding, concatenated to each token
 * ```
 */
export class Transformer implements Model<TransformerConfig> {
  readonly kind = 'Transformer';
  readonly configKeys: readonly string[] = KEYS;
  readonly config: TransformerConfig;
  readonly ffnIn: MLP;
  readonly attn: Attention;
  readonly ffnOut: MLP;
  readonly peDim: number;
  private readonly sinusoid: Tensor | null;
  params: Params;

  constructor(config: TransformerConfig, opts: { seed?: number } = {}) {
    checkConfigKeys('Transformer', config, KEYS);
    for (const k of ['d', 'n', 'mh', 'mv', 'ffnWidth'] as const) checkInt('Transformer', k, config[k]);
    checkInt('Transformer', 'ffnDepth', config.ffnDepth, true);
    const pe = config.positionEncoding;
    if (pe !== 'none' && pe !== 'sinusoidal' && pe !== 'learned')
      throw new ValueError(
        'Transformer',
        `positionEncoding must be 'none', 'sinusoidal' or 'learned', got '${String(pe)}'`,
      );
    if (pe !== 'none') checkInt('Transformer', 'tau (required with a position encoding)', config.tau);
    this.config = { ...config };
    this.peDim = pe === 'none' ? 0 : checkInt('Transformer', 'peDim', config.peDim ?? 16);
    const rng = createRng(opts.seed ?? 0);
    const act = config.activation ?? 'relu';
    const { d, n, mh, mv, ffnWidth: width, ffnDepth: depth } = config;
    // refuse sizes beyond the element cap up front, naming the model (not a raw RangeError in randn)
    const mats: [number, number][] = [
      [d + this.peDim, width],
      [width, width],
      [width, n],
      [n, mh],
      [n, mv],
      [mv, width],
    ];
    for (const [r, c] of mats) checkElements('Transformer', r * c, [r, c]);
    this.ffnIn = new MLP(
      { inDim: d + this.peDim, width, depth, outDim: n, activation: act },
      { rng, prefix: 'ffn_in.' },
    );
    this.attn = new Attention('attn.', { dim: n, mh, mv, scale: config.scale ?? false });
    const attnParams = this.attn.init(rng);
    this.ffnOut = new MLP({ inDim: mv, width, depth, outDim: 1, activation: act }, { rng, prefix: 'ffn_out.' });
    this.params = { ...this.ffnIn.params, ...attnParams, ...this.ffnOut.params };
    if (pe === 'learned') this.params.pe = learnedEncodingInit(rng, config.tau!, this.peDim);
    this.sinusoid = pe === 'sinusoidal' ? sinusoidalEncoding(config.tau!, this.peDim) : null;
  }

  private check(op: string, x: Tensor): void {
    checkInput(
      op,
      x,
      [undefined, this.config.positionEncoding === 'none' ? undefined : this.config.tau, this.config.d],
      'x (B, τ, d)',
    );
  }

  /** ĥ = f̂([x(t), e(t)]): (B, T, d) → (B, T, n). */
  private embed(x: Tensor, p: Params): Tensor {
    const pe = this.config.positionEncoding;
    const z = pe === 'none' ? x : concatPositions(x, pe === 'learned' ? param('Transformer', p, 'pe') : this.sinusoid!); // (B, T, d + p)
    return this.ffnIn.apply(z, p); // (B, T, n)
  }

  /** x (B, τ, d) → Ĥ(x) (B, τ). */
  forward(x: Tensor, params: Params = this.params): Tensor {
    this.check('Transformer.forward', x);
    const [B, T] = [x.shape[0]!, x.shape[1]!];
    const o = this.attn.apply(this.embed(x, params), params); // (B, T, m_v)
    const y = this.ffnOut.apply(o, params); // (B, T, 1)
    return reshape(y, [B, T]); // (B, T, 1) → (B, T)
  }

  /** The pre-softmax logits (W_Q ĥ(t))ᵀ W_K ĥ(s): (B, τ, τ), indexed [b, t, s]. */
  attentionLogits(x: Tensor, params: Params = this.params): Tensor {
    this.check('Transformer.attentionLogits', x);
    return this.attn.logits(this.embed(x, params), params);
  }
}
