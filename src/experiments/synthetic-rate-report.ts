/**
 * Assembly of `synthetic-rate`: curves per (α, rank), fitted exponents with bootstrap CIs, the
 * bound in both variants, tables, figures and the named checks of the paper's claims.
 */
import type { Check, Figure, Json, Table } from '../report/schema.js';
import type { LineSeries } from '../report/svg.js';
import { fmtNum, fmtRange } from '../report/format.js';
import { fitPowerLaw, measures, transformerBound } from '../theory/index.js';
import { jnum, median } from './fit.js';
import { fittedCollapseCheck, fittedTable, summariseFitted, type FittedSummary } from './synthetic-rate-fitted.js';
import { rankOf, targetOf, type SyntheticRateConfig, type SyntheticRateParams } from './synthetic-rate.js';
import type { Assembled, PointOutcome } from './types.js';

type Out = PointOutcome<SyntheticRateParams, { [k: string]: number | string | number[] }>;

/** One (α, rank) curve. */
interface Curve {
  alpha: number; rank: number | string; mh: number[];
  cons: { mse: number; l1: number; tail: number; uniformMse: number; targetVariance: number }[];
  trained: { median: number; min: number; max: number; testMedian: number; gradNorm: number; reasons: string }[];
  bound: { printed: number; proof: number }[];
  /** The fitted estimate at each m_h (null where the preset does not compute it). */
  fitted: (FittedSummary | null)[];
}

/** Power-law fit summary (exponent p of error ~ m_h^−p). */
interface Fit { alpha: number; estimate: string; exponent: number; lo: number; hi: number; r2: number; theory: number }

const num = (v: unknown): number => (typeof v === 'number' ? v : NaN);

function curves(c: SyntheticRateConfig, pts: Out[]): Curve[] {
  const out: Curve[] = [];
  for (const alpha of c.alphas) for (const rank of c.ranks) {
    const m = measures(targetOf(c, alpha, rank), { alpha, beta: 0.5 });
    const sel = (kind: string, mh: number): Out[] => pts.filter((p) => p.params.kind === kind && p.params.alpha === alpha && p.params.rank === rank && p.params.mh === mh);
    const cv: Curve = { alpha, rank, mh: c.mhs, cons: [], trained: [], bound: [], fitted: [] };
    for (const mh of c.mhs) {
      const r = sel('constructive', mh)[0]!.result;
      cv.cons.push({ mse: num(r.mse), l1: num(r.l1), tail: num(r.tail), uniformMse: num(r.uniformMse), targetVariance: num(r.targetVariance) });
      const tr = sel('trained', mh).map((p) => p.result);
      const mses = tr.map((t) => num(t.trainMse));
      cv.trained.push({ median: median(mses), min: Math.min(...mses), max: Math.max(...mses), testMedian: median(tr.map((t) => num(t.testMse))),
        gradNorm: median(tr.map((t) => num(t.gradNorm))), reasons: [...new Set(tr.map((t) => String(t.lbfgsReason)))].join('/') });
      const b = (variant: 'printed' | 'proof'): number => { const t = transformerBound(m, { tau: c.tau, mh, mff: 1, variant }); return t.prefactor * t.attention; };
      cv.bound.push({ printed: b('printed'), proof: b('proof') });
      cv.fitted.push(summariseFitted(sel('fitted', mh).map((p) => p.result)));
    }
    out.push(cv);
  }
  return out;
}

type Estimate = 'constructive' | 'trained' | 'fitted';

/** The curve value of an estimate at index i (NaN where it is not computed). */
function valueOf(cv: Curve, estimate: Estimate, i: number): number {
  return estimate === 'constructive' ? cv.cons[i]!.mse : estimate === 'trained' ? cv.trained[i]!.median : cv.fitted[i]?.median ?? NaN;
}

function fitCurve(c: SyntheticRateConfig, cv: Curve, estimate: Estimate): Fit | null {
  const idx = cv.mh.map((m, i) => [m, i] as const).filter(([m, i]) => m <= c.fitMaxMh && Number.isFinite(valueOf(cv, estimate, i)));
  const ys = idx.map(([, i]) => valueOf(cv, estimate, i));
  if (idx.length < 3 || ys.some((y) => !(y > 0))) return null;
  const f = fitPowerLaw(idx.map(([m]) => m), ys, { bootstrap: 400, seed: c.seed });
  return { alpha: cv.alpha, estimate, exponent: f.exponent, lo: f.ci95.exponent[0], hi: f.ci95.exponent[1], r2: f.r2, theory: 2 * cv.alpha - 1 };
}

