/**
 * `rnn-vs-transformer` — Table 2 of Jiang & Li (2024): the linear target ρ(s) = e^{−s}, τ = 32,
 * x ~ U[0,1]; a linear RNN vs the paper's Transformer with position encoding, on the original
 * target, after re-ordering time (swap the first and last 10 steps) and after mixing time with a
 * length-5 filter. Prop. 6.3: the RNN degrades under ordering (the target leaves its causal
 * space) but not under (causal) mixing; the Transformer the reverse.
 */
import { createRng } from '../linalg/index.js';
import {
  isCausal,
  linearMemoryTarget,
  mixTime,
  permuteTime,
  randomFilter,
  swapEnds,
  type Target,
} from '../theory/index.js';
import type { Check, Figure, Json } from '../report/schema.js';
import { fmtNum, fmtRange } from '../report/format.js';
import { jnum, median } from './fit.js';
import {
  FULL_MEMORY,
  QUICK_MEMORY,
  TINY_MEMORY,
  STANDARD_PLATEAU,
  STANDARD_TRANSFORMER,
  fitMemoryModel,
  logitRankBound,
  replicateSeeds,
  type MemoryConfig,
  type MemoryFitResult,
} from './memory-common.js';
import { runExperiment } from './runner.js';
import { paperVerdictOf, verdictOf } from './verdicts.js';
import { pointSeed, type Assembled, type Experiment, type Point, type PointOutcome, type RunOptions } from './types.js';

/** Config of rnn-vs-transformer. */
export type RnnVsTransformerConfig = MemoryConfig & {
  /** Steps swapped at each end by the ordering alteration. */
  swap: number;
  filterLength: number;
  /** 'causal' (default, [ours]) or 'forward' (as printed; non-causal). */
  mixBoundary: string;
};

/** A sweep point: the model, the alteration of time and the replicate seed (results: MemoryFitResult). */
export type RnnVsTransformerParams = {
  model: 'rnn' | 'transformer';
  alteration: 'original' | 'ordering' | 'mixing';
  seed: number;
};
type Params = RnnVsTransformerParams;
type Model = Params['model'];
type Alteration = Params['alteration'];
/** A numeric field of a point result that the table and checks summarise over seeds. */
type Field = 'testMse' | 'trainMse' | 'gradNorm';
const ALTERATIONS = ['original', 'ordering', 'mixing'] as const;
const MODELS = ['rnn', 'transformer'] as const;
const PAPER: Record<Model, Record<Alteration, number>> = {
  rnn: { original: 1.02e-7, ordering: 3.57e-2, mixing: 1.58e-7 },
  transformer: { original: 2.18e-5, ordering: 2.51e-5, mixing: 2.39e-4 },
};

const common = { tau: 32, swap: 10, filterLength: 5, mixBoundary: 'causal', rnn: { hidden: 32, initRadius: 0.9 } };

/**
 * The experiment definition.
 *
 * @example
 * ```ts
 * const tiny = rnnVsTransformer.presets.tiny;
 * rnnVsTransformer.plan(tiny).map((p) => p.key);
 * // → ['rnn original seed=1', 'rnn ordering seed=1', 'rnn mixing seed=1',
 * //    'transformer original seed=1', 'transformer ordering seed=1', 'transformer mixing seed=1']
 * // one point: the linear RNN fitted to the time-swapped ρ(s) = e^−s target
 * const r = rnnVsTransformer.runPoint(tiny, { model: 'rnn', alteration: 'ordering', seed: 1 });
 * [r.testMse, r.targetVariance]; // ≈ [0.08173, 0.1021]
 * ```
 */
