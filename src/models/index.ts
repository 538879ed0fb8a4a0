/**
 * seqrate/models — the paper's Transformer, RNNs, a small ViT, their building blocks, optimisers,
 * training, token views of image data and weight files. Portable: no Node API (the MNIST loader
 * is in `seqrate/node`).
 */
export { param, checkInput, type Model, type Params } from './module.js';
export {
  flattenParams,
  unflattenParams,
  globalNorm,
  checkStepInputs,
  checkFiniteParams,
  type ParamLayout,
  type Optimizer,
} from './optim/params.js';
export { SGD, type SGDOptions } from './optim/sgd.js';
export { Adam, AdamW, type AdamOptions } from './optim/adam.js';
export { lbfgs, strongWolfe, type ValueGradFn, type LbfgsOptions, type LbfgsResult } from './optim/lbfgs.js';
export * from './layers.js';
export * from './transformer.js';
export * from './constructive.js';
export * from './rnn.js';
export * from './vit.js';
export * from './data.js';
export * from './serialize.js';
export * from './train.js';
export * from './evaluate.js';
