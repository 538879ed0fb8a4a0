/**
 * One CLI run's session: the progress display, the staging folder and the worker pool, stopped
 * together by SIGHUP/SIGINT/SIGTERM (one line, exit 128 + n, no stack trace, the output folder
 * untouched); the worker count capped at the points and the cores.
 */
import type { Flags } from './args.js';
import { capWorkers, createRunner } from '../experiments/pool.js';
import type { Job } from '../experiments/runner.js';
import type { PointRunner, Progress } from '../experiments/types.js';
import type { StagedOutput } from '../report/atomic.js';
import { createProgress, type ProgressDisplay, type ProgressSink, type ProgressUpdate } from '../report/progress.js';

/** Output streams (process streams, or buffers in tests). */
export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: ProgressSink;
}

/** Exit codes, one per failure class. */
export const EXIT = {
  ok: 0,
  experimentError: 1,
  usage: 2,
  outputRefused: 3,
  outputIo: 4,
  SIGHUP: 129,
  SIGINT: 130,
  SIGTERM: 143,
} as const;
export type Sig = 'SIGHUP' | 'SIGINT' | 'SIGTERM';

/** The run was stopped by a signal; main returns its exit code and prints nothing more. */
export class Interrupted extends Error {
  constructor(readonly signal: Sig) {
    super(`interrupted by ${signal}`);
  }
}

/** What a signal handler must stop: the display, the staging folder, the worker pool. */
export interface Session {
  progress: ProgressDisplay;
  staged?: StagedOutput;
  runner?: PointRunner;
  interrupted?: Sig;
}

/** Writes one line, ignoring a stream that has gone away (the terminal closed on SIGHUP). */
export function say(io: CliIo, line: string): void {
  try {
    io.stderr.write(`${line}\n`);
  } catch {
    /* nowhere to say it */
  }
}

/**
 * Installs SIGHUP/SIGINT/SIGTERM handlers: stop the display, delete the staging folder, say one
 * line, close the pool and exit with 128 + signal number (a second signal exits at once).
 */
function onSignals(s: Session, io: CliIo): () => void {
  const handler = (sig: Sig): void => {
    if (s.interrupted !== undefined) process.exit(EXIT[s.interrupted]);
    s.interrupted = sig;
    s.progress.stop();
    s.staged?.abort();
    say(io, `seqrate: interrupted by ${sig}; ${s.staged !== undefined ? 'output folder left untouched' : 'stopped'}`);
    void (s.runner?.close() ?? Promise.resolve()).finally(() => process.exit(EXIT[sig]));
  };
  const sigs: Sig[] = ['SIGHUP', 'SIGINT', 'SIGTERM'];
  for (const g of sigs) process.on(g, handler);
  return () => {
    for (const g of sigs) process.off(g, handler);
  };
}

/** Runs `body` with signal handling, closing the pool and aborting the staging folder on the way out. */
export async function withSession<T>(io: CliIo, body: (s: Session) => Promise<T>): Promise<T> {
  const s: Session = { progress: createProgress(io.stderr) };
  const off = onSignals(s, io);
  try {
    const r = await body(s);
    if (s.interrupted !== undefined) throw new Interrupted(s.interrupted);
    return r;
  } catch (e) {
    s.staged?.abort();
    if (s.interrupted !== undefined) throw new Interrupted(s.interrupted);
    throw e;
  } finally {
    off();
    await s.runner?.close();
  }
}

/** A runner with the worker count capped at the points and the cores (warning when lowered). */
export function startRunner(s: Session, flags: Flags, points: number): PointRunner {
  const { workers, warning } = capWorkers(typeof flags.workers === 'number' ? flags.workers : undefined, points);
  if (warning !== undefined) s.progress.log(`seqrate: warning: ${warning}`);
  s.runner = createRunner({ workers });
  return s.runner;
}

/** Adds the experiment (group) and its point counts to a runner progress update. */
export function grouped(jobs: readonly Job[]): (p: Progress) => ProgressUpdate {
  const done = new Map<string, number>();
  return (p) => {
    const j = jobs.find((x) => p.label.startsWith(`${x.experiment.name} `));
    if (j === undefined) return p;
    const name = j.experiment.name,
      n = (done.get(name) ?? 0) + 1;
    done.set(name, n);
    return { ...p, group: name, groupDone: n, groupTotal: j.points?.length ?? 0 };
  };
}
