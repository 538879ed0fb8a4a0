/**
 * The benchmark harness of seqrate: interleaved peer comparisons over tinybench, and a writer
 * for named sections of bench/RESULTS.md.
 *
 * Why interleaved: this machine's speed drifts by tens of percent over seconds (two shared
 * cores, frequency scaling), so running contender A for 5 s and then B for 5 s measures the
 * drift as much as the code. `compare` runs short tinybench runs A B C, B C A, C A B, … for
 * several rounds, takes the ratio peer/seqrate *within* each round (adjacent in time), and
 * reports medians over rounds.
 *
 * ```ts
 * import { compare, writeSection, resultTable, isMain } from './harness.js';
 * const res = await compare({ title: 'Matmul', cases: [
 *   { name: '128²', flops: 2 * 128 ** 3, contenders: { seqrate: () => f(), 'ml-matrix': () => g() } },
 * ] });
 * writeSection('Matmul', resultTable(res));
 * ```
 *
 * Environment: BENCH_QUICK=1 (2 rounds × 40 ms), BENCH_CLOCK=wall (wall clock instead of
 * process CPU time), BENCH_FILTER=regex (only the cases whose name matches).
 *
 * Convention for bench modules (bench/matmul.ts, bench/decomp.ts, …): export
 * `async function main(): Promise<void>` and end with `if (isMain(import.meta.url)) await main();`
 * so that bench/run.ts can import them and each also runs alone.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { register } from 'node:module';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Bench } from 'tinybench';

/** A contender: a function doing one unit of work (sync or async), or null when unavailable. */
export type Contender = (() => unknown) | null;

/** One row of a comparison: the same work done by each contender. */
export interface BenchCase {
  readonly name: string;
  /** Floating-point operations per call; when given, GF/s are reported. */
  readonly flops?: number;
  readonly contenders: Readonly<Record<string, Contender>>;
  /** Called once the case is measured (e.g. to dispose tfjs tensors). */
  readonly dispose?: () => void;
}

/**
 * A case built only when its turn comes (and dropped after): its data, and the garbage the
 * peers' copies of it produce, do not sit in the heap while other cases are timed (a large
 * heap makes every major GC, and so every allocating contender, slower).
 */
export interface LazyCase {
  readonly name: string;
  readonly build: () => BenchCase | Promise<BenchCase>;
}

export interface CompareOptions {
  readonly title: string;
  readonly cases: readonly (BenchCase | LazyCase)[];
  /** Name of our contender; ratios are peer time / baseline time (speed-up). Default 'seqrate'. */
  readonly baseline?: string;
  /** Interleaved rounds per case (default 5, or 2 with BENCH_QUICK=1). */
  readonly rounds?: number;
  /** tinybench time budget per contender per round in ms (default 150, or 40 quick). */
  readonly timeMs?: number;
  /** Print progress lines to stdout (default true). */
  readonly verbose?: boolean;
  /**
   * 'cpu' (default): process CPU time (user + system, `process.cpuUsage`), so time the process
   * spends descheduled while other jobs use the shared cores is not counted; 'wall':
   * `performance.now`. Env BENCH_CLOCK=wall overrides the default.
   */
  readonly clock?: 'cpu' | 'wall';
}

export interface CaseResult {
  readonly name: string;
  readonly flops: number | undefined;
  /** Contender names in table order; unavailable ones have NaN entries. */
  readonly names: readonly string[];
  /** Median over rounds of the per-round median latency, in ms. */
  readonly medianMs: Readonly<Record<string, number>>;
  /** flops / median latency, in GF/s (NaN without flops). */
  readonly gflops: Readonly<Record<string, number>>;
  /** Median over rounds of (peer latency / baseline latency) within the same round. */
  readonly speedup: Readonly<Record<string, number>>;
}

export interface CompareResult {
  readonly title: string;
  readonly baseline: string;
  readonly rounds: number;
  readonly timeMs: number;
  readonly cases: readonly CaseResult[];
  readonly startedAt: string;
  readonly loadavg: readonly number[];
  readonly clock: 'cpu' | 'wall';
}

const quick = process.env.BENCH_QUICK === '1';

/** Median of a list (NaN when empty). */
export function median(xs: readonly number[]): number {
  const v = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const h = v.length >> 1;
  return v.length % 2 === 1 ? v[h]! : (v[h - 1]! + v[h]!) / 2;
}

/**
 * A full garbage collection, run before each contender's timing so that garbage left by the
 * previous contender (ml-matrix allocates arrays of arrays, tfjs typed arrays) is not collected,
 * and billed, while the next one runs. Uses V8's `gc` exposed at run time.
 */
const fullGc: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  const g = runInNewContext('gc') as unknown;
  return typeof g === 'function' ? (g as () => void) : () => undefined;
})();

