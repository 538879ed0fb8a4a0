/**
 * Differentiable reductions: primitives `sum` and `max` along axes, and the composites `mean`,
 * `logSumExp`, `softmax`, `logSoftmax` (no gradient code of their own).
 */
import { applyPrimitive } from '../autodiff/tape.js';
import { definePrimitive } from '../autodiff/primitive.js';
import * as K from '../kernels/index.js';
import { NonFiniteError, ValueError, fmtShape } from '../errors.js';
import { normAxis } from '../shape.js';
import { checkTensor, type Tensor } from '../tensor.js';
import { add, mul, reciprocal, sub } from './arith.js';
import { exp, log } from './unary.js';
import { reshape } from './movement.js';

interface AxesAttrs {
  axes: number[];
  keepdims: boolean;
}

/** Shape of the reduction output with the reduced axes kept as 1. */
function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

// z = Σ_axes x  ⇒  every x feeds its z once: x̄ = broadcast of z̄ (with kept axes) to x's shape.
export const sumP = definePrimitive<'sum', AxesAttrs>({
  name: 'sum',
  forward: ([x], { axes, keepdims }) => K.sum(x!, axes, keepdims),
  vjp: (g, [x], _z, { axes }) => [K.broadcastTo({ data: g.data, shape: keptShape(x!.shape, axes) }, x!.shape)],
});

// z = max_axes x: ∂z/∂x_i = 1/c on the c entries equal to the maximum, 0 elsewhere (the average of
// the subgradients on ties; with distinct entries it is the one-hot of the argmax).
export const maxP = definePrimitive<'max', AxesAttrs>({
  name: 'max',
  forward: ([x], { axes, keepdims }) => K.max(x!, axes, keepdims),
  vjp: (g, [x], z, { axes }) => {
    const ks = keptShape(x!.shape, axes);
    const mask = K.binary('max', x!, { data: z.data, shape: ks }, (a, m) => (a === m ? 1 : 0));
    const count = K.sum(mask, axes, true);
    return [K.mul(mask, K.div({ data: g.data, shape: ks }, count))];
  },
});

/**
 * Sum over `axis` (a number, a list, or every axis when omitted), pairwise-accurate
 * (differentiable). Example: `sum(x, -1, true)`.
 *
 * @example
 * ```ts
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * item(sum(x)); // → 21
 * toArray(sum(x, 0)); // → [5, 7, 9]
 * toArray(sum(x, -1, true)); // → [[6], [15]] (keepdims)
 * toArray(sum(x, [0, 1])); // → 21
 * ```
 */
export function sum(x: Tensor, axis?: number | readonly number[], keepdims = false): Tensor {
  checkTensor('sum', 'x', x);
  return applyPrimitive(sumP, [x], { axes: K.normAxes('sum', axis, x.shape.length), keepdims });
}

/**
 * Maximum over `axis` (every axis when omitted); ties share the gradient (differentiable).
 *
 * @example
 * ```ts
 * const x = tensor([[1, 7, 3], [4, 5, 6]]);
 * item(max(x)); // → 7
 * toArray(max(x, 1)); // → [7, 6]
 * toArray(grad((t: Tensor) => max(t))(tensor([2, 5, 5]))[0]!); // → [0, 0.5, 0.5] (ties share)
 * ```
 */
export function max(x: Tensor, axis?: number | readonly number[], keepdims = false): Tensor {
  checkTensor('max', 'x', x);
  return applyPrimitive(maxP, [x], { axes: K.normAxes('max', axis, x.shape.length), keepdims });
}

/**
 * Mean over `axis` (every axis when omitted): `sum · (1/count)` (composite).
 *
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 6]]);
 * item(mean(x)); // → 3
 * toArray(mean(x, 0)); // → [2, 4]
 * toArray(mean(x, 1, true)); // → [[1.5], [4.5]]
 * ```
 */
export function mean(x: Tensor, axis?: number | readonly number[], keepdims = false): Tensor {
  checkTensor('mean', 'x', x);
  const axes = K.normAxes('mean', axis, x.shape.length);
  const count = axes.reduce((p, a) => p * x.shape[a]!, 1);
  if (count === 0) throw new ValueError('mean', `mean over an empty axis set of shape ${fmtShape(x.shape)}`);
  return mul(sum(x, axes, keepdims), 1 / count);
}

/**
 * `log Σ exp(x)` along `axis`, stable (composite): `m + log Σ exp(x − m)` with `m` the maximum
 * taken as a constant (the result is mathematically independent of `m`, so no gradient flows
 * through it; non-finite maxima are replaced by 0 like scipy's `logsumexp`).
 * Gradient: `∂/∂x = softmax(x)`.
 *
 * @example
 * ```ts
 * toArray(logSumExp(tensor([[0, 0], [1000, 1000]]), 1)); // ≈ [0.693147, 1000.693147] (no overflow)
 * toArray(grad((x: Tensor) => sum(logSumExp(x, 0)))(tensor([0, Math.log(3)]))[0]!); // ≈ [0.25, 0.75] (softmax)
 * ```
 */