export const rnnVsTransformer: Experiment<RnnVsTransformerConfig, Params, MemoryFitResult> = {
  name: 'rnn-vs-transformer',
  title: 'RNN vs Transformer under re-ordering and mixing of time',
  paperRef: 'Table 2',
  description:
    'Linear memory ρ(s) = e^-s, τ = 32: linear RNN vs Transformer with position encoding on the original target, time re-ordered (swap first/last 10) and time mixed (length-5 causal filter); MSE over seeds.',
  presets: {
    tiny: { seed: 1, ...common, ...TINY_MEMORY, swap: 3, filterLength: 3 },
    quick: { seed: 1, ...common, ...QUICK_MEMORY },
    // standard: the Transformer of quick with the fixed sinusoidal encoding (measured on seed 1, original target: the
    // learned encoding reached 9.6% of the variance after 400 L-BFGS iterations, the sinusoidal 4.2%, and 0.32% after
    // 1500) and L-BFGS until the loss plateaus (< 5% lower over 200 iterations) or 3500 iterations (at 2500, one seed
    // of the original was still capped at 0.18% of the variance); the RNN reaches ≤ 1.2e-6 of the variance in 400
    standard: {
      seed: 1,
      ...common,
      ...QUICK_MEMORY,
      trainSize: 96,
      testSize: 512,
      transformer: STANDARD_TRANSFORMER,
      fitRnn: { adamSteps: 40, lr: 1e-2, lbfgsIter: 400, gtol: 1e-9 },
      fitTransformer: { adamSteps: 50, lr: 5e-3, lbfgsIter: 3500, gtol: 1e-6, plateau: STANDARD_PLATEAU },
    },
    full: { seed: 1, ...common, ...FULL_MEMORY },
  },
  expectedTime: {
    tiny: 'a few seconds',
    quick: 'about 60 s of CPU',
    standard:
      'about 9 CPU-min (measured: 541 CPU-s in the standard run of 2026-11-30; Transformer points 32–55 CPU-s each)',
    full: 'about 1.3 CPU-hours (15 Transformer points of ~3.5 min measured, 15 RNN points)',
  },
  pointFilters: ['model', 'alteration', 'seed'],
  plan: (c) =>
    MODELS.flatMap((model) =>
      ALTERATIONS.flatMap((alteration) =>
        replicateSeeds(c).map(
          (seed): Point<Params> => ({
            key: `${model} ${alteration} seed=${seed}`,
            params: { model, alteration, seed },
          }),
        ),
      ),
    ),
  pointCost: (_c, p) => (p.model === 'rnn' ? 3 : 5),
  runPoint: (c, p) => fitMemoryModel(c, p.model, targets(c)[p.alteration], p.seed, 'table2'),
  assemble,
};

/**
 * `run(config, { onProgress })` for this experiment.
 *
 * @example
 * ```ts
 * const r = await runRnnVsTransformer(rnnVsTransformer.presets.tiny); // 6 points
 * r.checks.map((c) => c.id);
 * // → ['rnn-degrades-under-ordering', 'rnn-robust-to-mixing', 'transformer-robust-to-ordering',
 * //    'transformer-degrades-under-mixing']
 * r.paperVerdict.verdict; // → 'unresolved' (the tiny budget resolves none of them)
 * ```
 */
export function run(config: RnnVsTransformerConfig, opts: RunOptions = {}): ReturnType<typeof runExperiment> {
  return runExperiment(rnnVsTransformer, config, opts);
}

/** The mixing filter θ of a config (seeded by the base seed, identical for every point). */
export function filterOf(c: RnnVsTransformerConfig): Float64Array {
  return randomFilter(createRng(pointSeed(c.seed, 'filter')), c.filterLength);
}

/** The original target and its two alterations. */
export function targets(c: RnnVsTransformerConfig): Record<(typeof ALTERATIONS)[number], Target> {
  const base = linearMemoryTarget((s: number) => Math.exp(-s));
  return {
    original: base,
    ordering: permuteTime(swapEnds(c.tau, c.swap)).target(base),
    mixing: mixTime(filterOf(c), { boundary: c.mixBoundary as 'causal' }).target(base),
  };
}

type Out = PointOutcome<Params, MemoryFitResult>;

