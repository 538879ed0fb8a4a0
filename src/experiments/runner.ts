/**
 * Running experiments: plan → points (in-process or on a worker pool) → assemble, with progress,
 * timings and error capture. Several experiments can share one pool so that every core stays busy
 * (`runExperiments`); results are ordered by the plan, never by completion.
 */
import type { ExperimentResult } from '../report/schema.js';
import { checkConfig } from './config-check.js';
import { withThreadCpu } from './cpu.js';
import type {
  AnyExperiment,
  Config,
  Point,
  PointMeta,
  PointOutcome,
  PointParams,
  PointRunner,
  Progress,
  RunOptions,
} from './types.js';
import type { Json } from '../report/schema.js';

/**
 * Runs points in the current thread, yielding to the event loop between points (signals).
 *
 * @example
 * ```ts
 * const runner = inlineRunner();
 * const params = { model: 'shift-register', variant: 'original', seed: 1 };
 * await runner.run(noOrder, noOrder.presets.tiny, params); // → { testMse: 0 } (the shift register is exact)
 * ```
 */
export function inlineRunner(): PointRunner {
  return {
    mode: 'inline',
    size: 1,
    async run(e: AnyExperiment, config: Config, params: PointParams, meta?: PointMeta): Promise<Json> {
      await new Promise<void>((r) => setImmediate(r));
      const { value, cpuSeconds } = withThreadCpu(() => e.runPoint(config, params) as Json);
      if (meta !== undefined && cpuSeconds !== undefined) meta.cpuSeconds = cpuSeconds;
      return value;
    },
    async close() {
      /* nothing to release */
    },
  };
}

/** Seconds since `t0` (from performance.now()). */
const since = (t0: number): number => (performance.now() - t0) / 1000;

/** A job of `runExperiments`. */
export interface Job {
  experiment: AnyExperiment;
  config: Config;
  preset: string;
  points?: Point[];
}

/**
 * Runs several experiments on one runner: all points are queued together (at most
 * `runner.size` in flight), then each experiment is assembled. An experiment whose point or
 * assembly throws yields a result with `error` set and a failing `completed` check. A config that
 * is not valid for its experiment (checkConfig: unknown or missing keys, NaN seed, `seeds: 0`)
 * throws ValueError before any point runs.
 *
 * @example
 * ```ts
 * // a toy experiment (the contract every experiment of EXPERIMENTS follows): squares of 1..n
 * const squares: Experiment<{ seed: number; n: number }, { i: number }, number> = {
 *   name: 'squares', title: 'Squares', paperRef: '-', description: 'i² for i = 1..n',
 *   presets: {
 *     tiny: { seed: 0, n: 3 }, quick: { seed: 0, n: 10 }, standard: { seed: 0, n: 100 }, full: { seed: 0, n: 1000 },
 *   },
 *   expectedTime: { tiny: '1 ms', quick: '1 ms', standard: '1 ms', full: '1 ms' },
 *   pointFilters: ['i'],
 *   plan: (c) => Array.from({ length: c.n }, (_, k) => ({ key: `i=${k + 1}`, params: { i: k + 1 } })),
 *   runPoint: (_c, p) => p.i * p.i,
 *   assemble: (_c, pts) => ({
 *     choices: [], data: { squares: pts.map((p) => p.result) }, tables: [], figures: [], notes: [],
 *     checks: [], paperVerdict: { item: '-', verdict: 'unresolved', summary: '' },
 *   }),
 * };
 * const config = squares.presets.tiny;
 * const [all, some] = await runExperiments([
 *   { experiment: squares, config, preset: 'tiny' },
 *   { experiment: squares, config, preset: 'tiny', points: filterPoints(squares.plan(config), { i: [2] }) },
 * ]);
 * [all!.data, some!.data]; // → [{ squares: [1, 4, 9] }, { squares: [4] }]
 * ```
 */
export async function runExperiments(jobs: Job[], opts: RunOptions = {}): Promise<ExperimentResult[]> {
  for (const j of jobs) checkConfig(j.experiment, j.config); // a bad config runs nothing
  const runner = opts.runner ?? inlineRunner();
  const plans = jobs.map((j) => j.points ?? j.experiment.plan(j.config));
  const costOf = (ji: number, p: Point): number => {
    const c = jobs[ji]!.experiment.pointCost?.(jobs[ji]!.config, p.params);
    return c !== undefined && c > 0 ? c : 1;
  };
  // longest points first (LPT): shortens the tail when points differ in cost; results keep plan order
  const queue = plans
    .flatMap((pts, ji) => pts.map((p, pi) => ({ ji, pi, p, cost: costOf(ji, p) })))
    .sort((a, b) => b.cost - a.cost);
  const totalWork = queue.reduce((s, q) => s + q.cost, 0);
  let work = 0;
  const outcomes: (PointOutcome | undefined)[][] = plans.map((p) => new Array<PointOutcome | undefined>(p.length));
  const errors: (string | undefined)[] = jobs.map(() => undefined);
  const t0 = performance.now();
  const remaining = plans.map((p) => p.length);
  const ends = plans.map((p) => (p.length === 0 ? t0 : NaN));
  let done = 0,
    next = 0;
  const total = queue.length;
  const worker = async (): Promise<void> => {
    while (next < queue.length) {
      const { ji, pi, p, cost } = queue[next++]!;
      const job = jobs[ji]!;
      if (errors[ji] !== undefined) {
        done++;
        if (--remaining[ji]! === 0) ends[ji] = performance.now();
        continue;
      }
      const t0 = performance.now();
      try {
        const meta: PointMeta = {};
        const result = await runner.run(job.experiment, job.config, p.params, meta);
        const out: PointOutcome = { key: p.key, params: p.params, result, seconds: since(t0) };
        if (meta.cpuSeconds !== undefined) out.cpuSeconds = meta.cpuSeconds;
        outcomes[ji]![pi] = out;
      } catch (e) {
        errors[ji] ??= `point ${p.key}: ${(e as Error).message}`;
      }
      done++;
      if (--remaining[ji]! === 0) ends[ji] = performance.now();
      work += cost;
      const prog: Progress = { done, total, label: `${job.experiment.name} ${p.key}`, work, totalWork };
      opts.onProgress?.(prog);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(runner.size, total)) }, worker));
  // an experiment's wall time runs from the start until its last point finished (shared pool)
  return jobs.map((j, ji) => assembleJob(j, outcomes[ji]!, errors[ji], (ends[ji]! - t0) / 1000));
}

