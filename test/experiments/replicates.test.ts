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
  it('the CLI names them in the error for a filter that matches nothing', async () => {
    const r = await cli('run', 'ordering-real', '--standard', '--model', 'transformer', '--seed', '1');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/valid values: --model vit,rnn; --seed 201,202,(\d+,)*212\b/);
  });
});
