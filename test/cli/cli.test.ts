/**
 * The seqrate CLI in-process (main(argv, io)): help, flag errors and exit codes, list, run of
 * single points, reproduce into a folder (atomic, --force).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, parseFlags, UsageError } from '../../src/cli.js';
import { validate } from '../../src/report/schema.js';

function io(): { out: string[]; err: string[]; io: Parameters<typeof main>[1] } {
  const out: string[] = [],
    err: string[] = [];
  return {
    out,
    err,
    io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s), isTTY: false } },
  };
}
const made: string[] = [];
/** A temporary folder removed after the test. */
function temp(): string {
  const d = mkdtempSync(join(tmpdir(), 'seqrate-cli-'));
  made.push(d);
  return d;
}
afterEach(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const b = io();
  const code = await main(argv, b.io);
  return { code, out: b.out.join(''), err: b.err.join('') };
}

describe('help and usage errors', () => {
  it('--help works everywhere with exit 0', async () => {
    for (const argv of [
      ['--help'],
      ['help'],
      ['reproduce', '--help'],
      ['run', '--help'],
      ['list', '--help'],
      ['run', 'synthetic-rate', '-h'],
    ]) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(0);
      expect(r.out).toMatch(/seqrate/);
    }
  });
  it.each([
    [['reproduce', '--bogus'], /unknown flag --bogus for 'seqrate reproduce'/],
    [['reproduce', '--seed', 'abc'], /flag --seed expects a non-negative integer, got 'abc'/],
    [['reproduce', '--seed=-1'], /flag --seed expects a non-negative integer, got '-1'/],
    [['reproduce', '--workers', '0'], /flag --workers expects a positive integer, got '0'/],
    [['reproduce', '--out'], /flag --out needs a value/],
    [['reproduce', '--force=yes'], /flag --force takes no value/],
    [['reproduce', '--quick', '--full'], /conflicting preset flags: --quick, --full/],
    [['reproduce', '--preset', 'huge'], /flag --preset expects one of tiny, quick, standard, full, got 'huge'/],
    [['reproduce', '--only', 'nope'], /flag --only: unknown experiment 'nope'/],
    [['reproduce', 'extra'], /unexpected argument 'extra'/],
    [['run'], /'seqrate run' needs an experiment name/],
    [['run', 'nope'], /unknown experiment 'nope'/],
    [['run', 'no-order', '--mh', '2'], /unknown flag --mh for 'seqrate run no-order'/],
    [
      ['run', 'synthetic-rate', '--tiny', '--mh', '99'],
      /no sweep point of 'synthetic-rate' \(preset tiny\) matches --mh 99/,
    ],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [
      ['run', 'synthetic-rate', '--tiny', '--mh', '1', '--out', 'x'],
      /flag --out cannot be combined with point filters/,
    ],
    [['list', '--json'], /unknown flag --json for 'seqrate list'/],
  ])('%j → exit 2 naming the problem', async (argv, msg) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(msg);
  });
  it('no arguments prints help to stderr with exit 2', async () => {
    const r = await cli();
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Usage:/);
  });
  it('parseFlags accepts --flag=value and --flag value, and throws UsageError', () => {
    expect(parseFlags(['--seed=3', '--out', 'x', 'pos'], { seed: 'uint', out: 'string' }, 't')).toEqual({
      flags: { seed: 3, out: 'x' },
      positionals: ['pos'],
    });
    expect(() => parseFlags(['--seed', '1.5'], { seed: 'uint' }, 't')).toThrow(UsageError);
  });
});

describe('list and run', () => {
  it('list names every experiment with presets and filters', async () => {
    const r = await cli('list');
    expect(r.code).toBe(0);
    for (const n of ['synthetic-rate', 'attention-rank', 'ordering-real', 'rnn-vs-transformer', 'no-order'])
      expect(r.out).toContain(n);
    expect(r.out).toContain('--mh');
  });
  it('run NAME --mh N --seed S --json runs only the matching sweep points', async () => {
    const r = await cli(
      'run',
      'synthetic-rate',
      '--tiny',
      '--mh',
      '2',
      '--seed',
      '3',
      '--alpha',
      '1',
      '--rank',
      '2',
      '--json',
      '--workers',
      '1',
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as {
      experiment: string;
      config: { seed: number };
      points: { key: string; params: Record<string, unknown>; result: Record<string, unknown> }[];
    };
    expect(j.experiment).toBe('synthetic-rate');
    expect(j.config.seed).toBe(3);
    expect(j.points.map((p) => p.key)).toEqual([
      'constructive alpha=1 rank=2 mh=2',
      'trained alpha=1 rank=2 mh=2 seed=3',
    ]);
    expect(j.points[1]!.result.trainMse).toBeTypeOf('number');
    expect(r.err).toMatch(/\[2\/2\]/);
  });
  it('run NAME --out DIR writes a one-experiment report', async () => {
    const d = temp();
    const r = await cli('run', 'rnn-vs-transformer', '--tiny', '--out', join(d, 'one'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^(PASS|FAIL) rnn-vs-transformer\/rnn-degrades-under-ordering/m);
    const res = JSON.parse(readFileSync(join(d, 'one', 'results.json'), 'utf8')) as { experiments: { name: string }[] };
    expect(validate(res)).toEqual([]);
    expect(res.experiments.map((e) => e.name)).toEqual(['rnn-vs-transformer']);
  });
  it('run NAME --json prints a schema-valid experiment result', async () => {
    const r = await cli('run', 'no-order', '--tiny', '--json');
    expect(r.code).toBe(0);
    const res = JSON.parse(r.out) as { name: string };
    expect(res.name).toBe('no-order');
    expect(r.err).toMatch(/in-process|worker/);
  });
});

describe('reproduce (in-process)', () => {
  it('writes report.md, results.json and figures atomically; refuses to overwrite without --force', async () => {
    const d = temp();
    const out = join(d, 'rep');
    const r = await cli('reproduce', '--tiny', '--out', out, '--only', 'no-order,rnn-vs-transformer', '--seed', '2');
    expect(r.code).toBe(0);
    const files = readdirSync(out).sort();
    expect(files).toEqual(['figures', 'report.md', 'results.json']);
    const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { seed: number; experiments: unknown[] };
    expect(validate(res)).toEqual([]);
    expect(res.seed).toBe(2);
    expect(res.experiments).toHaveLength(2);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/# seqrate reproduction report/);
    expect(readdirSync(join(out, 'figures'))).toEqual(['no-order.svg', 'rnn-vs-transformer.svg']);
    expect(readdirSync(d)).toEqual(['rep']);

    const again = await cli('reproduce', '--tiny', '--out', out, '--only', 'no-order');
    expect(again.code).toBe(3);
    expect(again.err).toMatch(/already exists; pass --force/);
    expect(readdirSync(out).sort()).toEqual(['figures', 'report.md', 'results.json']);

    writeFileSync(join(out, 'stale.txt'), 'x');
    const forced = await cli('reproduce', '--tiny', '--out', out, '--only', 'no-order', '--force');
    expect(forced.code).toBe(0);
    expect(existsSync(join(out, 'stale.txt'))).toBe(false);
    expect(readdirSync(d)).toEqual(['rep']);
  });
  it('creates missing parent folders', async () => {
    const d = temp();
    mkdirSync(join(d, 'a'));
    const r = await cli('reproduce', '--tiny', '--out', join(d, 'a', 'b', 'rep'), '--only', 'no-order');
    expect(r.code).toBe(0);
    expect(existsSync(join(d, 'a', 'b', 'rep', 'report.md'))).toBe(true);
  });
});
