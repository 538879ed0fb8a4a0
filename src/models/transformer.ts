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
 * Also the constructive model of PAPER.md §2 (`constructiveTransformer`): logits
 * `Σ_k φ_k(x(t)) ψ_k(x(s))` from given callables, output `F(Σ_s softmax_s · f(x(s)))`.
 *
 * Shape legend: B batch, T = τ tokens, d token width, n = f̂ output width, m_h, m_v, p = peDim.
 */
import { createRng, matmul, reshape, softmax, type Tensor, ValueError, ShapeError, fmtShape } from '../linalg/index.js';
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

const KEYS = ['d', 'n', 'mh', 'mv', 'ffnWidth', 'ffnDepth', 'positionEncoding', 'tau', 'peDim', 'activation', 'scale'] as const;

/**
 * The paper's one-layer one-head Transformer. Parameters: `ffn_in.*` (f̂), `attn.wq`, `attn.wk`,
 * `attn.wv`, `ffn_out.*` (F̂), and `pe` (τ, p) when the encoding is learned.
 *
 * ```ts
 * const m = new Transformer({ d: 1, n: 32, mh: 4, mv: 32, ffnWidth: 64, ffnDepth: 2, positionEncoding: 'none' }, { seed: 0 });
 * const y = m.forward(x); // x (B, τ, 1) → y (B, τ)
 * ```
 */
export class Transformer implements Model<TransformerConfig> {
  readonly kind = 'Transformer';
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
    if (pe !== 'none' && pe !== 'sinusoidal' && pe !== 'learned') throw new ValueError('Transformer', `positionEncoding must be 'none', 'sinusoidal' or 'learned', got '${String(pe)}'`);
    if (pe !== 'none') checkInt('Transformer', 'tau (required with a position encoding)', config.tau);
    this.config = { ...config };
    this.peDim = pe === 'none' ? 0 : checkInt('Transformer', 'peDim', config.peDim ?? 16);
    const rng = createRng(opts.seed ?? 0);
    const act = config.activation ?? 'relu';
    const { d, n, mh, mv, ffnWidth: width, ffnDepth: depth } = config;
    this.ffnIn = new MLP({ inDim: d + this.peDim, width, depth, outDim: n, activation: act }, { rng, prefix: 'ffn_in.' });
    this.attn = new Attention('attn.', { dim: n, mh, mv, scale: config.scale ?? false });
    const attnParams = this.attn.init(rng);
    this.ffnOut = new MLP({ inDim: mv, width, depth, outDim: 1, activation: act }, { rng, prefix: 'ffn_out.' });
    this.params = { ...this.ffnIn.params, ...attnParams, ...this.ffnOut.params };
    if (pe === 'learned') this.params.pe = learnedEncodingInit(rng, config.tau!, this.peDim);
    this.sinusoid = pe === 'sinusoidal' ? sinusoidalEncoding(config.tau!, this.peDim) : null;
  }

  private check(op: string, x: Tensor): void {
    checkInput(op, x, [undefined, this.config.positionEncoding === 'none' ? undefined : this.config.tau, this.config.d], 'x (B, τ, d)');
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

/** A token-wise function of the constructive model: token x(t) ∈ R^d and its position t (0-based). */
export type TokenFn = (u: Float64Array, t: number) => number;

/** Options of `constructiveTransformer`. */
export interface ConstructiveSpec {
  /** φ_1..φ_{m_h} (query side); fold the singular values σ_k in here. */
  phi: readonly TokenFn[];
  /** ψ_1..ψ_{m_h} (key side). */
  psi: readonly TokenFn[];
  /** Value map f : R^d → R^{n'} (return a number when n' = 1). */
  f: (u: Float64Array, t: number) => number | ArrayLike<number>;
  /** Readout F : R^{n'} → R. */
  F: (v: Float64Array) => number;
}

/** The constructive model: forward and attentionLogits like `Transformer`, no parameters. */
export interface ConstructiveTransformer extends Model<{ mh: number }> {
  attentionLogits(x: Tensor): Tensor;
}

/**
 * The constructive Transformer of PAPER.md §2: with n = 2m_h + m_v, f̂ = (φ_1..φ_{m_h}, ψ_1..ψ_{m_h}, f)
 * and W_Q, W_K selecting the first two blocks, the logit is `Σ_{k≤m_h} φ_k(x(t)) ψ_k(x(s))` — the
 * rank-m_h truncation of ρ when φ_k = σ_k·(POD basis), ψ_k = POD basis — and
 * `Ĥ_t(x) = F(Σ_s softmax_s(logit) f(x(s)))`. Evaluates the callables token-wise, then batched
 * matmuls; no optimisation involved, so its error is the approximation error alone.
 */
export function constructiveTransformer(spec: ConstructiveSpec): ConstructiveTransformer {
  checkConfigKeys('constructiveTransformer', spec, ['phi', 'psi', 'f', 'F']);
  const mh = spec.phi.length;
  if (mh < 1 || spec.psi.length !== mh) throw new ValueError('constructiveTransformer', `need m_h ≥ 1 functions φ and as many ψ, got ${spec.phi.length} and ${spec.psi.length}`);
  const tokens = (x: Tensor, fns: readonly TokenFn[]): Tensor => {
    const [B, T, d] = [x.shape[0]!, x.shape[1]!, x.shape[2]!];
    const out = new Float64Array(B * T * fns.length);
    for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) {
      const u = x.data.subarray((b * T + t) * d, (b * T + t + 1) * d);
      fns.forEach((fn, k) => { out[(b * T + t) * fns.length + k] = fn(u, t); });
    }
    return { data: out, shape: [B, T, fns.length] };
  };
  const check = (op: string, x: Tensor): void => {
    if (x.shape.length !== 3) throw new ShapeError(op, `expected x (B, τ, d), got ${fmtShape(x.shape)}`, [x.shape]);
    checkInput(op, x, [undefined, undefined, undefined], 'x (B, τ, d)');
  };
  const logits = (x: Tensor): Tensor => matmul(tokens(x, spec.phi), tokens(x, spec.psi), { transB: true }); // (B,T,m_h)·(B,m_h,T) → (B,T,T)
  return {
    kind: 'ConstructiveTransformer',
    config: { mh },
    params: {},
    attentionLogits(x: Tensor): Tensor {
      check('constructiveTransformer.attentionLogits', x);
      return logits(x);
    },
    forward(x: Tensor): Tensor {
      check('constructiveTransformer.forward', x);
      const [B, T, d] = [x.shape[0]!, x.shape[1]!, x.shape[2]!];
      const a = softmax(logits(x), -1); // (B, T, T) over s
      const vals: number[][] = [];
      for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) {
        const v = spec.f(x.data.subarray((b * T + t) * d, (b * T + t + 1) * d), t);
        vals.push(typeof v === 'number' ? [v] : Array.from(v));
      }
      const nv = vals[0]!.length;
      const V: Tensor = { data: Float64Array.from(vals.flat()), shape: [B, T, nv] };
      if (vals.some((v) => v.length !== nv)) throw new ValueError('constructiveTransformer', 'f returned vectors of different lengths');
      const o = matmul(a, V); // (B, T, T)·(B, T, n') → (B, T, n')
      const y = new Float64Array(B * T);
      for (let i = 0; i < B * T; i++) y[i] = spec.F(o.data.subarray(i * nv, (i + 1) * nv));
      return { data: y, shape: [B, T] };
    },
  };
}
