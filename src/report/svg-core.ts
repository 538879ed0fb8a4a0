/**
 * The building blocks of seqrate's hand-written SVG writer: scales (linear and log10), tick
 * generation, axes with labels, and a small element builder. Output is deterministic: the same
 * input gives byte-identical SVG (fixed attribute order, fixed-precision coordinates).
 *
 * Legend: `px` = pixel coordinate, `v` = data value, `frame` = the plotting rectangle inside the
 * margins. The y pixel axis points down (SVG convention); scales take care of the flip.
 */
import { ValueError } from '../linalg/errors.js';
import { escapeXml, fmtCoord, fmtNum } from './format.js';

/** Linear or base-10 logarithmic axis. */
export type ScaleKind = 'linear' | 'log';

/** The plotting rectangle in pixels. */
export interface Frame { left: number; top: number; width: number; height: number }

/** A map from data values to pixels along one axis. */
export interface Scale {
  kind: ScaleKind;
  /** Data range after padding / rounding to ticks. */
  lo: number;
  hi: number;
  /** Pixel position of value `v` (log scales clamp non-positive values to `lo`). */
  px(v: number): number;
  ticks: Tick[];
}

/** One labelled tick. */
export interface Tick { value: number; label: string; major: boolean }

/** Colour-blind-safe categorical palette (Okabe–Ito), indexed cyclically. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'] as const;

/** Colour `i` of the palette, cyclically. */
export function colour(i: number): string {
  return PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length]!;
}

/**
 * The data range of `values` for an axis: finite values only (and positive ones on log axes),
 * widened when degenerate. Throws ValueError when no usable value remains.
 */
export function dataRange(values: readonly number[], kind: ScaleKind, op = 'svg'): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v) || (kind === 'log' && v <= 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) throw new ValueError(op, `no ${kind === 'log' ? 'positive finite' : 'finite'} value to plot`);
  if (lo === hi) return kind === 'log' ? [lo / 2, hi * 2] : [lo - (lo === 0 ? 1 : Math.abs(lo) / 2), hi + (hi === 0 ? 1 : Math.abs(hi) / 2)];
  return [lo, hi];
}

/** "Nice" linear tick step: 1, 2 or 5 times a power of ten giving about `target` intervals. */
export function niceStep(span: number, target = 5): number {
  const raw = span / target;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const m = raw / p;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

/** Rounds a tick value so that 0.1+0.2-type noise never reaches a label. */
function clean(v: number, step: number): number {
  const d = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(v.toFixed(Math.min(d, 20)));
}

/** Linear ticks covering [lo, hi], range extended to whole steps. */
export function linearTicks(lo: number, hi: number, target = 5): { lo: number; hi: number; ticks: Tick[] } {
  const step = niceStep(hi - lo, target);
  let a = Math.floor(lo / step + 1e-9) * step;
  let b = Math.ceil(hi / step - 1e-9) * step;
  // when |lo| ≫ span, rounding can leave an end just inside the data: widen by one step
  if (clean(a, step) > lo + 1e-8 * (hi - lo)) a -= step;
  if (clean(b, step) < hi - 1e-8 * (hi - lo)) b += step;
  const ticks: Tick[] = [];
  const n = Math.round((b - a) / step);
  for (let i = 0; i <= n; i++) {
    const v = clean(a + i * step, step);
    ticks.push({ value: v, label: fmtNum(v, 4), major: true });
  }
  return { lo: clean(a, step), hi: clean(b, step), ticks };
}

/**
 * Log10 ticks covering [lo, hi], range extended to whole decades. Every decade is a labelled
 * major tick (thinned to at most ~8 labels); when the range spans at most two decades the
 * 2× and 5× minor ticks are labelled too.
 */
export function logTicks(lo: number, hi: number): { lo: number; hi: number; ticks: Tick[] } {
  const e0 = Math.floor(Math.log10(lo) + 1e-9);
  const e1 = Math.ceil(Math.log10(hi) - 1e-9);
  const span = Math.max(1, e1 - e0);
  const every = Math.ceil(span / 8);
  const ticks: Tick[] = [];
  for (let e = e0; e <= Math.max(e1, e0 + 1); e++) {
    const v = Number(`1e${e}`);
    ticks.push({ value: v, label: (e - e0) % every === 0 ? decadeLabel(e) : '', major: true });
    if (e < Math.max(e1, e0 + 1)) {
      for (const m of [2, 5]) ticks.push({ value: Number(`${m}e${e}`), label: span <= 2 ? fmtNum(m * Math.pow(10, e)) : '', major: false });
    }
  }
  return { lo: Number(`1e${e0}`), hi: Number(`1e${Math.max(e1, e0 + 1)}`), ticks };
}

/** Label of the decade 10^e: '1', '10', '100', '0.1', '0.01', otherwise '1e-5'. */
function decadeLabel(e: number): string {
  if (e >= -2 && e <= 3) return fmtNum(Math.pow(10, e));
  return `1e${e}`;
}

/**
 * A scale from data range [lo, hi] to pixels [p0, p1] (p1 < p0 for a y axis).
 * With `fixed` the range is used as given (ticks inside it only); otherwise it is extended
 * to whole ticks.
 */
export function makeScale(kind: ScaleKind, lo: number, hi: number, p0: number, p1: number, fixed = false): Scale {
  const t = kind === 'log' ? logTicks(lo, hi) : linearTicks(lo, hi);
  const a = fixed ? lo : t.lo;
  const b = fixed ? hi : t.hi;
  const ticks = t.ticks.filter((tk) => tk.value >= a * (1 - 1e-12) - 1e-300 && tk.value <= b * (1 + 1e-12) + 1e-300);
  const f = kind === 'log' ? (v: number) => Math.log10(v) : (v: number) => v;
  const fa = f(a), fb = f(b);
  const px = (v: number): number => {
    const w = kind === 'log' && !(v > 0) ? fa : f(v);
    return p0 + ((w - fa) / (fb - fa)) * (p1 - p0);
  };
  return { kind, lo: a, hi: b, px, ticks };
}

/** An SVG element as a string: `el('line', {x1: 0, ...})`; numbers go through fmtCoord. */
export function el(name: string, attrs: Record<string, string | number | undefined>, body?: string): string {
  const parts = [name];
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined) continue;
    parts.push(`${k}="${typeof v === 'number' ? fmtCoord(v) : escapeXml(v)}"`);
  }
  return body === undefined ? `<${parts.join(' ')}/>` : `<${parts.join(' ')}>${body}</${name}>`;
}

