/**
 * Raw, non-differentiable kernels on contiguous float64 tensors. Import as
 * `import * as K from '../kernels/index.js'`. The differentiable public ops live in `../ops`.
 */
export * from './elementwise.js';
export * from './reduce.js';
export * from './movement.js';
export * from './matmul.js';
