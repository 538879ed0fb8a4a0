#!/usr/bin/env node
/**
 * The `seqrate` command.
 *
 *   seqrate reproduce [--tiny|--quick|--full] [--out DIR] [--seed N] [--workers N] [--force] [--only A,B]
 *   seqrate run NAME [--tiny|--quick|--full] [--seed N] [--workers N] [--json] [--out DIR] [--force] [--mh N …]
 *   seqrate list
 *   seqrate [COMMAND] --help
 *
 * Exit codes: 0 success; 1 an experiment failed to run or the output folder exists without
 * --force; 2 bad usage (unknown flag, bad value — the message names the flag); 130/143 on
 * SIGINT/SIGTERM (the output folder is left untouched and the temporary folder removed).
 */
import { readFileSync, realpathSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createRunner, defaultWorkers } from './experiments/pool.js';
import { EXPERIMENTS, getExperiment } from './experiments/registry.js';
import { filterPoints, runExperiments, type Job } from './experiments/runner.js';
import { PRESETS, type AnyExperiment, type Config, type PointRunner, type PresetName } from './experiments/types.js';
import { OutputExistsError, stageOutput, type StagedOutput } from './report/atomic.js';
import { buildResultsFile, reportFiles } from './report/index.js';
import { createProgress, type ProgressSink } from './report/progress.js';
import type { ExperimentResult, Json } from './report/schema.js';

/** Bad usage: exit code 2, message names the flag. */
export class UsageError extends Error {
  constructor(message: string) { super(message); this.name = 'UsageError'; }
}

/** Output streams (process streams, or buffers in tests). */
export interface CliIo { stdout: { write(s: string): unknown }; stderr: ProgressSink }

type Kind = 'bool' | 'uint' | 'posint' | 'string' | 'list';
type Flags = Record<string, boolean | number | string | string[]>;

const COMMON: Record<string, Kind> = { tiny: 'bool', quick: 'bool', standard: 'bool', full: 'bool', preset: 'string', seed: 'uint', workers: 'posint', help: 'bool' };
const SPECS: Record<string, Record<string, Kind>> = {
  reproduce: { ...COMMON, out: 'string', force: 'bool', only: 'list' },
  run: { ...COMMON, json: 'bool', out: 'string', force: 'bool' },
  list: { help: 'bool' },
};

const HELP: Record<string, string> = {
  main: `seqrate — executable approximation theory for Transformers and RNNs (Jiang & Li, NeurIPS 2024)

Usage:
  seqrate reproduce [--quick|--full|--tiny] [--out DIR] [--seed N] [--workers N] [--force]
  seqrate run NAME [flags]        run one experiment, or single sweep points (seqrate run NAME --help)
  seqrate list                    list the experiments and their presets
  seqrate COMMAND --help          help for a command
`,
  reproduce: `seqrate reproduce — run every experiment and write a report folder

  --quick | --standard | --full | --tiny   preset (default --quick: all experiments in about 3 minutes on 2 cores;
                              --standard: about 25 minutes, resolves every claim this machine can)
  --preset NAME               same, by name
  --out DIR                   output folder (default: report); written atomically
  --force                     replace DIR if it exists (only at the very end, atomically)
  --seed N                    base seed (default 1); same seed ⇒ same results.json numbers
  --workers N                 worker threads for independent sweep points (default: cores)
  --only A,B                  run only these experiments

Writes DIR/report.md, DIR/results.json (schema: docs/RESULTS-SCHEMA.md) and DIR/figures/*.svg.
`,
  run: `seqrate run NAME — run one experiment (or some of its sweep points)

  --quick | --full | --tiny | --preset NAME   preset (default --quick)
  --seed N        base seed (default 1); with a point filter it also selects the replicate seed
  --workers N     worker threads (default: cores)
  --json          print JSON on stdout instead of a summary
  --out DIR       also write a report folder for this experiment (with --force to replace)
  point filters   experiment-specific, e.g. --mh 4 or --mh 1,2,4 (see seqrate list); when given,
                  only the matching sweep points run and their raw results are printed
Example: seqrate run synthetic-rate --mh 4 --seed 1 --json
`,
  list: `seqrate list — list experiments, presets, expected times and point filters\n`,
};

