/**
 * The experiments of seqrate by name, in report order.
 */
import { ValueError } from '../linalg/errors.js';
import { attentionRank } from './attention-rank.js';
import { orderingReal } from './ordering-real.js';
import { noOrder } from './no-order.js';
import { rnnVsTransformer } from './rnn-vs-transformer.js';
import { syntheticRate } from './synthetic-rate.js';
import { demos } from './demos.js';
import type { AnyExperiment } from './types.js';

/**
 * Every experiment, in the order the report presents them.
 *
 * @example
 * ```ts
 * EXPERIMENTS.map((e) => e.name);
 * // → ['synthetic-rate', 'attention-rank', 'ordering-real', 'rnn-vs-transformer', 'no-order', 'demos']
 * EXPERIMENTS.map((e) => e.paperRef)[3]; // → 'Table 2'
 * ```
 */
export const EXPERIMENTS: readonly AnyExperiment[] = [
  syntheticRate,
  attentionRank,
  orderingReal,
  rnnVsTransformer,
  noOrder,
  demos,
];

/**
 * The experiment called `name`; throws ValueError listing the known names otherwise.
 *
 * @example
 * ```ts
 * const e = getExperiment('no-order');
 * [e.paperRef, e.pointFilters]; // → ['Table 3', ['model', 'variant', 'seed']]
 * e.plan(e.presets.tiny).length; // → 6
 * try {
 *   getExperiment('fig-5');
 * } catch (e) {
 *   (e as Error).message; // → "experiments: unknown experiment 'fig-5'; known: synthetic-rate, attention-rank, …"
 * }
 * ```
 */
export function getExperiment(name: string): AnyExperiment {
  const e = EXPERIMENTS.find((x) => x.name === name);
  if (e === undefined)
    throw new ValueError(
      'experiments',
      `unknown experiment '${name}'; known: ${EXPERIMENTS.map((x) => x.name).join(', ')}`,
    );
  return e;
}
