/** The global fast-check seed (test/helpers/fc-seed.ts, a vitest setup file). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FC_SEED, fcSeedFromEnv } from './fc-seed.js';

describe('SEQRATE_FC_SEED', () => {
  it('parses an integer, defaults when unset or empty, rejects anything else', () => {
    expect(fcSeedFromEnv('3')).toBe(3);
    expect(fcSeedFromEnv('-7')).toBe(-7);
    expect(fcSeedFromEnv(undefined)).toBe(DEFAULT_FC_SEED);
    expect(fcSeedFromEnv(' ')).toBe(DEFAULT_FC_SEED);
    for (const bad of ['1.5', 'abc', '2147483648', 'NaN'])
      expect(() => fcSeedFromEnv(bad)).toThrow(/SEQRATE_FC_SEED must be an integer/);
  });

  it('is the global seed of this run, so an unseeded property draws the same inputs every time', () => {
    expect(fc.readConfigureGlobal().seed).toBe(fcSeedFromEnv(process.env.SEQRATE_FC_SEED));
    const draw = (): number[] => {
      const seen: number[] = [];
      fc.assert(
        fc.property(fc.integer(), (v) => {
          seen.push(v);
        }),
        { numRuns: 20 },
      );
      return seen;
    };
    const first = draw();
    expect(draw()).toEqual(first);
    // and another seed draws other inputs (the seed is what fixes them)
    const other: number[] = [];
    fc.assert(
      fc.property(fc.integer(), (v) => {
        other.push(v);
      }),
      { numRuns: 20, seed: (fc.readConfigureGlobal().seed ?? 0) + 1 },
    );
    expect(other).not.toEqual(first);
  });
});