/** Assembles one job's outcomes into its ExperimentResult (errors captured). */
function assembleJob(
  job: Job,
  outs: (PointOutcome | undefined)[],
  error: string | undefined,
  seconds: number,
): ExperimentResult {
  const e = job.experiment;
  const base = {
    name: e.name,
    title: e.title,
    paperRef: e.paperRef,
    preset: job.preset,
    seed: job.config.seed,
    config: job.config,
  };
  const timing = {
    totalSeconds: seconds,
    points: outs.flatMap((o) =>
      o === undefined
        ? []
        : [
            o.cpuSeconds === undefined
              ? { key: o.key, seconds: o.seconds }
              : { key: o.key, seconds: o.seconds, cpuSeconds: o.cpuSeconds },
          ],
    ),
  };
  if (error === undefined) {
    try {
      return { ...base, ...e.assemble(job.config, outs as PointOutcome[]), timing };
    } catch (err) {
      error = `assemble: ${(err as Error).message}`;
    }
  }
  return {
    ...base,
    choices: [],
    data: {},
    tables: [],
    figures: [],
    notes: [],
    error,
    timing,
    checks: [
      {
        id: 'completed',
        claim: 'the experiment ran to completion',
        pass: false,
        verdict: 'engine',
        numbers: {},
        explanation: `it stopped with an error: ${error}`,
      },
    ],
    paperVerdict: {
      item: e.paperRef,
      verdict: 'unresolved',
      summary: `not run: the experiment stopped with an error (${error})`,
    },
  };
}

/**
 * Runs one experiment (the `run(config, { onProgress })` of every experiment module).
 *
 * @example
 * ```ts
 * // Table 3 at the tiny preset (6 points): the result carries every check's verdict
 * const r = await runExperiment(noOrder, noOrder.presets.tiny, { preset: 'tiny', onProgress: (p) => p.done });
 * [r.name, r.preset, r.timing.points.length]; // → ['no-order', 'tiny', 6]
 * r.checks.map((c) => `${c.id}: ${c.verdict}`);
 * // → ['transformer-beats-rnn: unresolved', 'transformer-permutation-robust: unresolved',
 * //    'rnn-failure-is-optimisation: engine']  (the tiny budget resolves no claim of the paper)
 * ```
 */
export async function runExperiment(
  e: AnyExperiment,
  config: Config,
  opts: RunOptions & { preset?: string } = {},
): Promise<ExperimentResult> {
  const [r] = await runExperiments([{ experiment: e, config, preset: opts.preset ?? 'custom' }], opts);
  return r!;
}

/**
 * Keeps the points whose params match every filter (points lacking a filtered key are kept).
 *
 * @example
 * ```ts
 * const plan = noOrder.plan(noOrder.presets.tiny);
 * filterPoints(plan, { model: ['rnn'], variant: ['permuted'] }).map((p) => p.key); // → ['rnn permuted seed=1']
 * filterPoints(plan, { model: ['rnn', 'transformer'] }).length; // → 4
 * ```
 */
export function filterPoints(points: Point[], filters: Record<string, (string | number)[]>): Point[] {
  return points.filter((p) =>
    Object.entries(filters).every(
      ([k, vals]) => !(k in p.params) || vals.some((v) => String(p.params[k]) === String(v)),
    ),
  );
}

/**
 * The first replicate seed of a plan (the smallest numeric `seed` of its points), or `base` when no
 * point has one: what `seqrate run NAME --seed N` with a point filter selects. It is N for most
 * presets; ordering-real's standard preset starts its replicates at N + 200.
 *
 * @example
 * ```ts
 * firstReplicate(orderingReal.plan({ ...orderingReal.presets.quick, seed: 5 }), 5); // → 5
 * firstReplicate(orderingReal.plan({ ...orderingReal.presets.standard, seed: 5 }), 5); // → 205
 * ```
 */
export function firstReplicate(points: Point[], base: number): number {
  const seeds = points.map((p) => p.params.seed).filter((s): s is number => typeof s === 'number');
  return seeds.length > 0 ? Math.min(...seeds) : base;
}
