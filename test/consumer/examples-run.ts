/**
 * Runs doc-comment examples as a user would: each example transpiled (ts.transpileModule) into a
 * module of its own whose `seqrate` / `seqrate/<subpath>` imports point at the built dist/, all of
 * them imported one after the other by ONE child `node` process (fast: dist/ is loaded once).
 * An example that throws or rejects is reported by its label with the error's first line and does
 * not stop the others; an example still pending after `perExampleMs` is reported as timed out; the
 * whole run is killed after `runMs` (a synchronous loop cannot be interrupted otherwise), and the
 * example it was in is named. The child's console is silenced; it reports on its stdout in JSON lines.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { ROOT } from '../helpers/build-dist.js';
import { CHECK_RUNTIME } from './examples-values.js';

export interface RunLimits {
  /** Time an example may stay pending (a hung promise) before it is reported and the next starts. */
  perExampleMs: number;
  /** Time the whole child process may take before it is killed. */
  runMs: number;
}

/** The child: imports each module in turn; `{i, start}` before, `{i, ms}` or `{i, error}` after. */
const RUNNER = `import { readFileSync, writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const files = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const limit = Number(process.argv[3]);
const say = (o) => writeSync(1, JSON.stringify(o) + '\\n');
for (const k of ['log', 'info', 'warn', 'error', 'debug', 'table', 'dir']) console[k] = () => {};
${CHECK_RUNTIME}
const first = (e) => (e instanceof Error ? e.name + ': ' + e.message : 'threw ' + String(e)).split('\\n')[0];
let current = -1;
process.on('unhandledRejection', (e) => say({ i: current, error: 'unhandled rejection: ' + first(e) }));
for (const [i, { file, checks }] of files.entries()) {
  current = i;
  globalThis.__reached = new Set();
  say({ i, start: true });
  const t0 = performance.now();
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out after ' + limit + ' ms')), limit);
  });
  try {
    await Promise.race([import(pathToFileURL(file).href), late]);
    const missed = checks.filter((line) => !globalThis.__reached.has(line));
    if (missed.length > 0) throw new Error('the value comment on line ' + missed.join(', ') + ' was never reached');
    say({ i, ms: performance.now() - t0 });
  } catch (e) {
    say({ i, error: e instanceof Error && e.message.startsWith('timed out after') ? e.message : first(e) });
  } finally {
    clearTimeout(timer);
  }
}
process.exit(0);
`;

/** The runtime dependencies of seqrate (a user has them installed, examples may import them). */
export const DEPENDENCIES: string[] = Object.keys(
  (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> })
    .dependencies,
).filter((d) => !d.startsWith('@types/'));

/**
 * `seqrate[/sub]` module specifiers replaced by the file URL of the built entry in dist/, and those
 * of seqrate's dependencies by their file in node_modules (the examples run outside the repository).
 */
function toDist(source: string): string {
  const require = createRequire(join(ROOT, 'package.json'));
  return source.replace(/(['"])(seqrate(?:\/[\w-]+)?|[@\w./-]+)\1/g, (m, q: string, spec: string) => {
    if (spec === 'seqrate' || spec.startsWith('seqrate/')) {
      return `${q}${pathToFileURL(join(ROOT, 'dist', spec.slice('seqrate/'.length), 'index.js')).href}${q}`;
    }
    return DEPENDENCIES.includes(spec) ? `${q}${pathToFileURL(require.resolve(spec)).href}${q}` : m;
  });
}

/** A labelled example source (TypeScript, with its imports) to run. */
export interface Job {
  label: string;
  source: string;
  /** Lines with value comments turned into `__check` calls (see ./examples-values.ts): each must be reached. */
  checks?: number[];
}

/**
 * Runs the jobs in one child process (cwd `dir`, where the modules are written): the errors as
 * `label: message` lines (in job order), and the time of each example that succeeded.
 */
export function runExamples(
  jobs: Job[],
  dir: string,
  limits: RunLimits,
): { errors: string[]; times: Map<string, number> } {
  const files = jobs.map((job, i) => {
    const file = join(dir, `run-${i}-${job.label}.mjs`);
    const js = ts.transpileModule(toDist(job.source), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2023 },
      fileName: `${job.label}.ts`,
    }).outputText;
    writeFileSync(file, js);
    return { file, checks: job.checks ?? [] };
  });
  writeFileSync(join(dir, 'runner.mjs'), RUNNER);
  writeFileSync(join(dir, 'runner-files.json'), JSON.stringify(files));
  const child = spawnSync(process.execPath, ['runner.mjs', 'runner-files.json', String(limits.perExampleMs)], {
    cwd: dir,
    encoding: 'utf8',
    timeout: limits.runMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  const started = new Set<number>();
  const errors = new Map<number, string>();
  const times = new Map<string, number>();
  for (const line of child.stdout.split('\n').filter((l) => l.startsWith('{'))) {
    const r = JSON.parse(line) as { i: number; start?: true; ms?: number; error?: string };
    if (r.start) started.add(r.i);
    else if (r.error !== undefined) errors.set(r.i, errors.get(r.i) ?? r.error);
    else if (r.ms !== undefined) times.set(jobs[r.i]!.label, r.ms);
  }
  for (const i of errors.keys()) times.delete(jobs[i]!.label);
  const killed = child.error !== undefined || child.signal !== null;
  if (!killed && child.status !== 0) {
    return { errors: [`runner exited with ${child.status}: ${child.stderr.slice(0, 2000)}`], times };
  }
  jobs.forEach((job, i) => {
    if (errors.has(i) || times.has(job.label)) return;
    if (started.has(i)) errors.set(i, `did not finish: the run was stopped after ${limits.runMs} ms`);
    else errors.set(i, `not run (the run was stopped before it)`);
  });
  const lines = [...errors.entries()].sort((a, b) => a[0] - b[0]).map(([i, e]) => `${jobs[i]!.label}: ${e}`);
  return { errors: lines, times };
}
