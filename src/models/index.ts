/**
 * seqrate/models — the paper's Transformer, RNNs, a small ViT, their building blocks, optimisers,
 * training, data and weight files. See docs/API.md ("src/models").
 */
export * from './module.js';
export * from './optim/index.js';
export * from './layers.js';
export * from './transformer.js';
export * from './constructive.js';
export * from './rnn.js';
export * from './vit.js';
export * from './data.js';
export * from './serialize.js';
export * from './train.js';
export * from './evaluate.js';
