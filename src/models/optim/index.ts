/** Optimisers of seqrate: SGD (momentum), Adam / AdamW, full-batch L-BFGS with strong-Wolfe search. */
export * from './params.js';
export * from './sgd.js';
export * from './adam.js';
export * from './lbfgs.js';