function assemble(c: RnnVsTransformerConfig, pts: Out[]): Assembled {
  const med = (model: Model, alt: Alteration, f: Field = 'testMse'): number =>
    median(pts.filter((p) => p.params.model === model && p.params.alteration === alt).map((p) => p.result[f]));
  const span = (model: Model, alt: Alteration): [number, number] => {
    const v = pts.filter((p) => p.params.model === model && p.params.alteration === alt).map((p) => p.result.testMse);
    return [Math.min(...v), Math.max(...v)];
  };
  const tg = targets(c);
  const causal = Object.fromEntries(
    ALTERATIONS.map((a) => [a, isCausal(tg[a], { tau: c.tau, d: 1, seed: c.seed }).causal]),
  );
  const rows = MODELS.flatMap((m) =>
    ALTERATIONS.map((a) => [
      m === 'rnn' ? 'linear RNN' : 'Transformer',
      a,
      jnum(med(m, a)),
      fmtRange(span(m, a)[0], span(m, a)[1]),
      jnum(med(m, a, 'trainMse')),
      jnum(med(m, a, 'gradNorm')),
      PAPER[m][a],
    ]),
  );
  const ratio = (m: Model, a: Alteration): number => med(m, a) / med(m, 'original');
  const figures: Figure[] = [
    {
      file: 'figures/rnn-vs-transformer.svg',
      caption: 'Table 2 as bars: test MSE (median over seeds, min–max bars), log scale.',
      spec: {
        kind: 'bar',
        title: 'Table 2: ρ(s) = e^−s, τ = ' + c.tau,
        yLabel: 'test MSE',
        yScale: 'log',
        categories: [...ALTERATIONS],
        groups: MODELS.map((m) => ({
          label: m === 'rnn' ? 'linear RNN' : 'Transformer',
          values: ALTERATIONS.map((a) => jnum(med(m, a))),
          lo: ALTERATIONS.map((a) => jnum(span(m, a)[0])),
          hi: ALTERATIONS.map((a) => jnum(span(m, a)[1])),
        })),
      },
    },
  ];
  const cks = checks(c, pts, ratio, causal);
  return {
    choices: [
      `mixing filter: θ ~ U[0,1]^${c.filterLength} normalised to ‖θ‖₁ = 1, boundary '${c.mixBoundary}' (${c.mixBoundary === 'causal' ? 'causal: (θ∗x)(t) = Σ θ(s) x(t−s), our default; the printed forward filter makes the target non-causal' : 'forward, as printed: non-causal'}); θ = [${Array.from(
        filterOf(c),
      )
        .map((v) => fmtNum(v))
        .join(', ')}]`,
      `ordering: swap the first and last ${c.swap} steps (τ = ${c.tau}); the altered target is H̃(x∘p) = H(x)`,
      `RNN: linear, hidden ${c.rnn.hidden} (paper 128); Transformer: n = ${c.transformer.n}, m_h = ${c.transformer.mh}, m_v = ${c.transformer.mv}, FFN ${c.transformer.ffnWidth}×${c.transformer.ffnDepth} (${c.transformer.activation}), ${c.transformer.positionEncoding} position encoding (dim ${c.transformer.peDim}) concatenated to the token`,
      `training: ${c.trainSize} sequences, full-batch Adam then L-BFGS (RNN ${c.fitRnn.adamSteps}+${c.fitRnn.lbfgsIter}, Transformer ${c.fitTransformer.adamSteps}+${c.fitTransformer.lbfgsIter}); test MSE on ${c.testSize} fresh sequences; ${c.seeds} seed(s)`,
    ],
    data: {
      causal,
      filter: Array.from(filterOf(c)),
      medians: Object.fromEntries(
        MODELS.map((m) => [m, Object.fromEntries(ALTERATIONS.map((a) => [a, jnum(med(m, a))]))]),
      ) as Json,
      points: pts.map((p) => ({ key: p.key, ...p.result })) as Json,
    },
    tables: [
      {
        title: 'Table 2: test MSE, median over seeds (paper beside ours)',
        columns: ['model', 'target', 'ours: test MSE', 'min – max', 'train MSE', '‖∇‖ at stop', 'paper'],
        rows,
        note: `Target variance ≈ ${fmtNum(pts[0]?.result.targetVariance ?? NaN)}. Altered targets causal? ${ALTERATIONS.map((a) => `${a}: ${causal[a] ? 'yes' : 'no'}`).join(', ')}.`,
      },
    ],
    figures,
    checks: cks,
    paperVerdict: paperVerdictOf(
      'Table 2',
      cks,
      `RNN ×${fmtNum(ratio('rnn', 'ordering'))} under ordering, ×${fmtNum(ratio('rnn', 'mixing'))} under mixing; Transformer ×${fmtNum(ratio('transformer', 'ordering'))} under ordering, ×${fmtNum(ratio('transformer', 'mixing'))} under mixing (paper: ×3.5e5, ×1.5, ×1.15, ×11); test MSE / variance on the original: RNN ${fmtNum(convergence(pts, 'rnn').relMse)}, Transformer ${fmtNum(convergence(pts, 'transformer').relMse)}`,
    ),
    notes: [
      `"Degrades" means the median test MSE grows by at least ${DEGRADE}× over the original target (the paper's Transformer grows ~11× under mixing, its RNN ~3.5e5× under ordering). A ratio decides the claim only for a converged model (test MSE ≤ ${100 * CONVERGED}% of the target variance, L-BFGS stopped by its tolerance) whose seeds agree; otherwise the check is unresolved.`,
    ],
  };
}

