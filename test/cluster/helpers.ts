/** Shared helpers of the cluster tests. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

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
