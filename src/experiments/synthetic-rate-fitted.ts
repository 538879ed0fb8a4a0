/**
 * The *fitted* estimate of `synthetic-rate`: an **oracle-initialised achievability certificate**.
 *
 * At each (α, rank, m_h, seed): `fittedConstructiveTransformer` fits small MLPs to the first m_h
 * exact POD terms φ_k = σ_k √2 sin(2kπu), ψ_k = √2 sin(2kπu) (terms k > r are the zero function)
 * and to f(u) = u, F(v) = v — knowledge of the target's POD that training does not have — and
 * returns a `Transformer` with selector W_Q/W_K/W_V and n = 2m_h + 1, m_v = 1 (a different
 * architecture from the trained estimate's n = m_v = 16); the whole model is then fine-tuned on
 * the trained estimate's training data (same seed, same sequences) by float64 L-BFGS. Its error
 * certifies that a Transformer of budget m_h *can* reach that error with FFNs of this size; it
 * does not remove the optimisation error of training from a random init — it bypasses it by
 * oracle initialisation. What remains at m_h ≥ r is the FFN floor (basis fit MSEs reported).
 */
import type { Check, Table } from '../report/schema.js';
import { fmtNum, fmtRange } from '../report/format.js';
import { fittedConstructiveTransformer, type Activation } from '../models/index.js';
import { fitRegression, jnum, median, testMse } from './fit.js';
import {
  inputs,
  rankOf,
  targetOf,
  type FittedConfig,
  type FittedResult,
  type SyntheticRateConfig,
  type SyntheticRateParams,
} from './synthetic-rate-common.js';
import { pointSeed } from './types.js';
import { verdictOf } from './verdicts.js';

export type { FittedConfig } from './synthetic-rate-common.js';

/** Per-m_h summary of the fitted estimate over its seeds (null entries: not computed at that m_h). */
export interface FittedSummary {
  median: number;
  min: number;
  max: number;
  testMedian: number;
  /** Training MSE of the warm start, before fine-tuning (median). */
  warmMedian: number;
  /** Basis fitting MSEs (median over seeds): inner f̂ ≈ (φ, ψ, f), outer F̂ ≈ F. */
  fitInner: number;
  fitOuter: number;
  gradNorm: number;
  reasons: string;
  seeds: number;
}

const s2 = Math.SQRT2;

/** L-BFGS iterations of each basis fit for `terms` non-zero POD terms: fitIter × max(1, terms/2), rounded. */
export function fitIterOf(f: FittedConfig, terms: number): number {
  return Math.round(f.fitIter * Math.max(1, terms / 2));
}

/** Runs one fitted point: basis fits, assembly, L-BFGS fine-tuning, train/test MSE and diagnostics. */
export function fittedPoint(c: SyntheticRateConfig, p: SyntheticRateParams): FittedResult {
  const f = c.fitted;
  const target = targetOf(c, p.alpha, p.rank);
  const sigma = target.spectrum;
  const basis =
    (k: number, scale: number) =>
    (u: Float64Array): number =>
      k < sigma.length ? scale * s2 * Math.sin(2 * (k + 1) * Math.PI * u[0]!) : 0;
  const spec = {
    phi: Array.from({ length: p.mh }, (_, k) => basis(k, sigma[k] ?? 0)),
    psi: Array.from({ length: p.mh }, (_, k) => basis(k, 1)),
    f: (u: Float64Array) => u[0]!,
    F: (v: Float64Array) => v[0]!,
  };
  const terms = Math.min(p.mh, sigma.length),
    fitIter = fitIterOf(f, terms);
  const { model, fitMse } = fittedConstructiveTransformer(spec, {
    d: 1,
    width: f.width,
    depth: f.depth,
    activation: f.activation as Activation,
    samples: f.samples,
    maxIter: fitIter,
    seed: pointSeed(p.seed, 'fitted', p.alpha, p.rank, p.mh),
  });
  // same training / test sequences as the trained estimate of this seed (paired comparison)
  const x = inputs(p.seed, c.trainSize, c.tau, 'train', p.alpha, p.rank);
  const xt = inputs(p.seed, c.testSize, c.tau, 'test', p.alpha, p.rank);
  const y = target.evaluate(x),
    yt = target.evaluate(xt);
  const warmTest = testMse(model, xt, yt);
  // L-BFGS only (no Adam warm-up: the model is already warm-started from the basis fits)
  const rep = fitRegression(model, x, y, { adamSteps: 0, lbfgsIter: f.lbfgsIter, gtol: f.gtol });
  return {
    trainMse: rep.finalLoss,
    testMse: testMse(model, xt, yt),
    warmMse: rep.initialLoss,
    warmTestMse: warmTest,
    fitInner: fitMse.inner,
    fitOuter: fitMse.outer,
    terms,
    fitIter,
    gradNorm: rep.gradNorm,
    lbfgsIterations: rep.lbfgsIterations,
    lbfgsReason: rep.lbfgsReason,
  };
}

/** Summarises the fitted points of one (α, rank, m_h); null when the plan has none there. */
export function summariseFitted(results: FittedResult[]): FittedSummary | null {
  if (results.length === 0) return null;
  const mses = results.map((t) => t.trainMse);
  return {
    median: median(mses),
    min: Math.min(...mses),
    max: Math.max(...mses),
    testMedian: median(results.map((t) => t.testMse)),
    warmMedian: median(results.map((t) => t.warmMse)),
    fitInner: median(results.map((t) => t.fitInner)),
    fitOuter: median(results.map((t) => t.fitOuter)),
    gradNorm: median(results.map((t) => t.gradNorm)),
    reasons: [...new Set(results.map((t) => String(t.lbfgsReason)))].join('/'),
    seeds: results.length,
  };
}

