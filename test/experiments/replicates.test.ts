/**
 * Replicate seeds and what `seqrate run NAME --seed N` with a point filter selects: the first replicate
 * of base N, which is N itself unless a preset starts its replicates past the base (ordering-real's
 * standard preset does, so that its 12 seeds are ones no earlier run looked at).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { EXPERIMENTS } from '../../src/experiments/registry.js';
import { filterPoints, firstReplicate } from '../../src/experiments/runner.js';
import { orderingReal } from '../../src/experiments/ordering-real.js';
import type { Config, Point } from '../../src/experiments/types.js';

const seedsOf = (pts: Point[]): number[] =>
  pts.map((p) => p.params.seed).filter((s): s is number => typeof s === 'number');

describe('firstReplicate', () => {
  it('is a seed of the plan, the smallest, selects at least one point, and is the base when presets have no offset', () => {
    const cases = EXPERIMENTS.flatMap((e) =>
      (Object.keys(e.presets) as (keyof typeof e.presets)[]).map((preset) => ({ e, preset })),
    );
    fc.assert(
      fc.property(fc.constantFrom(...cases), fc.integer({ min: 0, max: 100_000 }), ({ e, preset }, base) => {
        const config = { ...(e.presets[preset] as Config), seed: base };
        const plan = e.plan(config);
        const seeds = seedsOf(plan);
        const first = firstReplicate(plan, base);
        if (seeds.length === 0) return expect(first).toBe(base);
        expect(seeds).toContain(first);
        expect(Math.min(...seeds)).toBe(first);
        expect(filterPoints(plan, { seed: [first] }).length).toBeGreaterThan(0);
        const offset = (config as { seedOffset?: number }).seedOffset ?? 0;
        expect(first).toBe(base + offset);
      }),
      { numRuns: 200 },
    );
  });
  it('a plan without seeds falls back to the base', () => {
    expect(firstReplicate([{ key: 'a', params: { mh: 2 } }], 7)).toBe(7);
    expect(firstReplicate([], 3)).toBe(3);
  });
});

describe("ordering-real's standard replicates", () => {
  it('are 12 seeds past the base by the offset, disjoint from the replicates the quick preset (same base) runs', () => {
    for (const base of [1, 101]) {
      const std = seedsOf(orderingReal.plan({ ...orderingReal.presets.standard, seed: base }));
      const quick = seedsOf(orderingReal.plan({ ...orderingReal.presets.quick, seed: base }));
      const distinct = [...new Set(std)].sort((a, b) => a - b);
      expect(distinct).toEqual(Array.from({ length: orderingReal.presets.standard.seeds }, (_, i) => base + 200 + i));
      expect(distinct.filter((s) => quick.includes(s))).toEqual([]);
    }
  });
  it('the CLI names them as --replicate values in the error for a filter that matches nothing, and in --help', async () => {
    const r = await cli('run', 'ordering-real', '--standard', '--model', 'transformer', '--seed', '1');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/matches --model transformer --seed 1 \(its first replicate, 201\)/);
    expect(r.err).toMatch(/valid values: --model vit,rnn; --replicate 201,202,(\d+,)*212\b/);
    const h = await cli('run', 'ordering-real', '--help');
    expect(h.out).toMatch(/at --standard: --model vit,rnn {2}--replicate 201,202,(\d+,)*212\b/);
    expect(h.out).toMatch(/at --quick: --model vit,rnn {2}--replicate 1,2\b/);
  });
});

describe('--replicate selects one replicate of the base run; --seed alone its first', () => {
  const base = ['run', 'ordering-real', '--tiny', '--set', 'seedOffset=200', '--set', 'seeds=2', '--model', 'vit'];
  const keys = (out: string) =>
    (JSON.parse(out) as { config: { seed: number }; points: { key: string }[] }).points.map((p) => p.key);
  it('--replicate K runs replicate K of base seed 1 (a point of the committed run), --seed N its first', async () => {
    const second = await cli(...base, '--replicate', '202', '--json');
    expect(second.code).toBe(0);
    expect(keys(second.out)).toEqual(['vit seed=202']);
    expect((JSON.parse(second.out) as { config: { seed: number } }).config.seed).toBe(1);
    const first = await cli(...base, '--seed', '1', '--json');
    expect(keys(first.out)).toEqual(['vit seed=201']);
    const none = await cli(...base, '--replicate', '2');
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/matches --model vit --replicate 2; valid values: --model vit,rnn; --replicate 201,202$/m);
  });
  it('--help lists the replicates of a config changed by --set', async () => {
    const h = await cli('run', 'ordering-real', '--set', 'seeds=3', '--help');
    expect(h.out).toMatch(/at --tiny: --model vit,rnn {2}--replicate 1,2,3\n/);
  });
});