/** Per model: converged on the original target (test MSE ≤ 1% of the variance and L-BFGS stopped by tolerance at every seed, or test MSE ≤ EXACT × variance). */
type Conv = { converged: boolean; relMse: number; capped: number; points: number };

/** Convergence of one model's points: the Table 2 models must be converged for a ratio to mean anything. */
export function convergence(pts: Out[], model: Model): Conv {
  const mine = pts.filter((p) => p.params.model === model);
  const orig = mine.filter((p) => p.params.alteration === 'original');
  const relMse = median(orig.map((p) => p.result.testMse / p.result.targetVariance));
  // converged where it can be: on the original target (an altered target may leave the model's space)
  const capped = orig.filter((p) => p.result.lbfgsReason === 'maxIter').length;
  return { converged: relMse <= CONVERGED && (capped === 0 || relMse <= EXACT), relMse, capped, points: orig.length };
}

/** Test MSE ≤ this fraction of the target variance counts as converged (with L-BFGS stopped by its tolerance). */
export const CONVERGED = 0.01;
/** A test MSE this small relative to the variance counts as converged even when L-BFGS stopped by its cap (no ratio threshold can hinge on the rest). */
export const EXACT = 1e-4;
/** "Degrades": the median test MSE grows by at least this factor over the original target. */
export const DEGRADE = 3;

/** Ratio altered / original per seed (paired by seed). */
function seedRatios(pts: Out[], m: Model, a: Alteration): number[] {
  const by = (alt: Alteration): Map<number, number> =>
    new Map(
      pts
        .filter((p) => p.params.model === m && p.params.alteration === alt)
        .map((p) => [p.params.seed, p.result.testMse]),
    );
  const o = by('original'),
    x = by(a);
  return [...x.entries()].flatMap(([s, v]) => (o.has(s) ? [v / o.get(s)!] : []));
}

