/**
 * The fitted estimate of synthetic-rate: Transformer warm-started from FFN fits of the POD bases,
 * then L-BFGS fine-tuned. Real runs at the tiny budget (rank 2, m_h = 1 vs m_h ≥ r) and
 * property tests of the pure summary and check.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { test as fcTest } from '@fast-check/vitest';
import fc from 'fast-check';
import {
  syntheticRate,
  type SyntheticRateConfig,
  type SyntheticRateParams,
} from '../../src/experiments/synthetic-rate.js';
import type { FittedResult } from '../../src/experiments/synthetic-rate-common.js';
import {
  FITTED_DROP,
  fitIterOf,
  fittedCollapseCheck,
  fittedPoint,
  summariseFitted,
  type FittedSummary,
} from '../../src/experiments/synthetic-rate-fitted.js';
import { PRESETS } from '../../src/experiments/types.js';

const tiny = syntheticRate.presets.tiny as SyntheticRateConfig;
const FITTED_KEYS = ['activation', 'depth', 'fitIter', 'gtol', 'lbfgsIter', 'mhs', 'samples', 'seeds', 'width'];

describe('synthetic-rate fitted estimate: config and plan', () => {
  it('every preset records every fitted hyper-parameter, with m_h values from the sweep', () => {
    for (const name of PRESETS) {
      const c = syntheticRate.presets[name] as SyntheticRateConfig;
      expect(Object.keys(c.fitted).sort()).toEqual(FITTED_KEYS);
      for (const mh of c.fitted.mhs) expect(c.mhs).toContain(mh);
      expect(c.fitted.mhs).toContain(1);
      expect(c.fitted.seeds).toBeGreaterThanOrEqual(1);
    }
    expect((syntheticRate.presets.full as SyntheticRateConfig).fitted.seeds).toBeGreaterThanOrEqual(3);
  });
  it('plans one fitted point per (α, rank, fitted m_h, seed), keyed by kind', () => {
    const c = syntheticRate.presets.quick as SyntheticRateConfig;
    const pts = syntheticRate.plan(c).filter((p) => p.params.kind === 'fitted');
    expect(pts.length).toBe(c.alphas.length * c.ranks.length * c.fitted.mhs.length * c.fitted.seeds);
    expect(pts[0]!.key).toBe(`fitted alpha=${c.alphas[0]} rank=${c.ranks[0]} mh=${c.fitted.mhs[0]} seed=${c.seed}`);
    const tinyFitted = syntheticRate
      .plan(tiny)
      .filter((p) => p.params.kind === 'fitted')
      .map((p) => p.params.mh);
    expect([...new Set(tinyFitted)].sort()).toEqual([...tiny.fitted.mhs].sort());
  });
});

describe('synthetic-rate fitted estimate: basis-fit budget', () => {
  fcTest.prop([fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 64 })], {
    numRuns: 100,
  })('fitIter × max(1, terms/2): the base up to two terms, then non-decreasing and proportional', (fitIter, a, b) => {
    const f = { ...tiny.fitted, fitIter };
    expect(fitIterOf(f, Math.min(a, 2))).toBe(fitIter);
    if (a <= b) expect(fitIterOf(f, a)).toBeLessThanOrEqual(fitIterOf(f, b));
    expect(Math.abs(fitIterOf(f, a) - fitIter * Math.max(1, a / 2))).toBeLessThanOrEqual(0.5);
  });
});

describe('synthetic-rate fitted estimate: tiny runs on a rank-2 target', () => {
  const at = (mh: number): FittedResult =>
    fittedPoint(tiny, {
      kind: 'fitted',
      alpha: 1,
      rank: 2,
      mh,
      seed: tiny.seed,
      scale: 1,
    } satisfies SyntheticRateParams);
  let one: ReturnType<typeof at>, four: ReturnType<typeof at>;
  beforeAll(() => {
    one = at(1);
    four = at(4);
  });
  it('the error at m_h = 4 ≥ r is far (≥ 10×) below the error at m_h = 1', () => {
    expect(four.trainMse as number).toBeLessThan((one.trainMse as number) / FITTED_DROP);
    expect(four.testMse as number).toBeLessThan((one.testMse as number) / FITTED_DROP);
    expect(four.terms).toBe(2);
    expect(one.terms).toBe(1);
    expect(four.fitIter).toBe(fitIterOf(tiny.fitted, 2));
  });
  it('reports finite diagnostics, and fine-tuning never raises the training loss', () => {
    for (const r of [one, four]) {
      for (const k of [
        'trainMse',
        'testMse',
        'warmMse',
        'warmTestMse',
        'fitInner',
        'fitOuter',
        'gradNorm',
        'lbfgsIterations',
      ] as const)
        expect(Number.isFinite(r[k])).toBe(true);
      expect(r.trainMse as number).toBeLessThanOrEqual(r.warmMse as number);
      expect(r.lbfgsIterations as number).toBeLessThanOrEqual(tiny.fitted.lbfgsIter);
      // F(v) = v is fitted almost exactly; the φ/ψ fit is the FFN floor
      expect(r.fitOuter as number).toBeLessThan(1e-6);
    }
    // at m_h = 1 the warm start is already close to the constructive rank-1 model (exact POD: 2.4e-3 at tiny)
    expect(one.warmMse as number).toBeLessThan(5e-3);
  });
  it('is deterministic in its parameters and depends on the seed', () => {
    expect(at(1)).toEqual(one);
    const other = fittedPoint(tiny, { kind: 'fitted', alpha: 1, rank: 2, mh: 1, seed: tiny.seed + 1, scale: 1 });
    expect(other.trainMse).not.toBe(one.trainMse);
  });
});

const summary = (median: number): FittedSummary => ({
  median,
  min: median,
  max: median,
  testMedian: median,
  warmMedian: median,
  fitInner: 0,
  fitOuter: 0,
  gradNorm: 0,
  reasons: 'maxIter',
  seeds: 1,
});

describe('synthetic-rate fitted estimate: summary and check (properties)', () => {
  fcTest.prop([fc.array(fc.double({ min: 1e-12, max: 1, noNaN: true }), { minLength: 1, maxLength: 7 })], {
    numRuns: 50,
  })('the summary median lies between min and max and counts the seeds', (v) => {
    const s = summariseFitted(
      v.map((x) => ({
        trainMse: x,
        testMse: x,
        warmMse: x,
        warmTestMse: x,
        fitInner: x,
        fitOuter: x,
        terms: 1,
        fitIter: 1,
        gradNorm: x,
        lbfgsIterations: 1,
        lbfgsReason: 'gtol',
      })),
    )!;
    expect(s.min).toBeLessThanOrEqual(s.median);
    expect(s.median).toBeLessThanOrEqual(s.max);
    expect(s.seeds).toBe(v.length);
    expect(s.reasons).toBe('gtol');
  });
  it('no fitted point gives a null summary', () => {
    expect(summariseFitted([])).toBeNull();
  });
  fcTest.prop(
    [
      fc.double({ min: 1e-6, max: 1, noNaN: true }),
      fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
      fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
    ],
    { numRuns: 100 },
  )('fitted-collapse passes iff the worst drop over m_h ≥ r is ≥ 10×', (e1, d2, d4) => {
    const cv = {
      alpha: 1,
      rank: 2,
      mh: [1, 2, 4],
      cons: [{ mse: 1 }, { mse: 0 }, { mse: 0 }],
      trained: [{ median: 1 }, { median: 1 }, { median: 1 }],
      fitted: [summary(e1), summary(e1 / d2), summary(e1 / d4)],
    };
    const chk = fittedCollapseCheck(tiny, [cv]);
    const worst = Math.min(d2, d4);
    expect(chk.numbers.minDropFactor as number).toBeCloseTo(worst, 6);
    expect(chk.pass).toBe(worst >= FITTED_DROP);
    expect(chk.numbers.cases).toBe(2);
  });
  it('ignores rank ∞ and m_h < r, skips m_h without a fitted point, and fails with no case', () => {
    const inf = {
      alpha: 1,
      rank: 'inf',
      mh: [1, 4],
      cons: [{ mse: 1 }, { mse: 1 }],
      trained: [{ median: 1 }, { median: 1 }],
      fitted: [summary(1), summary(1e-6)],
    };
    const r6 = {
      alpha: 1,
      rank: 6,
      mh: [1, 4, 8],
      cons: [{ mse: 1 }, { mse: 1 }, { mse: 0 }],
      trained: [{ median: 1 }, { median: 1 }, { median: 1 }],
      fitted: [summary(1), summary(0.9), null],
    };
    const none = fittedCollapseCheck(tiny, [inf, r6]);
    expect(none.pass).toBe(false);
    expect(none.numbers.cases).toBe(0);
    expect(none.explanation).toMatch(/no fitted point/);
  });
});
