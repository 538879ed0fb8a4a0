/**
 * Builds dist/ once (tsc -p tsconfig.build.json) for the tests that spawn the compiled CLI or run
 * the worker_threads pool. Type errors elsewhere in the tree do not stop tsc from emitting, so the
 * build only fails when the files the CLI needs are missing afterwards.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Compiles the library into dist/ unless SEQRATE_DIST_BUILT says the global setup already did. */
export function ensureDist(): void {
  if (process.env.SEQRATE_DIST_BUILT === '1' && existsSync(join(ROOT, 'dist', 'cli.js'))) return;
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'pipe' });
  } catch {
    // tsc exits non-zero on type errors but still emits; checked below
  }
  for (const f of ['cli.js', 'experiments/worker.js']) {
    if (!existsSync(join(ROOT, 'dist', f))) throw new Error(`build of dist/ failed: dist/${f} is missing`);
  }
  process.env.SEQRATE_DIST_BUILT = '1';
}
