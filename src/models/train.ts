/**
 * Training to a plateau, full-batch L-BFGS polishing, and evaluation (MSE, accuracy).
 *
 * `train` runs mini-batch steps of a first-order optimiser (seeded shuffling, one epoch = one
 * pass over a fresh permutation) until the loss plateaus, a target is met or the step budget is
 * spent; optionally (or instead: `optimizer: 'lbfgs'`) it then runs full-batch L-BFGS with a
 * strong-Wolfe line search, which in float64 drives a smooth loss to its true minimum. It never
 * prints: progress goes through `onProgress`, results come back in the returned object.
 *
 * Plateau rule [ours]: with window w, stop when the mean loss of the last w steps fell by at most
 * rtol (relative) against the mean of the w steps before.
 */
import {
  createRng,
  crossEntropy,
  item,
  mse,
  noGrad,
  valueAndGrad,
  NonFiniteError,
  ShapeError,
  ValueError,
  fmtShape,
  type Tensor,
} from '../linalg/index.js';
import { checkTensor } from '../linalg/tensor.js';
import { checkInt, checkKeys, checkNumber, checkOptions, describe, type OptionSpec } from '../linalg/validate.js';
import { type Model, type Params } from './module.js';
import { flattenParams, globalNorm, lbfgs, unflattenParams, type Optimizer } from './optim/index.js';

/** A supervised data set: inputs with leading batch axis N, and targets (regression) or labels (classification). */
export interface Dataset {
  /** Inputs (N, …). */
  x: Tensor;
  /** Targets with the model output's shape (N, …) for 'mse', or class labels (N) for 'crossEntropy'. */
  y: Tensor | Int32Array;
}

/** Progress report (after every step). */
export interface Progress {
  phase: 'first-order' | 'lbfgs';
  step: number;
  loss: number;
  gradNorm?: number;
}

/** Options of `train`. */
export interface TrainOptions {
  /** A first-order optimiser (Adam, AdamW, SGD), or 'lbfgs' for full-batch L-BFGS only. */
  optimizer: Optimizer | 'lbfgs';
  /** Mini-batch size (capped at N). Full-batch passes (L-BFGS, final loss) use chunks of max(batchSize, 256) rows. */
  batchSize: number;
  /** Step budget (first-order steps, or L-BFGS iterations with 'lbfgs'). */
  maxSteps: number;
  /** Plateau stop rule (default: none). */
  plateau?: { window: number; rtol: number };
  /** Stop with 'converged' once the mini-batch loss is ≤ this (default: never). */
  targetLoss?: number;
  /** Seed of the batch order. */
  seed: number;
  /** 'mse' (default) or 'crossEntropy'. */
  loss?: 'mse' | 'crossEntropy';
  /** Called after every step. */
  onProgress?: (p: Progress) => void;
  /** After the first-order phase, full-batch L-BFGS for at most maxIter iterations (gtol default 1e-10). */
  lbfgsPolish?: { maxIter: number; gtol?: number; history?: number };
}

/** What `train` returns. */
export interface TrainResult {
  /** Loss after every step: mini-batch losses, then full-batch L-BFGS values. */
  history: number[];
  /** Steps taken (first-order steps + L-BFGS iterations). */
  steps: number;
  /** Why the first-order phase (or L-BFGS alone) stopped; 'converged' also when L-BFGS met gtol. */
  stopReason: 'plateau' | 'maxSteps' | 'converged';
  /** Full-batch loss at the final parameters. */
  finalLoss: number;
  /** Full-batch gradient norm at the final parameters. */
  gradNorm: number;
  /** Wall time. */
  seconds: number;
  /** L-BFGS outcome when it ran. */
  lbfgs?: { iterations: number; reason: string; evaluations: number };
}

/** Declarative checks of `TrainOptions` (src/linalg/validate.ts); `optimizer` is checked apart. */
const TRAIN_SPEC: Readonly<Record<keyof TrainOptions, OptionSpec>> = {
  optimizer: 'object',
  batchSize: { int: true, min: 1 },
  maxSteps: { int: true, min: 0 },
  plateau: 'object',
  targetLoss: { finite: false },
  seed: { int: true },
  loss: ['mse', 'crossEntropy'],
  onProgress: 'function',
  lbfgsPolish: 'object',
};

