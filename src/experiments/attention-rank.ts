/**
 * `attention-rank` — Fig. 1 of Jiang & Li (2024), scaled down: a small ViT on the MNIST digits
 * bundled with the `mnist` package, head size m_h swept over powers of two; the singular values
 * of the pre-softmax attention logits (averaged over test images, with quantiles), the training
 * loss and error vs m_h with a fitted power law and CI, and the spectrum's convergence as m_h
 * grows. (The paper: ViT-B/16 on CIFAR-10, head size 1..64, training error ~ m_h^−0.27.)
 */
import { slice, reshape, type Tensor } from '../linalg/index.js';
import { accuracy, Adam, train, ViT } from '../models/index.js';
import { loadMnist } from '../node/index.js';
import { logitSpectrum } from '../theory/index.js';
import { assembleAttentionRank } from './attention-rank-report.js';
import { runExperiment } from './runner.js';
import { pointSeed, type Config, type Experiment, type Point, type RunOptions } from './types.js';

/** Config of attention-rank. */
export type AttentionRankConfig = Config & {
  mnist: { trainSize: number; testSize: number };
  vit: { patch: number; dim: number; depth: number; heads: number; mlpWidth: number; pool: string };
  mhs: number[];
  seeds: number;
  train: { steps: number; batchSize: number; lr: number };
  /** Test images whose logit matrices are analysed. */
  spectrumImages: number;
};

type Params = { mh: number; seed: number };

/** What one point returns (the untrained spectrum is the same seed's model before training). */
export type AttentionRankPoint = {
  trainLoss: number;
  trainError: number;
  testAccuracy: number;
  gradNorm: number;
  steps: number;
  stopReason: string;
  tokens: number;
  meanSigma: number[];
  meanSigmaNormalized: number[];
  quantilesNormalized: number[][];
  untrainedMeanSigmaNormalized: number[];
};

const vit = { patch: 7, dim: 24, depth: 1, heads: 1, mlpWidth: 32, pool: 'mean' };

/**
 * The experiment definition.
 *
 * @example
 * ```ts
 * const tiny = attentionRank.presets.tiny;
 * attentionRank.plan(tiny).map((p) => p.key); // → ['mh=1 seed=1', 'mh=2 seed=1', 'mh=4 seed=1']
 * [attentionRank.paperRef, attentionRank.pointFilters]; // → ['Fig. 1', ['mh', 'seed']]
 * // each point trains a small ViT on MNIST digits (needs the optional `mnist` package)
 * ```
 */
export const attentionRank: Experiment<AttentionRankConfig, Params, AttentionRankPoint> = {
  name: 'attention-rank',
  title: 'Low-rank attention logits and error vs head size (small ViT on MNIST)',
  paperRef: 'Fig. 1',
  description:
    'A small ViT on MNIST with head size m_h = 1, 2, 4, …: singular values of the pre-softmax logits (mean and quantiles over images), training loss/error vs m_h with a fitted power law.',
  presets: {
    tiny: {
      seed: 1,
      mnist: { trainSize: 40, testSize: 20 },
      vit: { ...vit, dim: 8, mlpWidth: 8 },
      mhs: [1, 2, 4],
      seeds: 1,
      train: { steps: 3, batchSize: 20, lr: 3e-3 },
      spectrumImages: 8,
    },
    quick: {
      seed: 1,
      mnist: { trainSize: 600, testSize: 200 },
      vit,
      mhs: [1, 2, 4, 8, 16],
      seeds: 2,
      train: { steps: 120, batchSize: 50, lr: 1e-2 },
      spectrumImages: 48,
    },
    // standard: 3 seeds so that the trained-vs-untrained difference has a spread, m_h up to 32 and longer training
    // so that the loss exponent's CI can exclude 0 (the full run measured 0.19 [0.11, 0.26] at 2000 steps)
    standard: {
      seed: 1,
      mnist: { trainSize: 2000, testSize: 500 },
      vit,
      mhs: [1, 2, 4, 8, 16, 32],
      seeds: 3,
      train: { steps: 1000, batchSize: 64, lr: 3e-3 },
      spectrumImages: 128,
    },
    full: {
      seed: 1,
      mnist: { trainSize: 4000, testSize: 1000 },
      vit: { patch: 7, dim: 32, depth: 2, heads: 1, mlpWidth: 64, pool: 'mean' },
      mhs: [1, 2, 4, 8, 16, 32],
      seeds: 3,
      train: { steps: 2000, batchSize: 64, lr: 1e-3 },
      spectrumImages: 256,
    },
  },
  expectedTime: {
    tiny: 'a few seconds',
    quick: 'about 30 s of CPU',
    standard: 'about 7.3 CPU-min (measured: 440 CPU-s over its 18 points in the standard run of 2026-11-30)',
    full: 'about 25 CPU-minutes (18 points of ~80 s measured at m_h = 32)',
  },
  pointFilters: ['mh', 'seed'],
  plan: (c) =>
    c.mhs.flatMap((mh) =>
      Array.from(
        { length: c.seeds },
        (_, i): Point<Params> => ({ key: `mh=${mh} seed=${c.seed + i}`, params: { mh, seed: c.seed + i } }),
      ),
    ),
  pointCost: (_c, p) => 3 + 0.05 * p.mh,
  runPoint,
  assemble: assembleAttentionRank,
};

