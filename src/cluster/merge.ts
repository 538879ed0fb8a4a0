/**
 * `seqrate merge DIR --out REPORT`: assembles the report from the point files of a plan directory
 * by the very code path of `seqrate reproduce` — `runExperiments` (plan order, `assemble`, error
 * capture) with a point runner that returns each point's stored result instead of computing it —
 * then `buildResultsFile` and `reportFiles`, written atomically with `stageOutput`.
 */
import { cpus } from 'node:os';
import { SeqrateError } from '../linalg/errors.js';
import { getExperiment } from '../experiments/registry.js';
import { runExperiments, type Job } from '../experiments/runner.js';
import type { AnyExperiment, Config, PointParams, PointRunner } from '../experiments/types.js';
import { buildResultsFile, reportFiles } from '../report/index.js';
import { stageOutput } from '../report/atomic.js';
import type { ExperimentResult, Json, ResultsFile } from '../report/schema.js';
import { canonicalJson, checkPlanMatchesCode } from './plan.js';
import { planStatus, type PlanStatus } from './status.js';

/** Merge refused: mixed directory, unreadable files, or missing points without --allow-partial. */
export class MergeRefusedError extends SeqrateError {
  constructor(message: string) {
    super('merge', message);
    this.name = 'MergeRefusedError';
  }
}

/** Options of {@link mergePlan}. */
export interface MergeOptions {
  out: string;
  allowPartial: boolean;
  force: boolean;
  version: string;
  command: string;
}

/** What {@link mergePlan} wrote. */
export interface MergeOutcome {
  target: string;
  partial: boolean;
  missing: string[];
  checks: number;
  passed: number;
  errors: number;
}

const lookupKey = (experiment: string, params: PointParams): string => `${experiment}\u0000${canonicalJson(params)}`;

/** A point runner that replays stored results (and throws for a point without one). */
function replayRunner(st: PlanStatus): PointRunner {
  const stored = new Map<string, Json>(
    st.done.map((d) => [lookupKey(d.point.experiment, d.point.params), d.file.result]),
  );
  const why = new Map<string, string>(
    st.failed.map((f) => [lookupKey(f.point.experiment, f.point.params), `failed: ${f.file.error}`]),
  );
  return {
    mode: 'inline',
    size: 1,
    run(e: AnyExperiment, _config: Config, params: PointParams): Promise<Json> {
      const k = lookupKey(e.name, params);
      const r = stored.get(k);
      if (r !== undefined) return Promise.resolve(r);
      return Promise.reject(
        new SeqrateError('merge', `point missing from the cluster run (${why.get(k) ?? 'no point file'})`),
      );
    },
    async close() {
      /* nothing */
    },
  };
}

/** Refuses a directory holding files of another plan or version, or unreadable point files. */
function refuseMixed(st: PlanStatus): void {
  if (st.foreign.length > 0) {
    const shown = st.foreign
      .slice(0, 10)
      .map((f) => `  points/${f.file}: plan ${f.planHash.slice(0, 12)}, seqrate ${f.seqrateVersion}`);
    throw new MergeRefusedError(
      `mixed directory: ${st.foreign.length} point file(s) are not of plan ${st.plan.hash.slice(0, 12)} ` +
        `(seqrate ${st.plan.seqrateVersion}):\n${shown.join('\n')}${st.foreign.length > 10 ? '\n  …' : ''}\n` +
        'move them away and re-run their tasks',
    );
  }
  if (st.unreadable.length > 0)
    throw new MergeRefusedError(`unreadable point file(s): ${st.unreadable.map((f) => `points/${f}`).join(', ')}`);
}

/** The list of missing and failed points, one per line. */
function incompleteLines(st: PlanStatus): string[] {
  return [
    ...st.missing.map((p) => `  missing ${p.key}`),
    ...st.failed.map((f) => `  failed  ${f.point.key}: ${f.file.error}`),
  ];
}

/** Merges `dir` into the report folder `o.out`. */
export async function mergePlan(dir: string, o: MergeOptions): Promise<MergeOutcome> {
  const st = planStatus(dir);
  const plan = st.plan;
  checkPlanMatchesCode(plan, o.version, 'merge');
  refuseMixed(st);
  const incomplete = incompleteLines(st);
  if (incomplete.length > 0 && !o.allowPartial) {
    throw new MergeRefusedError(
      `${incomplete.length} of ${plan.points.length} points are not done; nothing written:\n` +
        `${incomplete.join('\n')}\n` +
        `run them (seqrate plan --status ${dir}) or pass --allow-partial for a report marked partial`,
    );
  }
  const file = await assembleResults(st, o);
  const files = reportFiles(file);
  const partial = incomplete.length > 0;
  if (partial) {
    const banner =
      '> **PARTIAL REPORT** — merged from an incomplete cluster run: ' +
      `${incomplete.length} of ${plan.points.length} points ` +
      'are missing, and the experiments they belong to are marked as errors.\n\n';
    files.set('report.md', banner + files.get('report.md')!);
    files.set('PARTIAL.txt', `Partial merge of plan ${plan.hash} (${dir}); not done:\n${incomplete.join('\n')}\n`);
  }
  const staged = stageOutput(o.out, { force: o.force });
  try {
    for (const [rel, content] of files) staged.write(rel, content);
    staged.commit();
  } catch (e) {
    staged.abort();
    throw e;
  }
  const { checks, passed, errors } = file.summary;
  return { target: staged.target, partial, missing: incomplete, checks, passed, errors };
}

/** The ResultsFile of the stored points, assembled as `seqrate reproduce` assembles it. */
async function assembleResults(st: PlanStatus, o: MergeOptions): Promise<ResultsFile> {
  const plan = st.plan;
  const jobs: Job[] = plan.experiments.map((x) => ({
    experiment: getExperiment(x.name),
    config: x.config,
    preset: plan.preset,
    points: plan.points.filter((p) => p.experiment === x.name).map((p) => ({ key: p.pointKey, params: p.params })),
  }));
  const results = (await runExperiments(jobs, { runner: replayRunner(st) })).map((r) => withClusterTiming(r, st));
  const run = {
    startedAt: st.done.map((d) => d.file.finishedAt).sort()[0] ?? new Date().toISOString(),
    totalSeconds: st.done.reduce((s, d) => s + d.file.seconds, 0),
    workers: plan.tasks.length,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: cpus().length,
    command: o.command,
  };
  return buildResultsFile({ preset: plan.preset, seed: plan.seed, version: o.version, experiments: results, run });
}

/** Replaces the replay's timing by the points' measured seconds on the cluster. */
function withClusterTiming(r: ExperimentResult, st: PlanStatus): ExperimentResult {
  const pts = st.done
    .filter((d) => d.point.experiment === r.name)
    .map((d) => ({ key: d.point.pointKey, seconds: d.file.seconds }));
  return { ...r, timing: { totalSeconds: pts.reduce((s, p) => s + p.seconds, 0), points: pts } };
}
