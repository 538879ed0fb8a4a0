/**
 * seqrate plan / run-point.sh / plan --status / merge without Slurm: run-point.sh is run directly
 * (as GNU parallel would), the merged results.json equals `seqrate reproduce` number for number, a
 * killed task leaves no partial point file and --resume completes it, merge refuses mixed
 * directories and lists missing points, failures are recorded with their error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fc, test as fcTest } from '@fast-check/vitest';
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDist } from '../helpers/build-dist.js';
import { readPlan, buildPlan, checkPlanMatchesCode, type Plan } from '../../src/cluster/plan.js';
import { decodeJson, encodeJson } from '../../src/cluster/points.js';
import { runTask } from '../../src/cluster/task.js';
import { seqrateVersion } from '../../src/cluster/cli.js';
import { EXPERIMENTS } from '../../src/experiments/registry.js';
import { inlineRunner } from '../../src/experiments/runner.js';
import { cli, numbersOf, runPoint, tempDirs, waitFor } from './helpers.js';

const temps = tempDirs();
const tempDir = temps.make;
afterAll(temps.removeAll);

beforeAll(() => ensureDist(), 120_000);

const ONLY = 'attention-rank,no-order';

describe('seqrate plan', () => {
  it('lists every point of every selected experiment: key, params, cost, hash of the computation', async () => {
    const d = tempDir('seqrate-plan-');
    expect(
      (await cli(['plan', '--preset', 'tiny', '--array-throttle', '3', '--task-seconds', '0', '--out', join(d, 'a')]))
        .code,
    ).toBe(0);
    const plan = readPlan(join(d, 'a'));
    const want = EXPERIMENTS.flatMap((e) => e.plan({ ...e.presets.tiny, seed: 1 }).map((p) => `${e.name}/${p.key}`));
    expect(plan.points.map((p) => p.key)).toEqual(want);
    expect(new Set(plan.points.map((p) => p.file)).size).toBe(plan.points.length);
    expect(plan.points.every((p) => p.expectedSeconds > 0)).toBe(true);
    expect(plan.tasks.length).toBe(plan.points.length); // --task-seconds 0: one point per task
    const sbatch = readFileSync(join(d, 'a', 'job.sbatch'), 'utf8');
    expect(sbatch).toContain(`#SBATCH --array=0-${plan.points.length - 1}%3\n`);
    expect(sbatch).toMatch(/#SBATCH --time=00:05:00\n/); // tiny: the 5-minute floor
    expect(sbatch).toContain(`#SBATCH --mem=${plan.request.memoryMB}M`);
    // same inputs → same hash whatever the grouping; another seed → another hash
    expect((await cli(['plan', '--preset', 'tiny', '--task-seconds', '5', '--out', join(d, 'b')])).code).toBe(0);
    expect((await cli(['plan', '--preset', 'tiny', '--seed', '2', '--out', join(d, 'c')])).code).toBe(0);
    expect(readPlan(join(d, 'b')).hash).toBe(plan.hash);
    expect(readPlan(join(d, 'b')).tasks.length).toBeLessThan(plan.tasks.length);
    expect(readPlan(join(d, 'c')).hash).not.toBe(plan.hash);
  });

  it('sizes --time from the longest task times the safety factor', () => {
    const base = { preset: 'full' as const, seed: 1, version: '0', cli: 'x', node: 'y' };
    const small = buildPlan({ ...base, only: ['attention-rank'], taskSeconds: 0 });
    const big = buildPlan({ ...base, only: ['attention-rank'], taskSeconds: 10_000 });
    const longest = (p: Plan): number => Math.max(...p.tasks.map((t) => t.expectedSeconds));
    for (const p of [small, big]) {
      expect(p.request.timeMinutes * 60).toBeGreaterThanOrEqual(3 * longest(p));
      expect(p.request.timeMinutes * 60).toBeLessThan(3 * longest(p) + 120 + 60);
    }
    expect(big.tasks.length).toBe(1);
    expect(big.request.timeMinutes).toBeGreaterThan(small.request.timeMinutes);
  });

  it('rejects bad usage with exit code 2 and leaves a non-empty folder alone', async () => {
    const d = tempDir('seqrate-plan-bad-');
    expect((await cli(['plan', '--help'])).out).toMatch(/seqrate plan --status DIR/);
    expect((await cli(['merge', '--out', join(d, 'r')])).code).toBe(2);
    expect((await cli(['plan', '--out', join(d, 'x')])).err).toMatch(
      /--preset expects one of tiny, quick, standard, full/,
    );
    expect((await cli(['plan', '--preset', 'tiny', '--bogus', '--out', join(d, 'x')])).code).toBe(2);
    expect((await cli(['plan', '--preset', 'huge', '--out', join(d, 'x')])).code).toBe(2);
    expect((await cli(['plan', '--preset', 'tiny', '--array-throttle', '0', '--out', join(d, 'x')])).code).toBe(2);
    const r = await cli(['plan', '--preset', 'tiny', '--only', 'nope', '--out', join(d, 'x')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/unknown experiment 'nope'/);
    writeFileSync(join(d, 'keep.txt'), 'mine');
    const r2 = await cli(['plan', '--preset', 'tiny', '--out', d]);
    expect(r2.code).toBe(1);
    expect(r2.err).toMatch(/not empty/);
    expect(readdirSync(d)).toEqual(['keep.txt']);
  });
});

describe('point files', () => {
  fcTest.prop([fc.array(fc.double(), { maxLength: 20 })])(
    'keep every float64 (NaN, ±Infinity, −0) through encode/decode',
    (xs) => {
      const back = decodeJson(encodeJson({ xs, nested: { x: xs[0] ?? 0 } })) as { xs: number[]; nested: { x: number } };
      expect(back.xs.length).toBe(xs.length);
      xs.forEach((x, i) => expect(Object.is(back.xs[i], x)).toBe(true));
      expect(Object.is(back.nested.x, xs[0] ?? 0)).toBe(true);
    },
  );

  it('plain JSON would lose them (the baseline the codec is needed against)', () => {
    const back = JSON.parse(JSON.stringify([NaN, -0, Infinity])) as unknown[];
    expect(back).toEqual([null, 0, null]);
  });
});

describe('run-point.sh, status and merge', () => {
  let d: string, dir: string, ref: string;
  beforeAll(async () => {
    d = tempDir('seqrate-cluster-');
    dir = join(d, 'plan');
    ref = join(d, 'ref');
    expect(
      (await cli(['plan', '--preset', 'tiny', '--only', ONLY, '--seed', '3', '--task-seconds', '1', '--out', dir]))
        .code,
    ).toBe(0);
    expect((await cli(['reproduce', '--tiny', '--only', ONLY, '--seed', '3', '--out', ref])).code).toBe(0);
  }, 120_000);

  it('runs every task with run-point.sh and merges to the numbers of seqrate reproduce', async () => {
    const plan = readPlan(dir);
    for (const t of plan.tasks) expect((await runPoint(dir, [String(t.index)])).code).toBe(0);
    const st = await cli(['plan', '--status', dir]);
    expect(st.code).toBe(0);
    expect(st.out).toContain(`done ${plan.points.length}, missing 0, failed 0`);
    const point = JSON.parse(readFileSync(join(dir, 'points', `${plan.points[0]!.file}.json`), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(point).toMatchObject({
      key: plan.points[0]!.key,
      params: plan.points[0]!.params,
      seqrateVersion: seqrateVersion(),
      planHash: plan.hash,
    });
    expect((await cli(['merge', dir, '--out', join(d, 'merged')])).code).toBe(0);
    expect(numbersOf(join(d, 'merged', 'results.json'))).toEqual(numbersOf(join(ref, 'results.json')));
    expect(readdirSync(join(d, 'merged', 'figures')).sort()).toEqual(readdirSync(join(ref, 'figures')).sort());
    // a baseline that must differ: another seed
    expect((await cli(['reproduce', '--tiny', '--only', ONLY, '--seed', '4', '--out', join(d, 'other')])).code).toBe(0);
    expect(numbersOf(join(d, 'other', 'results.json'))).not.toEqual(numbersOf(join(ref, 'results.json')));
  }, 120_000);

  it('lists missing points and writes nothing; --allow-partial writes a report marked partial', async () => {
    const plan = readPlan(dir);
    const gone = [plan.points[1]!, plan.points[plan.points.length - 1]!];
    const keep = join(d, 'saved');
    rmSync(keep, { recursive: true, force: true });
    cpSync(join(dir, 'points'), keep, { recursive: true });
    for (const p of gone) rmSync(join(dir, 'points', `${p.file}.json`));
    const st = await cli(['plan', '--status', dir]);
    expect(st.code).toBe(1);
    for (const p of gone) expect(st.out).toContain(`missing ${p.key}`);
    const r = await cli(['merge', dir, '--out', join(d, 'm2')]);
    expect(r.code).toBe(1);
    for (const p of gone) expect(r.err).toContain(`missing ${p.key}`);
    expect(existsSync(join(d, 'm2'))).toBe(false);
    expect((await cli(['merge', dir, '--out', join(d, 'm3'), '--allow-partial'])).code).toBe(0);
    expect(readFileSync(join(d, 'm3', 'report.md'), 'utf8')).toMatch(/^> \*\*PARTIAL REPORT\*\*/);
    expect(readFileSync(join(d, 'm3', 'PARTIAL.txt'), 'utf8')).toContain(gone[0]!.key);
    const res = JSON.parse(readFileSync(join(d, 'm3', 'results.json'), 'utf8')) as {
      experiments: { name: string; error?: string }[];
    };
    expect(
      res.experiments
        .filter((e) => e.error !== undefined)
        .map((e) => e.name)
        .sort(),
    ).toEqual([...new Set(gone.map((p) => p.experiment))].sort());
    for (const p of gone) copyFileSync(join(keep, `${p.file}.json`), join(dir, 'points', `${p.file}.json`));
  }, 60_000);

  it('refuses a directory mixing plans or seqrate versions, naming the files', async () => {
    const plan = readPlan(dir);
    const other = join(d, 'other-plan');
    expect(
      (
        await cli([
          'plan',
          '--preset',
          'tiny',
          '--only',
          'no-order',
          '--seed',
          '9',
          '--task-seconds',
          '0',
          '--out',
          other,
        ])
      ).code,
    ).toBe(0);
    expect((await runPoint(other, ['0'])).code).toBe(0);
    const stray = readdirSync(join(other, 'points')).find((f) => f.endsWith('.json'))!;
    copyFileSync(join(other, 'points', stray), join(dir, 'points', stray)); // a point of another plan
    const r = await cli(['merge', dir, '--out', join(d, 'm4')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/mixed directory/);
    expect(r.err).toContain(stray);
    expect(existsSync(join(d, 'm4'))).toBe(false);
    // the same with a point that claims another seqrate version
    const mine = join(dir, 'points', `${plan.points[0]!.file}.json`);
    const orig = readFileSync(mine, 'utf8');
    rmSync(join(dir, 'points', stray));
    writeFileSync(mine, orig.replace(`"seqrateVersion": "${seqrateVersion()}"`, '"seqrateVersion": "9.9.9"'));
    const r2 = await cli(['merge', dir, '--out', join(d, 'm4')]);
    expect(r2.code).toBe(1);
    expect(r2.err).toMatch(/mixed directory[\s\S]*seqrate 9\.9\.9/);
    writeFileSync(mine, orig);
    expect((await cli(['merge', dir, '--out', join(d, 'm5')])).code).toBe(0);
    expect(() => checkPlanMatchesCode(plan, '9.9.9', 'merge')).toThrow(/made by seqrate .* this is seqrate 9\.9\.9/);
  }, 60_000);
});

