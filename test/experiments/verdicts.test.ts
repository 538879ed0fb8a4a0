/**
 * Verdicts and config validation: each rule with the input that makes it fail (an untrained
 * baseline, an unconverged model, seeds that disagree, a bad config).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ValueError } from '../../src/linalg/index.js';
import type { Check } from '../../src/report/schema.js';
import { lowerRankThanUntrained, effectiveRank } from '../../src/experiments/attention-rank-report.js';
import { checkConfig } from '../../src/experiments/config-check.js';
import { EXPERIMENTS } from '../../src/experiments/registry.js';
import { runExperiment } from '../../src/experiments/runner.js';
import { rateResolvable, rateVerdict } from '../../src/experiments/synthetic-rate-checks.js';
import { syntheticRate } from '../../src/experiments/synthetic-rate.js';
import { meanSe, paperVerdictOf, verdictOf } from '../../src/experiments/verdicts.js';
import { PRESETS } from '../../src/experiments/types.js';

const chk = (verdict: Check['verdict']): Check => ({
  id: verdict,
  claim: '',
  pass: verdict === 'reproduced',
  verdict,
  numbers: {},
  explanation: '',
});

describe('verdictOf / paperVerdictOf', () => {
  it('an unresolved budget never reproduces or contradicts; a failure contradicts only when robust', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.boolean(), (pass, resolved, robust) => {
        const v = verdictOf(pass, { resolved, robust });
        if (!resolved) expect(v).toBe('unresolved');
        else if (pass) expect(v).toBe('reproduced');
        else expect(v).toBe(robust ? 'contradicted' : 'unresolved');
      }),
    );
  });
  it('a paper item is contradicted by one contradicted check, reproduced only when all are, and ignores engine checks', () => {
    expect(paperVerdictOf('Fig. 5', [chk('reproduced'), chk('engine')], '').verdict).toBe('reproduced');
    expect(paperVerdictOf('Fig. 5', [chk('reproduced'), chk('unresolved')], '').verdict).toBe('unresolved');
    expect(paperVerdictOf('Fig. 5', [chk('unresolved'), chk('contradicted')], '').verdict).toBe('contradicted');
    expect(paperVerdictOf('Fig. 5', [chk('engine')], '').verdict).toBe('unresolved');
  });
  it('meanSe: mean and sd/√n; NaN SE for one value', () => {
    expect(meanSe([1, 3])).toEqual({ mean: 2, se: 1, n: 2 });
    expect(meanSe([5]).se).toBeNaN();
  });
});

describe('attention-rank baseline', () => {
  it('effective rank: 1 for one direction, k for k equal directions', () => {
    expect(effectiveRank([1, 0, 0])).toBeCloseTo(1, 12);
    expect(effectiveRank([1, 1, 1, 1])).toBeCloseTo(4, 12);
  });
  it('passes only on a trained-vs-untrained difference beyond the seed spread', () => {
    expect(lowerRankThanUntrained([2.0, 2.1, 1.9], [5.0, 5.2, 4.9]).pass).toBe(true);
    // the untrained model's own numbers fed as "trained": no difference, fails
    expect(lowerRankThanUntrained([5.0, 5.2, 4.9], [5.0, 5.2, 4.9]).pass).toBe(false);
    // a difference the spread explains: fails
    expect(lowerRankThanUntrained([2.0, 5.5], [5.0, 5.2]).pass).toBe(false);
    // one seed has no spread: cannot decide
    expect(lowerRankThanUntrained([2.0], [5.0]).pass).toBe(false);
  });
});

describe('synthetic-rate rate checks', () => {
  it("a rate check passes when the CI reaches the sound bound's exponent and excludes 0; an error decaying more slowly fails", () => {
    expect(rateVerdict({ lo: 0.8, hi: 1.0 }, 0.5)).toEqual({ pass: true, resolved: true });
    expect(rateVerdict({ lo: 0.1, hi: 0.3 }, 0.5).pass).toBe(false); // slower than the bound allows
    expect(rateVerdict({ lo: -0.1, hi: 0.9 }, 0.5).pass).toBe(false); // a flat curve (CI includes 0)
    expect(rateVerdict(null, 0.5).resolved).toBe(false);
  });
  it("the paper's α = 0.55 case (67% truncated, 90% on s = t) is not rate-resolvable; the scaled cases are", () => {
    expect(rateResolvable({ truncated: 0.667, diagMass: 0.906 }, 16)).toBe(false);
    expect(rateResolvable({ truncated: 0.019, diagMass: 0.635 }, 16)).toBe(false);
    expect(rateResolvable({ truncated: 3.9e-4, diagMass: 0.113 }, 16)).toBe(true);
  });
});

describe('checkConfig (bad configs are typed errors, nothing runs)', () => {
  const q = syntheticRate.presets.quick;
  it('accepts every preset of every experiment', () => {
    for (const e of EXPERIMENTS) for (const p of PRESETS) expect(() => checkConfig(e, e.presets[p])).not.toThrow();
  });
  it('rejects a NaN or fractional seed, seeds: 0, unknown and missing keys, wrong kinds and non-finite numbers', () => {
    expect(() => checkConfig(syntheticRate, { ...q, seed: NaN })).toThrow(
      /synthetic-rate config: seed must be an integer/,
    );
    expect(() => checkConfig(syntheticRate, { ...q, seed: 1.5 })).toThrow(ValueError);
    expect(() => checkConfig(syntheticRate, { ...q, seeds: 0 })).toThrow(
      /config.seeds: expected an integer ≥ 1, got 0/,
    );
    expect(() => checkConfig(syntheticRate, { ...q, sedes: 3 })).toThrow(/config.sedes: unknown key/);
    const { tau: _, ...noTau } = q;
    expect(() => checkConfig(syntheticRate, noTau)).toThrow(/config.tau: missing/);
    expect(() => checkConfig(syntheticRate, { ...q, model: { ...q.model, widht: 3 } })).toThrow(
      /config.model.widht: unknown key/,
    );
    expect(() => checkConfig(syntheticRate, { ...q, tau: '16' })).toThrow(/config.tau: expected number, got string/);
    expect(() => checkConfig(syntheticRate, { ...q, fit: { ...q.fit, lr: Infinity } })).toThrow(
      /config.fit.lr: expected a finite number/,
    );
    expect(() => checkConfig(syntheticRate, { ...q, fit: { ...q.fit, lr: -1 } })).toThrow(
      /config.fit.lr: expected a positive number/,
    );
    expect(() => checkConfig(syntheticRate, { ...q, mhs: [] })).toThrow(/config.mhs: must not be empty/);
  });
  it('a key only some presets set is optional, but checked when given', () => {
    const e = {
      ...syntheticRate,
      presets: { ...syntheticRate.presets, tiny: { ...syntheticRate.presets.tiny, extra: { window: 2 } } },
    } as typeof syntheticRate;
    expect(() => checkConfig(e, q)).not.toThrow();
    expect(() => checkConfig(e, { ...q, extra: { window: 1.5 } })).toThrow(/config.extra.window: expected an integer/);
    expect(() => checkConfig(e, { ...q, extra: { windwo: 3 } })).toThrow(/config.extra.windwo: unknown key/);
    expect(() => checkConfig(e, { ...q, extra: 'x' })).toThrow(/config.extra: expected object, got string/);
  });
  it('runExperiment refuses a bad config before running any point', async () => {
    let ran = 0;
    const spy = {
      ...syntheticRate,
      runPoint: (...a: Parameters<typeof syntheticRate.runPoint>) => {
        ran++;
        return syntheticRate.runPoint(...a);
      },
    };
    await expect(runExperiment(spy, { ...syntheticRate.presets.tiny, seeds: 0 })).rejects.toThrow(ValueError);
    await expect(runExperiment(spy, { ...syntheticRate.presets.tiny, seed: NaN })).rejects.toThrow(ValueError);
    expect(ran).toBe(0);
  });
});
