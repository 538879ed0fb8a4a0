/**
 * The three figure kinds of the seqrate report, as JSON-serialisable specs rendered to SVG:
 *
 * - `line`: x–y series on linear or log axes, with markers, optional error bars, dashed lines
 *   (bounds), and fitted lines annotated with their slope (error vs m_h, singular-value decay);
 * - `quantile`: per category a box from the first to the third quartile, whiskers from min to max
 *   and a median bar, several groups side by side (distribution of logit singular values);
 * - `bar`: grouped bars with optional error bars, linear or log value axis (Tables 2 and 3).
 *
 * Specs are stored in results.json so every figure can be re-drawn from the data alone.
 */
import { ValueError } from '../linalg/errors.js';
import { axes, colour, dataRange, el, legend, legendWidth, makeScale, pathD, svgDocument, text, type Frame, type ScaleKind } from './svg-core.js';
import { renderHeatmap, type HeatmapSpec } from './heatmap.js';

export type { HeatmapPanel, HeatmapSpec } from './heatmap.js';

/** One series of a line plot. `lo`/`hi` (same length as `y`) draw vertical error bars. */
export interface LineSeries {
  label: string;
  x: (number | null)[];
  /** null (or NaN in memory) = missing point, drawn as a gap. */
  y: (number | null)[];
  lo?: (number | null)[];
  hi?: (number | null)[];
  /** Dashed line (used for bounds). */
  dash?: boolean;
  /** Draw markers (default true). */
  marker?: boolean;
  /** Connect points (default true). */
  line?: boolean;
  /** Palette index (default: position in the series list). */
  color?: number;
}

/** A fitted straight line (in the plot's coordinates) between two points, with its annotation. */
export interface FitLine {
  label: string;
  x: [number, number];
  y: [number, number];
  color?: number;
}

/** A line plot. */
export interface LinePlotSpec {
  kind: 'line';
  title: string;
  xLabel: string;
  yLabel: string;
  xScale: ScaleKind;
  yScale: ScaleKind;
  series: LineSeries[];
  fits?: FitLine[];
  width?: number;
  height?: number;
  /** Where the legend goes: inside the plot's top-right corner (default) or in a column to its right. */
  legend?: 'inside' | 'right';
}

/** Five-number summary of a distribution. */
export interface Box { min: number; q1: number; median: number; q3: number; max: number }

/** A quantile (box-and-whisker) plot: `groups[g].boxes[c]` is group g in category c (or null). */
export interface QuantilePlotSpec {
  kind: 'quantile';
  title: string;
  xLabel: string;
  yLabel: string;
  yScale: ScaleKind;
  categories: string[];
  groups: { label: string; boxes: (Box | null)[]; color?: number }[];
  width?: number;
  height?: number;
}

/** A grouped bar chart: `groups[g].values[c]`, optional error bars `lo`/`hi`. */
export interface BarChartSpec {
  kind: 'bar';
  title: string;
  yLabel: string;
  yScale: ScaleKind;
  categories: string[];
  groups: { label: string; values: (number | null)[]; lo?: (number | null)[]; hi?: (number | null)[]; color?: number }[];
  width?: number;
  height?: number;
}

/** Any figure of the report. */
export type FigureSpec = LinePlotSpec | QuantilePlotSpec | BarChartSpec | HeatmapSpec;

/** null → NaN (JSON cannot hold NaN; renderers treat both as a missing value). */
const nums = (a: readonly (number | null)[]): number[] => a.map((v) => v ?? NaN);

/** A line series with nulls replaced by NaN. */
interface NumSeries extends Omit<LineSeries, 'x' | 'y' | 'lo' | 'hi'> { x: number[]; y: number[]; lo?: number[]; hi?: number[] }

function numSeries(s: LineSeries): NumSeries {
  const out: NumSeries = { ...s, x: nums(s.x), y: nums(s.y), lo: undefined as never, hi: undefined as never };
  delete out.lo; delete out.hi;
  if (s.lo !== undefined) out.lo = nums(s.lo);
  if (s.hi !== undefined) out.hi = nums(s.hi);
  return out;
}

const MARGIN = { left: 72, right: 16, top: 34, bottom: 52 };

function frameOf(width: number, height: number, extraRight = 0): Frame {
  return { left: MARGIN.left, top: MARGIN.top, width: width - MARGIN.left - MARGIN.right - extraRight, height: height - MARGIN.top - MARGIN.bottom };
}

/**
 * Renders any figure spec to a standalone SVG document (deterministic).
 * @example renderFigure({ kind: 'bar', title: 'MSE', yLabel: 'MSE', yScale: 'log', categories: ['a'], groups: [{ label: 'RNN', values: [1e-3] }] })
 */
export function renderFigure(spec: FigureSpec): string {
  switch (spec.kind) {
    case 'line': return linePlot(spec);
    case 'quantile': return quantilePlot(spec);
    case 'bar': return barChart(spec);
    case 'heatmap': return renderHeatmap(spec);
  }
}

