/**
 * The declared point result types of Tables 1–3 and App. B.1 are the JSON the points really return:
 * each key list below is checked by tsc to be exactly `keyof` its type (`satisfies Record<keyof T, true>`
 * rejects a missing and an extra key), and each tiny-preset point must return exactly those keys, with
 * numbers where the type says number — what the assemble code relies on since it reads the fields
 * directly (no `Number(result[name])`). tsc cannot see a field that a spread adds at run time.
 */
import { describe, expect, it } from 'vitest';
import { demos, type DemoPoint, type DemoStat } from '../../src/experiments/demos.js';
import { DEMO_TASKS } from '../../src/experiments/demos-tasks.js';
import type { MemoryFitResult, ShiftRegisterResult } from '../../src/experiments/memory-common.js';
import { noOrder } from '../../src/experiments/no-order.js';
import { orderingReal, type OrderingRealResult } from '../../src/experiments/ordering-real.js';
import { rnnVsTransformer } from '../../src/experiments/rnn-vs-transformer.js';

const MEMORY_FIT = {
  trainMse: true,
  testMse: true,
  targetVariance: true,
  initialLoss: true,
  adamLoss: true,
  gradNorm: true,
  lbfgsIterations: true,
  lbfgsReason: true,
  spectralRadius: true,
} as const satisfies Record<keyof MemoryFitResult, true>;
const SHIFT_REGISTER = { testMse: true } as const satisfies Record<keyof ShiftRegisterResult, true>;
const ORDERING = { before: true, shiftedNoRetrain: true, after: true, control: true } as const satisfies Record<
  keyof OrderingRealResult,
  true
>;
/** Every key of DemoPoint, `true` where it is a DemoStat (a number the report summarises). */
const DEMO = {
  massOnIdeal: true,
  tv: true,
  entropyRatio: true,
  argmaxHit: true,
  uniformMass: true,
  uniformTv: true,
  trainMse: true,
  testMse: true,
  targetVariance: true,
  relMse: true,
  gradNorm: true,
  steps: true,
  stopReason: false,
  initMassOnIdeal: true,
  initTv: true,
  initEntropyRatio: true,
  initArgmaxHit: true,
  assessedRows: false,
  exampleTokens: false,
  exampleInitAttention: false,
  exampleAttention: false,
  exampleIdeal: false,
} as const satisfies { [K in keyof DemoPoint]: K extends DemoStat ? true : false };

const sorted = (o: object): string[] => Object.keys(o).sort();
/** The keys of `o` whose values are not numbers. */
const nonNumbers = (o: object, keys: readonly string[]): string[] =>
  keys.filter((k) => typeof (o as Record<string, unknown>)[k] !== 'number');

describe('point result types match the points (tiny preset)', () => {
  it('Table 2: an RNN point has every MemoryFitResult key, a Transformer point all but spectralRadius', () => {
    const c = rnnVsTransformer.presets.tiny;
    const rnn = rnnVsTransformer.runPoint(c, { model: 'rnn', alteration: 'mixing', seed: 1 });
    const tr = rnnVsTransformer.runPoint(c, { model: 'transformer', alteration: 'ordering', seed: 1 });
    expect(sorted(rnn)).toEqual(sorted(MEMORY_FIT));
    expect(sorted(tr)).toEqual(sorted(MEMORY_FIT).filter((k) => k !== 'spectralRadius'));
    expect(nonNumbers(rnn, Object.keys(rnn))).toEqual(['lbfgsReason']);
    expect(nonNumbers(tr, Object.keys(tr))).toEqual(['lbfgsReason']);
  });
  it('Table 3: a trained point is a MemoryFitResult, the shift register a ShiftRegisterResult', () => {
    const c = noOrder.presets.tiny;
    const rnn = noOrder.runPoint(c, { model: 'rnn', variant: 'permuted', seed: 1 });
    const sr = noOrder.runPoint(c, { model: 'shift-register', variant: 'original', seed: 1 });
    expect(sorted(rnn)).toEqual(sorted(MEMORY_FIT));
    expect(sorted(sr)).toEqual(sorted(SHIFT_REGISTER));
    expect(nonNumbers(sr, ['testMse'])).toEqual([]);
  });
  it('Table 1: ViT and RNN points are OrderingRealResults of accuracies in [0, 1]', () => {
    const c = orderingReal.presets.tiny;
    for (const model of ['vit', 'rnn'] as const) {
      const r = orderingReal.runPoint(c, { model, seed: 1 });
      expect(sorted(r)).toEqual(sorted(ORDERING));
      for (const v of Object.values(r)) expect(v >= 0 && v <= 1).toBe(true);
    }
  });
  it('App. B.1: every task returns exactly the DemoPoint keys, a number at every DemoStat', () => {
    const c = demos.presets.tiny;
    const stats = Object.entries(DEMO).flatMap(([k, isStat]) => (isStat ? [k] : []));
    for (const task of DEMO_TASKS) {
      const r = demos.runPoint(c, { task, seed: 1 });
      expect(sorted(r), task).toEqual(sorted(DEMO));
      expect(nonNumbers(r, stats), task).toEqual([]);
    }
  });
});
