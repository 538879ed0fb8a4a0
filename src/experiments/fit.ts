/**
 * Full-batch fitting used by the regression experiments: Adam for a warm start, then float64
 * L-BFGS (strong-Wolfe) to a plateau — the "budget chosen so the optimisation error is small"
 * of PAPER.md §6. Reports the optimiser diagnostics the report needs to say which error part
 * dominates: the loss after each phase, the gradient norm at stop, iterations and stop reason.
 */
import { ValueError, item, mse, valueAndGrad, type Tensor } from '../linalg/index.js';
import { Adam, flattenParams, lbfgs, unflattenParams, type Model, type Params } from '../models/index.js';

/** Budget of `fitRegression` (a type alias, not an interface, so that it is JSON in a config). */
export type FitBudget = {
  /** Adam steps (full batch). */
  adamSteps: number;
  /** Adam learning rate (required when `adamSteps > 0`; unused otherwise). */
  lr?: number;
  /** Maximum L-BFGS iterations after Adam (0: none). */
  lbfgsIter: number;
  /** L-BFGS gradient-norm tolerance. */
  gtol: number;
  /**
   * L-BFGS plateau tolerance: stop once the training loss fell by at most `rtol`·loss over the last `window`
   * iterations (see `lbfgs`). Absent: run to `gtol` or the cap.
   */
  plateau?: { window: number; rtol: number };
};

/** What `fitRegression` measured. All losses are mean squared errors on the training set. */
export interface FitReport {
  initialLoss: number;
  adamLoss: number;
  finalLoss: number;
  /** ‖∇loss‖₂ at the returned parameters. */
  gradNorm: number;
  adamSteps: number;
  lbfgsIterations: number;
  lbfgsReason: string;
  /** Loss every ~5% of the run (Adam steps, then L-BFGS iterations). */
  history: number[];
}

/**
 * Fits `model` to `(x, y)` by minimising `mse(model.forward(x, p), y)`: `adamSteps` of Adam, then
 * L-BFGS on the flattened parameters. Mutates `model.params` to the result. A non-finite loss or
 * gradient throws NonFiniteError (from the optimiser), never a silent NaN.
 *
 * @example
 * ```ts
 * const x = rand(createRng(0), [16, 8, 1]);
 * const y = linearMemoryTarget([1, 0.5, 0.25]).evaluate(x); // y(t) = x(t) + x(t−1)/2 + x(t−2)/4
 * const model = new LinearRNN({ d: 1, hidden: 4 }, { seed: 0 });
 * const rep = fitRegression(model, x, y, { adamSteps: 10, lr: 1e-2, lbfgsIter: 20, gtol: 1e-10 });
 * [rep.initialLoss, rep.adamLoss, rep.finalLoss]; // ≈ [0.4193, 0.06613, 1.467e-5]
 * [rep.lbfgsIterations, rep.lbfgsReason, rep.gradNorm]; // ≈ [20, 'maxIter', 7.453e-4]
 * ```
 */
export function fitRegression(model: Model, x: Tensor, y: Tensor, b: FitBudget): FitReport {
  const lossOf = (p: Params): Tensor => mse(model.forward(x, p), y);
  const vg = valueAndGrad(lossOf);
  const history: number[] = [];
  const every = Math.max(1, Math.floor((b.adamSteps + b.lbfgsIter) / 20));
  if (b.adamSteps > 0 && b.lr === undefined)
    throw new ValueError('fitRegression', `adamSteps is ${b.adamSteps} but no Adam learning rate lr was given`);
  const opt = b.adamSteps > 0 ? new Adam({ lr: b.lr! }) : null;
  let p = model.params;
  let initialLoss = NaN;
  for (let s = 0; s < b.adamSteps; s++) {
    const { value, grads } = vg(p);
    const l = item(value);
    if (s === 0) initialLoss = l;
    if (s % every === 0) history.push(l);
    p = opt!.step(p, grads, l);
  }
  const { x: x0, layout } = flattenParams(p);
  let adamLoss = NaN;
  const fg = (v: Float64Array): { f: number; g: Float64Array } => {
    const { value, grads } = vg(unflattenParams(v, layout));
    return {
      f: item(value),
      g: flattenParams(
        grads,
        layout.entries.map((e) => e.name),
      ).x,
    };
  };
  const first = fg(x0);
  adamLoss = first.f;
  if (b.adamSteps === 0) initialLoss = first.f;
  let finalX = x0,
    finalLoss = first.f,
    gradNorm = norm(first.g),
    iterations = 0,
    reason = 'none';
  if (b.lbfgsIter > 0) {
    const r = lbfgs(fg, x0, {
      maxIter: b.lbfgsIter,
      gtol: b.gtol,
      ...(b.plateau ? { plateau: b.plateau } : {}),
      onIter: (i) => {
        if (i.iteration % every === 0) history.push(i.f);
      },
    });
    finalX = r.x;
    finalLoss = r.f;
    gradNorm = r.gradNorm;
    iterations = r.iterations;
    reason = r.reason;
  }
  history.push(finalLoss);
  model.params = unflattenParams(finalX, layout);
  return {
    initialLoss,
    adamLoss,
    finalLoss,
    gradNorm,
    adamSteps: b.adamSteps,
    lbfgsIterations: iterations,
    lbfgsReason: reason,
    history,
  };
}

/** Euclidean norm. */
function norm(g: Float64Array): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) s += g[i]! * g[i]!;
  return Math.sqrt(s);
}

/**
 * Mean squared error of a model on a held-out set (no tape).
 *
 * @example
 * ```ts
 * const x = rand(createRng(1), [32, 8, 1]);
 * const rho = [1, 0.5, 0.25];
 * const y = linearMemoryTarget(rho).evaluate(x);
 * testMse(shiftRegisterRnn(rho, 8), x, y); // → 0 (exact)
 * testMse(new LinearRNN({ d: 1, hidden: 8 }, { seed: 0 }), x, y); // ≈ 6.958 (untrained)
 * ```
 */
export function testMse(model: Model, x: Tensor, y: Tensor): number {
  return item(mse(model.forward(x), y));
}

/**
 * Median of finite values (NaN when none).
 *
 * @example
 * ```ts
 * median([3, 1, NaN, 2]); // → 2 (NaN ignored)
 * median([4, 1, 3, 2]); // → 2.5
 * median([]); // → NaN
 * ```
 */
export function median(v: readonly number[]): number {
  const s = v.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Quantile (linear interpolation) of finite values (NaN when none).
 *
 * @example
 * ```ts
 * quantile([1, 2, 3, 4, 5], 0.25); // → 2
 * quantile([1, 2, 3, 4], 0.5); // → 2.5
 * quantile([10, Infinity, 20], 1); // → 20 (non-finite values ignored)
 * ```
 */
export function quantile(v: readonly number[], q: number): number {
  const s = v.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const pos = q * (s.length - 1),
    i = Math.floor(pos),
    f = pos - i;
  return i + 1 < s.length ? s[i]! * (1 - f) + s[i + 1]! * f : s[i]!;
}

/** NaN/±Inf → null, so that the value is valid JSON (the report prints null as a dash). */
export function jnum(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}
