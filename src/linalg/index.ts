/**
 * seqrate/linalg — float64 tensors, kernels, decompositions and reverse-mode autodiff.
 *
 * Layering inside this folder (enforced by test/architecture.test.ts):
 * errors, shape → random → tensor → kernels → decomp → autodiff → ops.
 * The public `matmul`, `softmax`, `add`, … are the differentiable ops (they work on plain tensors
 * too, and record on the tape only inside `grad`/`valueAndGrad`).
 */
export * from './errors.js';
export * from './shape.js';
export { createRng, type Rng } from './random.js';
export { getMaxElements, setMaxElements } from './validate.js';
export {
  tensor,
  full,
  zeros,
  ones,
  eye,
  scalar,
  arange,
  randn,
  rand,
  clone,
  item,
  toArray,
  at,
  assertFinite,
  isTensor,
  type Tensor,
  type NestedArray,
} from './tensor.js';
export * from './decomp/index.js';
export type { SvdMethod } from './decomp/svdcore.js';
export * from './autodiff/index.js';
export * from './ops/index.js';
export * from './ndarray.js';