/** Renders a line plot (see LinePlotSpec). Throws ValueError when nothing is plottable. */
export function linePlot(spec: LinePlotSpec): string {
  const W = spec.width ?? 640, H = spec.height ?? 420;
  const fits = spec.fits ?? [];
  const labels = [...spec.series.map((s) => s.label), ...fits.map((f) => f.label)];
  const legendRight = spec.legend === 'right' ? legendWidth(labels) + 12 : 0;
  const fr = frameOf(W, H, legendRight);
  const series = spec.series.map(numSeries);
  for (const s of series) {
    if (s.x.length !== s.y.length) throw new ValueError('linePlot', `series '${s.label}': x has ${s.x.length} values, y has ${s.y.length}`);
  }
  const xv = [...series.flatMap((s) => s.x), ...fits.flatMap((f) => f.x)];
  const yv = [...series.flatMap((s) => [...s.y, ...(s.lo ?? []), ...(s.hi ?? [])]), ...fits.flatMap((f) => f.y)];
  const [x0, x1] = dataRange(xv, spec.xScale, 'linePlot');
  const [y0, y1] = dataRange(yv, spec.yScale, 'linePlot');
  const xs = makeScale(spec.xScale, x0, x1, fr.left, fr.left + fr.width);
  const ys = makeScale(spec.yScale, y0, y1, fr.top + fr.height, fr.top);
  const ok = (v: number, k: ScaleKind): boolean => Number.isFinite(v) && (k === 'linear' || v > 0);
  const body: string[] = [axes(fr, xs, ys, spec.xLabel, spec.yLabel)];
  const items: { label: string; color: string; dash?: boolean; marker?: boolean }[] = [];
  series.forEach((s, i) => {
    const c = colour(s.color ?? i);
    const pts = s.x.map((x, j) => {
      const y = s.y[j]!;
      return ok(x, spec.xScale) && ok(y, spec.yScale) ? [xs.px(x), ys.px(y)] as const : [NaN, NaN] as const;
    });
    if (s.line !== false) body.push(el('path', { d: pathD(pts), fill: 'none', stroke: c, 'stroke-width': 2, 'stroke-dasharray': s.dash === true ? '6 4' : undefined }));
    if (s.lo !== undefined && s.hi !== undefined) {
      s.x.forEach((x, j) => {
        const lo = s.lo![j]!, hi = s.hi![j]!;
        if (!ok(x, spec.xScale) || !ok(lo, spec.yScale) || !ok(hi, spec.yScale)) return;
        const px = xs.px(x);
        body.push(el('line', { x1: px, y1: ys.px(lo), x2: px, y2: ys.px(hi), stroke: c, 'stroke-width': 1.2 }));
        body.push(el('line', { x1: px - 3, y1: ys.px(lo), x2: px + 3, y2: ys.px(lo), stroke: c }));
        body.push(el('line', { x1: px - 3, y1: ys.px(hi), x2: px + 3, y2: ys.px(hi), stroke: c }));
      });
    }
    if (s.marker !== false) for (const [px, py] of pts) if (Number.isFinite(px)) body.push(el('circle', { cx: px, cy: py, r: 3.2, fill: c }));
    items.push({ label: s.label, color: c, dash: s.dash === true, marker: s.marker !== false });
  });
  fits.forEach((f, i) => {
    const c = colour(f.color ?? spec.series.length + i);
    const pts = [0, 1].map((j) => [xs.px(f.x[j]!), ys.px(f.y[j]!)] as const);
    body.push(el('path', { d: pathD(pts), fill: 'none', stroke: c, 'stroke-width': 1.5, 'stroke-dasharray': '2 3' }));
    // slope annotation at the middle of the fitted segment, just below it
    const mx = (pts[0]![0] + pts[1]![0]) / 2, my = (pts[0]![1] + pts[1]![1]) / 2;
    body.push(text(mx, my + 14 + 13 * i, f.label, { 'text-anchor': 'middle', 'font-size': 11, fill: c }));
    items.push({ label: f.label, color: c, dash: true });
  });
  body.push(legend(fr, items, legendRight > 0));
  return svgDocument(W, H, spec.title, body.join('\n'));
}