/** Assembles the ExperimentResult parts of synthetic-rate. */
export function assembleSyntheticRate(c: SyntheticRateConfig, pts: Out[]): Assembled {
  const cvs = curves(c, pts);
  const inf = cvs.filter((v) => v.rank === 'inf');
  const fits = inf.flatMap((v) => [fitCurve(c, v, 'constructive'), fitCurve(c, v, 'trained'), fitCurve(c, v, 'fitted')]).filter((f): f is Fit => f !== null);
  const spectra = c.alphas.map((alpha) => {
    const r = pts.find((p) => p.params.kind === 'spectrum' && p.params.alpha === alpha)!.result;
    return { alpha, numeric: r.numeric as number[], prescribed: r.prescribed as number[] };
  });
  return {
    choices: [
      `rank ∞ is represented by its first R = ${c.R} terms; power laws are fitted on m_h ≤ ${c.fitMaxMh} (well below R) and the truncated tail makes the curve bend down near R`,
      `trained estimate: full-batch Adam (${c.fit.adamSteps} steps, lr ${c.fit.lr}) then float64 L-BFGS (≤ ${c.fit.lbfgsIter} iterations, gtol ${c.fit.gtol}) on ${c.trainSize} sequences; median/min/max over ${c.seeds} seed(s); the training MSE is the estimate, as in the paper`,
      `fitted estimate: a trained Transformer of the paper's architecture (n = 2m_h + 1, m_v = 1, selector W_Q/W_K/W_V, FFN width ${c.fitted.width} depth ${c.fitted.depth}, ${c.fitted.activation}), warm-started from FFN fits of the target's first m_h POD terms (${c.fitted.samples} uniform samples, ≤ ${c.fitted.fitIter} × max(1, min(m_h, r)/2) L-BFGS iterations per fit, since the highest frequency to fit grows with the number of terms; terms beyond the rank are the zero function), then fine-tuned as a whole by float64 L-BFGS (≤ ${c.fitted.lbfgsIter} iterations, gtol ${c.fitted.gtol}) on the trained estimate's training sequences of the same seed; m_h ∈ {${c.fitted.mhs.join(', ')}}, ${c.fitted.seeds} seed(s)${c.fitted.seeds < 3 ? ' (fewer than 3 to keep the preset within its time budget)' : ''}. Starting at the constructive solution removes the optimisation error, so its error at m_h ≥ r is the FFN floor (basis fit MSEs reported); the random-init trained estimate is kept as is`,
      `model: n = ${c.model.n}, m_v = ${c.model.mv}, FFN width ${c.model.ffnWidth} depth ${c.model.ffnDepth} (${c.model.activation}), no position encoding (the target is permutation-equivariant)`,
      'error measure: mean squared error per token (the training loss); the L1 error Σ_t |H_t − Ĥ_t| (the theorem\'s left side) is reported for the constructive model and compared with the bound',
      'bound: τ² C_0 × attention term (printed: C_1/m_h^(2α−1); proof: Σ_{k>m_h} σ_k²); the FFN term is omitted because the constructive model uses the exact bases (m_FF → ∞)',
    ],
    data: { curves: cvs as unknown as Json, fits: fits as unknown as Json, spectra: spectra as unknown as Json } as { [k: string]: Json },
    tables: [curveTable(cvs), fittedTable(c, cvs), fitTable(fits)],
    figures: figures(c, cvs, fits, spectra),
    checks: checks(c, cvs, fits),
    notes: notes(cvs),
  };
}

function curveTable(cvs: Curve[]): Table {
  const rows = cvs.flatMap((v) => v.mh.map((mh, i) => {
    const t = v.trained[i]!, k = v.cons[i]!;
    return [v.alpha, String(v.rank), mh, jnum(k.mse), jnum(t.median), fmtRange(t.min, t.max), jnum(t.testMedian), jnum(t.gradNorm), jnum(k.l1), jnum(v.bound[i]!.proof), jnum(v.bound[i]!.printed)];
  }));
  return { title: 'Error vs m_h (MSE per token; L1 = Σ_t |H_t − Ĥ_t| per sequence)', columns: ['α', 'rank', 'm_h', 'constructive MSE', 'trained MSE (median)', 'trained min – max', 'trained test MSE', '‖∇‖ at stop', 'constructive L1', 'bound (proof)', 'bound (printed)'], rows,
    note: 'The paper shows this as curves only (Fig. 5): the error falls with m_h at a rate set by the spectrum and vanishes once m_h ≥ r.' };
}