/**
 * `run(config, { onProgress })` for this experiment.
 *
 * @example
 * ```ts
 * // one m_h of the tiny preset (trains a ViT on 40 MNIST digits; needs the optional `mnist` package)
 * const r = await runAttentionRank({ ...attentionRank.presets.tiny, mhs: [1] });
 * r.checks.map((c) => `${c.id}: ${c.verdict}`);
 * // → ['logits-low-rank: unresolved', 'error-decreases-with-mh: unresolved', 'spectrum-converges: unresolved']
 * ```
 */
export function run(config: AttentionRankConfig, opts: RunOptions = {}): ReturnType<typeof runExperiment> {
  return runExperiment(attentionRank, config, opts);
}

/** Quantile levels of the logit singular values (five-number summary). */
export const LEVELS = [0, 0.25, 0.5, 0.75, 1];

function runPoint(c: AttentionRankConfig, p: Params): AttentionRankPoint {
  const { train: tr, test } = loadMnist({
    seed: pointSeed(c.seed, 'mnist-split'),
    trainSize: c.mnist.trainSize,
    testSize: c.mnist.testSize,
  });
  const model = new ViT(
    {
      patch: c.vit.patch,
      dim: c.vit.dim,
      depth: c.vit.depth,
      heads: c.vit.heads,
      mh: p.mh,
      mlpWidth: c.vit.mlpWidth,
      pool: c.vit.pool as 'mean',
    },
    { seed: pointSeed(p.seed, 'init', p.mh) },
  );
  const untrained = logitStats(model, c, test.images); // the same seed's model before training: the baseline
  const res = train(
    model,
    { x: tr.images, y: tr.labels },
    {
      optimizer: new Adam({ lr: c.train.lr }),
      batchSize: c.train.batchSize,
      maxSteps: c.train.steps,
      seed: pointSeed(p.seed, 'batches', p.mh),
      loss: 'crossEntropy',
    },
  );
  const trainAcc = accuracy(model, tr.images, tr.labels),
    testAcc = accuracy(model, test.images, test.labels);
  const st = logitStats(model, c, test.images);
  return {
    trainLoss: res.finalLoss,
    trainError: 1 - trainAcc,
    testAccuracy: testAcc,
    gradNorm: res.gradNorm,
    steps: res.steps,
    stopReason: res.stopReason,
    tokens: st.tokens,
    meanSigma: st.meanSigma,
    meanSigmaNormalized: st.meanSigmaNormalized,
    quantilesNormalized: st.quantilesNormalized,
    untrainedMeanSigmaNormalized: untrained.meanSigmaNormalized,
  };
}

/** Singular values of the block-1 head-1 logits on the first `spectrumImages` test images (raw mean, normalised mean, quantiles). */
function logitStats(
  model: ViT,
  c: AttentionRankConfig,
  images: Tensor,
): { tokens: number; meanSigma: number[]; meanSigmaNormalized: number[]; quantilesNormalized: number[][] } {
  const n = Math.min(c.spectrumImages, c.mnist.testSize);
  const imgs = slice(images, [0, 0, 0], [n, images.shape[1]!, images.shape[2]!]);
  const L = model.attentionLogits(imgs)[0]!; // block 0: (n, H, T, T)
  const T = L.shape[2]!;
  const head0 = reshape(slice(L, [0, 0, 0, 0], [n, 1, T, T]), [n, T, T]); // (n, 1, T, T) → (n, T, T)
  const raw = logitSpectrum(head0, { quantiles: LEVELS });
  const nrm = logitSpectrum(head0, { quantiles: LEVELS, normalize: 'max' });
  return {
    tokens: T,
    meanSigma: Array.from(raw.mean),
    meanSigmaNormalized: Array.from(nrm.mean),
    quantilesNormalized: nrm.quantileValues.map((q) => Array.from(q)),
  };
}
