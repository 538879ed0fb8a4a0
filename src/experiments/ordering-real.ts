/**
 * `ordering-real` — Table 1 of Jiang & Li (2024), scaled down: a small ViT on MNIST patch
 * sequences, then the same weights re-trained on sequences whose patch tokens are cyclically
 * shifted (after patch embedding, before position encoding); accuracy before and after. Beyond the
 * paper: a tanh RNN on row-sequential MNIST (binary task, see choices) with the same shift of rows.
 * A control re-trains the original weights for the same number of steps on unshifted data, so the
 * comparison is not confounded by the extra training.
 */
import { reshape, slice, type Tensor } from '../linalg/index.js';
import {
  accuracy,
  Adam,
  cyclicShiftTokens,
  rowSequence,
  TanhRNN,
  train,
  ViT,
  type Model,
  type Params,
} from '../models/index.js';
import { loadMnist } from '../node/index.js';
import type { Check, Json } from '../report/schema.js';
import { fmtNum } from '../report/format.js';
import { jnum, median } from './fit.js';
import { runExperiment } from './runner.js';
import { meanSe, paperVerdictOf } from './verdicts.js';
import {
  pointSeed,
  type Assembled,
  type Config,
  type Experiment,
  type Point,
  type PointOutcome,
  type RunOptions,
} from './types.js';

/** Config of ordering-real. */
export type OrderingRealConfig = Config & {
  shift: number;
  mnist: { trainSize: number; testSize: number };
  vit: { patch: number; dim: number; depth: number; heads: number; mh: number; mlpWidth: number };
  rnn: { hidden: number };
  seeds: number;
  /**
   * Replicate seeds are `seed + seedOffset + i` for i < seeds (the MNIST split stays seeded by `seed`): an offset
   * starts a preset on replicates no earlier run of it has looked at.
   */
  seedOffset: number;
  /** Steps of the first training, and of each re-training (shifted, and control). */
  train: { steps: number; retrainSteps: number; batchSize: number; lrVit: number; lrRnn: number };
};

/** A sweep point: the model and its replicate seed. */
export type OrderingRealParams = { model: 'vit' | 'rnn'; seed: number };
/**
 * What one point returns (ViT and RNN alike): test accuracy after the first training (`before`), of
 * those weights on shifted input (`shiftedNoRetrain`), after re-training on shifted input (`after`),
 * and after the same re-training on unshifted input (`control`).
 */
export type OrderingRealResult = { before: number; shiftedNoRetrain: number; after: number; control: number };
/** An accuracy of a point. */
export type Accuracy = keyof OrderingRealResult;

type P = OrderingRealParams;
type R = OrderingRealResult;

/** The tanh RNN read out at the last step, as a binary classifier (digits 0–4 → −1, 5–9 → +1). */
class LastStep implements Model {
  readonly kind = 'LastStepTanhRNN';
  readonly config: object;
  constructor(readonly rnn: TanhRNN) {
    this.config = rnn.config;
  }
  get params(): Params {
    return this.rnn.params;
  }
  set params(p: Params) {
    this.rnn.params = p;
  }
  forward(x: Tensor, params: Params = this.params): Tensor {
    const y = this.rnn.forward(x, params); // (B, τ)
    const [B, T] = [y.shape[0]!, y.shape[1]!];
    return reshape(slice(y, [0, T - 1], [B, T]), [B, 1]); // (B, 1) → last step
  }
}

/** Binary accuracy of the last-step output's sign against ±1 targets. */
function signAccuracy(m: Model, x: Tensor, y: Tensor): number {
  const out = m.forward(x);
  let ok = 0;
  for (let i = 0; i < y.data.length; i++) if (Math.sign(out.data[i]!) === Math.sign(y.data[i]!)) ok++;
  return ok / y.data.length;
}

const vitBase = { patch: 7, dim: 24, depth: 1, heads: 1, mh: 8, mlpWidth: 32 };

/**
 * The experiment definition.
 *
 * @example
 * ```ts
 * const tiny = orderingReal.presets.tiny;
 * orderingReal.plan(tiny).map((p) => p.key); // → ['vit seed=1', 'rnn seed=1']
 * [orderingReal.paperRef, tiny.shift]; // → ['Table 1', 10] (inputs cyclically shifted by 10)
 * // each point trains on MNIST digits (needs the optional `mnist` package)
 * ```
 */