function checkTrainOptions(opts: TrainOptions): void {
  const o = opts.optimizer as unknown;
  if (o !== 'lbfgs' && (o === null || typeof o !== 'object' || typeof (o as Optimizer).step !== 'function')) {
    throw new ValueError(
      'train',
      `optimizer must be an optimiser object (new Adam({ lr }), new AdamW({ lr }), ` +
        `new SGD({ lr }) ` +
        `or any { name, step(params, grads, loss) }) or the string 'lbfgs', got ${describe(o)}` +
        (typeof o === 'string'
          ? " (optimiser names other than 'lbfgs' are not accepted: the object carries the " + 'learning rate)'
          : ''),
    );
  }
  checkOptions('train', { ...opts, optimizer: {} }, TRAIN_SPEC, 'config key');
  if (opts.plateau !== undefined) {
    checkKeys('train', opts.plateau, ['window', 'rtol'], 'plateau key');
    checkInt('train', 'plateau.window', opts.plateau.window, 1);
    checkNumber('train', 'plateau.rtol', opts.plateau.rtol, { min: 0 });
  }
  if (opts.lbfgsPolish !== undefined) {
    const o = opts.lbfgsPolish;
    checkKeys('train', o, ['maxIter', 'gtol', 'history'], 'lbfgsPolish key');
    checkInt('train', 'lbfgsPolish.maxIter', o.maxIter, 0);
    if (o.gtol !== undefined) checkNumber('train', 'lbfgsPolish.gtol', o.gtol, { min: 0 });
    if (o.history !== undefined) checkInt('train', 'lbfgsPolish.history', o.history, 1);
  }
}

/**
 * Rows `idx` of a tensor along axis 0 (a plain copy; data is never traced).
 *
 * @example
 * ```ts
 * const t = takeRows(tensor([[1, 2], [3, 4], [5, 6]]), [2, 0]);
 * t.shape;            // → [2, 2]
 * Array.from(t.data); // → [5, 6, 1, 2]
 * ```
 */
export function takeRows(t: Tensor, idx: ArrayLike<number>): Tensor {
  const row = t.data.length / t.shape[0]!;
  const out = new Float64Array(idx.length * row);
  for (let i = 0; i < idx.length; i++) out.set(t.data.subarray(idx[i]! * row, (idx[i]! + 1) * row), i * row);
  return { data: out, shape: [idx.length, ...t.shape.slice(1)] };
}

function takeLabels(y: Tensor | Int32Array, idx: ArrayLike<number>): Tensor | Int32Array {
  if (y instanceof Int32Array) return Int32Array.from({ length: idx.length }, (_, i) => y[idx[i]!]!);
  return takeRows(y, idx);
}

function lossOf(kind: 'mse' | 'crossEntropy', out: Tensor, y: Tensor | Int32Array): Tensor {
  if (kind === 'mse') {
    if (y instanceof Int32Array) throw new ValueError('train', "loss 'mse' needs tensor targets, got labels");
    return mse(out, y);
  }
  if (!(y instanceof Int32Array)) throw new ValueError('train', "loss 'crossEntropy' needs Int32Array labels");
  return crossEntropy(out, y);
}

function checkData(data: Dataset, op = 'train'): number {
  if (data === null || typeof data !== 'object')
    throw new ValueError(op, `data must be { x: Tensor, y: Tensor | ` + `Int32Array }, got ${describe(data)}`);
  const x = checkTensor(op, 'data.x', data.x);
  const N = x.shape[0];
  if (N === undefined || N < 1)
    throw new ShapeError(op, `inputs need a non-empty leading batch axis, got ` + `${fmtShape(x.shape)}`, [x.shape]);
  const y = data.y instanceof Int32Array ? data.y : checkTensor(op, 'data.y', data.y);
  const ny = y instanceof Int32Array ? y.length : y.shape[0];
  if (ny !== N) {
    const yShape = y instanceof Int32Array ? [y.length] : y.shape;
    throw new ShapeError(op, `${N} inputs but ${ny} targets`, [x.shape, yShape]);
  }
  // NaN/Inf in the data would surface steps later as a diverged loss: name the data instead
  firstNonFinite(op, 'the inputs data.x', x.data);
  if (!(y instanceof Int32Array)) firstNonFinite(op, 'the targets data.y', y.data);
  return N;
}

function firstNonFinite(op: string, what: string, d: Float64Array): void {
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (v - v !== 0) throw new NonFiniteError(op, what, i, v, 'the data must be finite');
  }
}

/**
 * A NaN/Inf raised while training on checked-finite data means the parameters (or the loss)
 * diverged: re-raised naming training, the phase, the step and the optimiser's own message.
 */
function diverged(e: unknown, phase: string, step: number): unknown {
  if (!(e instanceof NonFiniteError)) return e;
  return new NonFiniteError(
    'train',
    step > 0 ? `${phase} step ${step}` : phase,
    e.index,
    e.value,
    `the data are finite, so the parameters or the loss diverged (try a smaller learning rate or clipNorm) — ` +
      `${e.message}`,
  );
}

