/**
 * The constructive Transformer of PAPER.md §2 (Jiang & Li 2024, proof of Theorem 4.2): with
 * n = 2m_h + m_v, let f̂ output (φ_1..φ_{m_h}, ψ_1..ψ_{m_h}, f) and W_Q, W_K select the first two
 * blocks; then the attention logit is `Σ_{k≤m_h} φ_k(x(t)) ψ_k(x(s))`, the rank-m_h truncation of
 * the coupling ρ when φ_k = σ_k·(left POD basis), ψ_k = right POD basis, and
 * `Ĥ_t(x) = F(Σ_s softmax_s(logit) f(x(s)))`.
 *
 * Two forms: `constructiveTransformer` evaluates the given callables exactly (its error is the
 * attention-rank term alone); `fittedConstructiveTransformer` fits small MLPs to the callables and
 * returns a genuine `Transformer` with the selector W_Q, W_K, W_V (its error adds the FFN term).
 *
 * Shape legend: B batch, T = τ tokens, d token width, m_h, n' = width of f's values.
 */
import { createRng, matmul, softmax, type Tensor, ValueError, ShapeError, fmtShape, zeros } from '../linalg/index.js';
import { checkConfigKeys, checkInput, checkInt, type Model, type Params } from './module.js';
import { MLP, type Activation } from './layers.js';
import { Transformer } from './transformer.js';
import { train } from './train.js';

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
 *
 * @example
 * ```ts
 * // m_h = 1, φ = ψ = f = F = identity on 1-d tokens: Ĥ_t(x) = Σ_s softmax_s(x(t)·x(s)) x(s)
 * const id = (u: Float64Array) => u[0]!;
 * const m = constructiveTransformer({ phi: [id], psi: [id], f: id, F: (v) => v[0]! });
 * const x = tensor([[[0], [1]]]); // (B, τ, d) = (1, 2, 1)
 * Array.from(m.attentionLogits(x).data); // → [0, 0, 0, 1]
 * Array.from(m.forward(x).data);         // ≈ [0.5, 0.7311]: (0 + 1)/2 and e/(1 + e)
 * ```
 */
export function constructiveTransformer(spec: ConstructiveSpec): ConstructiveTransformer {
  checkConfigKeys('constructiveTransformer', spec, ['phi', 'psi', 'f', 'F']);
  const mh = spec.phi.length;
  if (mh < 1 || spec.psi.length !== mh)
    throw new ValueError(
      'constructiveTransformer',
      `need m_h ≥ 1 functions φ and as many ψ, got ${spec.phi.length} and ${spec.psi.length}`,
    );
  const tokens = (x: Tensor, fns: readonly TokenFn[]): Tensor => {
    const [B, T, d] = [x.shape[0]!, x.shape[1]!, x.shape[2]!];
    const out = new Float64Array(B * T * fns.length);
    for (let b = 0; b < B; b++)
      for (let t = 0; t < T; t++) {
        const u = x.data.subarray((b * T + t) * d, (b * T + t + 1) * d);
        fns.forEach((fn, k) => {
          out[(b * T + t) * fns.length + k] = fn(u, t);
        });
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
      if (B * T === 0) return { data: new Float64Array(0), shape: [B, T] }; // no tokens: nothing to read out
      const a = softmax(logits(x), -1); // (B, T, T) over s
      const vals: number[][] = [];
      for (let b = 0; b < B; b++)
        for (let t = 0; t < T; t++) {
          const v = spec.f(x.data.subarray((b * T + t) * d, (b * T + t + 1) * d), t);
          vals.push(typeof v === 'number' ? [v] : Array.from(v));
        }
      const nv = vals[0]!.length;
      const V: Tensor = { data: Float64Array.from(vals.flat()), shape: [B, T, nv] };
      if (vals.some((v) => v.length !== nv))
        throw new ValueError('constructiveTransformer', 'f returned vectors of different lengths');
      const o = matmul(a, V); // (B, T, T)·(B, T, n') → (B, T, n')
      const y = new Float64Array(B * T);
      for (let i = 0; i < B * T; i++) y[i] = spec.F(o.data.subarray(i * nv, (i + 1) * nv));
      return { data: y, shape: [B, T] };
    },
  };
}

/** Options of `fittedConstructiveTransformer`. */
export interface FitConstructiveOptions {
  /** Token dimension d (inputs sampled uniformly from [0, 1]^d). */
  d: number;
  /** Hidden width of the fitted f̂ and F̂. */
  width: number;
  /** Hidden layers of the fitted f̂ and F̂. */
  depth: number;
  /** Activation (default 'tanh': smooth, so L-BFGS converges well). */
  activation?: Activation;
  /** Number of sample points for each fit (default 512). */
  samples?: number;
  /** L-BFGS iterations for each fit (default 500). */
  maxIter?: number;
  /** Seed of the samples and the initial weights. */
  seed: number;
}

/** Fits an MLP R^in → R^out to `target` on `x` (S, in) by full-batch L-BFGS; returns it and its MSE. */
function fitMlp(x: Tensor, y: Tensor, o: FitConstructiveOptions, seed: number): { net: MLP; mse: number } {
  const net = new MLP(
    { inDim: x.shape[1]!, width: o.width, depth: o.depth, outDim: y.shape[1]!, activation: o.activation ?? 'tanh' },
    { seed },
  );
  const r = train(net, { x, y }, { optimizer: 'lbfgs', batchSize: x.shape[0]!, maxSteps: o.maxIter ?? 500, seed });
  return { net, mse: r.finalLoss };
}