/** Parses `--flag`, `--flag value`, `--flag=value` against `spec` (plus `extra` list flags). */
export function parseFlags(args: readonly string[], spec: Record<string, Kind>, command: string): { flags: Flags; positionals: string[] } {
  const flags: Flags = {};
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-h') { flags.help = true; continue; }
    if (!a.startsWith('--')) { positionals.push(a); continue; }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    const kind = spec[name];
    if (kind === undefined) throw new UsageError(`unknown flag --${name} for 'seqrate ${command}' (see 'seqrate ${command} --help')`);
    if (kind === 'bool') {
      if (eq >= 0) throw new UsageError(`flag --${name} takes no value`);
      flags[name] = true;
      continue;
    }
    const raw = eq >= 0 ? a.slice(eq + 1) : args[++i];
    if (raw === undefined || (eq < 0 && raw.startsWith('--'))) throw new UsageError(`flag --${name} needs a value`);
    flags[name] = convert(name, kind, raw);
  }
  return { flags, positionals };
}

/** Converts and checks one flag value. */
function convert(name: string, kind: Kind, raw: string): number | string | string[] {
  if (kind === 'string') {
    if (raw === '') throw new UsageError(`flag --${name} needs a non-empty value`);
    return raw;
  }
  if (kind === 'list') {
    const parts = raw.split(',').map((s) => s.trim());
    if (parts.some((p) => p === '')) throw new UsageError(`flag --${name} expects a comma-separated list, got '${raw}'`);
    return parts;
  }
  const v = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(v) || (kind === 'posint' && v < 1)) {
    throw new UsageError(`flag --${name} expects a ${kind === 'posint' ? 'positive' : 'non-negative'} integer, got '${raw}'`);
  }
  return v;
}

/** The preset selected by --tiny/--quick/--full/--preset (default quick). */
function presetOf(flags: Flags): PresetName {
  const chosen = (['tiny', 'quick', 'standard', 'full'] as const).filter((p) => flags[p] === true);
  if (typeof flags.preset === 'string') {
    if (!(PRESETS as readonly string[]).includes(flags.preset)) throw new UsageError(`flag --preset expects one of ${PRESETS.join(', ')}, got '${flags.preset}'`);
    chosen.push(flags.preset as PresetName);
  }
  const uniq = [...new Set(chosen)];
  if (uniq.length > 1) throw new UsageError(`conflicting preset flags: --${uniq.join(', --')}`);
  return uniq[0] ?? 'quick';
}

/** The package version (package.json one folder above src/ or dist/). */
function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** A config for `e` at `preset` with base `seed`. */
function configOf(e: AnyExperiment, preset: PresetName, seed: number): Config {
  return { ...(e.presets[preset] as Config), seed };
}

/**
 * Installs SIGINT/SIGTERM handlers that close the pool, delete the staging folder and exit with
 * 128 + signal number. Returns the uninstaller.
 */
