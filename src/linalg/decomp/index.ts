/**
 * Decompositions (non-differentiable): Householder QR, symmetric eigendecomposition,
 * preconditioned one-sided Jacobi SVD, least squares, LU solve, determinant, pseudo-inverse,
 * norms, condition numbers and the spectral radius. See each function's doc comment for algorithm and stability.
 */
export { qr, type QrOptions } from './qr.js';
export { svd, svdvals, type SvdOptions, type SvdResult } from './svd.js';
export { lstsq, pinv, type LstsqOptions, type LstsqResult, type PinvOptions } from './lstsq.js';
export { solve, det, SingularMatrixError } from './lu.js';
/** The `checkFinite` option shared by every decomposition. */
export type { FiniteOption } from './util.js';
export { eigh } from './eigh.js';
export { norm, cond, type NormOrd } from './norm.js';
export { spectralRadius } from './spectral.js';