export const orderingReal: Experiment<OrderingRealConfig, P, R> = {
  name: 'ordering-real',
  title: 'Re-ordering real sequences: cyclically shifted MNIST tokens',
  paperRef: 'Table 1',
  description:
    'A small ViT on MNIST, re-trained from its weights on patch tokens cyclically shifted after embedding and before position encoding (accuracy before/after, with an unshifted re-training control); beyond the paper, a tanh RNN on row-sequential MNIST with the same shift.',
  presets: {
    tiny: {
      seed: 1,
      shift: 10,
      mnist: { trainSize: 40, testSize: 20 },
      vit: { ...vitBase, dim: 8, mlpWidth: 8, mh: 4 },
      rnn: { hidden: 8 },
      seeds: 1,
      seedOffset: 0,
      train: { steps: 3, retrainSteps: 2, batchSize: 20, lrVit: 3e-3, lrRnn: 1e-2 },
    },
    quick: {
      seed: 1,
      shift: 10,
      mnist: { trainSize: 600, testSize: 200 },
      vit: vitBase,
      rnn: { hidden: 24 },
      seeds: 2,
      seedOffset: 0,
      train: { steps: 120, retrainSteps: 60, batchSize: 50, lrVit: 1e-2, lrRnn: 1e-2 },
    },
    // standard: 12 seeds and 4000 test images, fixed before the run that is committed in docs/standard-run. The SE of
    // the drop is the larger of the seed-to-seed SE and the binomial one, and the seeds limit it: two earlier 6-seed
    // runs (replicates 1–6, and 101–106 with seed 101) gave drops 0.036 ± 0.008 and 0.026 ± 0.006, a seed-to-seed SD
    // of about 0.017, so 6 seeds leave 2 SE ≈ 0.014 and a drop near 0.03 undecided against MAX_DROP = 0.05. With 12
    // seeds 2 SE ≈ 0.010. The replicates start at 201 (seedOffset 200), seeds that no earlier run looked at, so the
    // seed count was not chosen after seeing the replicates it is applied to.
    standard: {
      seed: 1,
      shift: 10,
      mnist: { trainSize: 2000, testSize: 4000 },
      vit: vitBase,
      rnn: { hidden: 24 },
      seeds: 12,
      seedOffset: 200,
      train: { steps: 400, retrainSteps: 200, batchSize: 64, lrVit: 5e-3, lrRnn: 1e-2 },
    },
    full: {
      seed: 1,
      shift: 10,
      mnist: { trainSize: 4000, testSize: 1000 },
      vit: { patch: 7, dim: 32, depth: 2, heads: 1, mh: 16, mlpWidth: 64 },
      rnn: { hidden: 64 },
      seeds: 3,
      seedOffset: 0,
      train: { steps: 2000, retrainSteps: 1000, batchSize: 64, lrVit: 1e-3, lrRnn: 3e-3 },
    },
  },
  expectedTime: {
    tiny: 'a few seconds',
    quick: 'about 40 s of CPU',
    standard: 'about 5 CPU-min (measured: 301 CPU-s at 12 seeds in the standard run of 2026-11-30)',
    full: 'about 15 CPU-minutes, estimated (6 points of 2–3 min)',
  },
  pointFilters: ['model', 'seed'],
  plan: (c) =>
    (['vit', 'rnn'] as const).flatMap((model) =>
      Array.from({ length: c.seeds }, (_, i): Point<P> => {
        const seed = c.seed + c.seedOffset + i;
        return { key: `${model} seed=${seed}`, params: { model, seed } };
      }),
    ),
  pointCost: (_c, p) => (p.model === 'vit' ? 5 : 4),
  runPoint: (c, p) => (p.model === 'vit' ? vitPoint(c, p.seed) : rnnPoint(c, p.seed)),
  assemble,
};

/**
 * `run(config, { onProgress })` for this experiment.
 *
 * @example
 * ```ts
 * const r = await runOrderingReal(orderingReal.presets.tiny); // 2 points, MNIST (the optional `mnist` package)
 * r.checks.map((c) => `${c.id}: ${c.verdict}`);
 * // → ['vit-recovers-after-shift: unresolved', 'rnn-sensitive-to-shift: unresolved']
 * ```
 */
