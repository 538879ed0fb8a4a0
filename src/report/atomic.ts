/**
 * Atomic output folders: everything is written into a fresh temporary folder beside the target
 * and renamed into place at the very end, so that an interrupted run never leaves a half-written
 * report and never damages an existing one.
 *
 * Replacement with `force`: rename the old folder away, rename the new one in, then delete the
 * old one. Between the two renames the target path is briefly absent, but at every instant
 * either the complete old or the complete new folder exists on disk.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { SeqrateError } from '../linalg/errors.js';

/** The target exists and `force` was not given. */
export class OutputExistsError extends SeqrateError {
  readonly target: string;
  constructor(target: string) {
    super('output', `'${target}' already exists; pass --force to replace it`);
    this.name = 'OutputExistsError';
    this.target = target;
  }
}

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

/**
 * Starts an atomic output: checks that `target` may be written (throws OutputExistsError
 * otherwise) and creates `.<name>.tmp-<pid>-<n>` beside it.
 * @example const out = stageOutput('report', { force: true }); out.write('a.md', '#'); out.commit();
 */
export function stageOutput(target: string, opts: { force: boolean }): StagedOutput {
  const abs = resolve(target);
  if (existsSync(abs) && !opts.force) throw new OutputExistsError(target);
  const parent = dirname(abs);
  mkdirSync(parent, { recursive: true });
  const tmp = join(parent, `.${basename(abs)}.tmp-${process.pid}-${counter++}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  let done = false;
  return {
    target: abs,
    tmp,
    write(rel, content) {
      if (done) throw new SeqrateError('output', `write of '${rel}' after commit/abort`);
      const p = join(tmp, rel);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, content);
    },
    commit() {
      if (done) throw new SeqrateError('output', 'commit after commit/abort');
      if (existsSync(abs)) {
        if (!opts.force) throw new OutputExistsError(target);
        const old = join(parent, `.${basename(abs)}.old-${process.pid}-${counter++}`);
        renameSync(abs, old);
        renameSync(tmp, abs);
        done = true;
        rmSync(old, { recursive: true, force: true });
      } else {
        renameSync(tmp, abs);
        done = true;
      }
    },
    abort() {
      if (done) return;
      done = true;
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}
