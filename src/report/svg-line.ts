/**
 * Line plots of the seqrate report (error vs m_h, singular-value decay, bounds): series with
 * markers, error bars and dashed styles, fitted lines with direct labels (slopes), exact zeros
 * on log axes drawn as hollow diamonds on a "0" floor below the lowest decade, and a legend in a
 * free corner of the plot or, when none is free, beside it. Every box drawn is recorded in a
 * Layout (see svg-layout.ts).
 */
import { ValueError } from '../linalg/errors.js';
import { fmtCoord } from './format.js';
import {
  axes,
  axisScale,
  colourChooser,
  el,
  pathD,
  svgDocument,
  text,
  type Frame,
  type Scale,
  type ScaleKind,
} from './svg-core.js';
import { withLegend, type Drawn, type LegendItem } from './svg-legend.js';
import { firstFree, newLayout, textBox, type Layout, type Mark } from './svg-layout.js';
import type { LinePlotSpec, LineSeries } from './svg.js';

const MARGIN = { left: 72, right: 16, top: 34, bottom: 52 };
/** Pixels reserved below the lowest decade of a log y axis for exact zeros. */
const ZERO_BAND = 22;
const SERIES_DASH = '6 4';
const FIT_DASH = '2 3';

/** The plotting rectangle of a W × H figure with `extraRight` pixels kept free on the right. */
export function frameOf(width: number, height: number, extraRight = 0): Frame {
  return {
    left: MARGIN.left,
    top: MARGIN.top,
    width: width - MARGIN.left - MARGIN.right - extraRight,
    height: height - MARGIN.top - MARGIN.bottom,
  };
}

/** null → NaN (JSON cannot hold NaN; renderers treat both as a missing value). */
export const nums = (a: readonly (number | null)[]): number[] => a.map((v) => v ?? NaN);

interface NumSeries {
  src: LineSeries;
  x: number[];
  y: number[];
  lo?: number[];
  hi?: number[];
  color: string;
}

const dashOf = (d: boolean | string | undefined): string | undefined =>
  d === true ? SERIES_DASH : typeof d === 'string' && d !== '' ? d : undefined;

/** Draws a line plot and returns its SVG and layout (see LinePlotSpec). */
export function layLinePlot(spec: LinePlotSpec, desc = ''): { svg: string; layout: Layout } {
  const W = spec.width ?? 640,
    H = spec.height ?? 420;
  const choose = colourChooser(spec.colorKeys);
  const series: NumSeries[] = spec.series.map((s, i) => {
    if (s.x.length !== s.y.length)
      throw new ValueError('linePlot', `series '${s.label}': x has ${s.x.length} values, y has ${s.y.length}`);
    for (const k of ['lo', 'hi'] as const) {
      if (s[k] !== undefined && s[k].length !== s.y.length)
        throw new ValueError('linePlot', `series '${s.label}': ${k} has ${s[k].length} values, y has ${s.y.length}`);
    }
    const out: NumSeries = { src: s, x: nums(s.x), y: nums(s.y), color: choose(s.colorKey, s.color, i) };
    if (s.lo !== undefined) out.lo = nums(s.lo);
    if (s.hi !== undefined) out.hi = nums(s.hi);
    return out;
  });
  const fitColours = (spec.fits ?? []).map((f, i) => choose(f.colorKey, f.color, spec.series.length + i));
  const d = withLegend((extra) => drawLine(spec, series, fitColours, frameOf(W, H, extra), W, H), spec.legend);
  const svg = svgDocument(W, H, spec.title, d.body.join('\n'), desc || describe(spec), d.lay);
  return { svg, layout: d.lay };
}

/** A one-sentence text description of a line plot (the SVG's `<desc>` when no caption is given). */
function describe(spec: LinePlotSpec): string {
  const names = spec.series.map((s) => s.label).join('; ');
  return (
    `Line plot of ${spec.yLabel} (${spec.yScale} axis) against ${spec.xLabel} (${spec.xScale} axis); ` +
    `series: ${names}.`
  );
}

const finiteOn = (v: number, k: ScaleKind): boolean => Number.isFinite(v) && (k === 'linear' || v > 0);

