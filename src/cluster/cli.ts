/**
 * The cluster commands of `seqrate` (dispatched from src/cli.ts):
 *
 *   seqrate plan --preset P [--only A,B] [--seed S] [--array-throttle N] [--task-seconds S] [--costs FILE] --out DIR
 *   seqrate plan --status DIR
 *   seqrate plan --task I [--resume] [--workers N] DIR      (what run-point.sh and job.sbatch call)
 *   seqrate merge DIR --out REPORT [--allow-partial] [--force]
 *
 * Exit codes: 0 success; 1 a point failed, the plan is incomplete (--status) or merge refused;
 * 2 bad usage. See docs/CLUSTER.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SeqrateError } from '../linalg/errors.js';
import { OutputExistsError } from '../report/atomic.js';
import { PRESETS, type PresetName } from '../experiments/types.js';
import { readMeasuredSeconds } from './costs.js';
import { mergePlan } from './merge.js';
import { buildPlan } from './plan.js';
import { writePlanDir } from './scripts.js';
import { formatStatus, planStatus } from './status.js';
import { runTask } from './task.js';

/** Output streams (as in src/cli.ts). */
export interface ClusterIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

/** The commands handled here. */
export const CLUSTER_COMMANDS: readonly string[] = ['plan', 'merge'];

class ClusterUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterUsageError';
  }
}

const HELP = {
  plan: `seqrate plan — split a preset into a Slurm job array (or GNU parallel jobs); see docs/CLUSTER.md

  seqrate plan --preset P --out DIR [--only A,B] [--seed S] [--array-throttle N] [--task-seconds S] [--costs FILE]
      writes DIR/plan.json, DIR/job.sbatch (sbatch DIR/job.sbatch) and DIR/run-point.sh
      --task-seconds S   group cheap points into array tasks of about S expected CPU-s
                         (default 600; 0: one point per task)
      --costs FILE       a results.json of an earlier run of preset P: per-point measured seconds
  seqrate plan --status DIR          done / missing / failed points (exit 1 unless complete)
  seqrate plan --task I [--resume] [--workers N] DIR
      runs array task I (what run-point.sh does); --resume skips points already done
`,
  merge: `seqrate merge DIR --out REPORT [--allow-partial] [--force]

  Assembles REPORT/report.md, results.json and figures from DIR/points/*.json exactly as
  seqrate reproduce would. Refuses a directory mixing plans or seqrate versions, and lists the
  missing points instead of writing (--allow-partial writes a report marked partial).
`,
};

