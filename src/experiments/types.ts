/**
 * The shape every seqrate experiment has: a config (every hyper-parameter, JSON), a plan of
 * independent sweep points, a pure `runPoint`, and an `assemble` step that turns the point
 * outcomes into an ExperimentResult with tables, figures and named checks of the paper's claims.
 *
 * Determinism: `runPoint(config, params)` must depend only on its arguments (every random draw
 * seeded from them), so results are identical whatever the worker count or completion order.
 */
import type { ExperimentResult, Json } from '../report/schema.js';

/**
 * Preset names, smallest first: `tiny` (CI, seconds), `quick` (≤ 3 min all together; labels what
 * it cannot resolve `unresolved`), `standard` (≤ 25 min on 2 cores: resolves every claim this
 * machine can), `full` (hours).
 */
export type PresetName = 'tiny' | 'quick' | 'standard' | 'full';

/**
 * The preset names in order.
 *
 * @example
 * ```ts
 * PRESETS; // → ['tiny', 'quick', 'standard', 'full']
 * PRESETS.map((p) => noOrder.expectedTime[p])[0]; // → 'a few seconds'
 * ```
 */
export const PRESETS: readonly PresetName[] = ['tiny', 'quick', 'standard', 'full'];

/** A config: JSON object with a base `seed`. */
export type Config = { seed: number } & { [k: string]: Json };

/** Point parameters: flat JSON record (filterable by the CLI, e.g. `{ mh: 4, seed: 1 }`). */
export type PointParams = { [k: string]: number | string | boolean };

/** One independent unit of work. `key` is unique within the plan and readable (`mh=4 seed=1`). */
export interface Point<P extends PointParams = PointParams> {
  key: string;
  params: P;
}

/** A finished point. */
export interface PointOutcome<P extends PointParams = PointParams, R extends Json = Json> {
  key: string;
  params: P;
  result: R;
  seconds: number;
  /** CPU seconds of the thread that ran the point (Linux; absent where it cannot be measured). */
  cpuSeconds?: number;
}

/**
 * Progress report: `done` of `total` points finished; `label` says which. `work`/`totalWork` weigh
 * points by their cost hints (for an honest ETA when points differ in cost).
 */
export interface Progress {
  done: number;
  total: number;
  label: string;
  work?: number;
  totalWork?: number;
}

/** What `assemble` returns: the result without the bookkeeping fields the runner fills in. */
export type Assembled = Omit<ExperimentResult, 'name' | 'title' | 'paperRef' | 'preset' | 'seed' | 'config' | 'timing'>;

/** An experiment definition. */
export interface Experiment<C extends Config = Config, P extends PointParams = PointParams, R extends Json = Json> {
  name: string;
  title: string;
  /** The paper's figure/table reproduced. */
  paperRef: string;
  /** One paragraph for `seqrate list` and the docs. */
  description: string;
  presets: Record<PresetName, C>;
  /** Expected wall time of each preset on 2 cores, in words (for `seqrate list` and the docs). */
  expectedTime: Record<PresetName, string>;
  /** Point parameters the CLI may filter on (`seqrate run NAME --mh 4`). */
  pointFilters: readonly string[];
  plan(config: C): Point<P>[];
  /** Relative cost of a point (default 1): expensive points are scheduled first, and the ETA weighs by it. */
  pointCost?(config: C, params: P): number;
  runPoint(config: C, params: P): R;
  assemble(config: C, points: PointOutcome<P, R>[]): Assembled;
}

/** Any experiment (type-erased, for the registry and the worker). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyExperiment = Experiment<any, any, any>;

/** Options of `run(config, opts)`. */
export interface RunOptions {
  onProgress?: (p: Progress) => void;
  /** Where points execute; default in-process. */
  runner?: PointRunner;
}

/** Executes points, in-process or on a worker pool. */
/** What a runner measured of one point besides its result. */
export interface PointMeta {
  cpuSeconds?: number;
}

export interface PointRunner {
  readonly mode: 'inline' | 'threads';
  readonly size: number;
  /**
   * Runs `experiment.runPoint(config, params)` (a pool sends only the experiment's name). A runner
   * that can measure the point's thread CPU time stores it in `meta.cpuSeconds`.
   */
  run(experiment: AnyExperiment, config: Config, params: PointParams, meta?: PointMeta): Promise<Json>;
  close(): Promise<void>;
}

/**
 * A 32-bit seed derived from a base seed and labels (FNV-1a over the text), so that every point
 * has its own stream independent of execution order.
 *
 * @example
 * ```ts
 * pointSeed(1, 'mh=4', 'init'); // → 691788914
 * pointSeed(1, 'mh=4', 'init') === pointSeed(1, 'mh=4', 'init'); // → true
 * pointSeed(2, 'mh=4', 'init'); // → 2764702111 (another base seed, another stream)
 * const rng = createRng(pointSeed(1, 'mh=4', 'init'));
 * ```
 */
export function pointSeed(base: number, ...labels: (string | number)[]): number {
  let h = 0x811c9dc5;
  const s = `${base}|${labels.join('|')}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