export function logSumExp(x: Tensor, axis: number, keepdims = false): Tensor {
  checkTensor('logSumExp', 'x', x);
  const ax = normAxis('logSumExp', axis, x.shape.length);
  if (x.shape[ax] === 0) return K.logSumExp(x, ax, keepdims); // log 0 = −Inf per position, like numpy/scipy
  const m = K.max(x, ax, true);
  for (let i = 0; i < m.data.length; i++) if (!Number.isFinite(m.data[i]!)) m.data[i] = 0;
  const r = add(log(sum(exp(sub(x, m)), ax, true)), m);
  return keepdims
    ? r
    : reshape(
        r,
        x.shape.filter((_, i) => i !== ax),
      );
}

/**
 * Throws for a softmax position whose maximum `v` is not finite: NaN or +Inf somewhere along the
 * axis (a NonFiniteError at the first such entry), or every entry −Inf (a fully masked row has no
 * softmax: a ValueError) — instead of returning NaN silently.
 */
function softmaxNonFinite(op: string, x: Tensor, ax: number, pos: number, v: number): never {
  const inner = x.shape.slice(ax + 1).reduce((p, d) => p * d, 1),
    R = x.shape[ax]!;
  const base = Math.floor(pos / inner) * R * inner + (pos % inner);
  if (v === -Infinity) {
    throw new ValueError(
      op,
      `every entry along axis ${ax} at flat index ${base} of shape ${fmtShape(x.shape)} is -Infinity (a fully masked row has no ${op})`,
    );
  }
  for (let r = 0; r < R; r++) {
    const u = x.data[base + r * inner]!;
    if (u !== u || u === Infinity)
      throw new NonFiniteError(op, `input of shape ${fmtShape(x.shape)}`, base + r * inner, u);
  }
  throw new NonFiniteError(op, `input of shape ${fmtShape(x.shape)}`, base, v);
}

/**
 * Softmax along `axis` (default last), stable (composite): `e / Σ e` with `e = exp(x − m)` and `m`
 * the (constant) maximum, so every exponent is ≤ 0 and `Σ e ≥ 1`. One exponential per element;
 * the gradient (`s ⊙ (ḡ − ⟨ḡ, s⟩)`) comes out of the composition. Entries of −Infinity (masks)
 * get probability 0; a NaN or +Inf input, or a row that is −Infinity throughout, throws (see
 * `softmaxNonFinite`). An empty axis gives an empty result.
 *
 * @example
 * ```ts
 * toArray(softmax(tensor([0, Math.log(3)]))); // ≈ [0.25, 0.75]
 * toArray(softmax(tensor([[1, 2, 3], [1000, 1000, 1000]]))); // ≈ [[0.0900, 0.2447, 0.6652], [1/3, 1/3, 1/3]]
 * toArray(softmax(tensor([0, Number.NEGATIVE_INFINITY]))); // → [1, 0] (a masked entry)
 * ```
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  checkTensor('softmax', 'x', x);
  const ax = normAxis('softmax', axis, x.shape.length);
  if (x.shape[ax] === 0) return { data: new Float64Array(0), shape: [...x.shape] }; // empty in, empty out
  const m = K.max(x, ax, true);
  for (let i = 0; i < m.data.length; i++) {
    const v = m.data[i]!;
    if (!Number.isFinite(v)) softmaxNonFinite('softmax', x, ax, i, v);
    m.data[i] = -v;
  }
  const e = exp(add(x, m));
  return mul(e, reciprocal(sum(e, ax, true)));
}

/**
 * `x − logSumExp(x)` along `axis` (default last), stable (composite). −Infinity entries give
 * −Infinity; like `softmax`, a NaN/+Inf input or a row that is −Infinity throughout throws
 * (the subtraction would otherwise be a silent `Inf − Inf = NaN`).
 *
 * @example
 * ```ts
 * toArray(logSoftmax(tensor([0, Math.log(3)]))); // ≈ [-1.386294, -0.287682] (log 0.25, log 0.75)
 * toArray(logSoftmax(tensor([0, Number.NEGATIVE_INFINITY]))); // → [0, -Infinity]
 * ```
 */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  checkTensor('logSoftmax', 'x', x);
  const ax = normAxis('logSoftmax', axis, x.shape.length);
  if (x.shape[ax] !== 0) {
    const m = K.max(x, ax, true);
    for (let i = 0; i < m.data.length; i++)
      if (!Number.isFinite(m.data[i]!)) softmaxNonFinite('logSoftmax', x, ax, i, m.data[i]!);
  }
  return sub(x, logSumExp(x, ax, true));
}
