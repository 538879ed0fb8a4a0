/**
 * Losses and normalisation, composed from primitives (no gradient code): `mse`, `crossEntropy`,
 * `layerNorm`.
 */
import { ShapeError, ValueError } from '../errors.js';
import { shapesEqual } from '../shape.js';
import { checkTensor, type Tensor } from '../tensor.js';
import { checkIntList, checkNumber } from '../validate.js';
import { add, mul, neg, sub } from './arith.js';
import { gather, reshape } from './movement.js';
import { logSoftmax, mean } from './reduce.js';
import { pow, square } from './unary.js';

/**
 * Mean squared error `mean((pred − target)²)` over all elements, a scalar (composite).
 * The shapes must agree exactly (no silent broadcasting of a mis-shaped target).
 *
 * @example
 * ```ts
 * item(mse(tensor([1, 2, 3]), tensor([1, 2, 5]))); // → 1.3333333333333333 (4 / 3)
 * toArray(grad((p: Tensor) => mse(p, tensor([0, 0])))(tensor([1, -2]))[0]!); // → [1, -2] (2(p − y)/n)
 * // mse(tensor([1, 2]), tensor([[1, 2]])) throws a ShapeError: the shapes must agree exactly
 * ```
 */
export function mse(pred: Tensor, target: Tensor): Tensor {
  checkTensor('mse', 'pred', pred);
  checkTensor('mse', 'target', target);
  if (!shapesEqual(pred.shape, target.shape))
    throw new ShapeError('mse', 'prediction and target shapes differ', [pred.shape, target.shape]);
  return mean(square(sub(pred, target)));
}

/**
 * Mean cross-entropy of `logits` (B, C) against integer `labels` (length B, values in [0, C)):
 * `−mean_b logSoftmax(logits)[b, labels[b]]`, stable (composite).
 *
 * @example
 * ```ts
 * const logits = tensor([[2, 0, 0], [0, 0, 0]]); // B = 2 rows, C = 3 classes
 * item(crossEntropy(logits, [0, 2])); // ≈ 0.669079 = (log(1 + 2e⁻²) + log 3) / 2
 * item(crossEntropy(tensor([[0, 0]]), [1])); // ≈ 0.693147 (log 2: uniform over 2 classes)
 * ```
 */
export function crossEntropy(logits: Tensor, labels: Int32Array | readonly number[]): Tensor {
  checkTensor('crossEntropy', 'logits', logits);
  if (!(labels instanceof Int32Array) && !Array.isArray(labels)) checkIntList('crossEntropy', 'labels', labels);
  if (logits.shape.length !== 2)
    throw new ShapeError('crossEntropy', 'logits must be (batch, classes)', [logits.shape]);
  const [B, C] = logits.shape as [number, number];
  if (B === 0) throw new ShapeError('crossEntropy', 'the mean over an empty batch is undefined', [logits.shape]);
  if (labels.length !== B)
    throw new ShapeError('crossEntropy', `${labels.length} labels for a batch of ${B}`, [
      logits.shape,
      [labels.length],
    ]);
  const flat = new Int32Array(B);
  for (let b = 0; b < B; b++) {
    const l = labels[b]!;
    if (!Number.isInteger(l) || l < 0 || l >= C)
      throw new ValueError('crossEntropy', `label ${l} at position ${b} is outside [0, ${C})`);
    flat[b] = b * C + l;
  }
  return neg(mean(gather(reshape(logSoftmax(logits, -1), [B * C]), flat, 0)));
}

/**
 * Layer normalisation over the last axis (Ba, Kiros & Hinton 2016):
 * `(x − μ) / √(σ² + eps) · gamma + beta` with the biased variance σ² (composite).
 * `gamma`, `beta` broadcast against `x` (normally shape `[n]`). `eps` must be finite and > 0 (a
 * zero, negative or NaN eps would turn constant rows into silent NaN); a ValueError names layerNorm.
 *
 * @example
 * ```ts
 * const x = tensor([[1, 2, 3], [10, 10, 10]]);
 * toArray(layerNorm(x, ones([3]), zeros([3]))); // ≈ [[-1.224736, 0, 1.224736], [0, 0, 0]] (eps 1e-5)
 * toArray(layerNorm(x, tensor([2, 2, 2]), tensor([1, 1, 1]), 1e-12)); // ≈ [[-1.449490, 1, 3.449490], [1, 1, 1]]
 * ```
 */
export function layerNorm(x: Tensor, gamma: Tensor, beta: Tensor, eps = 1e-5): Tensor {
  checkTensor('layerNorm', 'x', x);
  checkTensor('layerNorm', 'gamma', gamma);
  checkTensor('layerNorm', 'beta', beta);
  checkNumber('layerNorm', 'eps', eps, { gt: 0 });
  if (x.shape.length === 0 || x.shape[x.shape.length - 1] === 0)
    throw new ShapeError('layerNorm', 'needs a non-empty last axis', [x.shape]);
  const xc = sub(x, mean(x, -1, true));
  const inv = pow(add(mean(square(xc), -1, true), eps), -0.5);
  return add(mul(mul(xc, inv), gamma), beta);
}
