/**
 * `no-order` — Table 3 of Jiang & Li (2024): a linear target whose memory has no temporal order,
 * ρ(s) ~ U[0,1] i.i.d.; linear RNN vs Transformer on the original and on a time-permuted target.
 * Beyond the paper (PAPER.md §6): the exact shift-register RNN (hidden ≥ τ) represents the
 * original target exactly, so a trained RNN's failure there is optimisation, not approximation.
 */
import { createRng } from '../linalg/index.js';
import { permuteTime, randomKernelTarget, type Target } from '../theory/index.js';
import type { Check, Json } from '../report/schema.js';
import { fmtNum, fmtRange } from '../report/format.js';
import { jnum, median } from './fit.js';
import {
  FULL_MEMORY,
  QUICK_MEMORY,
  TINY_MEMORY,
  STANDARD_PLATEAU,
  STANDARD_TRANSFORMER,
  fitMemoryModel,
  replicateSeeds,
  shiftRegisterMse,
  type MemoryConfig,
  type MemoryFitResult,
  type ShiftRegisterResult,
} from './memory-common.js';
import { runExperiment } from './runner.js';
import { paperVerdictOf, verdictOf } from './verdicts.js';
import { pointSeed, type Assembled, type Experiment, type Point, type PointOutcome, type RunOptions } from './types.js';

/** Config of no-order. */
export type NoOrderConfig = MemoryConfig;

/** A sweep point: a trained model or the exact shift-register RNN, the target variant and the replicate seed. */
export type NoOrderParams = {
  model: 'rnn' | 'transformer' | 'shift-register';
  variant: 'original' | 'permuted';
  seed: number;
};
/** What a point returns: a trained model's MemoryFitResult, or the exact shift register's test MSE. */
export type NoOrderPoint = MemoryFitResult | ShiftRegisterResult;
type Params = NoOrderParams;
type Model = Params['model'];
type Trained = Exclude<Model, 'shift-register'>;
type Variant = Params['variant'];

const VARIANTS = ['original', 'permuted'] as const;
const PAPER: Record<Trained, Record<Variant, number>> = {
  rnn: { original: 5.58, permuted: 5.24 },
  transformer: { original: 5.43e-4, permuted: 5.36e-4 },
};

/**
 * The experiment definition.
 *
 * @example
 * ```ts
 * const tiny = noOrder.presets.tiny;
 * noOrder.plan(tiny).map((p) => p.key);
 * // → ['rnn original seed=1', 'rnn permuted seed=1', 'transformer original seed=1', 'transformer permuted seed=1',
 * //    'shift-register original seed=1', 'shift-register permuted seed=1']
 * // one point: the exact shift-register RNN on the unordered memory ρ(s) ~ U[0, 1]
 * noOrder.runPoint(tiny, { model: 'shift-register', variant: 'original', seed: 1 }); // → { testMse: 0 }
 * ```
 */
export const noOrder: Experiment<NoOrderConfig, Params, NoOrderPoint> = {
  name: 'no-order',
  title: 'Memory without temporal order: RNN vs Transformer',
  paperRef: 'Table 3',
  description:
    'Linear memory ρ(s) ~ U[0,1] i.i.d. (τ = 32): linear RNN vs Transformer, original vs time-permuted target, plus the exact shift-register RNN to separate optimisation from approximation failure.',
  presets: {
    tiny: { seed: 1, ...TINY_MEMORY },
    quick: { seed: 1, ...QUICK_MEMORY },
    // standard: Table 2's standard Transformer (sinusoidal encoding) and plateau stop, capped at 1500 iterations: on
    // this unordered memory the sinusoidal encoding reaches only 1.43% of the variance after 1500 iterations (seed 1;
    // not compared side by side with the learned encoding), so the cap bounds the cost
    standard: {
      seed: 1,
      ...QUICK_MEMORY,
      trainSize: 128,
      testSize: 512,
      transformer: STANDARD_TRANSFORMER,
      fitRnn: { adamSteps: 40, lr: 1e-2, lbfgsIter: 1000, gtol: 1e-9 },
      fitTransformer: { adamSteps: 50, lr: 5e-3, lbfgsIter: 1500, gtol: 1e-6, plateau: STANDARD_PLATEAU },
    },
    full: { seed: 1, tau: 32, ...FULL_MEMORY },
  },
  expectedTime: {
    tiny: 'a few seconds',
    quick: 'about 40 s of CPU',
    standard: 'about 4.4 CPU-min (measured: 265 CPU-s in the standard run of 2026-11-30)',
    full: 'about 1 CPU-hour (10 Transformer points of ~3.5 min, 10 RNN points)',
  },
  pointFilters: ['model', 'variant', 'seed'],
  plan: (c) => {
    const pts: Point<Params>[] = [];
    for (const model of ['rnn', 'transformer', 'shift-register'] as const)
      for (const variant of VARIANTS) {
        for (const seed of model === 'shift-register' ? [c.seed] : replicateSeeds(c))
          pts.push({ key: `${model} ${variant} seed=${seed}`, params: { model, variant, seed } });
      }
    return pts;
  },
  pointCost: (_c, p) => (p.model === 'rnn' ? 3 : p.model === 'transformer' ? 5 : 0.05),
  runPoint: (c, p) => {
    const { rho, targets } = setup(c);
    if (p.model === 'shift-register')
      return { testMse: shiftRegisterMse(c, rho, targets[p.variant], p.seed, 'table3') };
    return fitMemoryModel(c, p.model, targets[p.variant], p.seed, 'table3');
  },
  assemble,
};