/** A text element (content escaped). */
export function text(x: number, y: number, s: string, attrs: Record<string, string | number> = {}): string {
  return el('text', { x, y, ...attrs }, escapeXml(s));
}

/** A polyline path through points (`M x y L x y …`), skipping non-finite points (breaks the line). */
export function pathD(points: readonly (readonly [number, number])[]): string {
  const out: string[] = [];
  let pen = false;
  for (const [x, y] of points) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) { pen = false; continue; }
    out.push(`${pen ? 'L' : 'M'}${fmtCoord(x)} ${fmtCoord(y)}`);
    pen = true;
  }
  return out.join(' ');
}

/** The x and y axes of a frame: grid lines, tick marks, tick labels and axis labels. */
export function axes(frame: Frame, xs: Scale, ys: Scale, xLabel: string, yLabel: string): string {
  const out: string[] = [];
  const bottom = frame.top + frame.height;
  const right = frame.left + frame.width;
  for (const t of xs.ticks) {
    const x = xs.px(t.value);
    out.push(el('line', { x1: x, y1: frame.top, x2: x, y2: bottom, stroke: t.major ? '#dddddd' : '#f0f0f0', 'stroke-width': 1 }));
    out.push(el('line', { x1: x, y1: bottom, x2: x, y2: bottom + (t.major ? 5 : 3), stroke: '#333333' }));
    if (t.label !== '') out.push(text(x, bottom + 17, t.label, { 'text-anchor': 'middle', 'font-size': 11 }));
  }
  for (const t of ys.ticks) {
    const y = ys.px(t.value);
    out.push(el('line', { x1: frame.left, y1: y, x2: right, y2: y, stroke: t.major ? '#dddddd' : '#f0f0f0', 'stroke-width': 1 }));
    out.push(el('line', { x1: frame.left - (t.major ? 5 : 3), y1: y, x2: frame.left, y2: y, stroke: '#333333' }));
    if (t.label !== '') out.push(text(frame.left - 8, y + 4, t.label, { 'text-anchor': 'end', 'font-size': 11 }));
  }
  out.push(el('rect', { x: frame.left, y: frame.top, width: frame.width, height: frame.height, fill: 'none', stroke: '#333333' }));
  out.push(text(frame.left + frame.width / 2, bottom + 38, xLabel, { 'text-anchor': 'middle', 'font-size': 13 }));
  const cy = frame.top + frame.height / 2;
  out.push(text(16, cy, yLabel, { 'text-anchor': 'middle', 'font-size': 13, transform: `rotate(-90 16 ${fmtCoord(cy)})` }));
  return out.join('\n');
}

/** A legend box in the top-right corner of the frame. `dash` draws a dashed sample line. */
export function legend(frame: Frame, items: readonly { label: string; color: string; dash?: boolean; marker?: boolean; box?: boolean }[], outside = false): string {
  if (items.length === 0) return '';
  const w = outside ? legendWidth(items.map((i) => i.label)) : Math.min(frame.width - 10, legendWidth(items.map((i) => i.label)));
  const h = 8 + 16 * items.length;
  const x0 = outside ? frame.left + frame.width + 12 : frame.left + frame.width - w - 6;
  const y0 = frame.top + 6;
  const out = [el('rect', { x: x0, y: y0, width: w, height: h, fill: '#ffffff', 'fill-opacity': 0.85, stroke: '#999999' })];
  items.forEach((it, i) => {
    const y = y0 + 14 + 16 * i;
    if (it.box === true) out.push(el('rect', { x: x0 + 8, y: y - 6, width: 22, height: 10, fill: it.color }));
    else out.push(el('line', { x1: x0 + 8, y1: y - 1, x2: x0 + 30, y2: y - 1, stroke: it.color, 'stroke-width': 2, 'stroke-dasharray': it.dash === true ? '6 4' : undefined }));
    if (it.marker === true) out.push(el('circle', { cx: x0 + 19, cy: y - 1, r: 3, fill: it.color }));
    out.push(text(x0 + 36, y + 3, it.label, { 'font-size': 11 }));
  });
  return out.join('\n');
}

/** Width in pixels of a legend box holding `labels` (swatch plus ~6.2 px per character). */
export function legendWidth(labels: readonly string[]): number {
  return labels.length === 0 ? 0 : 12 + 30 + 6.2 * Math.max(...labels.map((l) => l.length));
}

/** Wraps a body in an `<svg>` document with a white background and a title. */
export function svgDocument(width: number, height: number, title: string, body: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    el('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }),
    text(width / 2, 20, title, { 'text-anchor': 'middle', 'font-size': 14, 'font-weight': 'bold' }),
    body,
    '</svg>',
    '',
  ].join('\n');
}
