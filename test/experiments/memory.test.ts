import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRng, rand } from '../../src/linalg/index.js';
import { linearMemoryTarget } from '../../src/theory/index.js';
import { shiftRegisterRnn } from '../../src/experiments/memory-common.js';
import { filterPoints, runExperiments } from '../../src/experiments/runner.js';
import { noOrder } from '../../src/experiments/no-order.js';
import { pointSeed } from '../../src/experiments/types.js';
import { energyRank } from '../../src/experiments/attention-rank-report.js';
import { median, quantile } from '../../src/experiments/fit.js';

describe('shift-register RNN', () => {
  it('reproduces any causal convolution of length ≤ hidden exactly (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 0, max: 1000 }),
        (tau, extra, seed) => {
          const rng = createRng(seed);
          const rho = Array.from({ length: tau }, () => rng.uniform());
          const x = rand(rng, [3, tau, 1]);
          const y = shiftRegisterRnn(rho, tau + extra).forward(x);
          expect(y).toBeAllclose(linearMemoryTarget(rho).evaluate(x), { rtol: 1e-12, atol: 1e-12 });
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('helpers', () => {
  it('pointSeed is deterministic, label-sensitive and 32-bit', () => {
    expect(pointSeed(1, 'a', 2)).toBe(pointSeed(1, 'a', 2));
    expect(pointSeed(1, 'a', 2)).not.toBe(pointSeed(2, 'a', 2));
    expect(pointSeed(1, 'a', 2)).not.toBe(pointSeed(1, 'a', 3));
    fc.assert(
      fc.property(fc.integer(), fc.string(), (s, l) => {
        const v = pointSeed(s, l);
        expect(Number.isInteger(v) && v >= 0 && v < 2 ** 32).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
  it('filterPoints keeps matching points and those without the key', () => {
    const pts = [
      { key: 'a', params: { mh: 1, seed: 1 } },
      { key: 'b', params: { mh: 2, seed: 1 } },
      { key: 'c', params: { kind: 'x' } },
    ];
    expect(filterPoints(pts, { mh: ['2'] }).map((p) => p.key)).toEqual(['b', 'c']);
    expect(filterPoints(pts, { mh: ['1', '2'], seed: ['2'] }).map((p) => p.key)).toEqual(['c']);
  });
  it('median, quantile and energyRank', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([NaN])).toBeNaN();
    expect(quantile([0, 10], 0.25)).toBe(2.5);
    expect(energyRank([1, 0, 0])).toBe(1);
    expect(energyRank([1, 1, 1, 1])).toBe(4);
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 1, maxLength: 20 }), (v) => {
        const s = [...v].sort((a, b) => b - a);
        const k = energyRank(s);
        expect(k).toBeGreaterThanOrEqual(1);
        expect(k).toBeLessThanOrEqual(s.length);
      }),
      { numRuns: 100 },
    );
  });
});

describe('a partial run decides nothing it did not measure', () => {
  it('no-order with only its shift-register points: no check of the paper is contradicted (was: contradicted on NaN)', async () => {
    const c = noOrder.presets.tiny;
    const points = noOrder.plan(c).filter((p) => p.params.model === 'shift-register');
    const [r] = await runExperiments([{ experiment: noOrder, config: c, preset: 'tiny', points }]);
    const perm = r!.checks.find((k) => k.id === 'transformer-permutation-robust')!;
    expect(perm.verdict).toBe('unresolved');
    expect(r!.paperVerdict?.verdict).not.toBe('contradicted');
  });
});