/**
 * `run(config, { onProgress })` for this experiment.
 *
 * @example
 * ```ts
 * const r = await runNoOrder(noOrder.presets.tiny); // 6 points
 * r.paperVerdict.verdict; // → 'unresolved'
 * r.paperVerdict.summary;
 * // → 'test MSE / variance: RNN 0.0126 (original), 0.103 (permuted); Transformer 0.68, 0.943 (paper: …)'
 * r.tables[0]!.title; // → 'Table 3: test MSE, median over seeds (paper beside ours)'
 * ```
 */
export function run(config: NoOrderConfig, opts: RunOptions = {}): ReturnType<typeof runExperiment> {
  return runExperiment(noOrder, config, opts);
}

/** The memory ρ (seeded by the base seed), the time permutation, and the two targets. */
export function setup(c: NoOrderConfig): {
  rho: Float64Array;
  perm: Int32Array;
  targets: Record<'original' | 'permuted', Target>;
} {
  const base = randomKernelTarget({ tau: c.tau, seed: pointSeed(c.seed, 'memory') });
  const perm = createRng(pointSeed(c.seed, 'permutation')).permutation(c.tau);
  return { rho: base.rho, perm, targets: { original: base, permuted: permuteTime(perm).target(base) } };
}

type Out = PointOutcome<Params, NoOrderPoint>;
type TrainedOut = PointOutcome<Params & { model: Trained }, MemoryFitResult>;

/**
 * Whether a point trained a model: runPoint returns a MemoryFitResult exactly for these (the shift
 * register is built, not trained).
 */
function isTrained(p: Out): p is TrainedOut {
  return p.params.model !== 'shift-register';
}

/** The trained results of one model and variant, in plan order. */
function fits(pts: Out[], m: Trained, v: Variant): MemoryFitResult[] {
  return pts.filter(isTrained).flatMap((p) => (p.params.model === m && p.params.variant === v ? [p.result] : []));
}