export function run(config: OrderingRealConfig, opts: RunOptions = {}): ReturnType<typeof runExperiment> {
  return runExperiment(orderingReal, config, opts);
}

function data(c: OrderingRealConfig): ReturnType<typeof loadMnist> {
  return loadMnist({
    seed: pointSeed(c.seed, 'mnist-split'),
    trainSize: c.mnist.trainSize,
    testSize: c.mnist.testSize,
  });
}

function vitPoint(c: OrderingRealConfig, seed: number): R {
  const { train: tr, test } = data(c);
  const make = (shift: number): ViT => new ViT({ ...c.vit, tokenShift: shift }, { seed: pointSeed(seed, 'vit-init') });
  const trainFor = (m: ViT, steps: number, label: string): void => {
    train(
      m,
      { x: tr.images, y: tr.labels },
      {
        optimizer: new Adam({ lr: c.train.lrVit }),
        batchSize: c.train.batchSize,
        maxSteps: steps,
        seed: pointSeed(seed, label),
        loss: 'crossEntropy',
      },
    );
  };
  const base = make(0);
  trainFor(base, c.train.steps, 'first');
  const before = accuracy(base, test.images, test.labels);
  const shifted = make(c.shift);
  shifted.params = base.params;
  const shiftedNoRetrain = accuracy(shifted, test.images, test.labels);
  trainFor(shifted, c.train.retrainSteps, 'retrain');
  const control = make(0);
  control.params = base.params;
  trainFor(control, c.train.retrainSteps, 'retrain');
  return {
    before,
    shiftedNoRetrain,
    after: accuracy(shifted, test.images, test.labels),
    control: accuracy(control, test.images, test.labels),
  };
}

function rnnPoint(c: OrderingRealConfig, seed: number): R {
  const { train: tr, test } = data(c);
  const pm = (l: Int32Array): Tensor => ({
    data: Float64Array.from(l, (d) => (d >= 5 ? 1 : -1)),
    shape: [l.length, 1],
  });
  const x = rowSequence(tr.images),
    xt = rowSequence(test.images),
    y = pm(tr.labels),
    yt = pm(test.labels);
  const xs = cyclicShiftTokens(x, c.shift),
    xts = cyclicShiftTokens(xt, c.shift);
  const make = (): LastStep =>
    new LastStep(new TanhRNN({ d: x.shape[2]!, hidden: c.rnn.hidden }, { seed: pointSeed(seed, 'rnn-init') }));
  const trainFor = (m: LastStep, xx: Tensor, steps: number, label: string): void => {
    train(
      m,
      { x: xx, y },
      {
        optimizer: new Adam({ lr: c.train.lrRnn }),
        batchSize: c.train.batchSize,
        maxSteps: steps,
        seed: pointSeed(seed, label),
        loss: 'mse',
      },
    );
  };
  const base = make();
  trainFor(base, x, c.train.steps, 'first');
  const before = signAccuracy(base, xt, yt);
  const shiftedNoRetrain = signAccuracy(base, xts, yt);
  const shifted = make();
  shifted.params = base.params;
  trainFor(shifted, xs, c.train.retrainSteps, 'retrain');
  const control = make();
  control.params = base.params;
  trainFor(control, x, c.train.retrainSteps, 'retrain');
  return { before, shiftedNoRetrain, after: signAccuracy(shifted, xts, yt), control: signAccuracy(control, xt, yt) };
}

/** Largest accuracy drop (control − after) that counts as "nearly as accurate" (the paper's ViT lost 0.02). */
export const MAX_DROP = 0.05;

/**
 * Drop control − after per seed, its mean and standard error: the binomial SE of two accuracies on
 * `n` test images per seed (pooled over seeds), or the seed-to-seed SE when that is larger.
 */
