/**
 * A small Vision Transformer (Dosovitskiy et al. 2021) for the MNIST experiments of PAPER.md §6
 * (the paper's Fig. 1 / Table 1 use ViT-B/16 on CIFAR-10): patch embedding, optional cyclic token
 * shift (after patch embedding, before position encoding: Table 1), learned positions, L pre-norm
 * blocks `x ← x + MHA(LN(x)); x ← x + MLP(LN(x))` with head size m_h down to 1, a final LayerNorm,
 * mean-pool or class token, and a linear classifier.
 *
 * Shape legend: B images, 28×28 pixels, P patch side, T = (28/P)² patch tokens (+1 with a class
 * token), D = P² pixels per patch, n model width, H heads, m_h / m_v per-head widths, C classes.
 */
import { add, broadcastTo, concat, createRng, mean, reshape, slice, ValueError, type Tensor } from '../linalg/index.js';
import { cyclicShiftTokens, patchify } from './data.js';
import { Attention, LayerNorm, Linear, MLP, learnedEncodingInit } from './layers.js';
import { checkConfigKeys, checkInput, checkInt, param, type Model, type Params } from './module.js';

/** ViT configuration. */
export interface ViTConfig {
  /** Image side in pixels (square images; default 28). */
  imageSize?: number;
  /** Patch side P (must divide imageSize). */
  patch: number;
  /** Model width n. */
  dim: number;
  /** Number of blocks L. */
  depth: number;
  /** Heads per block H. */
  heads: number;
  /** Query/key width per head m_h (≥ 1). */
  mh: number;
  /** Value width per head m_v (default dim / heads rounded up, at least 1). */
  mv?: number;
  /** Hidden width of each block's MLP (default 2·dim). */
  mlpWidth?: number;
  /** Number of classes C (default 10). */
  classes?: number;
  /** 'mean' (average of the tokens, default) or 'cls' (a learned class token). */
  pool?: 'mean' | 'cls';
  /** Scale logits by 1/√m_h (default true). */
  scale?: boolean;
  /** Cyclic shift of the patch tokens by this many positions before position encoding (default 0). */
  tokenShift?: number;
}

const KEYS = [
  'imageSize',
  'patch',
  'dim',
  'depth',
  'heads',
  'mh',
  'mv',
  'mlpWidth',
  'classes',
  'pool',
  'scale',
  'tokenShift',
] as const;

interface Block {
  ln1: LayerNorm;
  attn: Attention;
  ln2: LayerNorm;
  mlp: MLP;
}

/**
 * The ViT. `forward(images (B, 28, 28)) → logits (B, C)`; `attentionLogits(images)` returns one
 * (B, H, T', T') tensor of pre-softmax logits per block (T' = T, or T + 1 with a class token).
 *
 * @example
 * ```ts
 * // 8×8 images in 4×4 patches: T = 4 tokens of 16 pixels; 2 blocks of 2 heads with m_h = 1
 * const vit = new ViT({ imageSize: 8, patch: 4, dim: 8, depth: 2, heads: 2, mh: 1, classes: 3 }, { seed: 0 });
 * vit.tokens;                                      // → 4
 * vit.forward(zeros([5, 8, 8])).shape;             // → [5, 3]: class logits
 * vit.attentionLogits(zeros([5, 8, 8])).map((l) => l.shape); // → [[5, 2, 4, 4], [5, 2, 4, 4]]
 * const cls = new ViT({ imageSize: 8, patch: 4, dim: 8, depth: 1, heads: 1, mh: 1, pool: 'cls' });
 * cls.attentionLogits(zeros([5, 8, 8]))[0]!.shape;  // → [5, 1, 5, 5]: the class token is one more
 * ```
 */
export class ViT implements Model<ViTConfig> {
  readonly kind = 'ViT';
  readonly configKeys: readonly string[] = KEYS;
  readonly config: ViTConfig;
  readonly tokens: number;
  readonly embed: Linear;
  readonly blocks: Block[];
  readonly lnFinal: LayerNorm;
  readonly head: Linear;
  params: Params;