/** Process CPU time in ms (all threads of this process, user + system). */
export function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** One short tinybench run of `fn`; returns the median latency in ms. */
async function timeOnce(
  name: string,
  fn: () => unknown,
  timeMs: number,
  warm: boolean,
  clock: 'cpu' | 'wall',
): Promise<number> {
  fullGc();
  const bench = new Bench({
    time: timeMs,
    iterations: 3,
    warmup: warm,
    warmupTime: Math.min(100, timeMs),
    warmupIterations: 2,
    throws: true,
    ...(clock === 'cpu' ? { now: cpuNow, subtractTimerOverhead: true } : {}),
  });
  bench.add(name, fn);
  await bench.run();
  const r = bench.getTask(name)?.result;
  if (r === undefined || r.state !== 'completed') throw new Error(`bench: task ${name} did not complete (${r?.state})`);
  return r.latency.p50;
}

/**
 * Runs every case's contenders interleaved (rotating the order each round) and returns medians,
 * GF/s and speed-ups of the baseline against each peer.
 */
export async function compare(opts: CompareOptions): Promise<CompareResult> {
  const baseline = opts.baseline ?? 'seqrate';
  const rounds = opts.rounds ?? (quick ? 2 : 5);
  const timeMs = opts.timeMs ?? (quick ? 40 : 150);
  const verbose = opts.verbose ?? true;
  const clock = process.env.BENCH_CLOCK === 'wall' ? 'wall' : (opts.clock ?? 'cpu');
  const startedAt = new Date().toISOString();
  const loadavg = os.loadavg();
  const cases: CaseResult[] = [];
  const filter = process.env.BENCH_FILTER !== undefined ? new RegExp(process.env.BENCH_FILTER) : null;
  for (const entry of opts.cases) {
    if (filter !== null && !filter.test(entry.name)) continue;
    const c = 'build' in entry ? await entry.build() : entry;
    const names = Object.keys(c.contenders);
    const live = names.filter((n) => c.contenders[n] !== null);
    const perRound: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
    const ratios: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
    for (let r = 0; r < rounds; r++) {
      const order = live.map((_, i) => live[(i + r) % live.length]!);
      const t: Record<string, number> = {};
      for (const n of order) t[n] = await timeOnce(n, c.contenders[n]!, timeMs, r === 0, clock);
      for (const n of live) {
        perRound[n]!.push(t[n]!);
        if (t[baseline] !== undefined) ratios[n]!.push(t[n]! / t[baseline]!);
      }
    }
    const medianMs: Record<string, number> = {},
      gflops: Record<string, number> = {},
      speedup: Record<string, number> = {};
    for (const n of names) {
      medianMs[n] = median(perRound[n]!);
      gflops[n] = c.flops === undefined ? NaN : c.flops / (medianMs[n] * 1e6);
      speedup[n] = median(ratios[n]!);
    }
    c.dispose?.();
    const res: CaseResult = { name: c.name, flops: c.flops, names, medianMs, gflops, speedup };
    cases.push(res);
    if (verbose) console.log(`[${opts.title}] ${c.name}: ${names.map((n) => `${n} ${fmtCell(res, n)}`).join(', ')}`);
  }
  return { title: opts.title, baseline, rounds, timeMs, cases, startedAt, loadavg, clock };
}

function fmtNum(x: number, digits = 2): string {
  if (Number.isNaN(x)) return 'n/a';
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  return x.toFixed(digits);
}

function fmtMs(ms: number): string {
  if (Number.isNaN(ms)) return 'n/a';
  if (ms < 0.01) return `${(ms * 1000).toFixed(2)} µs`;
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  return `${fmtNum(ms)} ms`;
}

function fmtCell(c: CaseResult, n: string): string {
  const ms = c.medianMs[n]!;
  if (Number.isNaN(ms)) return 'n/a';
  return c.flops === undefined ? fmtMs(ms) : `${fmtNum(c.gflops[n]!)} GF/s`;
}

