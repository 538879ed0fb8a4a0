/**
 * Stochastic gradient descent with (heavy-ball) momentum, in the PyTorch convention:
 * `v ← μ v + g;  p ← p − lr · v` (Polyak 1964; Sutskever et al. 2013 for the deep-learning form).
 * With `weightDecay` the gradient is `g + λ p` (classic L2 penalty).
 */
import { ValueError } from '../../linalg/index.js';
import { checkOptions } from '../../linalg/validate.js';
import { checkFiniteParams, checkStepInputs, type Optimizer, type Params } from './params.js';

/** SGD options. */
export interface SGDOptions {
  /** Learning rate (step size), > 0. */
  lr: number;
  /** Momentum coefficient μ in [0, 1); 0 (default) is plain gradient descent. */
  momentum?: number;
  /** L2 penalty λ added to the gradient as λ·p (default 0). */
  weightDecay?: number;
}

/**
 * SGD with momentum. `step(params, grads, loss?) → newParams`; the state (velocity per parameter)
 * is committed only after every check has passed, so a NaN/Inf step leaves it untouched.
 *
 * @example
 * ```ts
 * // minimise ‖w − (3, −1)‖²: with lr 0.25 each step halves the distance to the minimum
 * const loss = (p: Params) => sum(square(sub(p.w!, tensor([3, -1]))));
 * const opt = new SGD({ lr: 0.25 });
 * let params: Params = { w: tensor([0, 0]) };
 * for (let i = 0; i < 10; i++) params = opt.step(params, grad(loss)(params));
 * Array.from(params.w!.data); // → [2.9970703125, -0.9990234375]
 * new SGD({ lr: 0.1, momentum: 0.9 }); // heavy ball: v ← 0.9 v + g, p ← p − 0.1 v
 * ```
 */
export class SGD implements Optimizer {
  readonly name = 'sgd';
  readonly lr: number;
  readonly momentum: number;
  readonly weightDecay: number;
  private velocity = new Map<string, Float64Array>();

  constructor(opts: SGDOptions) {
    checkOptions('SGD', opts, { lr: { gt: 0 }, momentum: { min: 0, lt: 1 }, weightDecay: { min: 0 } });
    if (opts.lr === undefined) throw new ValueError('SGD', 'lr is required (a finite number > 0)');
    this.lr = opts.lr;
    this.momentum = opts.momentum ?? 0;
    this.weightDecay = opts.weightDecay ?? 0;
  }

  /** One SGD update `v ← μv + g + λp; p ← p − lr·v`; returns new tensors, state committed only on success. */
  step(params: Params, grads: Params, loss?: number): Params {
    checkStepInputs('SGD.step', params, grads, loss);
    const out: Params = {};
    const newVel = new Map<string, Float64Array>();
    for (const name of Object.keys(params)) {
      const p = params[name]!.data,
        g = grads[name]!.data;
      const vOld = this.velocity.get(name);
      const v = new Float64Array(p.length);
      const np = new Float64Array(p.length);
      for (let i = 0; i < p.length; i++) {
        const gi = g[i]! + this.weightDecay * p[i]!;
        v[i] = this.momentum * (vOld ? vOld[i]! : 0) + gi;
        np[i] = p[i]! - this.lr * v[i]!;
      }
      newVel.set(name, v);
      out[name] = { data: np, shape: [...params[name]!.shape] };
    }
    checkFiniteParams('SGD.step', out);
    if (this.momentum > 0) this.velocity = newVel;
    return out;
  }
}