function onSignals(runner: PointRunner, staged: () => StagedOutput | undefined, io: CliIo): () => void {
  const handler = (sig: NodeJS.Signals): void => {
    staged()?.abort();
    io.stderr.write(`\nseqrate: interrupted by ${sig}; output folder left untouched\n`);
    void runner.close().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => { process.off('SIGINT', handler); process.off('SIGTERM', handler); };
}

/** Runs jobs on a fresh runner with progress and signal handling; writes `out` atomically if set. */
async function execute(jobs: Job[], o: { flags: Flags; io: CliIo; out?: string; preset: PresetName; seed: number; command: string }): Promise<{ results: ExperimentResult[]; code: number }> {
  let staged: StagedOutput | undefined;
  if (o.out !== undefined) staged = stageOutput(o.out, { force: o.flags.force === true });
  const workers = typeof o.flags.workers === 'number' ? o.flags.workers : defaultWorkers();
  const runner = createRunner({ workers });
  const off = onSignals(runner, () => staged, o.io);
  const progress = createProgress(o.io.stderr);
  const t0 = performance.now();
  try {
    progress.log(`seqrate: ${jobs.length} experiment(s), preset ${o.preset}, seed ${o.seed}, ${runner.mode === 'threads' ? `${runner.size} worker thread(s)` : 'in-process'}`);
    const results = await runExperiments(jobs, { runner, onProgress: (p) => progress.update(p) });
    progress.finish();
    const code = results.some((r) => r.error !== undefined) ? 1 : 0;
    if (staged !== undefined) {
      const run = { startedAt: new Date(Date.now() - (performance.now() - t0)).toISOString(), totalSeconds: (performance.now() - t0) / 1000, workers: runner.size, node: process.version, platform: `${process.platform}-${process.arch}`, cpus: cpus().length, command: o.command };
      const file = buildResultsFile({ preset: o.preset, seed: o.seed, version: version(), experiments: results, run });
      for (const [rel, content] of reportFiles(file)) staged.write(rel, content);
      staged.commit();
      o.io.stderr.write(`seqrate: wrote ${staged.target} (${file.summary.passed}/${file.summary.checks} checks passed, ${file.summary.errors} experiment error(s))\n`);
    }
    return { results, code };
  } catch (e) {
    staged?.abort();
    throw e;
  } finally {
    off();
    await runner.close();
  }
}

async function cmdReproduce(args: string[], io: CliIo): Promise<number> {
  const { flags, positionals } = parseFlags(args, SPECS.reproduce!, 'reproduce');
  if (flags.help === true) { io.stdout.write(HELP.reproduce!); return 0; }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}' for 'seqrate reproduce'`);
  const preset = presetOf(flags);
  const seed = typeof flags.seed === 'number' ? flags.seed : 1;
  const only = Array.isArray(flags.only) ? flags.only : undefined;
  for (const n of only ?? []) if (!EXPERIMENTS.some((e) => e.name === n)) throw new UsageError(`flag --only: unknown experiment '${n}' (known: ${EXPERIMENTS.map((e) => e.name).join(', ')})`);
  const chosen = EXPERIMENTS.filter((e) => only === undefined || only.includes(e.name));
  const jobs = chosen.map((e) => ({ experiment: e, config: configOf(e, preset, seed), preset }));
  const out = typeof flags.out === 'string' ? flags.out : 'report';
  const { code } = await execute(jobs, { flags, io, out, preset, seed, command: ['seqrate', 'reproduce', ...args].join(' ') });
  return code;
}

async function cmdRun(args: string[], io: CliIo): Promise<number> {
  const name = args.find((a) => !a.startsWith('-'));
  const e = name !== undefined && EXPERIMENTS.some((x) => x.name === name) ? getExperiment(name) : undefined;
  const spec: Record<string, Kind> = { ...SPECS.run! };
  for (const f of e?.pointFilters ?? []) spec[f] ??= 'list';
  const { flags, positionals } = parseFlags(args, spec, 'run');
  if (flags.help === true) { io.stdout.write(HELP.run!); return 0; }
  if (name === undefined) throw new UsageError(`'seqrate run' needs an experiment name (one of ${EXPERIMENTS.map((x) => x.name).join(', ')})`);
  if (e === undefined) throw new UsageError(`unknown experiment '${name}' (known: ${EXPERIMENTS.map((x) => x.name).join(', ')})`);
  if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}' for 'seqrate run'`);
  const preset = presetOf(flags);
  const seed = typeof flags.seed === 'number' ? flags.seed : 1;
  const config = configOf(e, preset, seed);
  const filters: Record<string, string[]> = {};
  for (const f of e.pointFilters) if (f !== 'seed' && Array.isArray(flags[f])) filters[f] = flags[f];
  const pointMode = Object.keys(filters).length > 0;
  if (pointMode && e.pointFilters.includes('seed') && typeof flags.seed === 'number') filters.seed = [String(seed)];
  const all = e.plan(config);
  const points = pointMode ? filterPoints(all, filters) : all;
  if (points.length === 0) throw new UsageError(`no sweep point of '${name}' (preset ${preset}) matches ${Object.entries(filters).map(([k, v]) => `--${k} ${v.join(',')}`).join(' ')}`);
  if (pointMode && typeof flags.out === 'string') throw new UsageError('flag --out cannot be combined with point filters (single points print raw JSON; run the whole experiment to get a report)');
  if (pointMode) return runPoints(e, config, points, flags, io);
  const out = typeof flags.out === 'string' ? flags.out : undefined;
  const { results, code } = await execute([{ experiment: e, config, preset }], { flags, io, ...(out !== undefined ? { out } : {}), preset, seed, command: ['seqrate', 'run', ...args].join(' ') });
  const r = results[0]!;
  if (flags.json === true) io.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  else for (const c of r.checks) io.stdout.write(`${c.pass ? 'PASS' : 'FAIL'} ${r.name}/${c.id}: ${c.claim}\n  ${c.explanation}\n`);
  return code;
}

