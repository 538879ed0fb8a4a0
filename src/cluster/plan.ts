/**
 * A cluster plan: every sweep point of the selected experiments at one preset and seed, each with
 * a stable key, its parameters and its expected cost, grouped into array tasks. Written as
 * DIR/plan.json by `seqrate plan`; read back by the task runner, `--status` and `seqrate merge`.
 *
 * The plan hash covers what determines the results (seqrate version, preset, seed, each
 * experiment's config and the points' keys and parameters), not the grouping or the costs.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SeqrateError, ValueError } from '../linalg/errors.js';
import { EXPERIMENTS, getExperiment } from '../experiments/registry.js';
import type { AnyExperiment, Config, PointParams, PresetName } from '../experiments/types.js';
import { expectedSeconds, type MeasuredSeconds } from './costs.js';

/** Multiplier from a task's expected CPU-seconds to its Slurm `--time` request (docs/CLUSTER.md). */
export const TIME_SAFETY = 3;
/** Seconds added to every task's time request: node start-up, module loading, file system. */
export const TIME_OVERHEAD_SECONDS = 120;
/** Smallest time request (minutes): schedulers round up anyway, and tiny tasks must not be killed. */
export const MIN_TIME_MINUTES = 5;
/**
 * Peak resident memory of one process running points, measured (MB): `seqrate reproduce --quick
 * --workers 1` (all experiments, one worker thread) peaked at 307 MB (GNU time, maximum resident
 * set size); a tiny-preset array task at 218 MB. Point files record each task's peak (`maxRssMB`).
 */
export const MEASURED_PEAK_MB = 310;
/** Multiplier from the measured peak to the `--mem` request (the full preset's models are larger). */
export const MEMORY_SAFETY = 3;

/** One point of the plan. */
export interface PlanPoint {
  /** Index in `points` (the order of reproduce: experiments in registry order, then each plan). */
  index: number;
  /** Stable key: `<experiment>/<point key>`. */
  key: string;
  experiment: string;
  /** The experiment's own point key. */
  pointKey: string;
  params: PointParams;
  /** File name under DIR/points/ (without `.json`). */
  file: string;
  /** Expected CPU-seconds (see costs.ts). */
  expectedSeconds: number;
}

/** One array task: the points it runs, in order. */
export interface PlanTask {
  index: number;
  points: number[];
  expectedSeconds: number;
}

/** DIR/plan.json. */
export interface Plan {
  schema: 'seqrate-cluster-plan';
  schemaVersion: 1;
  hash: string;
  seqrateVersion: string;
  preset: PresetName;
  seed: number;
  experiments: { name: string; config: Config }[];
  points: PlanPoint[];
  tasks: PlanTask[];
  /** The per-task requests of job.sbatch and how they were derived. */
  request: { timeMinutes: number; memoryMB: number; cpusPerTask: number; arrayThrottle: number | null; note: string };
  /** Where the CLI and node were at plan time (run-point.sh uses them; SEQRATE_CLI / SEQRATE_NODE override). */
  cli: string;
  node: string;
  createdAt: string;
}

/** Options of {@link buildPlan}. */
export interface PlanOptions {
  preset: PresetName;
  seed: number;
  only?: readonly string[];
  /** Target expected CPU-seconds per array task (cheap points are grouped up to it; 0: one point per task). */
  taskSeconds: number;
  arrayThrottle?: number;
  measured?: MeasuredSeconds;
  version: string;
  cli: string;
  node: string;
}

/** A config for `e` at `preset` with base `seed` — exactly what `seqrate reproduce` uses. */
export function configOf(e: AnyExperiment, preset: PresetName, seed: number): Config {
  return { ...(e.presets[preset] as Config), seed };
}

