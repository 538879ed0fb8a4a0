/**
 * CLI behaviour of issue 11 ("CLI") and issue 14 item 4, in-process: --version, the valid values
 * when a point filter matches nothing, `run NAME --help`, a readable summary of single points, the
 * worker count capped at the points and the cores (with a warning), progress off a terminal (at
 * most one line per experiment plus one per ~10 %), and a whole tiny report without PAPER.md
 * citations or degenerate "x – x" ranges.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli.js';
import { capWorkers } from '../../src/experiments/pool.js';
import { EXPERIMENTS } from '../../src/experiments/registry.js';

describe('small commands', () => {
  it('--version prints the package version with exit 0', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const f of ['--version', '-V']) {
      const r = await cli(f);
      expect(r.code).toBe(0);
      expect(r.out).toBe(`seqrate ${pkg.version}\n`);
    }
  });
  it('a point filter matching nothing lists the valid values', async () => {
    const r = await cli('run', 'synthetic-rate', '--tiny', '--mh', '3');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no sweep point of 'synthetic-rate' \(preset tiny\) matches --mh 3; valid values: /);
    expect(r.err).toMatch(/valid values: --mh (\d+,)*1,2(,\d+)*; --alpha 0.55,1,2; --rank 2,inf/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });
  it("run NAME --help prints that experiment's title, presets and filters with their values", async () => {
    const e = EXPERIMENTS.find((x) => x.name === 'synthetic-rate')!;
    const r = await cli('run', 'synthetic-rate', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`seqrate run synthetic-rate — ${e.title}`);
    expect(r.out).toContain(e.expectedTime.full);
    expect(r.out).toMatch(/at --tiny: --mh (\d+,)*1,2(,\d+)* {2}--alpha 0.55,1,2 {2}--rank 2,inf/);
    expect(r.out).toMatch(/at --quick: --mh /);
    const n = await cli('run', 'no-order', '--help');
    expect(n.out).toContain(EXPERIMENTS.find((x) => x.name === 'no-order')!.title);
    expect(n.out).not.toContain(e.title);
    expect(n.out).toMatch(/at --tiny: --model rnn,transformer,shift-register/);
  });
  it('single points without --json print a readable summary, not JSON lines', async () => {
    const r = await cli('run', 'synthetic-rate', '--tiny', '--mh', '2', '--alpha', '1', '--rank', '2', '--seed', '3');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^synthetic-rate, preset tiny, seed 3: 2 point\(s\)\n/);
    expect(r.out).toMatch(/^trained alpha=1 rank=2 mh=2 seed=3 {2}\(\d+(\.\d)? s\)\n {2}.*trainMse = [\d.e-]+/m);
    expect(r.out).not.toMatch(/[{"]/);
  });
});

describe('--workers is capped at the points and the cores (issue 14 item 4)', () => {
  it('capWorkers: never above the request, the points or the cores; warns only when it lowers a request', () => {
    const request = fc.option(fc.integer({ min: 1, max: 5000 }), { nil: undefined });
    fc.assert(
      fc.property(request, fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 64 }), (req, points, cores) => {
        const { workers, warning } = capWorkers(req, points, cores);
        expect(workers).toBeGreaterThanOrEqual(1);
        expect(workers).toBeLessThanOrEqual(Math.max(1, Math.min(req ?? cores, points, cores)));
        expect(workers).toBe(Math.max(1, Math.min(req ?? cores, points, cores)));
        expect(warning !== undefined).toBe(req !== undefined && workers < req);
      }),
    );
    expect(() => capWorkers(0, 5, 2)).toThrow(/positive integer/);
  });
  it('reproduce --workers 1000 warns and runs with at most min(points, cores) workers', async () => {
    const d = mkdtempSync(join(tmpdir(), 'seqrate-cli-'));
    try {
      const r = await cli('reproduce', '--tiny', '--only', 'no-order', '--workers', '1000', '--out', join(d, 'r'));
      expect(r.code).toBe(0);
      const cap = Math.min(6, availableParallelism());
      const cores = availableParallelism();
      expect(r.err).toContain(`seqrate: warning: --workers 1000 capped at ${cap} (6 point(s), ${cores} core(s))`);
      const res = JSON.parse(readFileSync(join(d, 'r', 'results.json'), 'utf8')) as { run: { workers: number } };
      expect(res.run.workers).toBeLessThanOrEqual(cap);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});

describe('a whole tiny reproduction, off a terminal', () => {
  let d = '',
    err = '',
    md = '',
    code = -1;
  beforeAll(async () => {
    d = mkdtempSync(join(tmpdir(), 'seqrate-cli-'));
    const r = await cli('reproduce', '--tiny', '--out', join(d, 'rep'));
    ({ err, code } = r);
    md = readFileSync(join(d, 'rep', 'report.md'), 'utf8');
  }, 120_000);
  afterAll(() => rmSync(d, { recursive: true, force: true }));

  it('progress: at most one line per experiment plus one per ~10 % of the points', () => {
    expect(code).toBe(0);
    const lines = err.split('\n').filter((l) => /^\[\d+\/\d+\]/.test(l));
    const total = Number(/^\[\d+\/(\d+)\]/.exec(lines[0]!)![1]);
    expect(total).toBeGreaterThan(30);
    expect(lines.length).toBeLessThanOrEqual(EXPERIMENTS.length + 10);
    expect(lines.at(-1)).toMatch(new RegExp(`^\\[${total}/${total}\\]`));
    for (const e of EXPERIMENTS) expect(err).toContain(`${e.name} finished`);
  });
  it('the report cites the paper, not PAPER.md, and shows one value where a min–max is degenerate', () => {
    expect(md).not.toMatch(/PAPER\.md/);
    const ranges = [...md.matchAll(/\| (-?[\d.]+(?:e-?\d+)?) – (-?[\d.]+(?:e-?\d+)?) \|/g)];
    const degenerate = ranges.filter((m) => m[1] === m[2]);
    expect(degenerate.map((m) => m[0])).toEqual([]);
    // each experiment's CPU time (the thread clock of /proc on Linux), else its compute time, named as such
    expect(md).toMatch(process.platform === 'linux' ? /CPU time: / : /Compute time: /);
    expect(md).not.toMatch(/Wall time/);
  });
});
