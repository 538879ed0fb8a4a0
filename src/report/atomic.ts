/**
 * Atomic output folders: everything is written into a fresh temporary folder beside the target
 * and renamed into place at the very end, so that an interrupted run never leaves a half-written
 * report and never damages an existing one.
 *
 * Replacement with `force` (allowed only for an earlier seqrate report or an empty folder, see
 * output-guard.ts): rename the old folder away, rename the new one in, then delete the old one.
 * Between the two renames the target path is briefly absent, but at every instant either the
 * complete old or the complete new folder exists on disk. A process killed outright (SIGKILL,
 * power loss) leaves `.<name>.tmp-<pid>-<n>` (and, inside the two-rename window,
 * `.<name>.old-<pid>-<n>`) beside the target: the next run removes such folders of dead
 * processes, and moves a stranded old report back when the target is missing.
 */
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { SeqrateError } from '../linalg/errors.js';
import {
  checkReplaceable,
  checkStickyParent,
  fileInPath,
  io,
  isSeqrateReport,
  lstatOrNull,
  OutputExistsError,
  OutputIoError,
} from './output-guard.js';

export { OutputError, OutputExistsError, OutputIoError, OutputRefusedError, isSeqrateReport } from './output-guard.js';

/** A staging folder for an output that becomes `target` on commit. */
export interface StagedOutput {
  /** Absolute path of the final folder. */
  readonly target: string;
  /** Absolute path of the temporary folder being written. */
  readonly tmp: string;
  /** Writes a file (relative path, folders created) into the staging folder. */
  write(rel: string, content: string): void;
  /** Renames the staging folder into place (replacing the target when `force`). */
  commit(): void;
  /** Deletes the staging folder; the target is untouched. Safe to call twice. */
  abort(): void;
}

let counter = 0;

/** True when a process with this id exists (EPERM: it exists but belongs to someone else). */
function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary folders that dead processes left beside `abs` (`.<name>.tmp-<pid>-<n>`,
 * `.<name>.old-<pid>-<n>`); when `abs` is missing, a stranded old report (killed between the two
 * renames of a commit) is first moved back into place. Returns what was done, for a message.
 */
export function recoverStale(abs: string): string[] {
  const parent = dirname(abs),
    name = basename(abs);
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return [];
  }
  const re = new RegExp(`^\\.${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(tmp|old)-(\\d+)-\\d+$`);
  const stale = entries.flatMap((e) => {
    const m = re.exec(e);
    return m !== null && !alive(Number(m[2])) ? [{ path: join(parent, e), kind: m[1]! }] : [];
  });
  const done: string[] = [];
  const old = stale.find((s) => s.kind === 'old' && isSeqrateReport(s.path));
  if (old !== undefined && lstatOrNull(abs) === undefined) {
    renameSync(old.path, abs);
    done.push(`restored the report stranded at '${old.path}' by an interrupted run`);
  }
  for (const s of stale) {
    if (s === old && done.length > 0) continue;
    rmSync(s.path, { recursive: true, force: true });
    done.push(`removed '${s.path}' left by an interrupted run`);
  }
  return done;
}

/** Checks that `target` may be written (or replaced with `force`); throws an OutputError otherwise. */
function checkTarget(target: string, abs: string, force: boolean): void {
  const bad = fileInPath(abs);
  if (bad !== undefined) {
    throw new OutputIoError(target, `cannot create '${target}': '${bad}' is a file, not a folder`, 'ENOTDIR');
  }
  const st = io(target, `inspect '${target}'`, () => lstatOrNull(abs));
  if (st === undefined) return;
  checkReplaceable(target, abs, st);
  if (!force) throw new OutputExistsError(target);
  checkStickyParent(target, abs, st);
}

/**
 * Starts an atomic output: checks that `target` may be written (an OutputError otherwise, with
 * nothing touched), cleans what interrupted runs left, and creates `.<name>.tmp-<pid>-<n>` beside it.
 * `onNote` receives one line per recovery action.
 * @example const out = stageOutput('report', { force: true }); out.write('a.md', '#'); out.commit();
 */
export function stageOutput(target: string, opts: { force: boolean; onNote?: (line: string) => void }): StagedOutput {
  const abs = resolve(target);
  checkTarget(target, abs, opts.force);
  const parent = dirname(abs);
  io(target, `create the folder '${parent}'`, () => mkdirSync(parent, { recursive: true }));
  for (const n of io(target, `clean up beside '${target}'`, () => recoverStale(abs))) opts.onNote?.(n);
  checkTarget(target, abs, opts.force); // a restored report is a target like any other
  const tmp = join(parent, `.${basename(abs)}.tmp-${process.pid}-${counter++}`);
  io(target, `write in the folder '${parent}'`, () => mkdirSync(tmp));
  let done = false;
  const fail = (e: unknown): never => {
    done = true;
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  };
  return {
    target: abs,
    tmp,
    write(rel, content) {
      if (done) throw new SeqrateError('output', `write of '${rel}' after commit/abort`);
      const p = join(tmp, rel);
      try {
        io(target, `write '${rel}' into '${parent}'`, () => {
          mkdirSync(dirname(p), { recursive: true });
          writeFileSync(p, content);
        });
      } catch (e) {
        fail(e);
      }
    },
    commit() {
      if (done) throw new SeqrateError('output', 'commit after commit/abort');
      try {
        checkTarget(target, abs, opts.force);
      } catch (e) {
        fail(e);
      }
      if (lstatOrNull(abs) === undefined) {
        try {
          io(target, `move the new report into '${target}'`, () => renameSync(tmp, abs));
        } catch (e) {
          fail(e);
        }
        done = true;
        return;
      }
      const old = join(parent, `.${basename(abs)}.old-${process.pid}-${counter++}`);
      try {
        io(target, `move the old '${target}' aside`, () => renameSync(abs, old));
      } catch (e) {
        fail(e);
      }
      try {
        io(target, `move the new report into '${target}'`, () => renameSync(tmp, abs));
      } catch (e) {
        renameSync(old, abs);
        fail(e);
      }
      done = true;
      io(target, `delete the old report (now at '${old}')`, () => rmSync(old, { recursive: true, force: true }));
    },
    abort() {
      if (done) return;
      done = true;
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}