/**
 * Loss and gradient over the whole data set, in chunks of `chunk` rows (weighted by chunk size, so
 * the result is the full-batch mean loss and its exact gradient).
 *
 * @example
 * ```ts
 * // an affine model ŷ = w·x + b at w = b = 0 on (x, y) = (1, 1), (2, 2):
 * // loss = (1 + 4)/2 = 2.5, ∂/∂w = mean(2(ŷ − y)x) = −5, ∂/∂b = mean(2(ŷ − y)) = −3
 * const model = new MLP({ inDim: 1, width: 1, depth: 0, outDim: 1 });
 * const params = { '0.weight': tensor([[0]]), '0.bias': tensor([0]) };
 * const data = { x: tensor([[1], [2]]), y: tensor([[1], [2]]) };
 * const r = fullBatchLossAndGrad(model, data, params, 'mse', 1); // chunks of 1 row, same result
 * r.loss;                                // → 2.5
 * Array.from(r.grads['0.weight']!.data); // → [-5]
 * Array.from(r.grads['0.bias']!.data);   // → [-3]
 * ```
 */
export function fullBatchLossAndGrad(
  model: Model,
  data: Dataset,
  params: Params,
  loss: 'mse' | 'crossEntropy',
  chunk: number,
): { loss: number; grads: Params } {
  const N = checkData(data);
  checkInt('fullBatchLossAndGrad', 'chunk', chunk, 1);
  let total = 0;
  const acc: Record<string, Float64Array> = {};
  for (const k of Object.keys(params)) acc[k] = new Float64Array(params[k]!.data.length);
  for (let start = 0; start < N; start += chunk) {
    const idx = Int32Array.from({ length: Math.min(chunk, N - start) }, (_, i) => start + i);
    const xb = takeRows(data.x, idx),
      yb = takeLabels(data.y, idx),
      w = idx.length / N;
    const { value, grads } = valueAndGrad((p: Params) => lossOf(loss, model.forward(xb, p), yb))(params);
    total += w * item(value);
    for (const k of Object.keys(acc)) {
      const a = acc[k]!,
        g = (grads as Params)[k]!.data;
      for (let i = 0; i < a.length; i++) a[i]! += w * g[i]!;
    }
  }
  const grads: Params = {};
  for (const k of Object.keys(acc)) grads[k] = { data: acc[k]!, shape: [...params[k]!.shape] };
  return { loss: total, grads };
}

/** Plateau test on the history (see the file header). */
function plateaued(h: readonly number[], window: number, rtol: number): boolean {
  if (h.length < 2 * window) return false;
  let prev = 0,
    last = 0;
  for (let i = h.length - 2 * window; i < h.length - window; i++) prev += h[i]!;
  for (let i = h.length - window; i < h.length; i++) last += h[i]!;
  return prev - last <= rtol * Math.abs(prev);
}

/** Full-batch L-BFGS on the model's parameters; updates `model.params`. */
function polish(
  model: Model,
  data: Dataset,
  loss: 'mse' | 'crossEntropy',
  chunk: number,
  o: { maxIter: number; gtol?: number; history?: number },
  history: number[],
  onProgress?: (p: Progress) => void,
): { iterations: number; reason: string; evaluations: number } {
  const { x: x0, layout } = flattenParams(model.params);
  const names = layout.entries.map((e) => e.name);
  let calls = 0;
  const fg = (v: Float64Array): { f: number; g: Float64Array } => {
    calls++;
    try {
      const { loss: f, grads } = fullBatchLossAndGrad(model, data, unflattenParams(v, layout), loss, chunk);
      return { f, g: flattenParams(grads, names).x };
    } catch (e) {
      // a non-finite trial point is rejected by the line search (and named at the start point)
      if (e instanceof NonFiniteError && calls > 1) return { f: Infinity, g: new Float64Array(v.length).fill(NaN) };
      throw diverged(e, 'L-BFGS start (iteration 0)', 0);
    }
  };
  const r = lbfgs(fg, x0, {
    maxIter: o.maxIter,
    gtol: o.gtol ?? 1e-10,
    history: o.history ?? 20,
    onIter: ({ iteration, f, gradNorm }) => {
      history.push(f);
      onProgress?.({ phase: 'lbfgs', step: iteration, loss: f, gradNorm });
    },
  });
  model.params = unflattenParams(r.x, layout);
  return { iterations: r.iterations, reason: r.reason, evaluations: r.evaluations };
}

