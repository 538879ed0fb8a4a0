/**
 * Adam (Kingma & Ba 2015, Algorithm 1) with bias correction, and AdamW (Loshchilov & Hutter 2019,
 * Algorithm 2: decoupled weight decay), with optional global-norm gradient clipping
 * (Pascanu et al. 2013).
 *
 * One step, for every parameter p with gradient g (after clipping g ← g·min(1, c/‖g‖_global)):
 *   coupled decay (Adam + L2):  g ← g + λ p
 *   m ← β1 m + (1−β1) g;   v ← β2 v + (1−β2) g²;   t ← t + 1
 *   m̂ = m / (1−β1^t);     v̂ = v / (1−β2^t)
 *   decoupled decay (AdamW):    p ← p − lr·λ·p
 *   p ← p − lr · m̂ / (√v̂ + ε)
 * (the PyTorch `torch.optim.AdamW` form: the decay uses the same lr and the pre-step p).
 */
import { ValueError } from '../../linalg/index.js';
import { checkOptions, type OptionSpec } from '../../linalg/validate.js';
import { checkFiniteParams, checkStepInputs, globalNorm, type Optimizer, type Params } from './params.js';

/** Adam / AdamW options. */
export interface AdamOptions {
  /** Learning rate, > 0. */
  lr: number;
  /** First-moment decay β1 in [0, 1) (default 0.9). */
  beta1?: number;
  /** Second-moment decay β2 in [0, 1) (default 0.999). */
  beta2?: number;
  /** Denominator guard ε > 0 (default 1e-8). */
  eps?: number;
  /** Weight decay λ ≥ 0 (default 0; 0.01 for AdamW). */
  weightDecay?: number;
  /** true: decoupled decay (AdamW); false (default for Adam): L2 penalty added to the gradient. */
  decoupled?: boolean;
  /** Clip the global gradient norm to this value before the update (default: no clipping). */
  clipNorm?: number;
}

/** Declarative checks of the options (src/linalg/validate.ts): every number finite. */
const ADAM_SPEC: Readonly<Record<keyof AdamOptions, OptionSpec>> = {
  lr: { gt: 0 },
  beta1: { min: 0, lt: 1 },
  beta2: { min: 0, lt: 1 },
  eps: { gt: 0 },
  weightDecay: { min: 0 },
  decoupled: 'boolean',
  clipNorm: { gt: 0 },
};

/**
 * Adam with bias correction. `step(params, grads, loss?) → newParams`. The moment estimates and
 * the step count are committed only after all checks pass, so a NaN/Inf step throws a
 * NonFiniteError naming the parameter and leaves both parameters and state as they were.
 *
 * @example
 * ```ts
 * const loss = (p: Params) => sum(square(sub(p.w!, tensor([3, -1])))); // minimum at w = (3, −1)
 * const opt = new Adam({ lr: 0.1 });
 * let params: Params = { w: tensor([0, 0]) };
 * for (let i = 0; i < 200; i++) {
 *   const { value, grads } = valueAndGrad(loss)(params);
 *   params = opt.step(params, grads, item(value));
 * }
 * opt.t;                      // → 200
 * Array.from(params.w!.data); // ≈ [3, -1]
 * ```
 */
export class Adam implements Optimizer {
  readonly name: string = 'adam';
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly decoupled: boolean;
  readonly clipNorm: number | undefined;
  /** Number of completed steps t. */
  t = 0;
  private m = new Map<string, Float64Array>();
  private v = new Map<string, Float64Array>();

  constructor(
    opts: AdamOptions,
    defaults: { decoupled: boolean; weightDecay: number } = { decoupled: false, weightDecay: 0 },
  ) {
    checkOptions('Adam', opts, ADAM_SPEC);
    if (opts.lr === undefined) throw new ValueError('Adam', 'lr is required (a finite number > 0)');
    this.lr = opts.lr;
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
    this.weightDecay = opts.weightDecay ?? defaults.weightDecay;
    this.decoupled = opts.decoupled ?? defaults.decoupled;
    this.clipNorm = opts.clipNorm;
  }

  /** One Adam/AdamW update (see the file header); returns new tensors, state committed only on success. */
  step(params: Params, grads: Params, loss?: number): Params {
    const op = `${this.name === 'adamw' ? 'AdamW' : 'Adam'}.step`;
    checkStepInputs(op, params, grads, loss);
    const norm = this.clipNorm === undefined ? 0 : globalNorm(grads);
    const clip = this.clipNorm !== undefined && norm > this.clipNorm ? this.clipNorm / norm : 1;
    const t = this.t + 1;
    const bc1 = 1 - this.beta1 ** t,
      bc2 = 1 - this.beta2 ** t;
    const { lr, beta1: b1, beta2: b2, eps, weightDecay: wd, decoupled } = this;
    const out: Params = {};
    const newM = new Map<string, Float64Array>(),
      newV = new Map<string, Float64Array>();
    for (const name of Object.keys(params)) {
      const p = params[name]!.data,
        g = grads[name]!.data;
      const mOld = this.m.get(name),
        vOld = this.v.get(name);
      const m = new Float64Array(p.length),
        v = new Float64Array(p.length),
        np = new Float64Array(p.length);
      for (let i = 0; i < p.length; i++) {
        const pi = p[i]!;
        const gi = g[i]! * clip + (decoupled ? 0 : wd * pi);
        const mi = b1 * (mOld ? mOld[i]! : 0) + (1 - b1) * gi;
        const vi = b2 * (vOld ? vOld[i]! : 0) + (1 - b2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        np[i] = pi - (decoupled ? lr * wd * pi : 0) - (lr * (mi / bc1)) / (Math.sqrt(vi / bc2) + eps);
      }
      newM.set(name, m);
      newV.set(name, v);
      out[name] = { data: np, shape: [...params[name]!.shape] };
    }
    checkFiniteParams(op, out);
    this.m = newM;
    this.v = newV;
    this.t = t;
    return out;
  }
}

/**
 * AdamW: Adam with decoupled weight decay (default λ = 0.01), Loshchilov & Hutter 2019.
 * Same options as Adam; `decoupled` defaults to true.
 *
 * @example
 * ```ts
 * // with a zero gradient only the decay acts: AdamW shrinks p by lr·λ·p, in proportion
 * const p = { w: tensor([2, -4]) },
 *   g = { w: tensor([0, 0]) };
 * Array.from(new AdamW({ lr: 0.1, weightDecay: 0.5 }).step(p, g).w!.data); // → [1.9, -3.8]
 * // Adam's coupled decay adds λ·p to the gradient, which Adam's normalisation turns into a step of ≈ lr
 * Array.from(new Adam({ lr: 0.1, weightDecay: 0.5 }).step(p, g).w!.data); // ≈ [1.9, -3.9]
 * ```
 */
export class AdamW extends Adam {
  override readonly name: string = 'adamw';
  constructor(opts: AdamOptions) {
    super(opts, { decoupled: true, weightDecay: 0.01 });
  }
}
