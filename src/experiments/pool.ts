/**
 * A worker_threads pool for independent sweep points. Workers load the compiled worker script
 * next to this module (`dist/experiments/worker.js`, located through import.meta.url); when that
 * script is not available — e.g. when running from the TypeScript sources under vitest — the pool
 * degrades to in-process execution (`inlineRunner`), which gives identical results.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { SeqrateError, ValueError } from '../linalg/errors.js';
import type { Json } from '../report/schema.js';
import { inlineRunner } from './runner.js';
import type { AnyExperiment, Config, PointMeta, PointParams, PointRunner } from './types.js';

/**
 * The compiled worker script beside this module, or null when running from sources / missing.
 *
 * @example
 * ```ts
 * workerScript()?.pathname; // → '…/dist/experiments/worker.js' from the package; undefined from the .ts sources
 * ```
 */
export function workerScript(): URL | null {
  if (!import.meta.url.endsWith('.js')) return null;
  const url = new URL('./worker.js', import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : null;
}

/**
 * Default worker count: the cores available to this process.
 *
 * @example
 * ```ts
 * defaultWorkers(); // → os.availableParallelism(), e.g. 2 on a 2-core machine
 * ```
 */
export function defaultWorkers(): number {
  return availableParallelism();
}

/**
 * The worker count actually used: `requested` (default: the cores) capped at the number of
 * points and at the cores — more threads than either only cost memory (each worker holds its own
 * copy of the data) and time. `warning` says so when an explicit request was lowered.
 * @example capWorkers(1000, 6, 2) // { workers: 2, warning: '--workers 1000 capped at 2 (6 points, 2 cores)' }
 */
export function capWorkers(
  requested: number | undefined,
  points: number,
  cores = availableParallelism(),
): { workers: number; warning?: string } {
  if (requested !== undefined && (!Number.isSafeInteger(requested) || requested < 1)) {
    throw new ValueError('capWorkers', `workers must be a positive integer, got ${requested}`);
  }
  const want = requested ?? cores;
  const workers = Math.max(1, Math.min(want, points, cores));
  if (requested === undefined || workers >= requested) return { workers };
  return { workers, warning: `--workers ${requested} capped at ${workers} (${points} point(s), ${cores} core(s))` };
}

interface Task {
  id: number;
  name: string;
  config: Config;
  params: PointParams;
  meta: PointMeta | undefined;
  resolve: (v: Json) => void;
  reject: (e: Error) => void;
}
interface Reply {
  id: number;
  ok: boolean;
  result?: Json;
  cpuSeconds?: number;
  error?: string;
}

/**
 * A runner with `workers` threads (each runs one point at a time), or an in-process runner when
 * threads are unavailable or `inline` is set. Call `close()` to terminate the threads.
 *
 * @example
 * ```ts
 * const runner = createRunner({ workers: 2 });
 * runner.mode; // → 'threads' from the package ('inline' from the .ts sources, which have no worker script)
 * try {
 *   const cfg = noOrder.presets.tiny;
 *   const point = (variant: string) => ({ model: 'shift-register', variant, seed: 1 });
 *   const out = await Promise.all(['original', 'permuted'].map((v) => runner.run(noOrder, cfg, point(v))));
 *   out; // ≈ [{ testMse: 0 }, { testMse: 0.07989 }] (the permuted target is not causal: no RNN fits it exactly)
 * } finally {
 *   await runner.close();
 * }
 * ```
 */
export function createRunner(opts: { workers: number; inline?: boolean }): PointRunner {
  if (!Number.isSafeInteger(opts.workers) || opts.workers < 1)
    throw new ValueError('createRunner', `workers must be a positive integer, got ${opts.workers}`);
  const script = workerScript();
  if (opts.inline === true || script === null) return inlineRunner();
  return new ThreadPool(script, opts.workers);
}

/** The thread pool proper: a FIFO of tasks, idle workers pick the next one. */
class ThreadPool implements PointRunner {
  readonly mode = 'threads' as const;
  readonly size: number;
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Task>();
  private readonly queue: Task[] = [];
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly script: URL,
    size: number,
  ) {
    this.size = size;
  }

  run(e: AnyExperiment, config: Config, params: PointParams, meta?: PointMeta): Promise<Json> {
    if (this.closed) return Promise.reject(new SeqrateError('pool', 'run after close'));
    return new Promise<Json>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, name: e.name, config, params, meta, resolve, reject });
      this.pump();
    });
  }

  /** Hands queued tasks to idle (or newly spawned) workers. */
  private pump(): void {
    while (this.queue.length > 0) {
      let w = this.idle.pop();
      if (w === undefined && this.busy.size + this.idle.length < this.size) w = this.spawn();
      if (w === undefined) return;
      const t = this.queue.shift()!;
      this.busy.set(w, t);
      w.postMessage({ id: t.id, name: t.name, config: t.config, params: t.params });
    }
  }

  private spawn(): Worker {
    const w = new Worker(this.script);
    w.on('message', (m: Reply) => {
      const t = this.busy.get(w);
      if (t === undefined || t.id !== m.id) return;
      this.busy.delete(w);
      this.idle.push(w);
      if (m.ok && t.meta !== undefined && m.cpuSeconds !== undefined) t.meta.cpuSeconds = m.cpuSeconds;
      if (m.ok) t.resolve(m.result as Json);
      else t.reject(new SeqrateError('worker', m.error ?? 'unknown error'));
      this.pump();
    });
    w.on('error', (err) => this.lost(w, err));
    w.on('exit', (code) => {
      if (!this.closed) this.lost(w, new SeqrateError('worker', `exited with code ${code}`));
    });
    return w;
  }

  /** A worker died: fail its task, forget it, keep going with a fresh one if needed. */
  private lost(w: Worker, err: Error): void {
    const t = this.busy.get(w);
    this.busy.delete(w);
    const i = this.idle.indexOf(w);
    if (i >= 0) this.idle.splice(i, 1);
    t?.reject(err);
    if (!this.closed) this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.idle, ...this.busy.keys()];
    for (const t of this.busy.values()) t.reject(new SeqrateError('pool', 'closed while running'));
    for (const t of this.queue) t.reject(new SeqrateError('pool', 'closed before running'));
    this.queue.length = 0;
    this.busy.clear();
    this.idle.length = 0;
    await Promise.all(all.map((w) => w.terminate()));
  }
}