function fitTable(fits: Fit[]): Table {
  return { title: 'Fitted exponents p of MSE ~ m_h^−p (rank ∞), 95% bootstrap CI', columns: ['α', 'estimate', 'p', '95% CI', 'R²', '2α − 1 (theory)'],
    rows: fits.map((f) => [f.alpha, f.estimate, f.exponent, `[${fmtNum(f.lo)}, ${fmtNum(f.hi)}]`, f.r2, f.theory]) };
}

// palette indices (8 Okabe–Ito colours): ranks 0–2; fitted curves 3, 5, 6; fit lines 4, 7 and 6 (the
// fitted fit shares the colour of the fitted rank-∞ curve it fits)
const FITTED_COLOURS = [3, 5, 6] as const;
const FIT_COLOURS: Record<Estimate, number> = { constructive: 4, trained: 7, fitted: 6 };

const drop = (v: number, floor: number): number | null => (v > floor ? v : null);
const ja = (a: readonly number[]): (number | null)[] => a.map(jnum);

function figures(c: SyntheticRateConfig, cvs: Curve[], fits: Fit[], spectra: { alpha: number; numeric: number[]; prescribed: number[] }[]): Figure[] {
  const figs: Figure[] = c.alphas.map((alpha, ai) => {
    const mine = cvs.filter((v) => v.alpha === alpha);
    const top = Math.max(...mine.flatMap((v) => v.cons.map((k) => k.mse)));
    const series: LineSeries[] = [];
    mine.forEach((v, i) => series.push({ label: `constructive r=${v.rank}`, x: v.mh, y: v.cons.map((k) => drop(k.mse, top * 1e-12)), dash: true, color: i }));
    mine.forEach((v, i) => series.push({ label: `trained r=${v.rank} (median, min–max)`, x: v.mh, y: ja(v.trained.map((t) => t.median)), lo: ja(v.trained.map((t) => t.min)), hi: ja(v.trained.map((t) => t.max)), color: i }));
    mine.forEach((v, i) => {
      const at = v.mh.map((_, j) => j).filter((j) => v.fitted[j] !== null);
      if (at.length === 0) return;
      const fs = at.map((j) => v.fitted[j]!);
      series.push({ label: `fitted r=${v.rank} (warm start + L-BFGS)`, x: at.map((j) => v.mh[j]!), y: ja(fs.map((s) => s.median)), lo: ja(fs.map((s) => s.min)), hi: ja(fs.map((s) => s.max)), color: FITTED_COLOURS[i % FITTED_COLOURS.length]! });
    });
    const fl = fits.filter((f) => f.alpha === alpha).map((f) => {
      const mh = [c.mhs[0]!, Math.min(c.fitMaxMh, c.mhs[c.mhs.length - 1]!)] as [number, number];
      const v = mine.find((x) => x.rank === 'inf')!;
      const y0 = valueOf(v, f.estimate as Estimate, 0);
      return { label: `${f.estimate} fit: slope −${fmtNum(f.exponent)} (2α−1 = ${fmtNum(f.theory)})`, x: mh, y: [y0, y0 * Math.pow(mh[1] / mh[0], -f.exponent)] as [number, number], color: FIT_COLOURS[f.estimate as Estimate] };
    });
    return { file: `figures/synthetic-rate-alpha${ai}.svg`, caption: `Error vs m_h for σ_k = k^−${alpha} (log–log). Constructive (dashed; ≈ 0 once m_h ≥ r, not drawn), trained from random init (solid, min–max bars), fitted = warm start from FFN fits of the POD bases + L-BFGS (solid, own colours, min–max bars), power laws fitted on rank ∞.`,
      spec: { kind: 'line', title: `synthetic-rate: σ_k = k^−${alpha}`, xLabel: 'm_h', yLabel: 'MSE per token', xScale: 'log', yScale: 'log', series, fits: fl, width: 1040, height: 480, legend: 'right' } };
  });
  const inf = cvs.filter((v) => v.rank === 'inf');
  figs.push({ file: 'figures/synthetic-rate-bound.svg', caption: 'Constructive L1 error (the theorem\'s left side) vs the bound\'s attention term, both variants, rank ∞.',
    spec: { kind: 'line', title: 'bound vs constructive error (rank ∞)', xLabel: 'm_h', yLabel: 'Σ_t |H_t − Ĥ_t|', xScale: 'log', yScale: 'log', width: 760, height: 480,
      series: inf.flatMap((v, i) => [
        { label: `constructive α=${v.alpha}`, x: v.mh, y: ja(v.cons.map((k) => k.l1)), color: i },
        { label: `bound proof α=${v.alpha}`, x: v.mh, y: v.bound.map((b) => drop(b.proof, 0)), dash: true, marker: false, color: i },
        { label: `bound printed α=${v.alpha}`, x: v.mh, y: ja(v.bound.map((b) => b.printed)), dash: true, marker: false, color: i + 2 },
      ]) } });
  figs.push({ file: 'figures/synthetic-rate-spectrum.svg', caption: 'Singular values of the coupling ρ computed numerically (quadrature + SVD) vs the prescribed σ_k = k^−α (log–log).',
    spec: { kind: 'line', title: 'POD spectrum of ρ', xLabel: 'k', yLabel: 'σ_k', xScale: 'log', yScale: 'log',
      series: spectra.flatMap((s, i) => [
        { label: `numerical α=${s.alpha}`, x: s.numeric.map((_, k) => k + 1), y: ja(s.numeric), line: false, color: i },
        { label: `k^−${s.alpha}`, x: s.prescribed.map((_, k) => k + 1), y: s.prescribed, dash: true, marker: false, color: i },
      ]) } });
  return figs;
}