/** The curve fields the fitted table and check need. */
interface FCurve {
  alpha: number;
  rank: number | string;
  mh: number[];
  cons: { mse: number }[];
  trained: ({ median: number } | null)[];
  fitted: (FittedSummary | null)[];
}

/** Table of the fitted estimate next to the constructive and trained ones, with its diagnostics. */
export function fittedTable(c: SyntheticRateConfig, cvs: FCurve[]): Table {
  const rows = cvs.flatMap((v) =>
    v.mh.flatMap((mh, i) => {
      const s = v.fitted[i];
      if (!s) return [];
      return [
        [
          v.alpha,
          String(v.rank),
          mh,
          jnum(v.cons[i]!.mse),
          jnum(v.trained[i]?.median ?? NaN),
          jnum(s.median),
          fmtRange(s.min, s.max),
          jnum(s.testMedian),
          jnum(s.warmMedian),
          jnum(s.fitInner),
          jnum(s.fitOuter),
          jnum(s.gradNorm),
          s.reasons,
        ],
      ];
    }),
  );
  return {
    title: `Fitted estimate (oracle-initialised achievability certificate: FFN fits of the exact POD bases, n = 2m_h + 1, m_v = 1 — not the trained architecture — then L-BFGS; MSE per token; median over ${c.fitted.seeds} seed(s))`,
    columns: [
      'α',
      'rank',
      'm_h',
      'constructive MSE',
      'trained MSE (median)',
      'fitted MSE (median)',
      'fitted min – max',
      'fitted test MSE',
      'warm start MSE (before fine-tuning)',
      'basis fit MSE f̂ (φ, ψ, f)',
      'basis fit MSE F̂',
      '‖∇‖ at stop',
      'L-BFGS stop',
    ],
    rows,
    note: "The basis fit MSEs are the mean squared error of the fitted FFNs over their 2m_h + 1 (f̂) and 1 (F̂) outputs on the fit samples: the FFN floor of this estimate. The warm start is the fitted constructive model before any training on the target's data.",
  };
}

/** Drop threshold of `fitted-collapse`: one decade (set before measuring; see the check's claim). */
export const FITTED_DROP = 10;

/**
 * `fitted-collapse`: finite rank r, the fitted training MSE (median over seeds) at every m_h ≥ r
 * where it is computed is ≥ FITTED_DROP× below its value at m_h = 1. Same style as
 * trained-collapse (ratio of medians), but over all m_h ≥ r (the worst one counts).
 */
export function fittedCollapseCheck(c: SyntheticRateConfig, cvs: FCurve[]): Check {
  const cases = cvs
    .filter((v) => v.rank !== 'inf')
    .flatMap((v) => {
      const i1 = v.mh.indexOf(1),
        s1 = i1 >= 0 ? v.fitted[i1] : null;
      if (!s1) return [];
      return v.mh.flatMap((mh, i) => {
        const s = v.fitted[i];
        return mh >= rankOf(c, v.rank) && s
          ? [{ v, mh, drop: s1.median / s.median, floor: s.median, inner: s.fitInner }]
          : [];
      });
    });
  const minDrop = cases.length > 0 ? Math.min(...cases.map((t) => t.drop)) : NaN;
  const pass = minDrop >= FITTED_DROP;
  const worst = cases.find((t) => t.drop === minDrop);
  return {
    id: 'fitted-collapse',
    claim: `finite rank r: the oracle-initialised Transformer's error at every m_h ≥ r is ≥ ${FITTED_DROP}× below its value at m_h = 1 (achievability: the collapse is reachable with FFNs of this size)`,
    pass,
    verdict: verdictOf(pass, { resolved: cases.length > 0 }),
    numbers: Object.fromEntries([
      ['minDropFactor', jnum(minDrop)],
      ['threshold', FITTED_DROP],
      ['cases', cases.length],
      ...cases.map((t) => [`α=${t.v.alpha} r=${t.v.rank} m_h=${t.mh}`, jnum(t.floor)]),
    ]),
    paper: 'Fig. 5: error near zero once m_h ≥ r',
    explanation:
      cases.length === 0
        ? 'no fitted point at m_h = 1 and at some m_h ≥ r of a finite rank'
        : pass
          ? `started from an oracle (FFN fits of the exact POD bases), the error falls by at least ${fmtNum(minDrop)}× once m_h reaches the rank; what remains is the FFN floor (basis fit MSE shown in the fitted table). The threshold, one decade, was fixed before measuring: well outside the seed-to-seed spread of the trained curve at fixed m_h (min–max within about 3× at the quick preset) and well below the gap expected once the attention term is resolved (m_h = 1 errors of 1e-3 to 1e-2 against an FFN floor set by basis fits of 1e-6 to 1e-2)`
          : `the drop is only ${fmtNum(minDrop)}× (worst: α=${worst?.v.alpha}, r=${worst?.v.rank}, m_h=${worst?.mh}, basis fit MSE ${fmtNum(worst?.inner ?? NaN)}): the FFN fit of the higher-frequency bases sin(2kπu) is not accurate enough in this budget, so the FFN floor hides the attention term`,
  };
}
