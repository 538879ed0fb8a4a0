/**
 * The verdicts of Tables 1–3 on hand-made point results: each claim is reproduced only by numbers
 * that could have failed it, and the baseline (an unconverged model, a small test set, seeds that
 * disagree) makes it unresolved or contradicted.
 */
import { describe, expect, it } from 'vitest';
import type { Check, Json } from '../../src/report/schema.js';
import type { MemoryFitResult } from '../../src/experiments/memory-common.js';
import type { PointOutcome, PointParams } from '../../src/experiments/types.js';
import { rnnVsTransformer } from '../../src/experiments/rnn-vs-transformer.js';
import { noOrder } from '../../src/experiments/no-order.js';
import { orderingReal } from '../../src/experiments/ordering-real.js';
import { fmtNum } from '../../src/report/format.js';

/** A hand-made point outcome, typed: each assemble takes only its experiment's own params and results. */
const pt = <const P extends PointParams, R extends Json>(params: P, result: R): PointOutcome<P, R> => ({
  key: JSON.stringify(params),
  params,
  result,
  seconds: 0,
});
const fitted = (testMse: number, reason = 'gtol'): MemoryFitResult => ({
  trainMse: testMse,
  testMse,
  targetVariance: 1,
  initialLoss: 1,
  adamLoss: 1,
  gradNorm: 0,
  lbfgsIterations: 1,
  lbfgsReason: reason,
});
const byId = (cs: Check[], id: string): Check => cs.find((c) => c.id === id)!;

describe('Table 2 verdicts', () => {
  const c = rnnVsTransformer.presets.tiny;
  // a logit rank bound ≥ τ (m_h, n ≥ τ and FFN width + 1 ≥ τ: any logit matrix), as the paper's; tiny's own is
  // min(m_h = 4, n = 8, width 8 + 1) = 4 < τ = 12
  const full: typeof c = { ...c, transformer: { ...c.transformer, mh: c.tau, n: c.tau, ffnWidth: c.tau } };
  const run = (
    mse: (m: string, a: string, s: number) => number,
    reason: string | ((m: string, a: string) => string) = 'gtol',
    config = full,
  ) =>
    rnnVsTransformer.assemble(
      config,
      (['rnn', 'transformer'] as const).flatMap((model) =>
        (['original', 'ordering', 'mixing'] as const).flatMap((alteration) =>
          [1, 2, 3].map((seed) =>
            pt(
              { model, alteration, seed },
              fitted(mse(model, alteration, seed), typeof reason === 'string' ? reason : reason(model, alteration)),
            ),
          ),
        ),
      ),
    );
  const paperLike = (m: string, a: string, s: number): number =>
    m === 'rnn' ? (a === 'ordering' ? 0.03 : 1e-7 * (1 + s / 10)) : a === 'mixing' ? 2e-4 : 2e-5 * (1 + s / 10);
  it("converged models with the paper's pattern: every claim reproduced, Table 2 reproduced", () => {
    const r = run(paperLike);
    expect(r.checks.map((k) => k.verdict)).toEqual(['reproduced', 'reproduced', 'reproduced', 'reproduced']);
    expect(r.paperVerdict).toMatchObject({ item: 'Table 2', verdict: 'reproduced' });
  });
  it('the same ratios from unconverged models (12% of the variance, L-BFGS at its cap) are unresolved', () => {
    const r = run((m, a, s) => paperLike(m, a, s) * 6000, 'maxIter');
    expect(r.checks.every((k) => k.verdict === 'unresolved')).toBe(true);
    expect(r.paperVerdict.verdict).toBe('unresolved');
  });
  it('a converged model that robustly fails a claim contradicts it; seeds that disagree leave it unresolved', () => {
    const robust = run((m, a, s) => (m === 'transformer' && a === 'ordering' ? 1e-3 : paperLike(m, a, s)));
    expect(byId(robust.checks, 'transformer-robust-to-ordering').verdict).toBe('contradicted');
    const split = run((m, a, s) =>
      m === 'transformer' && a === 'ordering' ? (s === 1 ? 1e-3 : 2e-5) : paperLike(m, a, s),
    );
    expect(byId(split.checks, 'transformer-robust-to-ordering').verdict).toBe('unresolved');
  });
  it("the same robust failure is unresolved when the altered fits hit the L-BFGS cap, or when the logits' rank bound is below τ", () => {
    const fails = (m: string, a: string, s: number): number =>
      m === 'transformer' && a === 'ordering' ? 1e-3 : paperLike(m, a, s);
    const capped = run(fails, (m, a) => (m === 'transformer' && a === 'ordering' ? 'maxIter' : 'plateau'));
    expect(byId(capped.checks, 'transformer-robust-to-ordering').verdict).toBe('unresolved');
    expect(byId(capped.checks, 'transformer-robust-to-ordering').explanation).toMatch(/altered target L-BFGS reached/);
    const small = run(fails, 'gtol', c);
    expect(byId(small.checks, 'transformer-robust-to-ordering').verdict).toBe('unresolved');
    expect(byId(small.checks, 'transformer-robust-to-ordering').explanation).toMatch(
      /min\(m_h, n, FFN width \+ 1\) = 4 < τ = 12/,
    );
    // m_h = τ is not enough when the width n, or the FFN's hidden width, bounds the logits' rank below τ
    for (const [narrow, bound] of [
      [{ n: c.tau - 1 }, 11],
      [{ ffnWidth: c.tau - 2 }, 11],
      [{ ffnWidth: 5 }, 6],
    ] as const) {
      const k = byId(
        run(fails, 'gtol', { ...full, transformer: { ...full.transformer, ...narrow } }).checks,
        'transformer-robust-to-ordering',
      );
      expect(k.verdict).toBe('unresolved');
      expect(k.explanation).toContain(`min(m_h, n, FFN width + 1) = ${bound} < τ = 12`);
    }
    expect(byId(run(fails, 'gtol', full).checks, 'transformer-robust-to-ordering').verdict).toBe('contradicted');
    // the RNN's claims do not depend on the attention size
    expect(byId(small.checks, 'rnn-degrades-under-ordering').verdict).toBe('reproduced');
  });
});

