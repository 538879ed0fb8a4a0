/**
 * Point files: DIR/points/<file>.json (done) and DIR/points/<file>.failed.json (the point threw),
 * written atomically (a temporary file in the same folder, then rename), so a task killed at any
 * instant leaves either the complete file or none. Temporary names start with '.' and are ignored.
 *
 * Results are stored as JSON with non-finite numbers and −0 tagged (`{"$float":"NaN"}`), so that
 * a merged report assembles exactly the numbers an in-process run would.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Json } from '../report/schema.js';
import type { PointParams } from '../experiments/types.js';

/** A finished point (DIR/points/<file>.json). */
export interface PointFile {
  schema: 'seqrate-cluster-point';
  key: string;
  params: PointParams;
  result: Json;
  seconds: number;
  seqrateVersion: string;
  planHash: string;
  task: number;
  host: string;
  finishedAt: string;
  /** Peak resident memory of the task's process when the point finished (MB). */
  maxRssMB: number;
  slurm: { jobId: string; arrayTaskId: string } | null;
}

/** A point that threw (DIR/points/<file>.failed.json). */
export interface FailedFile {
  schema: 'seqrate-cluster-failure';
  key: string;
  params: PointParams;
  error: string;
  seqrateVersion: string;
  planHash: string;
  task: number;
  host: string;
  finishedAt: string;
}

/** Encodes a value as JSON, tagging NaN, ±Infinity and −0 so that {@link decodeJson} restores them. */
export function encodeJson(v: unknown, indent?: number): string {
  return JSON.stringify(
    v,
    (_k, x: unknown) => {
      if (typeof x !== 'number') return x;
      if (Number.isNaN(x)) return { $float: 'NaN' };
      if (x === Infinity) return { $float: 'Infinity' };
      if (x === -Infinity) return { $float: '-Infinity' };
      if (Object.is(x, -0)) return { $float: '-0' };
      return x;
    },
    indent,
  );
}

const TAGGED: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };

/** Inverse of {@link encodeJson}. */
export function decodeJson(text: string): unknown {
  return JSON.parse(text, (_k, x: unknown) => {
    if (x !== null && typeof x === 'object' && !Array.isArray(x)) {
      const keys = Object.keys(x);
      const tag = (x as { $float?: unknown }).$float;
      if (keys.length === 1 && typeof tag === 'string' && tag in TAGGED) return TAGGED[tag];
    }
    return x;
  });
}

let counter = 0;

/** Writes `content` to `dir/name` atomically (temp file `.name.tmp-<pid>-<n>` + rename). */
export function writeAtomic(dir: string, name: string, content: string): void {
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${name}.tmp-${process.pid}-${counter++}`);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, join(dir, name));
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** The points folder of a plan directory. */
export const pointsDir = (dir: string): string => join(dir, 'points');

/** What the points folder holds, by file name (without extension). */
export interface PointsScan {
  done: Map<string, PointFile>;
  failed: Map<string, FailedFile>;
  /** Files that do not parse (reported by --status and merge, never silently used). */
  unreadable: string[];
  /** Leftover temporary files of killed writers (harmless; listed by --status). */
  temporary: string[];
}

/** Reads every point file of `dir`. */
export function scanPoints(dir: string): PointsScan {
  const scan: PointsScan = { done: new Map(), failed: new Map(), unreadable: [], temporary: [] };
  const pd = pointsDir(dir);
  if (!existsSync(pd)) return scan;
  for (const f of readdirSync(pd).sort()) {
    if (f.startsWith('.')) {
      scan.temporary.push(f);
      continue;
    }
    if (!f.endsWith('.json')) continue;
    let j: { schema?: unknown };
    try {
      j = decodeJson(readFileSync(join(pd, f), 'utf8')) as { schema?: unknown };
    } catch {
      scan.unreadable.push(f);
      continue;
    }
    if (f.endsWith('.failed.json') && j.schema === 'seqrate-cluster-failure')
      scan.failed.set(f.slice(0, -'.failed.json'.length), j as FailedFile);
    else if (!f.endsWith('.failed.json') && j.schema === 'seqrate-cluster-point')
      scan.done.set(f.slice(0, -'.json'.length), j as PointFile);
    else scan.unreadable.push(f);
  }
  return scan;
}
