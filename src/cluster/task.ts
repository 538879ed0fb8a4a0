/**
 * The array task runner (`seqrate plan --task I DIR`, called by run-point.sh): runs the points of
 * task I through the experiments' point runner (the same `runPoint` that `seqrate reproduce` and
 * `seqrate run NAME --<filter> V` execute) and writes each as DIR/points/<file>.json atomically.
 * With `resume`, points whose file exists (same plan hash) are skipped.
 */
import { rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { SeqrateError } from '../linalg/errors.js';
import { createRunner } from '../experiments/pool.js';
import { getExperiment } from '../experiments/registry.js';
import type { PointRunner } from '../experiments/types.js';
import { checkPlanMatchesCode, readPlan, type Plan, type PlanPoint } from './plan.js';
import { encodeJson, pointsDir, scanPoints, writeAtomic, type FailedFile, type PointFile } from './points.js';

/** Options of {@link runTask}. */
export interface TaskOptions {
  resume: boolean;
  workers: number;
  version: string;
  log: (line: string) => void;
  /** Where points execute (default: a worker pool of `workers` threads, in-process from sources). */
  runner?: PointRunner;
}

/** Counts of one task run. */
export interface TaskOutcome {
  ran: number;
  skipped: number;
  failed: number;
}

/** Runs array task `index` of the plan in `dir`. */
export async function runTask(dir: string, index: number, o: TaskOptions): Promise<TaskOutcome> {
  const plan = readPlan(dir);
  const task = plan.tasks[index];
  if (task === undefined)
    throw new SeqrateError(
      'plan --task',
      `task ${index} does not exist: the plan has tasks 0..${plan.tasks.length - 1}`,
    );
  checkPlanMatchesCode(plan, o.version, 'plan --task');
  const scan = o.resume ? scanPoints(dir) : undefined;
  const todo: PlanPoint[] = [];
  let skipped = 0;
  for (const pi of task.points) {
    const p = plan.points[pi]!;
    if (scan?.done.get(p.file)?.planHash === plan.hash) skipped++;
    else todo.push(p);
  }
  o.log(
    `seqrate: task ${index} of plan ${plan.hash.slice(0, 12)}: ${todo.length} point(s) to run, ${skipped} already done`,
  );
  const runner = o.runner ?? createRunner({ workers: Math.max(1, Math.min(o.workers, todo.length || 1)) });
  let failed = 0;
  try {
    // at most runner.size points in flight, so that each point's seconds exclude queueing
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < todo.length) if (!(await runOne(dir, plan, todo[next++]!, index, runner, o))) failed++;
    };
    await Promise.all(Array.from({ length: runner.size }, lane));
  } finally {
    if (o.runner === undefined) await runner.close();
  }
  return { ran: todo.length - failed, skipped, failed };
}

/** Runs one point and writes its file (or its failure file); true on success. */
async function runOne(root: string, plan: Plan, p: PlanPoint, task: number, runner: PointRunner, o: TaskOptions) {
  const e = getExperiment(p.experiment);
  const config = plan.experiments.find((x) => x.name === p.experiment)!.config;
  const dir = pointsDir(root);
  const common = {
    key: p.key,
    params: p.params,
    seqrateVersion: plan.seqrateVersion,
    planHash: plan.hash,
    task,
    host: hostname(),
  };
  const t0 = performance.now();
  try {
    const result = await runner.run(e, config, p.params);
    const seconds = (performance.now() - t0) / 1000;
    const file: PointFile = {
      schema: 'seqrate-cluster-point',
      ...common,
      result,
      seconds,
      finishedAt: new Date().toISOString(),
      maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      slurm: slurmIds(),
    };
    writeAtomic(dir, `${p.file}.json`, `${encodeJson(file, 1)}\n`);
    rmSync(join(dir, `${p.file}.failed.json`), { force: true });
    o.log(`seqrate: done ${p.key} (${seconds.toFixed(2)} s)`);
    return true;
  } catch (err) {
    const error = `${(err as Error).name}: ${(err as Error).message}`;
    const finishedAt = new Date().toISOString();
    const file: FailedFile = { schema: 'seqrate-cluster-failure', ...common, error, finishedAt };
    writeAtomic(dir, `${p.file}.failed.json`, `${encodeJson(file, 1)}\n`);
    o.log(`seqrate: FAILED ${p.key}: ${error}`);
    return false;
  }
}

/** The Slurm job and array task ids of this process, if it runs under Slurm. */
function slurmIds(): PointFile['slurm'] {
  const job = process.env.SLURM_ARRAY_JOB_ID;
  return job === undefined ? null : { jobId: job, arrayTaskId: process.env.SLURM_ARRAY_TASK_ID ?? '' };
}