describe('a killed task', () => {
  it('leaves no partial point file, and --resume runs only the points still missing', async () => {
    const d = tempDir('seqrate-kill-');
    const dir = join(d, 'plan');
    expect(
      (await cli(['plan', '--preset', 'tiny', '--only', 'synthetic-rate', '--task-seconds', '10', '--out', dir])).code,
    ).toBe(0);
    const plan = readPlan(dir);
    expect(plan.tasks.length).toBe(1);
    const child = spawn(join(dir, 'run-point.sh'), ['0'], { stdio: 'ignore' });
    const pts = join(dir, 'points');
    await waitFor(() => readdirSync(pts).some((f) => !f.startsWith('.')), 60_000);
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    const files = readdirSync(pts).filter((f) => !f.startsWith('.'));
    expect(files.length).toBeGreaterThan(0);
    expect(files.length).toBeLessThan(plan.points.length); // killed half way
    for (const f of files)
      expect((decodeJson(readFileSync(join(pts, f), 'utf8')) as { planHash: string }).planHash).toBe(plan.hash);
    const st = await cli(['plan', '--status', dir]);
    expect(st.code).toBe(1);
    expect(st.out).toContain(`done ${files.length}, missing ${plan.points.length - files.length}, failed 0`);
    const mtimes = new Map(files.map((f) => [f, statSync(join(pts, f)).mtimeMs]));
    const r = await runPoint(dir, ['0', '--resume']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${plan.points.length - files.length} point(s) to run, ${files.length} already done`);
    for (const [f, m] of mtimes) expect(statSync(join(pts, f)).mtimeMs).toBe(m);
    expect((await cli(['plan', '--status', dir])).code).toBe(0);
  }, 120_000);
});

describe('a failing point', () => {
  it('is recorded with its error, shown by --status, and re-run by --resume', async () => {
    const d = tempDir('seqrate-fail-');
    const dir = join(d, 'plan');
    expect(
      (await cli(['plan', '--preset', 'tiny', '--only', 'no-order', '--task-seconds', '100', '--out', dir])).code,
    ).toBe(0);
    const plan = readPlan(dir);
    const bad = plan.points[2]!;
    const inline = inlineRunner();
    const flaky = {
      ...inline,
      run: (e: never, c: never, p: Record<string, unknown>) =>
        JSON.stringify(p) === JSON.stringify(bad.params)
          ? Promise.reject(new Error('disk on fire'))
          : inline.run(e, c, p as never),
    };
    const o = { resume: true, workers: 1, version: seqrateVersion(), log: () => undefined };
    expect(await runTask(dir, 0, { ...o, runner: flaky as never })).toEqual({
      ran: plan.points.length - 1,
      skipped: 0,
      failed: 1,
    });
    const st = await cli(['plan', '--status', dir]);
    expect(st.code).toBe(1);
    expect(st.out).toContain(`FAILED ${bad.key} (task 0`);
    expect(st.out).toContain('disk on fire');
    const m = await cli(['merge', dir, '--out', join(d, 'm')]);
    expect(m.err).toMatch(new RegExp(`failed +${bad.key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: Error: disk on fire`));
    expect(await runTask(dir, 0, { ...o, runner: inline })).toEqual({
      ran: 1,
      skipped: plan.points.length - 1,
      failed: 0,
    });
    expect(existsSync(join(dir, 'points', `${bad.file}.failed.json`))).toBe(false);
    expect((await cli(['plan', '--status', dir])).code).toBe(0);
  }, 60_000);
});