export interface TableOptions {
  /** Extra text lines printed under the table (e.g. "tfjs-cpu runs in float32"). */
  readonly notes?: readonly string[];
  /** Per-contender column label (e.g. { 'tfjs-cpu': 'tfjs-cpu (f32)' }). */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * Markdown table of a comparison: one row per case, a column per contender (GF/s when flops are
 * known, else median latency), then one "×" column per peer: baseline speed-up against it
 * (peer time / baseline time, median of per-round ratios; > 1 means the baseline is faster).
 */
export function resultTable(res: CompareResult, opts: TableOptions = {}): string {
  const names: string[] = [];
  for (const c of res.cases) for (const n of c.names) if (!names.includes(n)) names.push(n);
  const peers = names.filter((n) => n !== res.baseline);
  const label = (n: string): string => opts.labels?.[n] ?? n;
  const head = ['case', ...names.map(label), ...peers.map((p) => `${res.baseline} vs ${label(p)}`)];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  for (const c of res.cases) {
    const cells = [c.name];
    for (const n of names) {
      const ms = c.medianMs[n];
      cells.push(
        ms === undefined || Number.isNaN(ms)
          ? 'n/a'
          : c.flops === undefined
            ? fmtMs(ms)
            : `${fmtNum(c.gflops[n]!)} GF/s (${fmtMs(ms)})`,
      );
    }
    for (const p of peers) {
      const s = c.speedup[p];
      cells.push(s === undefined || Number.isNaN(s) ? 'n/a' : `${fmtNum(s)}×`);
    }
    lines.push(`| ${cells.join(' | ')} |`);
  }
  const info =
    `Run ${res.startedAt}, load average ${res.loadavg.map((x) => x.toFixed(2)).join(' / ')} (1/5/15 min), ` +
    `${res.rounds} interleaved rounds × ${res.timeMs} ms per contender, timed by ` +
    (res.clock === 'cpu' ? 'process CPU time (time descheduled by other jobs is not counted)' : 'wall clock') +
    `; cells are medians over rounds, ratios are medians of per-round ratios.`;
  return [info, '', ...lines, ...(opts.notes ?? []).map((n) => `\n${n}`)].join('\n');
}

/** Machine description for the RESULTS.md header. */
export function machineInfo(): string {
  const cpus = os.cpus();
  const load = os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ');
  return [
    `- CPU: ${cpus[0]?.model ?? 'unknown'} × ${cpus.length} cores (${os.arch()}, ${os.platform()} ${os.release()})`,
    `- Node ${process.version}, V8 ${process.versions.v8}`,
    `- Last written: ${new Date().toISOString()}, load average ${load} (1/5/15 min) at write time`,
  ].join('\n');
}

/** Default location of the results file (bench/RESULTS.md in the repository). */
export function resultsPath(): string {
  // This file runs from .bench-build/bench/harness.js or bench/harness.ts: the repo is two up.
  const here = fileURLToPath(new URL('.', import.meta.url));
  const root = here.includes('.bench-build') ? new URL('../../', import.meta.url) : new URL('../', import.meta.url);
  return fileURLToPath(new URL('bench/RESULTS.md', root));
}

function sectionRe(name: string): RegExp {
  const n = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`<!-- section:${n}:begin -->[\\s\\S]*?<!-- section:${n}:end -->\\n?`);
}

/**
 * Replaces (or appends) the section `name` of RESULTS.md with `body`, keeping every other
 * section, and refreshes the Machine header. Sections are delimited by HTML comment markers.
 */
export function writeSection(name: string, body: string, path: string = resultsPath()): void {
  if (process.env.BENCH_FILTER !== undefined) {
    console.log(`BENCH_FILTER is set: section "${name}" of ${path} not written (partial run)`);
    return;
  }
  let text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  if (!text.includes('<!-- machine:begin -->')) {
    text =
      `# seqrate benchmark results\n\nWritten by \`npm run bench\` (bench/run.ts); each section by its own bench module.\n\n` +
      '<!-- machine:begin -->\n<!-- machine:end -->\n\n' +
      text.replace(/^# seqrate benchmark results\n+/, '');
  }
  text = text.replace(
    /<!-- machine:begin -->[\s\S]*?<!-- machine:end -->/,
    () => `<!-- machine:begin -->\n## Machine\n\n${machineInfo()}\n<!-- machine:end -->`,
  );
  const block = `<!-- section:${name}:begin -->\n## ${name}\n\n${body.trim()}\n<!-- section:${name}:end -->\n`;
  const re = sectionRe(name);
  text = re.test(text) ? text.replace(re, () => block) : `${text.trimEnd()}\n\n${block}`;
  writeFileSync(path, text);
  console.log(`wrote section "${name}" of ${path}`);
}

/** True when the module with this `import.meta.url` is the script node was started with. */
export function isMain(metaUrl: string): boolean {
  const arg = process.argv[1];
  return arg !== undefined && pathToFileURL(arg).href === metaUrl;
}

/** Minimal structural type of the tfjs-core namespace used by the peers. */
export type Tf = typeof import('@tensorflow/tfjs-core');

/**
 * The tfjs peer: `@tensorflow/tfjs-core` with the pure-JS CPU backend (float32 only).
 * Returns null (and logs why) if it cannot be loaded, so a bench still runs without it.
 */
export async function loadTfCpu(): Promise<Tf | null> {
  try {
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-cpu');
    await tf.setBackend('cpu');
    await tf.ready();
    return tf;
  } catch (e) {
    console.log(`tfjs-cpu unavailable: ${(e as Error).message}`);
    return null;
  }
}

let tfGrads: Promise<Tf | null> | null = null;

/**
 * tfjs-core CPU with its gradient registrations loaded, or null. tfjs-core's CommonJS build (what
 * Node loads) registers no gradients; its ESM `register_all_gradients.js` does but uses
 * extension-less relative imports, so a one-line resolve hook adds `.js`. Loaded once per process.
 */
export function loadTfWithGradients(): Promise<Tf | null> {
  tfGrads ??= (async () => {
    const hook =
      'export async function resolve(s, c, n) { try { return await n(s, c); } catch (e) {' +
      " if ((s.startsWith('./') || s.startsWith('../')) && !s.endsWith('.js')) return n(s + '.js', c); throw e; } }";
    register(`data:text/javascript,${encodeURIComponent(hook)}`);
    const tf = await loadTfCpu();
    if (tf === null) return null;
    try {
      await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
      return tf;
    } catch (e) {
      console.log(`tfjs gradients unavailable: ${(e as Error).message}`);
      return null;
    }
  })();
  return tfGrads;
}