function checks(c: SyntheticRateConfig, cvs: Curve[], fits: Fit[]): Check[] {
  const finite = cvs.filter((v) => v.rank !== 'inf');
  const out: Check[] = [];
  // 1. constructive collapse at m_h >= r
  const ratios = finite.flatMap((v) => v.mh.flatMap((mh, i) => (mh >= rankOf(c, v.rank) ? [v.cons[i]!.mse / v.cons[0]!.mse] : [])));
  const worst = ratios.length > 0 ? Math.max(...ratios) : NaN;
  out.push({ id: 'constructive-collapse', claim: 'finite rank r: the attention term vanishes once m_h ≥ r (constructive model)', pass: worst < 1e-12,
    numbers: { worstRatioToMh1: jnum(worst), cases: ratios.length },
    explanation: ratios.length === 0 ? 'no m_h ≥ r in the sweep' : `the constructive MSE at m_h ≥ r is at most ${fmtNum(worst)} × its value at m_h = 1 (round-off level means exact collapse)` });
  // 2. trained collapse
  const tc = finite.flatMap((v) => { const i = v.mh.findIndex((m) => m >= rankOf(c, v.rank)); return i > 0 ? [{ v, drop: v.trained[0]!.median / v.trained[i]!.median, floor: v.trained[i]!.median, at: v.mh[i]! }] : []; });
  const minDrop = tc.length > 0 ? Math.min(...tc.map((t) => t.drop)) : NaN;
  out.push({ id: 'trained-collapse', claim: 'finite rank r: the trained error drops sharply at m_h = r (≥ 3× below m_h = 1)', pass: minDrop >= 3,
    numbers: Object.fromEntries([['minDropFactor', jnum(minDrop)], ...tc.map((t) => [`floor α=${t.v.alpha} r=${t.v.rank}`, jnum(t.floor)])]),
    paper: 'Fig. 5: error near zero once m_h ≥ r',
    explanation: minDrop >= 3 ? 'the trained error falls by the factor shown once m_h reaches the rank' : `the drop is only ${fmtNum(minDrop)}×: at m_h ≥ r the remaining error is the FFN approximation + optimisation floor (the φ_k = sin(2kπx) must be learned by a small FFN in a short budget), which hides the attention term; compare the constructive curve, which does collapse` });
  // 2b. fitted collapse (synthetic-rate-fitted.ts)
  out.push(fittedCollapseCheck(c, cvs));
  // 3/4. exponent order
  for (const est of ['constructive', 'trained', 'fitted'] as const) {
    const a = fits.find((f) => f.estimate === est && f.alpha === Math.min(...c.alphas));
    const b = fits.find((f) => f.estimate === est && f.alpha === Math.max(...c.alphas));
    const pass = a !== undefined && b !== undefined && b.lo > a.hi;
    out.push({ id: `exponent-order-${est}`, claim: `${est}: the k^−${b?.alpha ?? 1} exponent exceeds the k^−${a?.alpha ?? 0.55} one (non-overlapping 95% CIs)`, pass,
      numbers: { [`p(α=${a?.alpha})`]: jnum(a?.exponent ?? NaN), [`p(α=${b?.alpha})`]: jnum(b?.exponent ?? NaN), [`CI(α=${a?.alpha}) hi`]: jnum(a?.hi ?? NaN), [`CI(α=${b?.alpha}) lo`]: jnum(b?.lo ?? NaN) },
      paper: `theory: 2α−1 = ${fmtNum(2 * (a?.alpha ?? 0.55) - 1)} vs ${fmtNum(2 * (b?.alpha ?? 1) - 1)}`,
      explanation: a === undefined || b === undefined ? 'a fit is missing (non-positive errors or too few m_h)' : pass ? 'the faster-decaying spectrum gives the steeper error curve, as the rate predicts'
        : est === 'constructive' ? 'the MSE of the output is not proportional to the logit tail: with α = 0.55 the logits are large and the softmax saturates, and the truncation at R makes the tail fall faster than m_h^−(2α−1); the theorem is an upper bound, so this does not contradict it'
          : est === 'trained' ? 'the trained curves are dominated by FFN approximation and optimisation error (see the floor at m_h ≥ r), so their slopes do not resolve the attention term'
            : 'the fitted curve inherits the output-MSE effects of the constructive one (softmax saturation, truncation at R) and adds the FFN floor, which grows with m_h as higher-frequency bases sin(2kπu) must be fitted (see the basis fit MSE column), so its slopes do not separate the two spectra' });
  }
  // 5. exponent vs 2α−1
  for (const f of fits.filter((x) => x.estimate === 'constructive')) {
    const pass = f.lo <= f.theory && f.theory <= f.hi;
    out.push({ id: `exponent-matches-theory-alpha-${f.alpha}`, claim: `constructive: the fitted exponent for σ_k = k^−${f.alpha} is consistent with 2α − 1 = ${fmtNum(f.theory)} (95% CI contains it)`, pass,
      numbers: { exponent: jnum(f.exponent), ciLo: jnum(f.lo), ciHi: jnum(f.hi), theory: f.theory, r2: jnum(f.r2) },
      explanation: pass ? 'the attention-term error decays at the rate the theorem predicts'
        : `measured ${fmtNum(f.exponent)} vs ${fmtNum(f.theory)}: the rate is an upper bound on the L1 error through the logit tail; the output error's decay also depends on softmax saturation and on the truncation at R = ${c.R}, which steepens the curve (strongly for slow spectra)` });
  }
  // 6. bound above constructive (errors at round-off level count as zero)
  const gaps = cvs.flatMap((v) => v.mh.map((_, i) => {
    const err = v.cons[i]!.l1 <= 1e-9 * v.cons[0]!.l1 ? 0 : v.cons[i]!.l1;
    const b = Math.min(v.bound[i]!.proof, v.bound[i]!.printed);
    return err === 0 ? Infinity : b / err;
  }));
  const minGap = Math.min(...gaps);
  out.push({ id: 'bound-above-constructive', claim: 'the bound (both variants) lies above the constructive L1 error at every m_h', pass: minGap >= 1,
    numbers: { minBoundOverError: jnum(minGap), points: gaps.length },
    explanation: minGap >= 1 ? `the smallest ratio bound/error is ${fmtNum(minGap)} (the τ² C_0 prefactor makes the bound loose; errors at round-off level, where the proof bound is 0, count as 0)` : `at some m_h the bound is only ${fmtNum(minGap)} × the error` });
  return out;
}

