/**
 * The differentiable public ops of `seqrate/linalg`. Each works on plain tensors and records on
 * the active tape only inside `grad`/`valueAndGrad` when an input is traced.
 */
export { add, sub, mul, div, neg, reciprocal, maximum, where } from './arith.js';
export { exp, log, tanh, relu, abs, pow, square, sqrt, sigmoid, gelu } from './unary.js';
export { sum, max, mean, logSumExp, softmax, logSoftmax } from './reduce.js';
export { matmul, dense } from './linear.js';
export { reshape, transpose, broadcastTo, slice, concat, gather, stack } from './movement.js';
export { mse, crossEntropy, layerNorm } from './nn.js';
export { PRIMITIVES } from './registry.js';
