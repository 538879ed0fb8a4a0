#!/usr/bin/env node
/**
 * The `seqrate` command.
 *
 *   seqrate reproduce [--tiny|--quick|--full] [--out DIR] [--seed N] [--workers N] [--force] [--only A,B]
 *   seqrate run NAME [--tiny|--quick|--full] [--seed N] [--workers N] [--json] [--out DIR] [--force] [--mh N …]
 *   seqrate list
 *   seqrate --version
 *   seqrate [COMMAND] --help
 *
 * Exit codes (EXIT below; listed in `seqrate --help`): 0 success; 1 an experiment stopped with an
 * error (the report is still written) or an internal error; 2 bad usage; 3 output refused (exists
 * without --force, or not replaceable); 4 output could not be written (file-system error);
 * 129/130/143 on SIGHUP/SIGINT/SIGTERM (the output folder is left untouched, the temporary
 * folder removed). Subcommands are dispatched in one place: the COMMANDS table.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseFlags, UsageError, type Flags, type Kind } from './cli/args.js';
import { applySets } from './cli/set.js';
import { experimentHelp, filterFlag, pointSummary, validValuesText } from './cli/experiment-text.js';
import { clusterMain } from './cluster/cli.js';
import { EXPERIMENTS, getExperiment } from './experiments/registry.js';
import { filterPoints, firstReplicate, runExperiments, type Job } from './experiments/runner.js';
import { PRESETS, type AnyExperiment, type Config, type Point, type PresetName } from './experiments/types.js';
import { OutputError, OutputIoError, stageOutput } from './report/atomic.js';
import { EXIT, grouped, Interrupted, say, startRunner, withSession, type CliIo } from './cli/session.js';
import { buildResultsFile, reportFiles } from './report/index.js';
import type { ExperimentResult, Json } from './report/schema.js';

export { parseFlags, UsageError } from './cli/args.js';

export { EXIT, type CliIo } from './cli/session.js';

const COMMON: Record<string, Kind> = {
  tiny: 'bool',
  quick: 'bool',
  standard: 'bool',
  full: 'bool',
  preset: 'string',
  seed: 'uint',
  workers: 'posint',
  help: 'bool',
};
const SPECS: Record<string, Record<string, Kind>> = {
  reproduce: { ...COMMON, out: 'string', force: 'bool', only: 'list' },
  run: { ...COMMON, json: 'bool', out: 'string', force: 'bool', set: 'repeat', replicate: 'list' },
  list: { help: 'bool' },
};

const EXIT_TEXT = `Exit codes:
  0    success (checks may still fail: the report says which)
  1    an experiment stopped with an error (the report is still written), or an internal error
  2    bad usage (unknown flag, bad value; the message names the flag)
  3    output refused: DIR exists without --force, or is not replaceable (not an earlier seqrate
       report nor an empty folder, a file, the current folder or an ancestor, home, /)
  4    output could not be written (permission denied, read-only, a path component is a file…)
  129, 130, 143   stopped by SIGHUP, SIGINT (Ctrl-C), SIGTERM: DIR untouched, temporary folder removed
`;

const HELP: Record<string, string> = {
  main: `seqrate — executable approximation theory for Transformers and RNNs (Jiang & Li, NeurIPS 2024)

Usage:
  seqrate reproduce [--quick|--full|--tiny] [--out DIR] [--seed N] [--workers N] [--force]
  seqrate run NAME [flags]        run one experiment, or single sweep points (seqrate run NAME --help)
  seqrate list                    list the experiments and their presets
  seqrate plan --preset P --out DIR   plan a sweep for a cluster (Slurm job array; docs/CLUSTER.md)
  seqrate merge DIR --out REPORT  assemble a report from a planned sweep's point files
  seqrate COMMAND --help          help for a command
  seqrate --version               print the version

${EXIT_TEXT}`,
  reproduce: `seqrate reproduce — run every experiment and write a report folder

  --quick | --standard | --full | --tiny   preset (default --quick; --standard: ≤ 25 min on 2 cores, resolves what this machine can)
  --preset NAME               same, by name
  --out DIR                   output folder (default: report); written atomically
  --force                     replace DIR if it is an earlier seqrate report or an empty folder
                              (only at the very end, atomically); anything else is refused
  --seed N                    base seed (default 1); same seed ⇒ same results.json numbers
  --workers N                 worker threads for independent sweep points (default and maximum:
                              the cores, and at most the number of points)
  --only A,B                  run only these experiments

Writes DIR/report.md, DIR/results.json (schema: docs/RESULTS-SCHEMA.md) and DIR/figures/*.svg.
See docs/REPRODUCE.md. Time: QUICK_TIME.

${EXIT_TEXT}`,
  run: `seqrate run NAME — run one experiment (or some of its sweep points)

  --quick | --full | --tiny | --preset NAME   preset (default --quick)
  --seed N        base seed of the run (default 1); with a point filter and no --replicate it also
                  selects that base's first replicate (replicate N, or N + 200 for ordering-real's
                  standard preset)
  --replicate K,…  the replicate seeds to run, as listed by seqrate run NAME --help (with the base
                  seed of --seed: one point of a base-1 run is --replicate K alone)
  --workers N     worker threads (default and maximum: the cores, at most the number of points)
  --json          print JSON on stdout instead of a summary
  --out DIR       also write a report folder for this experiment (--force replaces an earlier report)
  --set PATH=VALUE  change one value of the preset's config (repeatable; VALUE is JSON, or a string;
                  null removes an optional key), checked like a preset (keys, kinds, counts, rates;
                  the models check the rest when they run): e.g. --set transformer.mh=32
                  --set fitTransformer.plateau=null; the config used is in the JSON and the report
  point filters   experiment-specific, e.g. --mh 4 or --mh 1,2,4 (see seqrate run NAME --help); when
                  given, only the matching sweep points run and their results are printed
Example: seqrate run synthetic-rate --mh 4 --seed 1 --json
         seqrate run rnn-vs-transformer --standard --set transformer.mh=32 --model transformer --json

${EXIT_TEXT}`,
  list: `seqrate list — list experiments, presets, expected times and point filters\n`,
};

/**
 * The one measured time of the quick preset, with its conditions; README and docs/REPRODUCE.md
 * quote it verbatim (test/cli/docs.test.ts). Measured 2026-11-30 with `/usr/bin/time npm run reproduce`
 * (wall time of the run from the report's header; CPU and the second wall time include the build).
 */
