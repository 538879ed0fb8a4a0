/** Shared helpers of the cluster tests. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli.js';

/** Fresh temporary folders, all removed by `removeAll` (call it in afterAll: the global teardown counts leftovers). */
export function tempDirs(): { make: (prefix: string) => string; removeAll: () => void } {
  const made: string[] = [];
  return {
    make: (prefix) => {
      const d = mkdtempSync(join(tmpdir(), prefix));
      made.push(d);
      return d;
    },
    removeAll: () => {
      for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
    },
  };
}

/** Runs the CLI in-process; returns the exit code and the text written to stdout and stderr. */
export async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [],
    err: string[] = [];
  const code = await main(args, {
    stdout: { write: (t: string) => out.push(t) > 0 },
    stderr: { write: (t: string) => err.push(t) > 0 },
  });
  return { code, out: out.join(''), err: err.join('') };
}

/** results.json without the fields outside the determinism contract (`run`, each `timing`). */
export function numbersOf(file: string): unknown {
  const j = JSON.parse(readFileSync(file, 'utf8')) as { run: unknown; experiments: { timing: unknown }[] };
  return { ...j, run: null, experiments: j.experiments.map((e) => ({ ...e, timing: null })) };
}

/** Runs DIR/run-point.sh ARGS to completion. */
export function runPoint(dir: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(join(dir, 'run-point.sh'), args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
    });
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** Polls `cond` every 50 ms until true; throws after `ms`. */
export async function waitFor(cond: () => boolean, ms: number, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
