/**
 * What an output folder may replace, and one-line descriptions of file-system failures.
 *
 * `--force` replaces only an earlier seqrate report (a folder whose `results.json` carries the
 * schema name `seqrate-results`) or an empty folder. A regular file, a symbolic link, any other
 * folder, and — unless they are a report — the current folder, its ancestors, the home folder and
 * the file-system root are refused before anything is written.
 */
import {
  accessSync,
  constants,
  lstatSync,
  readdirSync,
  readFileSync,
  realpathSync,
  statSync,
  type Stats,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, parse, sep } from 'node:path';
import { SeqrateError } from '../linalg/errors.js';
import type { ResultsFile } from './schema.js';

/** The schema name every results.json carries (type-checked against schema.ts). */
export const RESULTS_SCHEMA_NAME: ResultsFile['schema'] = 'seqrate-results';

/** Base class of output-folder problems; `target` is the path as the user gave it. */
export class OutputError extends SeqrateError {
  readonly target: string;
  constructor(target: string, message: string) {
    super('output', message);
    this.name = 'OutputError';
    this.target = target;
  }
}

/** The target exists and `force` was not given. */
export class OutputExistsError extends OutputError {
  constructor(target: string) {
    super(target, `'${target}' already exists; pass --force to replace it`);
    this.name = 'OutputExistsError';
  }
}

/** The target may not be replaced (not a seqrate report, a file, a protected folder). Nothing was touched. */
export class OutputRefusedError extends OutputError {
  constructor(target: string, why: string) {
    super(target, `refusing to replace '${target}': ${why}; choose another --out`);
    this.name = 'OutputRefusedError';
  }
}

/** A file-system operation failed (permission, not a folder, disk full…); `code` is the errno code. */
export class OutputIoError extends OutputError {
  readonly code: string;
  constructor(target: string, message: string, code: string) {
    super(target, message);
    this.name = 'OutputIoError';
    this.code = code;
  }
}

const ERRNO_TEXT: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'a path component is not a folder',
  EEXIST: 'already exists',
  ENOENT: 'no such file or folder',
  EBUSY: 'busy (a mount point?)',
  ENAMETOOLONG: 'name too long',
  EISDIR: 'is a folder',
  ENOTEMPTY: 'folder not empty',
  EXDEV: 'on another file system',
  EIO: 'input/output error',
};

/** `permission denied (EACCES)` for an errno exception, the message otherwise. */
export function errnoText(e: unknown): { text: string; code: string } {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string') return { text: String((e as Error | undefined)?.message ?? e), code: 'EUNKNOWN' };
  return { text: `${ERRNO_TEXT[code] ?? 'failed'} (${code})`, code };
}

/** Wraps a failing fs call into an OutputIoError whose message says what was being done where. */
export function io<T>(target: string, what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof OutputError) throw e;
    const { text, code } = errnoText(e);
    throw new OutputIoError(target, `cannot ${what}: ${text}`, code);
  }
}

/** lstat, or undefined when the path does not exist. Other errors (ENOTDIR, EACCES) propagate. */
export function lstatOrNull(p: string): Stats | undefined {
  try {
    return lstatSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** True when `dir` holds a results.json with the seqrate schema name. */
export function isSeqrateReport(dir: string): boolean {
  try {
    const j = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { schema?: unknown };
    return j !== null && typeof j === 'object' && j.schema === RESULTS_SCHEMA_NAME;
  } catch {
    return false;
  }
}

/** Real path when it resolves, the path itself otherwise. */
function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/** Why `abs` is a protected location (cwd, an ancestor of it, home, root), or undefined. */
export function protectedReason(abs: string, cwd = process.cwd()): string | undefined {
  const p = real(abs),
    c = real(cwd);
  if (p === parse(p).root) return 'it is the root of the file system';
  if (p === c) return 'it is the current folder';
  if (c.startsWith(p.endsWith(sep) ? p : p + sep)) return 'it is an ancestor of the current folder';
  const home = homedir();
  if (home !== '' && p === real(home)) return 'it is your home folder';
  return undefined;
}

/** The first existing path component of `abs` that is not a folder, if any (for `--out file/sub`). */
export function fileInPath(abs: string): string | undefined {
  for (let p = dirname(abs); p !== dirname(p); p = dirname(p)) {
    const s = (() => {
      try {
        return statSync(p);
      } catch {
        return undefined;
      }
    })();
    if (s !== undefined) return s.isDirectory() ? undefined : p;
  }
  return undefined;
}

/**
 * Throws unless the existing `abs` may be replaced with `--force`: it must be a real folder,
 * empty or a seqrate report, outside the protected locations, and every folder inside it must be
 * writable by us (otherwise the old report could not be deleted after the new one is in place).
 */
export function checkReplaceable(target: string, abs: string, st: Stats): void {
  if (st.isSymbolicLink()) throw new OutputRefusedError(target, 'it is a symbolic link (give the folder itself)');
  if (!st.isDirectory()) throw new OutputRefusedError(target, 'it is not a folder');
  const entries = io(target, `read '${target}'`, () => readdirSync(abs));
  const report = entries.length > 0 && isSeqrateReport(abs);
  const prot = protectedReason(abs);
  if (prot !== undefined && !report) throw new OutputRefusedError(target, prot);
  if (entries.length > 0 && !report) {
    const why = `it is not a seqrate report (no results.json with schema '${RESULTS_SCHEMA_NAME}') and not empty`;
    throw new OutputRefusedError(target, why);
  }
  checkDeletable(target, abs);
}

/** Every folder of the tree under `dir` must be writable and searchable by this process. */
function checkDeletable(target: string, dir: string): void {
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (e) {
    const { text, code } = errnoText(e);
    const why = `cannot replace '${target}': its folder '${dir}' cannot be emptied by this user: ${text}`;
    throw new OutputIoError(target, why, code);
  }
  for (const e of io(target, `read '${dir}'`, () => readdirSync(dir, { withFileTypes: true }))) {
    if (e.isDirectory()) checkDeletable(target, join(dir, e.name));
  }
}

/**
 * In a sticky folder (like /tmp) only the owner may rename an entry: refuse early when `abs`
 * belongs to another user, instead of failing at the final rename after the whole run.
 */
export function checkStickyParent(target: string, abs: string, st: Stats): void {
  const uid = process.getuid?.();
  if (uid === undefined || uid === 0 || st.uid === uid) return;
  const parent = statSync(dirname(abs));
  if ((parent.mode & 0o1000) !== 0 && parent.uid !== uid) {
    const why = `cannot replace '${target}': it belongs to another user in a sticky folder`;
    throw new OutputIoError(target, why, 'EPERM');
  }
}