/** Runs `seqrate plan|merge ARGS`; returns the exit code. */
export async function clusterMain(cmd: string, args: string[], io: ClusterIo): Promise<number> {
  try {
    if (cmd === 'plan') return await cmdPlan(args, io);
    if (cmd === 'merge') return await cmdMerge(args, io);
    throw new ClusterUsageError(`unknown cluster command '${cmd}'`);
  } catch (e) {
    if (e instanceof ClusterUsageError) {
      io.stderr.write(`seqrate: ${e.message}\n`);
      return 2;
    }
    if (e instanceof SeqrateError || e instanceof OutputExistsError) {
      io.stderr.write(`seqrate: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

type Spec = Record<string, { type: 'string' | 'boolean' }>;

function parse(
  args: string[],
  options: Spec,
  command: string,
): ReturnType<typeof parseArgs<{ options: Spec; allowPositionals: true }>> {
  try {
    return parseArgs({
      args,
      options: { ...options, help: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new ClusterUsageError(`${(e as Error).message} (see 'seqrate ${command} --help')`);
  }
}

function uint(name: string, raw: string | boolean | undefined, min = 0): number | undefined {
  if (raw === undefined) return undefined;
  const v = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(v) || v < min)
    throw new ClusterUsageError(`flag --${name} expects an integer ≥ ${min}, got '${String(raw)}'`);
  return v;
}

/** The package version (package.json two folders above src/cluster or dist/cluster). */
export function seqrateVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string })
      .version;
  } catch {
    return 'unknown';
  }
}

/** The compiled CLI that array tasks run: dist/cli.js beside this module (of this checkout when run from sources). */
export function cliPath(): string {
  const here = import.meta.url.endsWith('.ts')
    ? new URL('../../dist/cli.js', import.meta.url)
    : new URL('../cli.js', import.meta.url);
  return fileURLToPath(here);
}

const PLAN_FLAGS: Spec = {
  preset: { type: 'string' },
  only: { type: 'string' },
  seed: { type: 'string' },
  'array-throttle': { type: 'string' },
  'task-seconds': { type: 'string' },
  costs: { type: 'string' },
  out: { type: 'string' },
  status: { type: 'string' },
  task: { type: 'string' },
  resume: { type: 'boolean' },
  workers: { type: 'string' },
};

async function cmdPlan(args: string[], io: ClusterIo): Promise<number> {
  const { values: v, positionals } = parse(args, PLAN_FLAGS, 'plan');
  if (v.help === true) {
    io.stdout.write(HELP.plan);
    return 0;
  }
  if (typeof v.status === 'string') {
    if (positionals.length > 0 || Object.keys(v).length > 1)
      throw new ClusterUsageError('--status DIR takes no other flag or argument');
    const st = planStatus(v.status);
    io.stdout.write(formatStatus(st, v.status));
    return st.incompleteTasks.length === 0 && st.foreign.length === 0 && st.unreadable.length === 0 ? 0 : 1;
  }
  if (v.task !== undefined) return runTaskCmd(v, positionals, io);
  return createPlan(v, positionals, io);
}

async function runTaskCmd(v: Record<string, string | boolean | undefined>, positionals: string[], io: ClusterIo) {
  const index = uint('task', v.task)!;
  if (positionals.length !== 1)
    throw new ClusterUsageError('--task I needs exactly one plan directory: seqrate plan --task I DIR');
  const envCpus = uint('workers', process.env.SLURM_CPUS_PER_TASK, 1);
  const workers = uint('workers', v.workers, 1) ?? envCpus ?? 1;
  const log = (l: string): void => void io.stderr.write(`${l}\n`);
  const resume = v.resume === true;
  const r = await runTask(positionals[0]!, index, { resume, workers, version: seqrateVersion(), log });
  io.stderr.write(`seqrate: task ${index}: ${r.ran} ran, ${r.skipped} skipped, ${r.failed} failed\n`);
  return r.failed > 0 ? 1 : 0;
}

function createPlan(v: Record<string, string | boolean | undefined>, positionals: string[], io: ClusterIo): number {
  if (positionals.length > 0) throw new ClusterUsageError(`unexpected argument '${positionals[0]}' for 'seqrate plan'`);
  if (v.resume === true || v.workers !== undefined)
    throw new ClusterUsageError('--resume and --workers go with --task I DIR');
  if (typeof v.out !== 'string')
    throw new ClusterUsageError("'seqrate plan' needs --out DIR (or --status DIR / --task I DIR)");
  if (typeof v.preset !== 'string' || !(PRESETS as readonly string[]).includes(v.preset)) {
    throw new ClusterUsageError(`flag --preset expects one of ${PRESETS.join(', ')}, got '${String(v.preset ?? '')}'`);
  }
  const preset = v.preset as PresetName;
  const only = typeof v.only === 'string' ? v.only.split(',').map((s) => s.trim()) : undefined;
  if (only?.some((s) => s === ''))
    throw new ClusterUsageError(`flag --only expects a comma-separated list, got '${String(v.only)}'`);
  const throttle = uint('array-throttle', v['array-throttle'], 1);
  const plan = buildPlan({
    preset,
    seed: uint('seed', v.seed) ?? 1,
    ...(only !== undefined ? { only } : {}),
    taskSeconds: uint('task-seconds', v['task-seconds']) ?? 600,
    ...(throttle !== undefined ? { arrayThrottle: throttle } : {}),
    ...(typeof v.costs === 'string' ? { measured: readMeasuredSeconds(v.costs, preset) } : {}),
    version: seqrateVersion(),
    cli: cliPath(),
    node: process.execPath,
  });
  if (!existsSync(plan.cli))
    io.stderr.write(`seqrate: warning: ${plan.cli} does not exist yet (npm run build); run-point.sh needs it\n`);
  writePlanDir(plan, v.out);
  const cpu = plan.points.reduce((s, p) => s + p.expectedSeconds, 0);
  io.stdout.write(
    `seqrate: plan ${plan.hash.slice(0, 12)}: ${plan.points.length} points in ${plan.tasks.length} array tasks, ` +
      `≈ ${(cpu / 3600).toFixed(2)} CPU-h expected; ` +
      `per task --time ${plan.request.timeMinutes} min, --mem ${plan.request.memoryMB} MB\n` +
      `submit: sbatch ${v.out}/job.sbatch   ` +
      `or: parallel -j N ${v.out}/run-point.sh ::: $(seq 0 ${plan.tasks.length - 1})\n`,
  );
  return 0;
}

async function cmdMerge(args: string[], io: ClusterIo): Promise<number> {
  const { values: v, positionals } = parse(
    args,
    { out: { type: 'string' }, 'allow-partial': { type: 'boolean' }, force: { type: 'boolean' } },
    'merge',
  );
  if (v.help === true) {
    io.stdout.write(HELP.merge);
    return 0;
  }
  if (positionals.length !== 1)
    throw new ClusterUsageError("'seqrate merge' needs exactly one plan directory: seqrate merge DIR --out REPORT");
  if (typeof v.out !== 'string') throw new ClusterUsageError("'seqrate merge' needs --out REPORT");
  const r = await mergePlan(positionals[0]!, {
    out: v.out,
    allowPartial: v['allow-partial'] === true,
    force: v.force === true,
    version: seqrateVersion(),
    command: ['seqrate', 'merge', ...args].join(' '),
  });
  io.stderr.write(
    `seqrate: wrote ${r.target}${r.partial ? ` (PARTIAL: ${r.missing.length} point(s) not done)` : ''} ` +
      `(${r.passed}/${r.checks} checks passed, ${r.errors} experiment error(s))\n`,
  );
  return 0;
}
