/**
 * vitest globalSetup:
 * - compiles dist/ once before the tests that spawn the compiled CLI (it never fails the whole
 *   run: if the build does not produce dist/cli.js, test/cli/dist.test.ts retries and reports);
 * - gives the run a private temporary folder (TMPDIR, inherited by the test workers and every
 *   process they spawn) and, at teardown, counts what the tests left in it: the suite fails when a
 *   test did not clean up its `seqrate-*` folders (the private folder is removed either way, so
 *   the system temp folder never accumulates them).
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDist } from './build-dist.js';

export default function setup(): () => void {
  try {
    ensureDist();
  } catch (e) {
    console.warn(`global-setup: ${(e as Error).message}; test/cli/dist.test.ts will retry and report`);
  }
  const previous = process.env.TMPDIR;
  const base = mkdtempSync(join(tmpdir(), 'seqrate-test-run-'));
  chmodSync(base, 0o1777); // like /tmp: tests may run child processes as another user
  process.env.TMPDIR = base;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    // the suite's own folders are named seqrate-*; what other tools (a browser, a compiler) leave
    // in TMPDIR is removed too but not counted
    const left = readdirSync(base).filter((n) => n.startsWith('seqrate-'));
    rmSync(base, { recursive: true, force: true });
    if (left.length > 0) {
      // a throw here is only logged by vitest; the exit code makes the run (and .ci/run) fail
      const names = left.slice(0, 10).join(', ');
      const n = left.length;
      console.error(`global teardown: FAIL: the tests left ${n} temporary folder(s) behind (removed now): ${names}`);
      process.exitCode = 1;
    }
  };
}