  constructor(config: ViTConfig, opts: { seed?: number } = {}) {
    checkConfigKeys('ViT', config, KEYS);
    const size = checkInt('ViT', 'imageSize', config.imageSize ?? 28),
      P = checkInt('ViT', 'patch', config.patch);
    if (size % P !== 0) throw new ValueError('ViT', `patch ${P} must divide imageSize ${size}`);
    const n = checkInt('ViT', 'dim', config.dim),
      H = checkInt('ViT', 'heads', config.heads),
      mh = checkInt('ViT', 'mh', config.mh);
    const L = checkInt('ViT', 'depth', config.depth);
    const mv = checkInt('ViT', 'mv', config.mv ?? Math.max(1, Math.ceil(n / H)));
    const width = checkInt('ViT', 'mlpWidth', config.mlpWidth ?? 2 * n),
      C = checkInt('ViT', 'classes', config.classes ?? 10);
    const pool = config.pool ?? 'mean';
    if (pool !== 'mean' && pool !== 'cls')
      throw new ValueError('ViT', `pool must be 'mean' or 'cls', got '${String(pool)}'`);
    if (!Number.isSafeInteger(config.tokenShift ?? 0))
      throw new ValueError('ViT', `tokenShift must be an integer, got ${config.tokenShift}`);
    this.config = { ...config };
    this.tokens = (size / P) ** 2;
    const rng = createRng(opts.seed ?? 0);
    this.embed = new Linear('embed.', P * P, n);
    this.params = {
      ...this.embed.init(rng),
      pos: learnedEncodingInit(rng, this.tokens + (pool === 'cls' ? 1 : 0), n, 0.02),
    };
    if (pool === 'cls') this.params.cls = learnedEncodingInit(rng, 1, n, 0.02);
    this.blocks = [];
    for (let l = 0; l < L; l++) {
      const b: Block = {
        ln1: new LayerNorm(`blocks.${l}.ln1.`, n),
        attn: new Attention(`blocks.${l}.attn.`, { dim: n, mh, mv, heads: H, scale: config.scale ?? true, outDim: n }),
        ln2: new LayerNorm(`blocks.${l}.ln2.`, n),
        mlp: new MLP({ inDim: n, width, depth: 1, outDim: n, activation: 'gelu' }, { rng, prefix: `blocks.${l}.mlp.` }),
      };
      Object.assign(this.params, b.ln1.init(), b.attn.init(rng), b.ln2.init(), b.mlp.params);
      this.blocks.push(b);
    }
    this.lnFinal = new LayerNorm('ln_f.', n);
    this.head = new Linear('head.', n, C);
    Object.assign(this.params, this.lnFinal.init(), this.head.init(rng));
  }

  /** images (B, S, S) → tokens entering the first block (B, T', n). */
  private tokensOf(images: Tensor, p: Params): Tensor {
    const S = this.config.imageSize ?? 28;
    checkInput('ViT.forward', images, [undefined, S, S], `images (B, ${S}, ${S})`);
    const B = images.shape[0]!,
      n = this.config.dim;
    let patches = patchify(images, this.config.patch); // (B, S, S) → (B, T, P²)
    // the shift acts on tokens; the embedding is token-wise, so shifting patches = shifting embeddings
    if (this.config.tokenShift) patches = cyclicShiftTokens(patches, this.config.tokenShift);
    let x = this.embed.apply(patches, p); // (B, T, n)
    if (this.config.pool === 'cls') {
      const cls = broadcastTo(reshape(param('ViT', p, 'cls'), [1, 1, n]), [B, 1, n]); // (1, n) → (1, 1, n) → (B, 1, n)
      x = concat([cls, x], 1); // (B, T + 1, n)
    }
    return add(x, param('ViT', p, 'pos')); // + (T', n) broadcast over B
  }

  private block(x: Tensor, b: Block, p: Params): Tensor {
    const a = add(x, b.attn.apply(b.ln1.apply(x, p), p));
    return add(a, b.mlp.apply(b.ln2.apply(a, p), p));
  }

  /** images (B, S, S) → class logits (B, C). */
  forward(images: Tensor, params: Params = this.params): Tensor {
    let x = this.tokensOf(images, params);
    for (const b of this.blocks) x = this.block(x, b, params);
    x = this.lnFinal.apply(x, params); // (B, T', n)
    const B = x.shape[0]!,
      n = this.config.dim;
    const pooled =
      this.config.pool === 'cls'
        ? reshape(slice(x, [0, 0, 0], [B, 1, n]), [B, n]) // class token: (B, 1, n) → (B, n)
        : mean(x, 1); // (B, T, n) → (B, n)
    return this.head.apply(pooled, params); // (B, C)
  }

  /** Pre-softmax logits of every block: L tensors (B, H, T', T'), indexed [b, head, t, s]. */
  attentionLogits(images: Tensor, params: Params = this.params): Tensor[] {
    let x = this.tokensOf(images, params);
    const out: Tensor[] = [];
    for (const b of this.blocks) {
      let l = b.attn.logits(b.ln1.apply(x, params), params);
      if (b.attn.heads === 1) l = reshape(l, [l.shape[0]!, 1, l.shape[1]!, l.shape[2]!]); // (B, T', T') → (B, 1, T', T')
      out.push(l);
      x = this.block(x, b, params);
    }
    return out;
  }
}