/**
 * The constructive Transformer with the token-wise functions replaced by fitted MLPs: a genuine
 * `Transformer` (n = 2m_h + m_v, no position encoding) whose f̂ is an MLP fitted to
 * (φ_1..φ_{m_h}, ψ_1..ψ_{m_h}, f) on uniform samples of [0, 1]^d, whose W_Q, W_K, W_V select the
 * three blocks, and whose F̂ is an MLP fitted to F on the box spanned by f's sampled values. The
 * callables are evaluated at position t = 0 (the fitted model has no position encoding).
 * Returns the model and the two fit MSEs (the FFN part of the error budget).
 *
 * @example
 * ```ts
 * const id = (u: Float64Array) => u[0]!;
 * const spec = { phi: [id], psi: [id], f: id, F: (v: Float64Array) => v[0]! };
 * const fit = { d: 1, width: 4, depth: 1, samples: 16, maxIter: 30, seed: 0 }; // tiny: a demo, not a study
 * const { model, fitMse } = fittedConstructiveTransformer(spec, fit);
 * model.config.n; // → 3: n = 2m_h + m_v
 * fitMse;         // ≈ { inner: 8.5e-6, outer: 2.4e-5 }
 * const x = tensor([[[0], [1]]]);
 * Array.from(model.forward(x).data);                        // ≈ [0.49996, 0.73134]
 * Array.from(constructiveTransformer(spec).forward(x).data); // ≈ [0.5, 0.7311]: the exact model
 * ```
 */
export function fittedConstructiveTransformer(
  spec: ConstructiveSpec,
  opts: FitConstructiveOptions,
): { model: Transformer; fitMse: { inner: number; outer: number } } {
  checkConfigKeys('fittedConstructiveTransformer', opts, [
    'd',
    'width',
    'depth',
    'activation',
    'samples',
    'maxIter',
    'seed',
  ]);
  const d = checkInt('fittedConstructiveTransformer', 'd', opts.d),
    S = checkInt('fittedConstructiveTransformer', 'samples', opts.samples ?? 512);
  const mh = spec.phi.length;
  if (mh < 1 || spec.psi.length !== mh)
    throw new ValueError(
      'fittedConstructiveTransformer',
      `need m_h ≥ 1 functions φ and as many ψ, got ${spec.phi.length} and ${spec.psi.length}`,
    );
  const rng = createRng(opts.seed);
  // phase 1: samples u ~ U[0,1]^d and inner targets (φ(u), ψ(u), f(u)), (S, 2m_h + m_v)
  const U = zeros([S, d]);
  for (let i = 0; i < U.data.length; i++) U.data[i] = rng.uniform();
  const rowsIn = Array.from({ length: S }, (_, i) => {
    const u = U.data.subarray(i * d, (i + 1) * d);
    const fv = spec.f(u, 0);
    return [
      ...spec.phi.map((g) => g(u, 0)),
      ...spec.psi.map((g) => g(u, 0)),
      ...(typeof fv === 'number' ? [fv] : Array.from(fv)),
    ];
  });
  const n = rowsIn[0]!.length,
    mv = n - 2 * mh;
  const inner = fitMlp(U, { data: Float64Array.from(rowsIn.flat()), shape: [S, n] }, opts, opts.seed + 1);
  // phase 2: F on the box spanned by the sampled values of f (widened by 5%)
  const lo = new Array<number>(mv).fill(Infinity),
    hi = new Array<number>(mv).fill(-Infinity);
  for (const r of rowsIn)
    for (let j = 0; j < mv; j++) {
      lo[j] = Math.min(lo[j]!, r[2 * mh + j]!);
      hi[j] = Math.max(hi[j]!, r[2 * mh + j]!);
    }
  const V = zeros([S, mv]),
    Fy = zeros([S, 1]);
  for (let i = 0; i < S; i++) {
    for (let j = 0; j < mv; j++) {
      const w = (hi[j]! - lo[j]!) * 0.05;
      V.data[i * mv + j] = lo[j]! - w + (hi[j]! - lo[j]! + 2 * w) * rng.uniform();
    }
    Fy.data[i] = spec.F(V.data.subarray(i * mv, (i + 1) * mv));
  }
  const outer = fitMlp(V, Fy, opts, opts.seed + 2);
  // phase 3: assemble the Transformer: fitted f̂ and F̂, selector matrices W_Q, W_K, W_V
  const model = new Transformer(
    {
      d,
      n,
      mh,
      mv,
      ffnWidth: opts.width,
      ffnDepth: opts.depth,
      positionEncoding: 'none',
      activation: opts.activation ?? 'tanh',
    },
    { seed: opts.seed },
  );
  const wq = zeros([n, mh]),
    wk = zeros([n, mh]),
    wv = zeros([n, mv]);
  for (let k = 0; k < mh; k++) {
    wq.data[k * mh + k] = 1;
    wk.data[(mh + k) * mh + k] = 1;
  }
  for (let j = 0; j < mv; j++) wv.data[(2 * mh + j) * mv + j] = 1;
  const params: Params = { ...model.params, 'attn.wq': wq, 'attn.wk': wk, 'attn.wv': wv };
  for (const [k, t] of Object.entries(inner.net.params)) params[`ffn_in.${k}`] = t;
  for (const [k, t] of Object.entries(outer.net.params)) params[`ffn_out.${k}`] = t;
  model.params = params;
  return { model, fitMse: { inner: inner.mse, outer: outer.mse } };
}