/** A file-system-safe name for a stable key; injective on the keys of one plan (checked). */
export function fileNameOf(key: string): string {
  return key.replace(/\//g, '__').replace(/[^A-Za-z0-9._=-]/g, '_');
}

/** JSON with sorted object keys (for hashing). */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The hash of what determines a plan's results. */
export function planHash(p: Pick<Plan, 'seqrateVersion' | 'preset' | 'seed' | 'experiments' | 'points'>): string {
  const body = {
    seqrateVersion: p.seqrateVersion,
    preset: p.preset,
    seed: p.seed,
    experiments: p.experiments,
    points: p.points.map((q) => ({ key: q.key, params: q.params })),
  };
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

/** The experiments selected by `only` (registry order), or a ValueError naming the unknown one. */
export function selectExperiments(only?: readonly string[]): AnyExperiment[] {
  for (const n of only ?? []) {
    if (!EXPERIMENTS.some((e) => e.name === n)) {
      throw new ValueError(
        'plan',
        `--only: unknown experiment '${n}' (known: ${EXPERIMENTS.map((e) => e.name).join(', ')})`,
      );
    }
  }
  return EXPERIMENTS.filter((e) => only === undefined || only.includes(e.name));
}

/** Builds the plan (no files written). */
export function buildPlan(o: PlanOptions): Plan {
  const chosen = selectExperiments(o.only);
  const experiments = chosen.map((e) => ({ name: e.name, config: configOf(e, o.preset, o.seed) }));
  const points = planPoints(chosen, experiments, o);
  const tasks = groupTasks(points, o.taskSeconds);
  const base = { seqrateVersion: o.version, preset: o.preset, seed: o.seed, experiments, points };
  return {
    schema: 'seqrate-cluster-plan',
    schemaVersion: 1,
    hash: planHash(base),
    ...base,
    tasks,
    request: requestOf(tasks, o.arrayThrottle),
    cli: o.cli,
    node: o.node,
    createdAt: new Date().toISOString(),
  };
}

/** Every point of the chosen experiments, with stable keys, unique file names and expected costs. */
function planPoints(chosen: AnyExperiment[], experiments: Plan['experiments'], o: PlanOptions): PlanPoint[] {
  const points: PlanPoint[] = [];
  chosen.forEach((e, ei) => {
    const config = experiments[ei]!.config;
    const pts = e.plan(config);
    const secs = expectedSeconds(e, config, o.preset, pts, o.measured);
    pts.forEach((p, i) => {
      const key = `${e.name}/${p.key}`;
      const file = fileNameOf(key);
      points.push({
        index: points.length,
        key,
        experiment: e.name,
        pointKey: p.key,
        params: p.params,
        file,
        expectedSeconds: secs[i]!,
      });
    });
  });
  const files = new Map<string, string>();
  for (const p of points) {
    const other = files.get(p.file);
    if (other !== undefined)
      throw new SeqrateError('plan', `points '${other}' and '${p.key}' map to the same file name '${p.file}'`);
    files.set(p.file, p.key);
  }
  return points;
}

/** The per-task Slurm requests: time from the longest task × TIME_SAFETY, memory from the measured peak. */
function requestOf(tasks: PlanTask[], arrayThrottle: number | undefined): Plan['request'] {
  const longest = Math.max(0, ...tasks.map((t) => t.expectedSeconds));
  const timeMinutes = Math.max(MIN_TIME_MINUTES, Math.ceil((TIME_SAFETY * longest + TIME_OVERHEAD_SECONDS) / 60));
  const memoryMB = Math.ceil((MEMORY_SAFETY * MEASURED_PEAK_MB) / 64) * 64;
  const note =
    `time = max(${MIN_TIME_MINUTES} min, ${TIME_SAFETY} × longest task's expected ${longest.toFixed(1)} CPU-s ` +
    `+ ${TIME_OVERHEAD_SECONDS} s); ` +
    `memory = ${MEMORY_SAFETY} × measured peak ${MEASURED_PEAK_MB} MB, rounded up to 64 MB`;
  return { timeMinutes, memoryMB, cpusPerTask: 1, arrayThrottle: arrayThrottle ?? null, note };
}

/**
 * Groups points into tasks: points in plan order, a task closed when adding the next point would
 * exceed `taskSeconds` expected CPU-seconds (a point costlier than that gets a task of its own).
 */
export function groupTasks(points: readonly PlanPoint[], taskSeconds: number): PlanTask[] {
  const tasks: PlanTask[] = [];
  let cur: PlanTask | undefined;
  for (const p of points) {
    if (cur === undefined || cur.expectedSeconds + p.expectedSeconds > taskSeconds) {
      cur = { index: tasks.length, points: [], expectedSeconds: 0 };
      tasks.push(cur);
    }
    cur.points.push(p.index);
    cur.expectedSeconds += p.expectedSeconds;
  }
  return tasks;
}

/** Reads DIR/plan.json; throws SeqrateError('plan', …) when absent or not a plan. */
export function readPlan(dir: string): Plan {
  const f = join(dir, 'plan.json');
  if (!existsSync(f))
    throw new SeqrateError('plan', `'${dir}' has no plan.json (make one with 'seqrate plan --out ${dir}')`);
  const p = JSON.parse(readFileSync(f, 'utf8')) as Plan;
  if (p.schema !== 'seqrate-cluster-plan' || !Array.isArray(p.points) || !Array.isArray(p.tasks)) {
    throw new SeqrateError('plan', `'${f}' is not a seqrate cluster plan`);
  }
  if (planHash(p) !== p.hash)
    throw new SeqrateError('plan', `'${f}' was edited: its content does not match its hash ${p.hash.slice(0, 12)}`);
  return p;
}

/**
 * Checks that this seqrate build plans exactly the points of `plan` (same version, same keys and
 * parameters): a different build could compute different numbers under the same keys.
 */
export function checkPlanMatchesCode(plan: Plan, version: string, op: string): void {
  if (plan.seqrateVersion !== version) {
    throw new SeqrateError(
      op,
      `the plan was made by seqrate ${plan.seqrateVersion}, this is seqrate ${version}; ` +
        're-plan or use the same version',
    );
  }
  const fresh = planHash({
    ...plan,
    points: plan.experiments.flatMap((x) => {
      const e = getExperiment(x.name);
      return e.plan(x.config).map((p) => ({ key: `${x.name}/${p.key}`, params: p.params }) as PlanPoint);
    }),
  });
  if (fresh !== plan.hash)
    throw new SeqrateError(
      op,
      `this seqrate build plans different points than plan.json (hash ${plan.hash.slice(0, 12)}); re-plan`,
    );
}