/** Renders a quantile (box-and-whisker) plot (see QuantilePlotSpec). */
export function quantilePlot(spec: QuantilePlotSpec): string {
  const W = spec.width ?? 640, H = spec.height ?? 420;
  const fr = frameOf(W, H);
  const nC = spec.categories.length, nG = spec.groups.length;
  if (nC === 0 || nG === 0) throw new ValueError('quantilePlot', 'needs at least one category and one group');
  const vals = spec.groups.flatMap((g) => g.boxes.flatMap((b) => (b === null ? [] : [b.min, b.max, b.median])));
  const [y0, y1] = dataRange(vals, spec.yScale, 'quantilePlot');
  const ys = makeScale(spec.yScale, y0, y1, fr.top + fr.height, fr.top);
  const slot = fr.width / nC;
  const bw = Math.max(2, Math.min(24, (slot * 0.8) / nG));
  const xs = categoryScale(spec.categories, fr);
  const body: string[] = [axes(fr, xs, ys, spec.xLabel, spec.yLabel)];
  const safe = (v: number): number => ys.px(spec.yScale === 'log' ? Math.max(v, ys.lo) : v);
  spec.groups.forEach((g, gi) => {
    const c = colour(g.color ?? gi);
    g.boxes.forEach((b, ci) => {
      if (b === null) return;
      const cx = fr.left + slot * (ci + 0.5) + (gi - (nG - 1) / 2) * bw;
      body.push(el('line', { x1: cx, y1: safe(b.min), x2: cx, y2: safe(b.max), stroke: c, 'stroke-width': 1 }));
      const top = safe(b.q3), bot = safe(b.q1);
      body.push(el('rect', { x: cx - bw * 0.4, y: top, width: bw * 0.8, height: Math.max(0.5, bot - top), fill: c, 'fill-opacity': 0.35, stroke: c }));
      body.push(el('line', { x1: cx - bw * 0.45, y1: safe(b.median), x2: cx + bw * 0.45, y2: safe(b.median), stroke: c, 'stroke-width': 2 }));
    });
  });
  body.push(legend(fr, spec.groups.map((g, gi) => ({ label: g.label, color: colour(g.color ?? gi), box: true }))));
  return svgDocument(W, H, spec.title, body.join('\n'));
}

/** Renders a grouped bar chart (see BarChartSpec); log bars start at the bottom of the axis. */
export function barChart(spec: BarChartSpec): string {
  const W = spec.width ?? 640, H = spec.height ?? 420;
  const fr = frameOf(W, H);
  const nC = spec.categories.length, nG = spec.groups.length;
  if (nC === 0 || nG === 0) throw new ValueError('barChart', 'needs at least one category and one group');
  const groups = spec.groups.map((g) => ({ label: g.label, color: g.color, values: nums(g.values), lo: g.lo === undefined ? undefined : nums(g.lo), hi: g.hi === undefined ? undefined : nums(g.hi) }));
  for (const g of groups) {
    if (g.values.length !== nC) throw new ValueError('barChart', `group '${g.label}' has ${g.values.length} values for ${nC} categories`);
  }
  const vals = groups.flatMap((g) => [...g.values, ...(g.lo ?? []), ...(g.hi ?? [])]);
  if (spec.yScale === 'linear') vals.push(0);
  const [y0, y1] = dataRange(vals, spec.yScale, 'barChart');
  const ys = makeScale(spec.yScale, y0, y1, fr.top + fr.height, fr.top);
  const xs = categoryScale(spec.categories, fr);
  const slot = fr.width / nC;
  const bw = (slot * 0.75) / nG;
  const base = spec.yScale === 'log' ? fr.top + fr.height : ys.px(0);
  const body: string[] = [axes(fr, xs, ys, '', spec.yLabel)];
  groups.forEach((g, gi) => {
    const c = colour(g.color ?? gi);
    g.values.forEach((v, ci) => {
      const x = fr.left + slot * ci + slot * 0.125 + bw * gi;
      if (!Number.isFinite(v) || (spec.yScale === 'log' && v <= 0)) {
        body.push(text(x + bw / 2, base - 4, 'n/a', { 'text-anchor': 'middle', 'font-size': 9 }));
        return;
      }
      const y = ys.px(v);
      body.push(el('rect', { x, y: Math.min(y, base), width: bw * 0.92, height: Math.abs(base - y), fill: c }));
      const lo = g.lo?.[ci], hi = g.hi?.[ci];
      if (lo !== undefined && hi !== undefined && Number.isFinite(lo) && Number.isFinite(hi) && (spec.yScale === 'linear' || lo > 0)) {
        const cx = x + bw * 0.46;
        body.push(el('line', { x1: cx, y1: ys.px(lo), x2: cx, y2: ys.px(hi), stroke: '#222222', 'stroke-width': 1.2 }));
      }
    });
  });
  body.push(legend(fr, spec.groups.map((g, gi) => ({ label: g.label, color: colour(g.color ?? gi), box: true }))));
  return svgDocument(W, H, spec.title, body.join('\n'));
}

/** A linear scale placing category i at the centre of slot i, labelled by the category name. */
function categoryScale(categories: readonly string[], fr: Frame): ReturnType<typeof makeScale> {
  const slot = fr.width / categories.length;
  return {
    kind: 'linear', lo: 0, hi: categories.length,
    px: (v: number) => fr.left + slot * v,
    ticks: categories.map((c, i) => ({ value: i + 0.5, label: c, major: false })),
  };
}
