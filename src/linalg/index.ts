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
export * from './random.js';
export * from './tensor.js';
export * from './decomp/index.js';
export * from './autodiff/index.js';
export * from './ops/index.js';
export * from './ndarray.js';
