/**
 * seqrate/theory — the mathematics of Jiang & Li (NeurIPS 2024) as pure functions: targets, POD
 * spectra, complexity measures, rate bounds (printed and proof variants), power-law fits and
 * temporal alterations. Imports only src/linalg. See docs/THEORY.md and ../shared/PAPER.md.
 */
export {
  couplingTarget,
  linearMemoryTarget,
  randomKernelTarget,
  sineBasis,
  sinusoidalEncoding,
  type Target,
  type TokenFn,
  type CouplingBasis,
  type CouplingSpec,
  type CouplingTarget,
  type LinearMemoryTarget,
  type LinearMemoryOptions,
} from './targets.js';
export {
  powerLawSpectrum,
  exponentialSpectrum,
  kernelSpectrum,
  KERNEL_SPECTRUM_MAX_BYTES,
  logitSpectrum,
  quadrature,
  type ModelSpectrumOptions,
  type Domain,
  type KernelSpectrumOptions,
  type KernelSpectrum,
  type LogitSpectrumOptions,
  type LogitSpectrum,
} from './spectra.js';
export {
  c0,
  c1,
  c2,
  tailEnergy,
  powerLawTailEnergy,
  supNorm,
  lipschitzEstimate,
  measures,
  orthonormalityDefect,
  type C0Input,
  type CffInput,
  type SampleOptions,
  type MeasuresOptions,
  type Measures,
} from './measures.js';
export {
  transformerBound,
  bestMh,
  BEST_MH_MAX,
  type BoundVariant,
  type TransformerBoundOptions,
  type TransformerBoundTerms,
  type BestMh,
} from './bounds.js';
export { fitPowerLaw, fitExponential, type FitOptions, type FitResult } from './fit.js';
export {
  permuteTime,
  swapEnds,
  cyclicShift,
  mixTime,
  randomFilter,
  mixedMemory,
  mixedCRnnBound,
  isCausal,
  type TimeAlteration,
  type Permutation,
  type MixBoundary,
  type MixedMemory,
  type CausalityOptions,
  type CausalityReport,
} from './alterations.js';
export {
  softmaxLipschitz,
  traceTail,
  couplingOscillation,
  correctedParts,
  type FfnErrors,
  type CorrectedParts,
} from './corrected.js';
export {
  checkBound,
  correctedMse,
  type BoundPoint,
  type CheckBoundOptions,
  type CheckedPoint,
  type CheckBoundResult,
} from './check.js';
export {
  decayRate,
  decayAnalysis,
  rnnComplexity,
  rnnBound,
  type RnnComplexityOptions,
  type RnnComplexity,
  type RnnBound,
  type DecayModel,
} from './rnn-bounds.js';