/** The scales of a line plot in frame `fr`. */
function scales(spec: LinePlotSpec, series: NumSeries[], fr: Frame): { xs: Scale; ys: Scale; zeros: boolean } {
  const fits = spec.fits ?? [];
  // the ranges come from the points actually drawn: a missing y leaves its x out, and vice versa
  const drawn = (v: number, k: ScaleKind): boolean => finiteOn(v, k) || (k === 'log' && v === 0);
  const xv: number[] = [...fits.flatMap((f) => f.x)],
    yv: number[] = [...fits.flatMap((f) => f.y)];
  for (const s of series) {
    s.x.forEach((x, j) => {
      const ys = [s.y[j]!, s.lo?.[j] ?? NaN, s.hi?.[j] ?? NaN].filter((v) => drawn(v, spec.yScale));
      if (!finiteOn(x, spec.xScale) || ys.length === 0) return;
      xv.push(x);
      yv.push(...ys);
    });
  }
  const zeros = spec.yScale === 'log' && yv.some((v) => v === 0);
  const yPos = zeros && !yv.some((v) => v > 0 && Number.isFinite(v)) ? [...yv, 1] : yv;
  const xs = axisScale(spec.xScale, xv, fr.left, fr.left + fr.width, { tight: true, dataTicks: true }, 'linePlot');
  const ys = axisScale(spec.yScale, yPos, fr.top + fr.height, fr.top, { zeroBand: zeros ? ZERO_BAND : 0 }, 'linePlot');
  return { xs, ys, zeros };
}

/** Draws axes, series and fits (with their direct labels) in frame `fr`; the legend is left to the caller. */
function drawLine(
  spec: LinePlotSpec,
  series: NumSeries[],
  fitColours: string[],
  fr: Frame,
  W: number,
  H: number,
): Drawn {
  const lay = newLayout(W, H, { x: fr.left, y: fr.top, w: fr.width, h: fr.height });
  const { xs, ys } = scales(spec, series, fr);
  const body: string[] = [axes(fr, xs, ys, spec.xLabel, spec.yLabel, lay)];
  const items: LegendItem[] = [];
  const ext = { x: [Infinity, -Infinity], y: [Infinity, -Infinity] };
  const seen = (px: number, py: number): void => {
    ext.x = [Math.min(ext.x[0]!, px), Math.max(ext.x[1]!, px)];
    ext.y = [Math.min(ext.y[0]!, py), Math.max(ext.y[1]!, py)];
  };
  for (const s of series) {
    body.push(drawSeries(s, spec, xs, ys, lay, seen));
    items.push({ label: s.src.label, color: s.color, dash: dashOf(s.src.dash), marker: s.src.marker !== false });
  }
  const fits = spec.fits ?? [];
  const fitPts = fits.map((f) => [0, 1].map((j) => [xs.px(f.x[j]!), ys.px(f.y[j]!)] as const));
  fits.forEach((f, i) => {
    const pts = fitPts[i]!;
    body.push(
      el('path', {
        d: pathD(pts),
        fill: 'none',
        stroke: fitColours[i]!,
        'stroke-width': 1.5,
        'stroke-dasharray': FIT_DASH,
      }),
    );
    lay.marks.push({ kind: 'seg', a: pts[0]!, b: pts[1]!, of: f.label });
    for (const p of pts) seen(p[0], p[1]);
  });
  fits.forEach((f, i) => {
    const svg = directLabel(f.label, fitPts[i]!, fitColours[i]!, fr, lay);
    if (svg !== null) body.push(svg);
    else items.push({ label: f.label, color: fitColours[i]!, dash: FIT_DASH });
  });
  lay.x = { data: [ext.x[0]!, ext.x[1]!], axis: [xs.px(xs.lo), xs.px(xs.hi)] };
  lay.y = { data: [ext.y[0]!, ext.y[1]!], axis: [ys.zero ?? ys.px(ys.lo), ys.px(ys.hi)] };
  return { body, lay, items, frame: fr };
}