/**
 * Trains `model` on `data` (see the file header). Deterministic for a given seed. Throws the
 * optimiser's NonFiniteError (naming the parameter) if a loss or gradient turns NaN/Inf; the
 * model keeps the parameters of the last good step.
 *
 * @example
 * ```ts
 * // fit y = 2x − 1 on 16 points of [0, 1] with an affine model: 20 Adam steps, then full-batch L-BFGS
 * const x = tensor(Array.from({ length: 16 }, (_, i) => [i / 15]));
 * const y = tensor(Array.from({ length: 16 }, (_, i) => [2 * (i / 15) - 1]));
 * const model = new MLP({ inDim: 1, width: 1, depth: 0, outDim: 1 }, { seed: 0 });
 * const r = train(model, { x, y }, { optimizer: new Adam({ lr: 0.1 }), batchSize: 4, maxSteps: 20,
 *   plateau: { window: 5, rtol: 1e-3 }, seed: 0, lbfgsPolish: { maxIter: 20 } });
 * r.stopReason;                          // → 'converged': L-BFGS met its gradient tolerance
 * r.steps;                               // → 24: 20 Adam steps + 4 L-BFGS iterations
 * r.finalLoss;                           // ≈ 2.8e-26
 * Array.from(model.params['0.weight']!.data); // ≈ [2]
 * Array.from(model.params['0.bias']!.data);   // ≈ [-1]
 * ```
 */
export function train(model: Model, data: Dataset, opts: TrainOptions): TrainResult {
  checkTrainOptions(opts);
  const t0 = performance.now();
  const N = checkData(data),
    loss = opts.loss ?? 'mse';
  const bs = Math.min(opts.batchSize, N),
    history: number[] = [];
  const chunk = Math.min(N, Math.max(bs, 256)); // full-batch passes: larger matmuls, bounded tape memory
  let stopReason: TrainResult['stopReason'] = 'maxSteps',
    steps = 0,
    lb: TrainResult['lbfgs'];
  if (opts.optimizer === 'lbfgs') {
    // these options steer the first-order phase, which L-BFGS alone does not have
    const ignored = (['plateau', 'targetLoss', 'lbfgsPolish'] as const).filter((k) => opts[k] !== undefined);
    if (ignored.length > 0)
      throw new ValueError(
        'train',
        `option ${ignored.join(', ')} has no effect with optimizer 'lbfgs' (full-batch L-BFGS runs maxSteps iterations)`,
      );
    lb = polish(model, data, loss, chunk, { maxIter: opts.maxSteps }, history, opts.onProgress);
    steps = lb.iterations;
    // gtol met → converged; budget spent → maxSteps; ftol or a failed line search (no decrease
    // resolvable in float64 along the quasi-Newton direction) → plateau
    stopReason = lb.reason === 'gtol' ? 'converged' : lb.reason === 'maxIter' ? 'maxSteps' : 'plateau';
  } else {
    const opt = opts.optimizer,
      rng = createRng(opts.seed);
    let perm = rng.permutation(N),
      pos = 0;
    while (steps < opts.maxSteps) {
      if (pos + bs > N) {
        perm = rng.permutation(N);
        pos = 0;
      }
      const idx = perm.subarray(pos, pos + bs);
      pos += bs;
      const xb = takeRows(data.x, idx),
        yb = takeLabels(data.y, idx);
      let l: number;
      try {
        const { value, grads } = valueAndGrad((p: Params) => lossOf(loss, model.forward(xb, p), yb))(model.params);
        l = item(value);
        model.params = opt.step(model.params, grads as Params, l);
      } catch (e) {
        throw diverged(e, `${opt.name} (first-order)`, steps + 1);
      }
      steps++;
      history.push(l);
      opts.onProgress?.({ phase: 'first-order', step: steps, loss: l });
      if (opts.targetLoss !== undefined && l <= opts.targetLoss) {
        stopReason = 'converged';
        break;
      }
      if (opts.plateau && plateaued(history, opts.plateau.window, opts.plateau.rtol)) {
        stopReason = 'plateau';
        break;
      }
    }
    if (opts.lbfgsPolish) {
      lb = polish(model, data, loss, chunk, opts.lbfgsPolish, history, opts.onProgress);
      steps += lb.iterations;
      if (lb.reason === 'gtol') stopReason = 'converged';
    }
  }
  const fin = fullBatchLossAndGrad(model, data, model.params, loss, chunk);
  const res: TrainResult = {
    history,
    steps,
    stopReason,
    finalLoss: fin.loss,
    gradNorm: globalNorm(fin.grads),
    seconds: (performance.now() - t0) / 1000,
  };
  if (lb) res.lbfgs = lb;
  return res;
}