function checks(
  c: RnnVsTransformerConfig,
  pts: Out[],
  ratio: (m: Model, a: Alteration) => number,
  causal: Record<string, boolean>,
): Check[] {
  const conv: Record<Model, Conv> = { rnn: convergence(pts, 'rnn'), transformer: convergence(pts, 'transformer') };
  const mk = (id: string, claim: string, m: Model, a: Alteration, degrade: boolean, why: string): Check => {
    const r = ratio(m, a),
      per = seedRatios(pts, m, a);
    const pass = degrade ? r >= DEGRADE : r < DEGRADE;
    const agree = per.length > 0 && per.every((q) => (degrade ? q >= DEGRADE : q < DEGRADE) === pass);
    const cv = conv[m];
    // a failure is robust only when the altered fits also stopped by tolerance: a capped one could still improve
    const alteredCapped = pts.filter(
      (p) => p.params.model === m && p.params.alteration === a && p.result.lbfgsReason === 'maxIter',
    ).length;
    // the logits q_tᵀk_s have rank at most min(m_h, n, FFN width + 1) (logitRankBound): below τ the attention cannot
    // represent every τ×τ logit matrix, and a re-ordered or mixed memory may be harder for this smaller Transformer
    // without saying anything about the paper's (m_h = n = τ = 32, FFN width 128)
    const t = c.transformer;
    const rank = logitRankBound(t);
    const small = m === 'transformer' && rank < c.tau;
    const verdict = verdictOf(pass, {
      resolved: cv.converged && agree,
      robust: cv.converged && agree && alteredCapped === 0 && !small,
    });
    const bound = `min(m_h, n, FFN width + 1) = ${rank} < τ = ${c.tau} (m_h = ${t.mh}, n = ${t.n}, FFN width ${t.ffnWidth}; the paper's: m_h = n = 32, width 128)`;
    const size =
      small && !pass && cv.converged && agree
        ? ` This Transformer's logits have rank at most ${bound}, so they cannot take every τ×τ pattern; a failure at this size does not contradict the paper's claim about its Transformer — unresolved here: deciding it needs a logit rank bound ≥ τ, trained to convergence on the altered target as well.`
        : small && pass
          ? ` (Measured with a logit rank of at most ${bound}.)`
          : '';
    const pr = PAPER[m][a] / PAPER[m].original;
    const state = cv.converged
      ? `converged (test MSE ${fmtNum(100 * cv.relMse)}% of the variance${cv.capped > 0 ? `; L-BFGS reached its cap at ${cv.capped} seed(s), but at ≤ ${EXACT} of the variance no remaining optimisation changes a ratio by ${DEGRADE}×` : ', L-BFGS stopped by its tolerance or plateau rule, not its cap, at every seed'})${alteredCapped > 0 ? `; on the altered target L-BFGS reached its cap at ${alteredCapped} seed(s)` : ''}`
      : `not converged (test MSE ${fmtNum(100 * cv.relMse)}% of the variance on the original target, L-BFGS stopped by its cap at ${cv.capped} of ${cv.points} seeds): the ratio is optimisation noise, unresolved at this budget (the standard preset trains to convergence)`;
    const seeds = agree ? '' : ` The seeds disagree (per-seed ratios ${per.map((q) => fmtNum(q)).join(', ')}).`;
    return {
      id,
      claim,
      pass,
      verdict,
      numbers: {
        ratioToOriginal: jnum(r),
        perSeedMin: jnum(Math.min(...per)),
        perSeedMax: jnum(Math.max(...per)),
        paperRatio: pr,
        originalMseOverVariance: jnum(cv.relMse),
        lbfgsCapped: cv.capped,
      },
      paper: `${fmtNum(PAPER[m].original)} → ${fmtNum(PAPER[m][a])} (×${fmtNum(pr)})`,
      explanation: `${pass ? why : `the ratio is ${fmtNum(r)}, ${degrade ? 'below' : 'above'} the threshold ${DEGRADE}`}; the model is ${state}.${seeds}${size}`,
    };
  };
  return [
    mk(
      'rnn-degrades-under-ordering',
      'the linear RNN degrades when time is re-ordered',
      'rnn',
      'ordering',
      true,
      `the re-ordered target is ${causal.ordering ? 'causal (unexpected)' : 'non-causal'}: it left the RNN's hypothesis space`,
    ),
    mk(
      'rnn-robust-to-mixing',
      'the linear RNN does not degrade when time is mixed (causal filter)',
      'rnn',
      'mixing',
      false,
      'the mixed memory is a causal convolution θ∗ρ, still a linear causal target',
    ),
    mk(
      'transformer-robust-to-ordering',
      'the Transformer (with position encoding) does not degrade under re-ordering',
      'transformer',
      'ordering',
      false,
      'a permutation of time only relabels the POD bases across positions',
    ),
    mk(
      'transformer-degrades-under-mixing',
      'the Transformer degrades when time is mixed',
      'transformer',
      'mixing',
      true,
      'mixing raises the rank of the coupling, which the attention must resolve',
    ),
  ];
}