function assemble(c: NoOrderConfig, pts: Out[]): Assembled {
  const mses = (m: Model, v: Variant): number[] =>
    pts.filter((p) => p.params.model === m && p.params.variant === v).map((p) => p.result.testMse);
  const med = (m: Model, v: Variant): number => median(mses(m, v));
  const medFit = (m: Trained, v: Variant, f: 'trainMse' | 'gradNorm'): number =>
    median(fits(pts, m, v).map((r) => r[f]));
  const lo = (m: Model, v: Variant): number => Math.min(...mses(m, v));
  const hi = (m: Model, v: Variant): number => Math.max(...mses(m, v));
  const vy = fits(pts, 'rnn', 'original')[0]?.targetVariance ?? NaN;
  const rows = (['rnn', 'transformer'] as const).flatMap((m) =>
    VARIANTS.map((v) => [
      m === 'rnn' ? 'linear RNN' : 'Transformer',
      v,
      jnum(med(m, v)),
      fmtRange(lo(m, v), hi(m, v)),
      jnum(medFit(m, v, 'trainMse')),
      jnum(medFit(m, v, 'gradNorm')),
      PAPER[m][v],
    ]),
  );
  rows.push(
    ...VARIANTS.map((v) => ['exact shift-register RNN', v, jnum(med('shift-register', v)), '–', null, null, '–']),
  );
  const { perm } = setup(c);
  const cks = checks(pts, med, vy);
  return {
    choices: [
      `ρ(s) ~ U[0,1] i.i.d. for s < τ = ${c.tau}, drawn once from the base seed; "permuted": the input's time steps permuted by a seeded random permutation, H̃(x∘p) = H(x)`,
      `RNN: linear, hidden ${c.rnn.hidden} (paper 128; ≥ τ so the shift register exists); Transformer as in Table 2 (${c.transformer.positionEncoding} position encoding)`,
      `training: ${c.trainSize} sequences, full-batch Adam then L-BFGS; ${c.seeds} seed(s); test MSE on ${c.testSize} fresh sequences`,
    ],
    data: {
      rho: Array.from(setup(c).rho),
      permutation: Array.from(perm),
      targetVariance: jnum(vy),
      points: pts.map((p) => ({ key: p.key, ...p.result })) as Json,
    },
    tables: [
      {
        title: 'Table 3: test MSE, median over seeds (paper beside ours)',
        columns: ['model', 'target', 'ours: test MSE', 'min – max', 'train MSE', '‖∇‖ at stop', 'paper'],
        rows,
        note: `Target variance ≈ ${fmtNum(vy)}; the paper's RNN MSE (5.58) means a complete failure.`,
      },
    ],
    figures: [
      {
        file: 'figures/no-order.svg',
        caption:
          'Table 3 as bars: test MSE (median, min–max bars), log scale; the exact shift-register RNN shows what a linear RNN can represent.',
        spec: {
          kind: 'bar',
          title: 'Table 3: memory without order',
          yLabel: 'test MSE',
          yScale: 'log',
          categories: [...VARIANTS],
          groups: [
            {
              label: 'linear RNN (trained)',
              values: VARIANTS.map((v) => jnum(med('rnn', v))),
              lo: VARIANTS.map((v) => jnum(lo('rnn', v))),
              hi: VARIANTS.map((v) => jnum(hi('rnn', v))),
            },
            {
              label: 'Transformer (trained)',
              values: VARIANTS.map((v) => jnum(med('transformer', v))),
              lo: VARIANTS.map((v) => jnum(lo('transformer', v))),
              hi: VARIANTS.map((v) => jnum(hi('transformer', v))),
            },
            { label: 'shift-register RNN (exact)', values: VARIANTS.map((v) => jnum(med('shift-register', v))) },
          ],
        },
      },
    ],
    checks: cks,
    paperVerdict: paperVerdictOf(
      'Table 3',
      cks,
      `test MSE / variance: RNN ${fmtNum(med('rnn', 'original') / vy)} (original), ${fmtNum(med('rnn', 'permuted') / vy)} (permuted); Transformer ${fmtNum(med('transformer', 'original') / vy)}, ${fmtNum(med('transformer', 'permuted') / vy)} (paper: RNN 5.58 / 5.24, Transformer 5.43e-4 / 5.36e-4)`,
    ),
    notes: [
      'An exact error of 0 (the shift-register RNN) is drawn as a hollow diamond on the "0" floor of the log axis.',
    ],
  };
}