/** Draws one series (line, error bars, markers, zero diamonds), recording every mark. */
function drawSeries(
  s: NumSeries,
  spec: LinePlotSpec,
  xs: Scale,
  ys: Scale,
  lay: Layout,
  seen: (x: number, y: number) => void,
): string {
  const out: string[] = [];
  const c = s.color,
    of = s.src.label;
  const pts = s.x.map((x, j) =>
    finiteOn(x, spec.xScale) && finiteOn(s.y[j]!, spec.yScale)
      ? ([xs.px(x), ys.px(s.y[j]!)] as const)
      : ([NaN, NaN] as const),
  );
  if (s.src.line !== false) {
    out.push(
      el('path', { d: pathD(pts), fill: 'none', stroke: c, 'stroke-width': 2, 'stroke-dasharray': dashOf(s.src.dash) }),
    );
    for (let j = 1; j < pts.length; j++) {
      const a = pts[j - 1]!,
        b = pts[j]!;
      if (Number.isFinite(a[0]) && Number.isFinite(b[0])) lay.marks.push({ kind: 'seg', a, b, of });
    }
  }
  if (s.lo !== undefined && s.hi !== undefined) {
    s.x.forEach((x, j) => {
      const lo = s.lo![j]!,
        hi = s.hi![j]!;
      const okLo = finiteOn(lo, spec.yScale) || (ys.zero !== undefined && lo === 0);
      if (!finiteOn(x, spec.xScale) || !okLo || !finiteOn(hi, spec.yScale)) return;
      const px = xs.px(x),
        a = ys.px(lo),
        b = ys.px(hi);
      out.push(el('line', { x1: px, y1: a, x2: px, y2: b, stroke: c, 'stroke-width': 1.2 }));
      out.push(el('line', { x1: px - 3, y1: a, x2: px + 3, y2: a, stroke: c }));
      out.push(el('line', { x1: px - 3, y1: b, x2: px + 3, y2: b, stroke: c }));
      lay.marks.push({ kind: 'rect', r: { x: px - 3, y: Math.min(a, b), w: 6, h: Math.abs(a - b) }, of });
      seen(px, a);
      seen(px, b);
    });
  }
  pts.forEach(([px, py], j) => {
    if (!Number.isFinite(px)) return;
    seen(px, py);
    // a point with no drawn neighbour would be invisible without its marker (one-point curves)
    const alone = !(Number.isFinite(pts[j - 1]?.[0] ?? NaN) || Number.isFinite(pts[j + 1]?.[0] ?? NaN));
    if (s.src.marker === false && !alone && s.src.line !== false) return;
    out.push(el('circle', { cx: px, cy: py, r: 3.2, fill: c }));
    lay.marks.push({ kind: 'rect', r: { x: px - 3.2, y: py - 3.2, w: 6.4, h: 6.4 }, of });
    // a curve of one point (e.g. m_h = 1) also gets a ring, visible even under other curves' markers
    if (alone && s.src.line !== false) {
      out.push(el('circle', { cx: px, cy: py, r: 6.5, fill: 'none', stroke: c, 'stroke-width': 1.5 }));
      lay.marks.push({ kind: 'rect', r: { x: px - 7.25, y: py - 7.25, w: 14.5, h: 14.5 }, of });
    }
  });
  if (ys.zero !== undefined) {
    s.x.forEach((x, j) => {
      if (s.y[j] !== 0 || !finiteOn(x, spec.xScale)) return;
      const px = xs.px(x),
        py = ys.zero!;
      out.push(zeroDiamond(px, py, c));
      lay.marks.push({ kind: 'rect', r: { x: px - 4.5, y: py - 4.5, w: 9, h: 9 }, of });
      seen(px, py);
    });
  }
  return out.join('\n');
}

/** The marker of an exact zero: a hollow diamond in the series' colour. */
export function zeroDiamond(x: number, y: number, c: string): string {
  const f = fmtCoord;
  return el('path', {
    d: `M${f(x)} ${f(y - 4.5)} L${f(x + 4.5)} ${f(y)} L${f(x)} ${f(y + 4.5)} L${f(x - 4.5)} ${f(y)} Z`,
    fill: '#ffffff',
    stroke: c,
    'stroke-width': 1.5,
  });
}

/**
 * Places a direct label beside the segment `pts`: above, below or beside points along it, at most
 * ~25 px off the line (so it reads as that line's label); returns the text element, or null when no spot is
 * free (the caller then lists it in the legend).
 */
export function directLabel(
  label: string,
  pts: readonly (readonly [number, number])[],
  c: string,
  fr: Frame,
  lay: Layout,
): string | null {
  const fs = 11;
  const box = textBox(0, 0, label, fs, 'start');
  const [a, b] = [pts[0]!, pts[pts.length - 1]!];
  const cands: [number, number][] = [];
  // nearest first: just above/below the line at points along it, then a little further off
  for (const off of [3, 8, 14, 22]) {
    for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9]) {
      const px = a[0] + t * (b[0] - a[0]),
        py = a[1] + t * (b[1] - a[1]);
      cands.push([px - box.w / 2, py - off - box.h], [px - box.w / 2, py + off]);
      cands.push([px + off, py - box.h / 2], [px - off - box.w, py - box.h / 2]);
    }
  }
  const within = { x: fr.left, y: fr.top, w: fr.width, h: fr.height };
  const r = firstFree(cands, box.w, box.h, within, lay);
  if (r === null) return null;
  lay.labels.push({ r, text: label, role: 'direct' });
  return text(r.x, r.y + fs * 0.8, label, { 'font-size': fs, fill: c });
}

export type { Mark };
