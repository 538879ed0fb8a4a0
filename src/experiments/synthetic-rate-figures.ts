/**
 * Figures of `synthetic-rate`: MSE vs m_h per paper spectrum (constructive, trained, fitted), the
 * L¹ error with its Monte-Carlo CI against the three bounds (rank ∞), the rate cases (L¹ and MSE
 * with fitted and predicted slopes), and the numerical POD spectrum.
 */
import type { Figure } from '../report/schema.js';
import type { LineSeries } from '../report/svg.js';
import { fmtNum } from '../report/format.js';
import { jnum } from './fit.js';
import { curveValue, type Curve, type Estimate, type Fit, type SyntheticRateConfig } from './synthetic-rate-common.js';

// palette indices (8 Okabe–Ito colours): ranks 0–2; fitted curves 3, 5, 6; fit lines 4, 7 and 6
const FITTED_COLOURS = [3, 5, 6] as const;
const FIT_COLOURS: Record<Estimate, number> = { constructive: 4, trained: 7, fitted: 6 };

const drop = (v: number, floor: number): number | null => (v > floor ? v : null);
const ja = (a: readonly number[]): (number | null)[] => a.map(jnum);
const pct = (v: number): string => `${fmtNum(100 * v)}%`;

function paperFigure(c: SyntheticRateConfig, cvs: Curve[], fits: Fit[], alpha: number): Figure {
  const mine = cvs.filter((v) => v.alpha === alpha && v.role === 'paper');
  const top = Math.max(...mine.flatMap((v) => v.cons.map((k) => k.mse)));
  const series: LineSeries[] = [];
  mine.forEach((v, i) =>
    series.push({
      label: `constructive r=${v.rank}`,
      x: v.mh,
      y: v.cons.map((k) => drop(k.mse, top * 1e-12)),
      dash: true,
      color: i,
    }),
  );
  mine.forEach((v, i) =>
    series.push({
      label: `trained r=${v.rank} (median, min–max)`,
      x: v.mh,
      y: ja(v.trained.map((t) => t?.median ?? NaN)),
      lo: ja(v.trained.map((t) => t?.min ?? NaN)),
      hi: ja(v.trained.map((t) => t?.max ?? NaN)),
      color: i,
    }),
  );
  mine.forEach((v, i) => {
    const at = v.mh.map((_, j) => j).filter((j) => v.fitted[j] !== null);
    if (at.length === 0) return;
    const fs = at.map((j) => v.fitted[j]!);
    series.push({
      label: `fitted r=${v.rank} (oracle init, other architecture)`,
      x: at.map((j) => v.mh[j]!),
      y: ja(fs.map((s) => s.median)),
      lo: ja(fs.map((s) => s.min)),
      hi: ja(fs.map((s) => s.max)),
      color: FITTED_COLOURS[i % FITTED_COLOURS.length]!,
    });
  });
  const inf = mine.find((x) => x.rank === 'inf');
  const fl =
    inf === undefined
      ? []
      : fits
          .filter((f) => f.alpha === alpha && f.scale === 1)
          .map((f) => {
            const mh = [c.mhs[0]!, Math.min(c.fitMaxMh, c.mhs[c.mhs.length - 1]!)] as [number, number];
            const y0 = curveValue(inf, f.estimate, 0);
            return {
              label: `${f.estimate} fit: slope −${fmtNum(f.exponent)} (2α−1 = ${fmtNum(f.theory)})`,
              x: mh,
              y: [y0, y0 * Math.pow(mh[1] / mh[0], -f.exponent)] as [number, number],
              color: FIT_COLOURS[f.estimate],
            };
          });
  const diag = inf
    ? `; rank ∞ (R = ${c.R}): ${pct(inf.truncated)} of ‖ρ‖² cut off, ${pct(inf.diagMass)} of the attention on s = t`
    : '';
  return {
    file: `figures/synthetic-rate-alpha${alpha}.svg`,
    caption: `MSE vs m_h for σ_k = k^−${alpha} (the paper's case${diag}; log–log). Constructive (dashed; ≈ 0 once m_h ≥ r, not drawn), trained from random init (solid, min–max bars), fitted = oracle-initialised certificate in a different architecture (n = 2m_h + 1, m_v = 1; own colours), power laws fitted on rank ∞.`,
    spec: {
      kind: 'line',
      title: `synthetic-rate: σ_k = k^−${alpha}`,
      xLabel: 'm_h',
      yLabel: 'MSE per token',
      xScale: 'log',
      yScale: 'log',
      series,
      fits: fl,
      width: 1040,
      height: 480,
      legend: 'right',
    },
  };
}