export const QUICK_TIME =
  'quick: 1 min 50 s and 2 min 16 s wall time measured on 2 cores in two runs with no other jobs ' +
  '(load average 1.6 at the start of the second), using 224 s and 275 s of CPU (user + sys, build included); ' +
  'npm run reproduce took 1 min 56 s and 2 min 23 s with its build';

/** The preset selected by --tiny/--quick/--full/--preset (default quick). */
function presetOf(flags: Flags): PresetName {
  const chosen = (['tiny', 'quick', 'standard', 'full'] as const).filter((p) => flags[p] === true);
  if (typeof flags.preset === 'string') {
    if (!(PRESETS as readonly string[]).includes(flags.preset)) {
      throw new UsageError(`flag --preset expects one of ${PRESETS.join(', ')}, got '${flags.preset}'`);
    }
    chosen.push(flags.preset as PresetName);
  }
  const uniq = [...new Set(chosen)];
  if (uniq.length > 1) throw new UsageError(`conflicting preset flags: --${uniq.join(', --')}`);
  return uniq[0] ?? 'quick';
}

/** The package version (package.json one folder above src/ or dist/). */
function version(): string {
  try {
    const pkg = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
    return (JSON.parse(pkg) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** A config for `e` at `preset` with base `seed`. */
function configOf(e: AnyExperiment, preset: PresetName, seed: number): Config {
  return { ...(e.presets[preset] as Config), seed };
}

/** What `execute` needs besides the jobs. */
interface ExecOptions {
  flags: Flags;
  io: CliIo;
  out?: string;
  preset: PresetName;
  seed: number;
  command: string;
}

/** Runs jobs with progress and signal handling; writes `out` atomically if set. */
async function execute(jobs: Job[], o: ExecOptions): Promise<{ results: ExperimentResult[]; code: number }> {
  return withSession(o.io, async (s) => {
    const onNote = (l: string): void => s.progress.log(`seqrate: ${l}`);
    if (o.out !== undefined) s.staged = stageOutput(o.out, { force: o.flags.force === true, onNote });
    const runner = startRunner(
      s,
      o.flags,
      jobs.reduce((n, j) => n + (j.points?.length ?? 0), 0),
    );
    const t0 = performance.now();
    const how = runner.mode === 'threads' ? `${runner.size} worker thread(s)` : 'in-process';
    s.progress.log(`seqrate: ${jobs.length} experiment(s), preset ${o.preset}, seed ${o.seed}, ${how}`);
    const withGroup = grouped(jobs);
    const results = await runExperiments(jobs, { runner, onProgress: (p) => s.progress.update(withGroup(p)) });
    if (s.interrupted !== undefined) throw new Interrupted(s.interrupted);
    s.progress.finish();
    const code = results.some((r) => r.error !== undefined) ? EXIT.experimentError : EXIT.ok;
    if (s.staged !== undefined) {
      const seconds = (performance.now() - t0) / 1000;
      const run = {
        startedAt: new Date(Date.now() - 1000 * seconds).toISOString(),
        totalSeconds: seconds,
        workers: runner.size,
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
        cpus: cpus().length,
        command: o.command,
      };
      const file = buildResultsFile({ preset: o.preset, seed: o.seed, version: version(), experiments: results, run });
      for (const [rel, content] of reportFiles(file)) s.staged.write(rel, content);
      s.staged.commit();
      const { passed, checks, errors } = file.summary;
      say(o.io, `seqrate: wrote ${s.staged.target} (${passed}/${checks} checks passed, ${errors} experiment error(s))`);
    }
    return { results, code };
  });
}

async function cmdReproduce(args: string[], io: CliIo): Promise<number> {
  const { flags, positionals } = parseFlags(args, SPECS.reproduce!, 'reproduce');
  if (flags.help === true) {
    io.stdout.write(HELP.reproduce!.replace('QUICK_TIME', QUICK_TIME));
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}' for 'seqrate reproduce'`);
  const preset = presetOf(flags);
  const seed = typeof flags.seed === 'number' ? flags.seed : 1;
  const only = Array.isArray(flags.only) ? flags.only : undefined;
  for (const n of only ?? []) {
    if (EXPERIMENTS.some((e) => e.name === n)) continue;
    throw new UsageError(`flag --only: unknown experiment '${n}' (known: ${KNOWN})`);
  }
  const chosen = EXPERIMENTS.filter((e) => only === undefined || only.includes(e.name));
  const jobs = chosen.map((e) => {
    const config = configOf(e, preset, seed);
    return { experiment: e, config, preset, points: e.plan(config) };
  });
  const out = typeof flags.out === 'string' ? flags.out : 'report';
  const command = ['seqrate', 'reproduce', ...args].join(' ');
  const { code } = await execute(jobs, { flags, io, out, preset, seed, command });
  return code;
}

/** The experiment names, for messages. */
const KNOWN = EXPERIMENTS.map((e) => e.name).join(', ');

/** Every point filter of every experiment, so that the experiment name may come after its flags. */
const ALL_FILTERS = [...new Set(EXPERIMENTS.flatMap((e) => e.pointFilters))];

async function cmdRun(args: string[], io: CliIo): Promise<number> {
  const spec: Record<string, Kind> = { ...SPECS.run! };
  for (const f of ALL_FILTERS) spec[f] ??= 'list';
  const { flags, positionals } = parseFlags(args, spec, 'run');
  const name = positionals[0];
  const known = KNOWN;
  const e = name !== undefined && EXPERIMENTS.some((x) => x.name === name) ? getExperiment(name) : undefined;
  const sets = Array.isArray(flags.set) ? flags.set : [];
  const conf = (p: PresetName): Config => {
    const c = configOf(e!, p, typeof flags.seed === 'number' ? flags.seed : 1);
    return sets.length > 0 ? applySets(e!, c, sets) : c;
  };
  if (flags.help === true) {
    io.stdout.write(e !== undefined ? experimentHelp(e, conf, HELP.run!) : HELP.run!);
    return 0;
  }
  if (name === undefined) throw new UsageError(`'seqrate run' needs an experiment name (one of ${known})`);
  if (e === undefined) throw new UsageError(`unknown experiment '${name}' (known: ${known})`);
  if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}' for 'seqrate run'`);
  for (const f of ALL_FILTERS) {
    if (flags[f] === undefined || e.pointFilters.includes(f) || SPECS.run![f] !== undefined) continue;
    const its = e.pointFilters.map((x) => `--${filterFlag(x)}`).join(' ') || 'none';
    throw new UsageError(`unknown flag --${f} for 'seqrate run ${name}' (its filters: ${its})`);
  }
  const preset = presetOf(flags);
  const seed = typeof flags.seed === 'number' ? flags.seed : 1;
  const config = conf(preset);
  const filters: Record<string, string[]> = {};
  for (const f of e.pointFilters) if (f !== 'seed' && Array.isArray(flags[f])) filters[f] = flags[f];
  const replicates = Array.isArray(flags.replicate) ? flags.replicate : undefined;
  if (replicates !== undefined) {
    if (!e.pointFilters.includes('seed')) {
      throw new UsageError(`flag --replicate: '${name}' has no replicate seeds (it runs as a whole)`);
    }
    filters.seed = replicates;
  }
  const pointMode = Object.keys(filters).length > 0;
  const all = e.plan(config);
  // --seed N with a point filter (and no --replicate) selects the first replicate of base seed N
  if (pointMode && replicates === undefined && e.pointFilters.includes('seed') && typeof flags.seed === 'number') {
    filters.seed = [String(firstReplicate(all, seed))];
  }
  const points = pointMode ? filterPoints(all, filters) : all;
  if (points.length === 0) {
    const asked = Object.entries(filters)
      .map(([k, v]) =>
        k !== 'seed'
          ? `--${k} ${v.join(',')}`
          : replicates !== undefined
            ? `--replicate ${v.join(',')}`
            : `--seed ${seed} (its first replicate, ${v.join(',')})`,
      )
      .join(' ');
    const valid = validValuesText(e, config);
    throw new UsageError(`no sweep point of '${name}' (preset ${preset}) matches ${asked}; valid values: ${valid}`);
  }
  if (pointMode && typeof flags.out === 'string') {
    throw new UsageError(
      'flag --out cannot be combined with point filters ' +
        '(single points print their results; run the whole experiment to get a report)',
    );
  }
  if (pointMode) return runPoints(e, { config, preset }, points, flags, io);
  const out = typeof flags.out === 'string' ? flags.out : undefined;
  const command = ['seqrate', 'run', ...args].join(' ');
  const jobs = [{ experiment: e, config, preset, points }];
  const opts = { flags, io, ...(out !== undefined ? { out } : {}), preset, seed, command };
  const { results, code } = await execute(jobs, opts);
  const r = results[0]!;
  if (flags.json === true) io.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  else {
    for (const c of r.checks) {
      io.stdout.write(`${c.pass ? 'PASS' : 'FAIL'} ${r.name}/${c.id}: ${c.claim}\n  ${c.explanation}\n`);
    }
  }
  return code;
}

/** Runs selected points only and prints their results (JSON with --json, else a readable summary). */
async function runPoints(
  e: AnyExperiment,
  o: { config: Config; preset: PresetName },
  points: Point[],
  flags: Flags,
  io: CliIo,
): Promise<number> {
  const { config } = o;
  const outs = await withSession(io, async (s) => {
    const runner = startRunner(s, flags, points.length);
    const acc: { key: string; params: Json; result: Json; seconds: number }[] = [];
    let done = 0;
    await Promise.all(
      points.map(async (p) => {
        const t0 = performance.now();
        const result = await runner.run(e, config, p.params);
        acc.push({ key: p.key, params: p.params, result, seconds: (performance.now() - t0) / 1000 });
        s.progress.update({ done: ++done, total: points.length, label: `${e.name} ${p.key}` });
      }),
    );
    s.progress.finish();
    return acc;
  });
  const order = new Map(points.map((p, i) => [p.key, i]));
  outs.sort((a, b) => order.get(a.key)! - order.get(b.key)!);
  if (flags.json === true) {
    io.stdout.write(`${JSON.stringify({ experiment: e.name, config, points: outs }, null, 2)}\n`);
  } else {
    const sets = Array.isArray(flags.set) ? ` (changed: --set ${flags.set.join(' --set ')})` : '';
    io.stdout.write(`${e.name}, preset ${o.preset}${sets}, seed ${config.seed}: ${outs.length} point(s)\n`);
    for (const o of outs) io.stdout.write(pointSummary(o));
  }
  return EXIT.ok;
}

function cmdList(args: string[], io: CliIo): number {
  const { flags, positionals } = parseFlags(args, SPECS.list!, 'list');
  if (flags.help === true) {
    io.stdout.write(HELP.list!);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}' for 'seqrate list'`);
  for (const e of EXPERIMENTS) {
    io.stdout.write(`${e.name}  —  ${e.title} (${e.paperRef})\n  ${e.description}\n`);
    io.stdout.write(`  presets: ${PRESETS.map((p) => `${p} ≈ ${e.expectedTime[p]}`).join('; ')}\n`);
    io.stdout.write(`  point filters: ${e.pointFilters.map((f) => `--${filterFlag(f)}`).join(' ') || '(none)'}\n`);
  }
  return 0;
}

/** A subcommand: `args` are the arguments after its name. */
export type Command = (args: string[], io: CliIo) => Promise<number> | number;

/** The subcommands: the single place where a command name is dispatched (add new ones here). */
export const COMMANDS: Record<string, Command> = {
  reproduce: cmdReproduce,
  run: cmdRun,
  list: cmdList,
  plan: (args, io) => clusterMain('plan', args, io), // docs/CLUSTER.md
  merge: (args, io) => clusterMain('merge', args, io),
};

/** Maps an error to its exit code and one line on stderr (no stack trace unless SEQRATE_DEBUG=1). */
function report(e: unknown, io: CliIo): number {
  if (e instanceof Interrupted) return EXIT[e.signal];
  if (e instanceof UsageError) {
    say(io, `seqrate: ${e.message}`);
    return EXIT.usage;
  }
  if (e instanceof OutputIoError) {
    say(io, `seqrate: ${e.message}`);
    return EXIT.outputIo;
  }
  if (e instanceof OutputError) {
    say(io, `seqrate: ${e.message}`);
    return EXIT.outputRefused;
  }
  const err = e as Error;
  if (process.env.SEQRATE_DEBUG === '1') say(io, `seqrate: ${err.stack ?? String(e)}`);
  else say(io, `seqrate: internal error: ${err.message ?? String(e)} (SEQRATE_DEBUG=1 shows the stack trace)`);
  return EXIT.experimentError;
}

const PROCESS_IO: CliIo = { stdout: process.stdout, stderr: process.stderr };

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code.
 * @example await main(['list'], { stdout: process.stdout, stderr: process.stderr }) === 0
 */
export async function main(argv: readonly string[], io: CliIo = PROCESS_IO): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    if (cmd === undefined) {
      io.stderr.write(HELP.main!);
      return EXIT.usage;
    }
    if (cmd === '--help' || cmd === '-h' || cmd === 'help') {
      io.stdout.write(HELP.main!);
      return 0;
    }
    if (cmd === '--version' || cmd === '-V' || cmd === 'version') {
      io.stdout.write(`seqrate ${version()}\n`);
      return 0;
    }
    const command = Object.hasOwn(COMMANDS, cmd) ? COMMANDS[cmd] : undefined;
    if (command === undefined) {
      throw new UsageError(`unknown command '${cmd}' (commands: ${Object.keys(COMMANDS).join(', ')})`);
    }
    return await command(rest, io);
  } catch (e) {
    return report(e, io);
  }
}

/** True when this module is the process entry point (also through the npm bin symlink). */
function isEntryPoint(): boolean {
  try {
    const script = process.argv[1];
    return script !== undefined && realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // a closed pipe (`seqrate list | head`) is not an error
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    else throw e;
  });
  // a terminal that went away (SIGHUP) must not turn the clean-up into a crash
  process.stderr.on('error', () => {
    /* nowhere left to report to */
  });
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