/**
 * Model outputs over a data set in chunks, without recording (N, …).
 *
 * @example
 * ```ts
 * const model = new MLP({ inDim: 1, width: 4, depth: 1, outDim: 2 });
 * predict(model, zeros([5, 1]), 2).map((t) => t.shape); // → [[2, 2], [2, 2], [1, 2]]: chunks of 2 rows
 * ```
 */
export function predict(model: Model, x: Tensor, batchSize = 256): Tensor[] {
  // batchSize 0 or NaN would loop forever (s += 0)
  checkInt('predict', 'batchSize', batchSize, 1);
  checkTensor('predict', 'x', x);
  if (x.shape.length === 0) throw new ShapeError('predict', 'x needs a leading batch axis', [x.shape]);
  const N = x.shape[0]!,
    outs: Tensor[] = [];
  noGrad(() => {
    for (let s = 0; s < N; s += batchSize)
      outs.push(
        model.forward(
          takeRows(
            x,
            Int32Array.from({ length: Math.min(batchSize, N - s) }, (_, i) => s + i),
          ),
        ),
      );
  });
  return outs;
}

/**
 * Mean squared error of the model's outputs against targets y of exactly the outputs' shape
 * (ShapeError naming both shapes otherwise; a transposed (5, 16) against (16, 5) is refused even
 * though the sizes agree). A NaN/Inf output is a NonFiniteError naming evaluateMse.
 *
 * @example
 * ```ts
 * const model = new MLP({ inDim: 1, width: 1, depth: 0, outDim: 1 }); // affine: ŷ = w·x + b
 * model.params = { '0.weight': tensor([[1]]), '0.bias': tensor([0]) }; // ŷ = x
 * evaluateMse(model, tensor([[1], [2], [3]]), tensor([[2], [4], [6]])); // ≈ 4.6667: (1 + 4 + 9)/3
 * ```
 */
export function evaluateMse(model: Model, x: Tensor, y: Tensor, batchSize = 256): number {
  checkTensor('evaluateMse', 'y', y);
  const outs = predict(model, x, batchSize);
  const outShape = outs.length === 0 ? [0] : [outs.reduce((n, o) => n + o.shape[0]!, 0), ...outs[0]!.shape.slice(1)];
  if (outShape.length !== y.shape.length || outShape.some((d, i) => d !== y.shape[i])) {
    throw new ShapeError(
      'evaluateMse',
      `outputs have shape ${fmtShape(outShape)} but targets ` + `${fmtShape(y.shape)} (outputs, targets)`,
      [outShape, y.shape],
    );
  }
  let s = 0,
    k = 0;
  for (const o of outs) {
    for (const v of o.data) {
      if (v - v !== 0) throw new NonFiniteError('evaluateMse', 'the model output', k, v);
      const e = v - y.data[k++]!;
      s += e * e;
    }
  }
  if (k === 0) throw new ShapeError('evaluateMse', 'no rows to evaluate', [outShape]);
  return s / k;
}

/**
 * Classification accuracy: fraction of rows whose arg-max logit equals the label (the first
 * maximum on ties). A NaN/Inf logit is a NonFiniteError naming accuracy.
 *
 * @example
 * ```ts
 * const model = new MLP({ inDim: 2, width: 1, depth: 0, outDim: 2 });
 * model.params = { '0.weight': tensor([[1, 0], [0, 1]]), '0.bias': tensor([0, 0]) }; // logits = x
 * const x = tensor([[1, 0], [0, 1], [2, 3]]); // arg-max: class 0, 1, 1
 * accuracy(model, x, Int32Array.of(0, 0, 1)); // ≈ 0.6667: 2 of 3 right
 * ```
 */
export function accuracy(model: Model, x: Tensor, labels: Int32Array, batchSize = 256): number {
  const outs = predict(model, x, batchSize);
  let correct = 0,
    i = 0;
  for (const o of outs) {
    const C = o.shape[1]!;
    for (let r = 0; r < o.shape[0]!; r++, i++) {
      // a NaN logit would lose every comparison and silently vote for class 0
      for (let c = 0; c < C; c++) {
        const v = o.data[r * C + c]!;
        if (v - v !== 0) throw new NonFiniteError('accuracy', 'the model output', i * C + c, v);
      }
      let best = 0;
      for (let c = 1; c < C; c++) if (o.data[r * C + c]! > o.data[r * C + best]!) best = c;
      if (best === labels[i]) correct++;
    }
  }
  if (i !== labels.length)
    throw new ShapeError('accuracy', `${i} predictions but ${labels.length} labels`, [[i], [labels.length]]);
  return correct / labels.length;
}