export function dropStats(
  pts: PointOutcome<P, R>[],
  m: P['model'],
  n: number,
): { mean: number; se: number; perSeed: number[]; limitedBy: 'test images' | 'seeds' } {
  const mine = pts.filter((p) => p.params.model === m);
  const perSeed = mine.map((p) => p.result.control - p.result.after);
  const bin =
    Math.sqrt(
      mine.reduce(
        (a, p) => a + (p.result.control * (1 - p.result.control) + p.result.after * (1 - p.result.after)) / n,
        0,
      ),
    ) / Math.max(1, mine.length);
  const ms = meanSe(perSeed);
  const seeds = Number.isFinite(ms.se) ? ms.se : 0;
  return { mean: ms.mean, se: Math.max(bin, seeds), perSeed, limitedBy: seeds > bin ? 'seeds' : 'test images' };
}

function assemble(c: OrderingRealConfig, pts: PointOutcome<P, R>[]): Assembled {
  const med = (m: P['model'], f: Accuracy): number =>
    median(pts.filter((p) => p.params.model === m).map((p) => p.result[f]));
  const rows = (['vit', 'rnn'] as const).map((m) => [
    m === 'vit' ? 'ViT (10 classes)' : 'tanh RNN (binary 0–4 vs 5–9)',
    jnum(med(m, 'before')),
    jnum(med(m, 'shiftedNoRetrain')),
    jnum(med(m, 'after')),
    jnum(med(m, 'control')),
    m === 'vit' ? '0.98 → 0.96 (ViT-B/16, CIFAR-10)' : '– (not in the paper)',
  ]);
  const sv = dropStats(pts, 'vit', c.mnist.testSize),
    sr = dropStats(pts, 'rnn', c.mnist.testSize);
  const vHi = sv.mean + 2 * sv.se,
    vLo = sv.mean - 2 * sv.se;
  const vitOk = vHi <= MAX_DROP,
    vitBad = vLo > MAX_DROP && sv.perSeed.every((d) => d > MAX_DROP);
  // the SE falls like 1/√n in whichever count limits it: the seed-to-seed spread (more seeds) or the binomial
  // error of the accuracies (more test images)
  const need = (st: { se: number; limitedBy: string; perSeed: number[] }, margin: number): string => {
    const f = ((2 * st.se) / Math.max(margin, 1e-3)) ** 2;
    return st.limitedBy === 'seeds'
      ? `about ${Math.ceil(st.perSeed.length * f)} seeds would resolve it (the seed-to-seed spread limits the SE, not the ${c.mnist.testSize} test images)`
      : `about ${Math.ceil(c.mnist.testSize * f)} test images would resolve it`;
  };
  const diff = sr.mean - sv.mean,
    seDiff = Math.hypot(sr.se, sv.se);
  const rnnOk = diff - 2 * seDiff > 0;
  const checks: Check[] = [
    {
      id: 'vit-recovers-after-shift',
      claim: `re-trained from its weights, the ViT on shifted tokens is nearly as accurate as the unshifted control: drop (control − after) + 2 SE ≤ ${MAX_DROP}`,
      pass: vitOk,
      verdict: vitOk ? 'reproduced' : vitBad ? 'contradicted' : 'unresolved',
      numbers: {
        accuracyAfter: jnum(med('vit', 'after')),
        accuracyControl: jnum(med('vit', 'control')),
        drop: jnum(sv.mean),
        dropSe: jnum(sv.se),
        testImages: c.mnist.testSize,
        seeds: sv.perSeed.length,
      },
      paper: 'ViT 0.98 → 0.96; Transformer BLEU 26.85 → 25.91',
      explanation: vitOk
        ? `the drop ${fmtNum(sv.mean)} ± ${fmtNum(sv.se)} (SE) is significantly below ${MAX_DROP}: the re-ordering is absorbed by the (learned) position encoding, as the theory predicts for Transformers`
        : vitBad
          ? `the drop ${fmtNum(sv.mean)} ± ${fmtNum(sv.se)} exceeds ${MAX_DROP} at every seed: the re-training budget does not re-learn the positions`
          : `the drop ${fmtNum(sv.mean)} ± ${fmtNum(sv.se)} (SE over ${c.mnist.testSize} test images and ${sv.perSeed.length} seed(s)) is not significantly below ${MAX_DROP}: unresolved at this budget; ${need(sv, MAX_DROP - sv.mean)}`,
    },
    {
      id: 'rnn-sensitive-to-shift',
      claim: '(beyond the paper) the shift costs the RNN more accuracy than the ViT: difference of drops > 2 SE',
      pass: rnnOk,
      verdict: rnnOk ? 'reproduced' : 'unresolved',
      numbers: { rnnDrop: jnum(sr.mean), vitDrop: jnum(sv.mean), differenceSe: jnum(seDiff) },
      explanation: rnnOk
        ? `the RNN loses ${fmtNum(diff)} ± ${fmtNum(seDiff)} more: its memory is ordered, so moving the informative rows to other times hurts it more`
        : `the difference ${fmtNum(diff)} ± ${fmtNum(seDiff)} (SE) is within the noise: unresolved at this budget (the cyclic shift keeps all rows, only their times change, and a re-trained RNN can re-adapt)`,
    },
  ];
  return {
    choices: [
      `cyclic shift by ${c.shift} tokens (ViT: ${(28 / c.vit.patch) ** 2} patch tokens of ${c.vit.patch}×${c.vit.patch} pixels; RNN: 28 rows) — the paper's shift by 10; for the ViT applied after patch embedding, before the learned position encoding`,
      `re-training from the original weights for ${c.train.retrainSteps} steps; control: the same re-training on unshifted data (so "after" vs "control" isolates the shift)`,
      `ViT: width ${c.vit.dim}, ${c.vit.depth} block(s), ${c.vit.heads} head(s), m_h = ${c.vit.mh}; Adam lr ${c.train.lrVit}; ${c.train.steps} first-training steps, batch ${c.train.batchSize}`,
      `RNN: the library's TanhRNN has a scalar readout, so it solves the binary task digits 0–4 (−1) vs 5–9 (+1) from the last step's output (MSE); hidden ${c.rnn.hidden}, Adam lr ${c.train.lrRnn}`,
      `data: ${c.mnist.trainSize} training / ${c.mnist.testSize} test digits (split seeded by ${c.seed}); ${c.seeds} replicate seed(s) ${c.seed + c.seedOffset}–${c.seed + c.seedOffset + c.seeds - 1}; medians reported`,
    ],
    data: {
      points: pts.map((p) => ({ key: p.key, ...p.result })) as Json,
      // the drops the checks use: mean over seeds of control − after, and its SE
      drops: { vit: jnum(sv.mean), vitSe: jnum(sv.se), rnn: jnum(sr.mean), rnnSe: jnum(sr.se) },
    },
    tables: [
      {
        title: 'Table 1: test accuracy before and after the cyclic shift (median over seeds)',
        columns: [
          'model',
          'before',
          'shifted, not re-trained',
          'shifted, re-trained',
          'control (unshifted, re-trained)',
          'paper',
        ],
        rows,
      },
    ],
    figures: [
      {
        file: 'figures/ordering-real.svg',
        caption: 'Table 1 as bars: test accuracy (median over seeds).',
        spec: {
          kind: 'bar',
          title: 'Table 1: cyclic shift of tokens',
          yLabel: 'test accuracy',
          yScale: 'linear',
          categories: ['before', 'shifted (no retrain)', 'shifted (retrained)', 'control'],
          groups: (['vit', 'rnn'] as const).map((m) => ({
            label: m === 'vit' ? 'ViT' : 'tanh RNN (binary)',
            values: (['before', 'shiftedNoRetrain', 'after', 'control'] as const).map((f) => jnum(med(m, f))),
          })),
          chance: [
            { value: 0.1, label: 'chance, ViT (10 classes)', color: 0 },
            { value: 0.5, label: 'chance, RNN (binary)', color: 1 },
          ],
        },
      },
    ],
    checks,
    paperVerdict: paperVerdictOf(
      'Table 1',
      checks.slice(0, 1),
      `ViT accuracy (median over seeds) control ${fmtNum(med('vit', 'control'))} vs shifted ${fmtNum(med('vit', 'after'))}; drop per seed (control − after) ${fmtNum(sv.mean)} ± ${fmtNum(sv.se)} (mean ± SE; ${c.mnist.testSize} test images, ${sv.perSeed.length} seed(s); paper 0.98 → 0.96); RNN drop per seed ${fmtNum(sr.mean)} ± ${fmtNum(sr.se)} (beyond the paper)`,
    ),
    notes: [
      'Accuracies of the two models are not comparable with each other (10-class vs binary task); compare each model\'s "re-trained" column with its own control.',
    ],
  };
}