/** Runs selected points only and prints their raw results (for batch schedulers). */
async function runPoints(e: AnyExperiment, config: Config, points: Job['points'] & object, flags: Flags, io: CliIo): Promise<number> {
  const runner = createRunner({ workers: typeof flags.workers === 'number' ? flags.workers : defaultWorkers() });
  const off = onSignals(runner, () => undefined, io);
  const progress = createProgress(io.stderr);
  try {
    const outs: { key: string; params: Json; result: Json; seconds: number }[] = [];
    let done = 0;
    await Promise.all(points.map(async (p) => {
      const t0 = performance.now();
      const result = await runner.run(e, config, p.params);
      outs.push({ key: p.key, params: p.params, result, seconds: (performance.now() - t0) / 1000 });
      progress.update({ done: ++done, total: points.length, label: `${e.name} ${p.key}` });
    }));
    progress.finish();
    const order = new Map(points.map((p, i) => [p.key, i]));
    outs.sort((a, b) => order.get(a.key)! - order.get(b.key)!);
    if (flags.json === true) io.stdout.write(`${JSON.stringify({ experiment: e.name, config, points: outs }, null, 2)}\n`);
    else for (const o of outs) io.stdout.write(`${o.key}: ${JSON.stringify(o.result)}\n`);
    return 0;
  } finally {
    off();
    await runner.close();
  }
}

function cmdList(args: string[], io: CliIo): number {
  const { flags, positionals } = parseFlags(args, SPECS.list!, 'list');
  if (flags.help === true) { io.stdout.write(HELP.list!); return 0; }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}' for 'seqrate list'`);
  for (const e of EXPERIMENTS) {
    io.stdout.write(`${e.name}  —  ${e.title} (${e.paperRef})\n  ${e.description}\n`);
    io.stdout.write(`  presets: ${PRESETS.map((p) => `${p} ≈ ${e.expectedTime[p]}`).join('; ')}\n`);
    io.stdout.write(`  point filters: ${e.pointFilters.map((f) => `--${f}`).join(' ') || '(none)'}\n`);
  }
  return 0;
}

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code.
 * @example await main(['list'], { stdout: process.stdout, stderr: process.stderr }) === 0
 */
export async function main(argv: readonly string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    if (cmd === undefined) { io.stderr.write(HELP.main!); return 2; }
    if (cmd === '--help' || cmd === '-h' || cmd === 'help') { io.stdout.write(HELP.main!); return 0; }
    if (cmd === 'reproduce') return await cmdReproduce(rest, io);
    if (cmd === 'run') return await cmdRun(rest, io);
    if (cmd === 'list') return cmdList(rest, io);
    throw new UsageError(`unknown command '${cmd}' (commands: reproduce, run, list)`);
  } catch (e) {
    if (e instanceof UsageError) { io.stderr.write(`seqrate: ${e.message}\n`); return 2; }
    if (e instanceof OutputExistsError) { io.stderr.write(`seqrate: ${e.message}\n`); return 1; }
    io.stderr.write(`seqrate: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}

/** True when this module is the process entry point (also through the npm bin symlink). */
function isEntryPoint(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // a closed pipe (`seqrate list | head`) is not an error
  process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); else throw e; });
  void main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
