/** seqrate — the whole public surface. Prefer the sub-paths (`seqrate/linalg`, …) in libraries. */
export * as linalg from './linalg/index.js';
export * as models from './models/index.js';
export * as theory from './theory/index.js';
export * as experiments from './experiments/index.js';