function checks(pts: Out[], med: (m: Model, v: Variant) => number, vy: number): Check[] {
  const rnn = med('rnn', 'original'),
    tr = med('transformer', 'original'),
    sr = med('shift-register', 'original');
  const tp = med('transformer', 'permuted') / tr;
  const rel = (m: Trained, v: Variant): number[] => fits(pts, m, v).map((r) => r.testMse / vy);
  const capped = (m: Trained): number =>
    pts.filter(isTrained).filter((p) => p.params.model === m && p.result.lbfgsReason === 'maxIter').length;
  // the Transformer is converged when its test MSE is ≤ 1% of the variance on both targets and L-BFGS stopped by tolerance
  const trRel = [...rel('transformer', 'original'), ...rel('transformer', 'permuted')];
  // (a partial run without Transformer points has nothing to decide with: not converged, hence unresolved)
  const trConv = trRel.length > 0 && trRel.every((r) => r <= CONVERGED) && capped('transformer') === 0;
  // the RNN fits robustly when every seed reaches ≤ 1% of the variance: the paper's failure (5.58) is then contradicted
  const rnnFits = rel('rnn', 'original').length > 0 && rel('rnn', 'original').every((r) => r <= CONVERGED);
  const beats = tr < rnn;
  const trRatios = pts
    .filter((p) => p.params.model === 'transformer' && p.params.variant === 'permuted')
    .map((p) => {
      const o = pts.find(
        (q) => q.params.model === 'transformer' && q.params.variant === 'original' && q.params.seed === p.params.seed,
      );
      return p.result.testMse / (o?.result.testMse ?? NaN);
    });
  const robust = (q: number): boolean => q < 3 && q > 1 / 3;
  const permOk = robust(tp),
    permAgree = trRatios.length > 0 && trRatios.every((q) => robust(q) === permOk);
  const conv = trConv
    ? 'the Transformer is converged (test MSE ≤ 1% of the variance, L-BFGS stopped by tolerance)'
    : `the Transformer is not converged (test MSE ${fmtNum((100 * tr) / vy)}% of the variance, L-BFGS capped at ${capped('transformer')} point(s)), so this is unresolved at this budget (the standard preset trains longer)`;
  return [
    {
      id: 'transformer-beats-rnn',
      claim:
        "without temporal order the Transformer fits the memory better than the RNN (the paper's RNN fails: MSE 5.58)",
      pass: beats,
      verdict: beats ? verdictOf(true, { resolved: trConv }) : rnnFits ? 'contradicted' : 'unresolved',
      numbers: {
        rnnMse: jnum(rnn),
        transformerMse: jnum(tr),
        rnnWorstMseOverVariance: jnum(Math.max(...rel('rnn', 'original'))),
        shiftRegisterMse: jnum(sr),
      },
      paper: 'RNN 5.58 vs Transformer 5.43e-4',
      explanation: beats
        ? `the Transformer's MSE is ${fmtNum(rnn / tr)}× lower; ${conv}`
        : rnnFits
          ? `every seed's RNN reaches ≤ ${100 * CONVERGED}% of the target variance (median ${fmtNum((100 * rnn) / vy)}%; paper: 5.58, a complete failure): the RNN's failure in the paper is contradicted — robustly, since a linear RNN with hidden ≥ τ represents this causal target exactly (the shift register, MSE ${fmtNum(sr)}) and more budget only lowers its error; the paper's failure was its optimiser's`
          : `in our budget neither model clearly wins (RNN ${fmtNum((100 * rnn) / vy)}%, Transformer ${fmtNum((100 * tr) / vy)}% of the variance); ${conv}`,
    },
    {
      id: 'transformer-permutation-robust',
      claim: 'the Transformer is unaffected by permuting time (ratio within 3×, every seed)',
      pass: permOk,
      verdict: verdictOf(permOk, { resolved: trConv && permAgree, robust: trConv && permAgree }),
      numbers: { ratio: jnum(tp), perSeedMin: jnum(Math.min(...trRatios)), perSeedMax: jnum(Math.max(...trRatios)) },
      paper: '5.43e-4 → 5.36e-4',
      explanation: `${permOk ? 'a permutation only relabels positions, which the position encoding absorbs' : `the ratio is ${fmtNum(tp)}`}; ${conv}${permAgree ? '' : '; the seeds disagree'}`,
    },
    {
      id: 'rnn-failure-is-optimisation',
      claim:
        '(engine self-check) the exact shift-register RNN (hidden ≥ τ) represents the unordered memory: test MSE ≤ 1e-20',
      pass: sr <= 1e-20,
      verdict: 'engine',
      numbers: { shiftRegisterMse: jnum(sr), trainedRnnMse: jnum(rnn), targetVariance: jnum(vy) },
      explanation:
        sr <= 1e-20
          ? `the exact shift-register RNN reaches MSE ${fmtNum(sr)}: a failing trained RNN would fail to optimise, not to approximate (this checks seqrate's RNN, not the paper)`
          : `the shift-register RNN has MSE ${fmtNum(sr)}: a bug in seqrate's RNN or the construction`,
    },
  ];
}

/** Test MSE ≤ this fraction of the target variance counts as converged / fitted. */
export const CONVERGED = 0.01;