function boundFigure(cvs: Curve[]): Figure {
  const inf = cvs.filter((v) => v.rank === 'inf');
  return {
    file: 'figures/synthetic-rate-bound.svg',
    caption:
      "Constructive L1 error E Σ_t |H_t − Ĥ_t| (the theorem's left side; bars: 95% Monte-Carlo CI) vs the bounds, rank ∞: corrected (ours, an upper bound; dashed), printed (dotted); one colour per α. Where a bound lies below the error it is not an upper bound.",
    spec: {
      kind: 'line',
      title: 'bounds vs constructive L1 error (rank ∞)',
      xLabel: 'm_h',
      yLabel: 'E Σ_t |H_t − Ĥ_t|',
      xScale: 'log',
      yScale: 'log',
      width: 1040,
      height: 480,
      legend: 'right',
      series: inf.flatMap((v, i) => {
        const tag = `${v.scale === 1 ? '' : `${v.scale}·`}k^−${v.alpha}`;
        return [
          {
            label: `constructive ${tag}`,
            x: v.mh,
            y: ja(v.cons.map((k) => k.l1)),
            lo: ja(v.cons.map((k) => k.l1 - 1.96 * k.l1Se)),
            hi: ja(v.cons.map((k) => k.l1 + 1.96 * k.l1Se)),
            color: i,
          },
          {
            label: `corrected ${tag}`,
            x: v.mh,
            y: ja(v.bound.map((b) => b.corrected)),
            dash: true,
            marker: false,
            color: i,
          },
          {
            label: `printed ${tag}`,
            x: v.mh,
            y: ja(v.bound.map((b) => b.printed)),
            dash: '2 4', // dotted: one colour per α across the synthetic-rate figures
            marker: false,
            color: i,
          },
        ];
      }),
    },
  };
}

function rateFigure(c: SyntheticRateConfig, cvs: Curve[]): Figure | null {
  const rate = cvs.filter((v) => v.role === 'rate');
  if (rate.length === 0) return null;
  const series: LineSeries[] = [];
  const fits: { label: string; x: [number, number]; y: [number, number]; color?: number }[] = [];
  // colours by the target's place among the rank-∞ targets, as in the bound figure: one colour per α
  const inf = cvs.filter((v) => v.rank === 'inf');
  rate.forEach((v) => {
    const i = inf.indexOf(v);
    const tag = `${v.scale}·k^−${v.alpha}`;
    series.push({
      label: `L1 ${tag} (diag ${pct(v.diagMass)})`,
      x: v.mh,
      y: ja(v.cons.map((k) => k.l1)),
      lo: ja(v.cons.map((k) => k.l1 - 1.96 * k.l1Se)),
      hi: ja(v.cons.map((k) => k.l1 + 1.96 * k.l1Se)),
      color: i,
    });
    series.push({ label: `MSE ${tag}`, x: v.mh, y: ja(v.cons.map((k) => k.mse)), dash: true, color: i });
    const x: [number, number] = [c.mhs[0]!, Math.min(c.fitMaxMh, c.mhs[c.mhs.length - 1]!)];
    for (const [m, col, y0] of [
      [v.l1, i, v.cons[0]!.l1],
      [v.mse, i, v.cons[0]!.mse],
    ] as const) {
      if (m.measured)
        fits.push({
          label: `${m.measure} ${tag}: fitted −${fmtNum(m.measured.exponent)}, corrected predicts −${fmtNum(m.predictedExponent)}`,
          x,
          y: [y0, y0 * Math.pow(x[1] / x[0], -m.measured.exponent)],
          color: col,
        });
    }
  });
  return {
    file: 'figures/synthetic-rate-rate.svg',
    caption: `Rate cases (rank ∞, R = ${c.R}, scaled spectra where neither the truncation nor the diagonal dominates): constructive L1 error (solid, 95% CI bars) and MSE (dashed) vs m_h, with the fitted slopes beside the corrected bound's predicted exponents (α − 1 for L1, 2(α − 1) for the MSE).`,
    spec: {
      kind: 'line',
      title: 'rate cases: L1 and MSE vs m_h',
      xLabel: 'm_h',
      yLabel: 'error',
      xScale: 'log',
      yScale: 'log',
      series,
      fits,
      width: 1040,
      height: 480,
      legend: 'right',
    },
  };
}

/** Every figure of synthetic-rate. */
export function syntheticRateFigures(
  c: SyntheticRateConfig,
  cvs: Curve[],
  fits: Fit[],
  spectra: { alpha: number; numeric: number[]; prescribed: number[] }[],
): Figure[] {
  const figs = c.alphas.map((alpha) => paperFigure(c, cvs, fits, alpha));
  figs.push(boundFigure(cvs));
  const r = rateFigure(c, cvs);
  if (r !== null) figs.push(r);
  figs.push({
    file: 'figures/synthetic-rate-spectrum.svg',
    caption:
      'Singular values of the coupling ρ computed numerically (quadrature + SVD) vs the prescribed σ_k = k^−α (log–log).',
    spec: {
      kind: 'line',
      title: 'POD spectrum of ρ',
      xLabel: 'k',
      yLabel: 'σ_k',
      xScale: 'log',
      yScale: 'log',
      series: spectra.flatMap((s, i) => [
        { label: `numerical α=${s.alpha}`, x: s.numeric.map((_, k) => k + 1), y: ja(s.numeric), line: false, color: i },
        {
          label: `k^−${s.alpha}`,
          x: s.prescribed.map((_, k) => k + 1),
          y: s.prescribed,
          dash: true,
          marker: false,
          color: i,
        },
      ]),
    },
  });
  return figs;
}