function notes(cvs: Curve[]): string[] {
  const v0 = cvs[0]?.cons[0];
  return [
    `Scale: the target variance is ${fmtNum(v0?.targetVariance ?? NaN)} per token and uniform attention (m_h = 0) gives MSE ${fmtNum(v0?.uniformMse ?? NaN)} (α = ${cvs[0]?.alpha}, r = ${cvs[0]?.rank}); errors far below these are meaningful.`,
    'The trained error can lie below the constructive one at small m_h (e.g. rank ∞, m_h = 1): the POD truncation minimises the error of the logits, not of the output after the softmax, so the constructive model is an upper bound on the best rank-m_h attention, not the optimum.',
    'Three error parts (our decomposition of the training error the paper plots in Fig. 5, App. B.2): the constructive curve is the attention term alone; the trained error adds FFN approximation and optimisation error; the gradient norm at stop and the trained error at m_h ≥ r (where the attention term is zero) show how large those are.',
    'The fitted estimate is a trained Transformer of the paper\'s architecture warm-started from FFN fits of the target\'s POD bases (fittedConstructiveTransformer), then fine-tuned by L-BFGS: starting at the constructive solution removes the optimisation error, so its error at m_h ≥ r is the FFN floor (basis fit MSE column of its table), which grows with m_h as more outputs, of higher frequency, must be fitted. Fine-tuning optimises the output error, so at small m_h it can also lie below the constructive curve. The random-init trained estimate above is unchanged.',
  ];
}
