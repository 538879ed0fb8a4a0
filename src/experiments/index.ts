/**
 * seqrate/experiments — the paper's experiments as functions (config in, result out), the
 * registry the CLI uses, the runner and the worker_threads pool. See docs/REPRODUCE.md.
 *
 * ```ts
 * import { syntheticRate, runExperiment } from 'seqrate/experiments';
 * const result = await runExperiment(syntheticRate, syntheticRate.presets.tiny, { onProgress: (p) => console.error(p) });
 * result.checks.map((c) => `${c.id}: ${c.pass}`);
 * ```
 */
export * from './types.js';
export { EXPERIMENTS, getExperiment } from './registry.js';
export { runExperiment, runExperiments, inlineRunner, filterPoints, firstReplicate, type Job } from './runner.js';
export { createRunner, defaultWorkers, workerScript } from './pool.js';
export { fitRegression, testMse, median, quantile, type FitBudget, type FitReport } from './fit.js';
export {
  syntheticRate,
  run as runSyntheticRate,
  type SyntheticRateConfig,
  type SyntheticRateParams,
} from './synthetic-rate.js';
export type { FittedConfig } from './synthetic-rate-fitted.js';
export {
  attentionRank,
  run as runAttentionRank,
  type AttentionRankConfig,
  type AttentionRankPoint,
} from './attention-rank.js';
export {
  orderingReal,
  run as runOrderingReal,
  type OrderingRealConfig,
  type OrderingRealParams,
  type OrderingRealResult,
} from './ordering-real.js';
export {
  rnnVsTransformer,
  run as runRnnVsTransformer,
  type RnnVsTransformerConfig,
  type RnnVsTransformerParams,
} from './rnn-vs-transformer.js';
export { noOrder, run as runNoOrder, type NoOrderConfig, type NoOrderParams, type NoOrderPoint } from './no-order.js';
export {
  shiftRegisterRnn,
  logitRankBound,
  type MemoryFitResult,
  type ShiftRegisterResult,
  type MemoryConfig,
} from './memory-common.js';
export type { Json, ExperimentResult, Check, Figure, Table } from '../report/schema.js';