describe('Table 3 verdicts', () => {
  const c = noOrder.presets.tiny;
  const run = (rnn: (s: number) => number, tr: number, reason = 'gtol') =>
    noOrder.assemble(c, [
      ...(['original', 'permuted'] as const).flatMap((variant) =>
        [1, 2, 3].flatMap((seed) => [
          pt({ model: 'rnn', variant, seed }, fitted(rnn(seed))),
          pt({ model: 'transformer', variant, seed }, fitted(tr, reason)),
        ]),
      ),
      pt({ model: 'shift-register', variant: 'original', seed: 1 }, { testMse: 0 }),
      pt({ model: 'shift-register', variant: 'permuted', seed: 1 }, { testMse: 0 }),
    ]);
  it("an RNN that fits at every seed contradicts the paper's RNN failure; the shift register is an engine check", () => {
    const r = run(() => 0.005, 0.05, 'maxIter');
    expect(byId(r.checks, 'transformer-beats-rnn').verdict).toBe('contradicted');
    expect(byId(r.checks, 'rnn-failure-is-optimisation').verdict).toBe('engine');
    expect(r.paperVerdict.verdict).toBe('contradicted');
  });
  it("one seed whose RNN fails leaves it unresolved; the paper's pattern with a converged Transformer reproduces it", () => {
    expect(byId(run((s) => (s === 3 ? 0.5 : 0.005), 0.05, 'maxIter').checks, 'transformer-beats-rnn').verdict).toBe(
      'unresolved',
    );
    const paper = run(() => 5, 5e-4);
    expect(byId(paper.checks, 'transformer-beats-rnn').verdict).toBe('reproduced');
    expect(byId(paper.checks, 'transformer-permutation-robust').verdict).toBe('reproduced');
  });
});

