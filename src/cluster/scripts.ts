/**
 * The files of a plan directory: plan.json, job.sbatch (a Slurm job array, one array task per plan
 * task) and run-point.sh (runs one task; usable by GNU parallel or any other scheduler).
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SeqrateError } from '../linalg/errors.js';
import type { Plan } from './plan.js';

/** Quotes `s` for a POSIX shell. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `--time` in Slurm's `D-HH:MM:SS` form. */
export function slurmTime(minutes: number): string {
  const d = Math.floor(minutes / 1440),
    h = Math.floor((minutes % 1440) / 60),
    m = minutes % 60;
  const hms = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00`;
  return d > 0 ? `${d}-${hms}` : hms;
}

/** DIR/run-point.sh: `run-point.sh TASK [--resume]`. */
export function runPointScript(plan: Plan): string {
  return `#!/bin/sh
# seqrate cluster runner for plan ${plan.hash.slice(0, 12)} (preset ${plan.preset}, seed ${plan.seed}).
# Usage: run-point.sh TASK [--resume]     TASK = 0..${plan.tasks.length - 1}
#   parallel -j N ${'$'}DIR/run-point.sh {} --resume ::: $(seq 0 ${plan.tasks.length - 1})
# Runs the points of task TASK and writes DIR/points/<key>.json atomically. SEQRATE_CLI and
# SEQRATE_NODE override where seqrate's cli.js and node are (e.g. on other machines).
set -eu
DIR=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
[ $# -ge 1 ] || { echo "usage: $0 TASK [--resume]" >&2; exit 2; }
NODE=${'$'}{SEQRATE_NODE:-${shellQuote(plan.node)}}
CLI=${'$'}{SEQRATE_CLI:-${shellQuote(plan.cli)}}
exec "$NODE" "$CLI" plan --task "$@" "$DIR"
`;
}

/** DIR/job.sbatch: the Slurm job array (extra arguments of sbatch after the script reach run-point.sh). */
export function sbatchScript(plan: Plan, dir: string): string {
  const abs = resolve(dir);
  const r = plan.request;
  const last = plan.tasks.length - 1;
  const array = `0-${last}${r.arrayThrottle !== null ? `%${r.arrayThrottle}` : ''}`;
  const points = plan.points.length;
  return `#!/bin/bash
#SBATCH --job-name=seqrate-${plan.preset}
#SBATCH --array=${array}
#SBATCH --time=${slurmTime(r.timeMinutes)}
#SBATCH --mem=${r.memoryMB}M
#SBATCH --cpus-per-task=${r.cpusPerTask}
#SBATCH --ntasks=1
#SBATCH --output=${abs}/logs/%A_%a.out
#
# seqrate plan ${plan.hash.slice(0, 12)}: preset ${plan.preset}, seed ${plan.seed},
# ${points} points in ${plan.tasks.length} array tasks.
# Requests: ${r.note}.
# Submit: sbatch ${abs}/job.sbatch            resume: sbatch ${abs}/job.sbatch --resume
# (or only some tasks: sbatch --array=3,7 ${abs}/job.sbatch --resume; see seqrate plan --status)
exec ${shellQuote(join(abs, 'run-point.sh'))} "$SLURM_ARRAY_TASK_ID" "$@"
`;
}

/**
 * Writes plan.json, job.sbatch, run-point.sh and the empty points/ and logs/ folders into `dir`.
 * Refuses a non-empty `dir` (nothing outside it is touched; nothing in it is deleted).
 */
export function writePlanDir(plan: Plan, dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new SeqrateError('plan', `'${dir}' exists and is not empty; choose a new folder (nothing was written)`);
  }
  mkdirSync(join(dir, 'points'), { recursive: true });
  mkdirSync(join(dir, 'logs'), { recursive: true });
  writeFileSync(join(dir, 'run-point.sh'), runPointScript(plan));
  chmodSync(join(dir, 'run-point.sh'), 0o755);
  writeFileSync(join(dir, 'job.sbatch'), sbatchScript(plan, dir));
  writeFileSync(join(dir, 'plan.json'), `${JSON.stringify(plan, null, 1)}\n`);
}
