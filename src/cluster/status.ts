/**
 * `seqrate plan --status DIR`: which points of the plan are done, missing or failed (with the
 * error), and which files in points/ do not belong to this plan (other hash or version).
 */
import { join } from 'node:path';
import { readPlan, type Plan, type PlanPoint } from './plan.js';
import { scanPoints, type FailedFile, type PointFile } from './points.js';

/** A point file that belongs to another plan or seqrate version. */
export interface Foreign {
  file: string;
  key: string;
  planHash: string;
  seqrateVersion: string;
}

/** The state of a plan directory. */
export interface PlanStatus {
  plan: Plan;
  done: { point: PlanPoint; file: PointFile }[];
  missing: PlanPoint[];
  failed: { point: PlanPoint; file: FailedFile }[];
  foreign: Foreign[];
  unreadable: string[];
  temporary: string[];
  /** Tasks with at least one missing or failed point. */
  incompleteTasks: number[];
}

/** Scans `dir` against its plan. */
export function planStatus(dir: string): PlanStatus {
  const plan = readPlan(dir);
  const scan = scanPoints(dir);
  const st: PlanStatus = {
    plan,
    done: [],
    missing: [],
    failed: [],
    foreign: [],
    unreadable: scan.unreadable,
    temporary: scan.temporary,
    incompleteTasks: [],
  };
  const byFile = new Map(plan.points.map((p) => [p.file, p]));
  const mine = (f: { planHash: string; seqrateVersion: string }): boolean =>
    f.planHash === plan.hash && f.seqrateVersion === plan.seqrateVersion;
  for (const [name, f] of scan.done) {
    const p = byFile.get(name);
    if (p === undefined || !mine(f) || f.key !== p.key)
      st.foreign.push({ file: `${name}.json`, key: f.key, planHash: f.planHash, seqrateVersion: f.seqrateVersion });
  }
  for (const p of plan.points) {
    const d = scan.done.get(p.file);
    if (d !== undefined && mine(d) && d.key === p.key) {
      st.done.push({ point: p, file: d });
      continue;
    }
    const f = scan.failed.get(p.file);
    if (f !== undefined && mine(f)) st.failed.push({ point: p, file: f });
    else st.missing.push(p);
  }
  const bad = new Set([...st.missing, ...st.failed.map((x) => x.point)].map((p) => p.index));
  st.incompleteTasks = plan.tasks.filter((t) => t.points.some((i) => bad.has(i))).map((t) => t.index);
  return st;
}

/** Human-readable status (the output of `seqrate plan --status`). */
export function formatStatus(st: PlanStatus, dir: string): string {
  const { plan } = st;
  const lines = [
    `plan ${plan.hash.slice(0, 12)} (seqrate ${plan.seqrateVersion}, preset ${plan.preset}, seed ${plan.seed}): ` +
      `${plan.points.length} points in ${plan.tasks.length} tasks`,
    `done ${st.done.length}, missing ${st.missing.length}, failed ${st.failed.length}`,
  ];
  const cpu = st.done.reduce((s, d) => s + d.file.seconds, 0);
  if (st.done.length > 0) {
    const rss = Math.max(...st.done.map((d) => d.file.maxRssMB));
    const expected = st.done.reduce((s, d) => s + d.point.expectedSeconds, 0);
    lines.push(
      `done points took ${cpu.toFixed(1)} s on one core each (expected ${expected.toFixed(1)} s); ` +
        `peak task memory ${rss} MB`,
    );
  }
  for (const f of st.failed)
    lines.push(`FAILED ${f.point.key} (task ${f.file.task} on ${f.file.host}): ${f.file.error}`);
  for (const p of st.missing) lines.push(`missing ${p.key} (task ${taskOf(plan, p.index)})`);
  for (const f of st.foreign)
    lines.push(
      `FOREIGN ${f.file}: plan ${f.planHash.slice(0, 12)}, seqrate ${f.seqrateVersion} (not this plan; merge refuses)`,
    );
  for (const f of st.unreadable) lines.push(`UNREADABLE points/${f}`);
  if (st.temporary.length > 0)
    lines.push(`${st.temporary.length} temporary file(s) of interrupted writers in points/ (ignored)`);
  if (st.incompleteTasks.length > 0) {
    const tasks = st.incompleteTasks.join(',');
    lines.push(
      `incomplete tasks: ${tasks}`,
      `resume: sbatch --array=${tasks} ${join(dir, 'job.sbatch')} --resume`,
      `    or: parallel ${join(dir, 'run-point.sh')} {} --resume ::: ${st.incompleteTasks.join(' ')}`,
    );
  } else {
    lines.push(`complete: seqrate merge ${dir} --out REPORT`);
  }
  return `${lines.join('\n')}\n`;
}

/** The task that runs point `index`. */
export function taskOf(plan: Plan, index: number): number {
  return plan.tasks.find((t) => t.points.includes(index))?.index ?? -1;
}