describe('Table 1 verdict', () => {
  const c = orderingReal.presets.tiny;
  const run = (n: number, after: number, control: number) =>
    orderingReal.assemble(
      { ...c, mnist: { ...c.mnist, testSize: n } },
      (['vit', 'rnn'] as const).flatMap((model) =>
        [1, 2, 3].map((seed) =>
          pt(
            { model, seed },
            { before: control, shiftedNoRetrain: 0.5, after: model === 'vit' ? after : after - 0.2, control },
          ),
        ),
      ),
    );
  it('a small drop on many test images is reproduced; on few it is unresolved; a large drop at every seed contradicts', () => {
    expect(byId(run(5000, 0.965, 0.97).checks, 'vit-recovers-after-shift').verdict).toBe('reproduced');
    expect(byId(run(20, 0.965, 0.97).checks, 'vit-recovers-after-shift').verdict).toBe('unresolved');
    expect(byId(run(5000, 0.7, 0.97).checks, 'vit-recovers-after-shift').verdict).toBe('contradicted');
  });
  it('names what limits the SE: few test images, or the spread across seeds (then more images would not help)', () => {
    expect(byId(run(20, 0.965, 0.97).checks, 'vit-recovers-after-shift').explanation).toMatch(
      /test images would resolve/,
    );
    // drops 0.0, 0.03, 0.06 on 100000 images: binomial SE ≈ 0.0004, seed SE ≈ 0.017
    const spread = orderingReal.assemble(
      { ...c, mnist: { ...c.mnist, testSize: 100000 } },
      (['vit', 'rnn'] as const).flatMap((model) =>
        [1, 2, 3].map((seed) =>
          pt({ model, seed }, { before: 0.9, shiftedNoRetrain: 0.5, after: 0.9 - 0.03 * (seed - 1), control: 0.9 }),
        ),
      ),
    );
    const k = byId(spread.checks, 'vit-recovers-after-shift');
    expect(k.verdict).toBe('unresolved');
    expect(k.explanation).toMatch(/about \d+ seeds would resolve it \(the seed-to-seed spread limits the SE/);
  });
  it("the report's verdict line gives the same drops as the checks (means over seeds, not a difference of medians)", () => {
    // per-seed drops whose mean (0.02) differs from the difference of the medians (0.9 − 0.86 = 0.04)
    const afters = [0.86, 0.9, 0.84],
      controls = [0.9, 0.9, 0.84];
    const r = orderingReal.assemble(
      { ...c, mnist: { ...c.mnist, testSize: 1000 } },
      (['vit', 'rnn'] as const).flatMap((model) =>
        [0, 1, 2].map((i) =>
          pt(
            { model, seed: i + 1 },
            {
              before: 0.9,
              shiftedNoRetrain: 0.5,
              after: afters[i]! - (model === 'rnn' ? 0.1 : 0),
              control: controls[i]!,
            },
          ),
        ),
      ),
    );
    const vit = byId(r.checks, 'vit-recovers-after-shift').numbers.drop as number;
    const rnn = byId(r.checks, 'rnn-sensitive-to-shift').numbers.rnnDrop as number;
    expect(vit).toBeCloseTo(0.04 / 3, 12);
    expect(rnn).toBeCloseTo(0.04 / 3 + 0.1, 12);
    expect(r.paperVerdict.summary).toContain(`drop per seed (control − after) ${fmtNum(vit)} ± `);
    expect(r.paperVerdict.summary).toContain(`RNN drop per seed ${fmtNum(rnn)} ± `);
    // and results.json's data.drops are the same numbers
    const drops = (r.data as { drops: Record<string, number> }).drops;
    expect([drops.vit, drops.rnn]).toEqual([vit, rnn]);
    expect(drops.vitSe).toBe(byId(r.checks, 'vit-recovers-after-shift').numbers.dropSe);
  });
});
