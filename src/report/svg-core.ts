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
import { rectsOverlap, textBox, type Layout } from './svg-layout.js';

/** Linear or base-10 logarithmic axis. */
export type ScaleKind = 'linear' | 'log';

/** The plotting rectangle in pixels. */
export interface Frame {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** A map from data values to pixels along one axis. */
export interface Scale {
  kind: ScaleKind;
  /** Data range after padding / rounding to ticks. */
  lo: number;
  hi: number;
  /** Pixel position of value `v` (log scales clamp non-positive values to `lo`). */
  px(v: number): number;
  ticks: Tick[];
  /** Log scales with exact zeros: the pixel of the "0" floor, below the lowest decade. */
  zero?: number;
  /** Category axis: every tick label must show (they are staggered rather than left off). */
  categorical?: boolean;
}

/** One labelled tick. */
export interface Tick {
  value: number;
  label: string;
  major: boolean;
}

/**
 * Categorical palette: the hues of the colour-blind-safe Okabe–Ito set, darkened where needed so
 * that every colour reaches WCAG AA contrast (≥ 4.5:1) as text on white (test/report checks it).
 */
export const PALETTE = [
  '#0072B2',
  '#B8470B',
  '#00785A',
  '#A8457F',
  '#8A6100',
  '#6A3D9A',
  '#4D4D4D',
  '#C0392B',
] as const;

/** Colour `i` of the palette, cyclically. */
export function colour(i: number): string {
  return PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length]!;
}

/** WCAG 2 contrast ratio of two `#rrggbb` colours (1 … 21). */
export function contrastRatio(a: string, b = '#ffffff'): number {
  const lum = (h: string): number => {
    const c = [1, 3, 5]
      .map((i) => parseInt(h.slice(i, i + 2), 16) / 255)
      .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
}

/**
 * A colour chooser for the series of one figure: a series with a `colorKey` gets the palette
 * colour at that key's position in `keys` (keys not listed follow, in order of first use), so
 * figures sharing `keys` give a key the same colour everywhere; otherwise the palette index
 * `color`, otherwise `fallback`.
 */
export function colourChooser(
  keys: readonly string[] = [],
): (key: string | undefined, color: number | undefined, fallback: number) => string {
  const order = [...keys];
  return (key, color, fallback) => {
    if (key !== undefined) {
      if (!order.includes(key)) order.push(key);
      return colour(order.indexOf(key));
    }
    return colour(color ?? fallback);
  };
}

/**
 * The data range of `values` for an axis: finite values only (and positive ones on log axes),
 * widened when degenerate. Throws ValueError when no usable value remains.
 */
export function dataRange(values: readonly number[], kind: ScaleKind, op = 'svg'): [number, number] {
  let lo = Infinity,
    hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v) || (kind === 'log' && v <= 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) throw new ValueError(op, `no ${kind === 'log' ? 'positive finite' : 'finite'} value to plot`);
  // a range too narrow to draw (relative width below 1e-9) is widened like a single value
  if (hi - lo <= 1e-9 * Math.max(Math.abs(lo), Math.abs(hi))) {
    const m = (lo + hi) / 2;
    lo = m;
    hi = m;
  }
  if (lo === hi)
    return kind === 'log'
      ? [lo / 2, hi * 2]
      : [lo - (lo === 0 ? 1 : Math.abs(lo) / 2), hi + (hi === 0 ? 1 : Math.abs(hi) / 2)];
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
      for (const m of [2, 5])
        ticks.push({ value: Number(`${m}e${e}`), label: span <= 2 ? fmtNum(m * Math.pow(10, e)) : '', major: false });
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
  const ticks = t.ticks.filter((tk) => within(tk.value, a, b));
  const f = kind === 'log' ? (v: number) => Math.log10(v) : (v: number) => v;
  const fa = f(a),
    fb = f(b);
  const px = (v: number): number => {
    const w = kind === 'log' && !(v > 0) ? fa : f(v);
    return p0 + ((w - fa) / (fb - fa)) * (p1 - p0);
  };
  return { kind, lo: a, hi: b, px, ticks };
}

/** Options of axisScale. */
export interface AxisOpts {
  /** Range tight around the data (small padding) instead of whole ticks/decades. */
  tight?: boolean;
  /** Ticks at the data's own values when there are at most 10 distinct ones. */
  dataTicks?: boolean;
  /** Keep the lower end at the rounded tick even when data sit on it (bars grow from it). */
  keepFloor?: boolean;
  /** Log scales: reserve a band of this many pixels below the data for exact zeros. */
  zeroBand?: number;
}

/** Minimum fraction of an axis the data must span (the figure layout rule). */
export const MIN_SPAN = 0.6;

/**
 * The scale of an axis drawn from the data `values` onto pixels [p0, p1]: whole ticks (linear) or
 * whole decades (log) around the data when the data then span at least MIN_SPAN of the axis,
 * otherwise (or with `tight`) the data's own range padded by 4 %. With `dataTicks` and at most 10
 * distinct values, the ticks sit at the values themselves (m_h = 1, 2, 4, 8 rather than 1, 2, 5, 10).
 */
export function axisScale(
  kind: ScaleKind,
  values: readonly number[],
  p0: number,
  p1: number,
  o: AxisOpts = {},
  op = 'svg',
): Scale {
  const [lo, hi] = dataRange(values, kind, op);
  const f = kind === 'log' ? Math.log10 : (v: number): number => v;
  const g = kind === 'log' ? (w: number): number => Math.pow(10, w) : (w: number): number => w;
  const distinct = [...new Set(values.filter((v) => Number.isFinite(v) && (kind === 'linear' || v > 0)))].sort(
    (a, b) => a - b,
  );
  const zb = kind === 'log' && (o.zeroBand ?? 0) > 0 ? o.zeroBand! * Math.sign(p0 - p1) : 0;
  const q0 = p0 - zb;
  const round = kind === 'log' ? logTicks(lo, hi) : linearTicks(lo, hi);
  const first = distinct[0] ?? 0,
    last = distinct[distinct.length - 1] ?? 0;
  const spread = distinct.length >= 2 && last - first > 1e-9 * Math.max(Math.abs(first), Math.abs(last));
  const cover = spread ? (f(distinct[distinct.length - 1]!) - f(distinct[0]!)) / (f(round.hi) - f(round.lo)) : 1;
  const useData = o.dataTicks === true && spread && distinct.length <= 10;
  let a = round.lo,
    b = round.hi,
    ticks = round.ticks;
  if (zb !== 0 && !spread) {
    // exact zeros and one positive value: the value near the top, a decade above the zero floor
    const v = distinct[distinct.length - 1] ?? hi;
    a = v / 10;
    b = v * 1.25;
    ticks = innerTicks(kind, a, b);
  } else if (spread && (useData || o.tight === true || cover < MIN_SPAN)) {
    const pad = 0.04 * (f(hi) - f(lo));
    a = g(f(lo) - pad);
    b = g(f(hi) + pad);
    ticks = useData ? distinct.map((v) => ({ value: v, label: fmtNum(v), major: true })) : innerTicks(kind, a, b);
  } else if (spread && cover / 1.06 >= MIN_SPAN) {
    // data on a rounded end would be drawn on the frame line: give that end 3 % headroom
    // (the lower end only when the axis does not start the bars there)
    const pad = 0.03 * (f(round.hi) - f(round.lo)),
      touches = (x: number, y: number): boolean => Math.abs(f(x) - f(y)) < 1e-9 * (Math.abs(f(y)) + 1);
    if (touches(hi, b)) b = g(f(b) + pad);
    if (o.keepFloor !== true && touches(lo, a)) a = g(f(a) - pad);
  }
  const fa = f(a),
    fb = f(b);
  const px = (v: number): number => {
    if (kind === 'log' && !(v > 0)) return zb !== 0 ? p0 - 0.35 * zb : q0;
    return q0 + ((f(v) - fa) / (fb - fa)) * (p1 - q0);
  };
  const s: Scale = { kind, lo: a, hi: b, px, ticks: ticks.filter((t) => within(t.value, a, b)) };
  if (zb !== 0) s.zero = p0 - 0.35 * zb;
  return s;
}

/** Ticks strictly inside a tight range [a, b], at least two of them labelled. */
function innerTicks(kind: ScaleKind, a: number, b: number): Tick[] {
  const inRange = (t: Tick): boolean => t.value >= a && t.value <= b;
  if (kind === 'log') {
    const t = logTicks(a, b).ticks.filter(inRange);
    if (t.filter((k) => k.label !== '').length >= 4) return t;
    // few labels (e.g. k = 1 … 32 shows only 1 and 10): label the 2× and 5× ticks as well
    const all = t.map((k) => ({ ...k, label: fmtNum(k.value) }));
    if (all.length >= 2) return all;
  }
  return linearTicks(a, b, 4)
    .ticks.filter(inRange)
    .filter((t) => t.value > 0 || kind === 'linear');
}

/** v in [a, b] up to rounding (1e-12 of the magnitudes; negative ends included). */
function within(v: number, a: number, b: number): boolean {
  const eps = 1e-12 * Math.max(Math.abs(a), Math.abs(b)) + 1e-300;
  return v >= a - eps && v <= b + eps;
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
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      pen = false;
      continue;
    }
    out.push(`${pen ? 'L' : 'M'}${fmtCoord(x)} ${fmtCoord(y)}`);
    pen = true;
  }
  return out.join(' ');
}

/**
 * The x and y axes of a frame: grid lines, tick marks, tick labels (a label that would overlap
 * its neighbour is left off, the tick stays) and axis captions, all recorded in `lay`. A log
 * y scale with a zero floor gets a "0" tick at the floor and a break mark on the axis.
 */
export function axes(frame: Frame, xs: Scale, ys: Scale, xLabel: string, yLabel: string, lay: Layout): string {
  const out: string[] = [];
  const bottom = frame.top + frame.height;
  const right = frame.left + frame.width;
  // a label that would overlap a neighbour is left off; category labels (which must all show) move
  // one row down instead
  const tickLabel = (x: number, y: number, label: string, anchor: 'middle' | 'end', rows = 1): void => {
    const r0 = textBox(x, y, label, 11, anchor);
    // a label at the right end that would leave the canvas moves left, just inside it
    if (r0.x + r0.w > lay.width - 1) x -= r0.x + r0.w - (lay.width - 1);
    for (let k = 0; k < rows; k++) {
      const r = textBox(x, y + 13 * k, label, 11, anchor);
      if (lay.labels.some((l) => rectsOverlap(l.r, { x: r.x - 3, y: r.y - 1, w: r.w + 6, h: r.h + 2 }))) continue;
      lay.labels.push({ r, text: label, role: 'tick' });
      out.push(text(x, y + 13 * k, label, { 'text-anchor': anchor, 'font-size': 11 }));
      return;
    }
  };
  for (const t of xs.ticks) {
    const x = xs.px(t.value);
    out.push(
      el('line', {
        x1: x,
        y1: frame.top,
        x2: x,
        y2: bottom,
        stroke: t.major ? '#dddddd' : '#f0f0f0',
        'stroke-width': 1,
      }),
    );
    out.push(el('line', { x1: x, y1: bottom, x2: x, y2: bottom + (t.major ? 5 : 3), stroke: '#333333' }));
    if (t.label !== '') tickLabel(x, bottom + 17, t.label, 'middle', xs.categorical === true ? 2 : 1);
  }
  const yTicks = ys.zero === undefined ? ys.ticks : [{ value: 0, label: '0', major: true }, ...ys.ticks];
  for (const t of yTicks) {
    const y = ys.px(t.value);
    out.push(
      el('line', {
        x1: frame.left,
        y1: y,
        x2: right,
        y2: y,
        stroke: t.major ? '#dddddd' : '#f0f0f0',
        'stroke-width': 1,
      }),
    );
    out.push(el('line', { x1: frame.left - (t.major ? 5 : 3), y1: y, x2: frame.left, y2: y, stroke: '#333333' }));
    if (t.label !== '') tickLabel(frame.left - 8, y + 4, t.label, 'end');
  }
  out.push(
    el('rect', {
      x: frame.left,
      y: frame.top,
      width: frame.width,
      height: frame.height,
      fill: 'none',
      stroke: '#333333',
    }),
  );
  if (ys.zero !== undefined) out.push(axisBreak(frame.left, (ys.zero + ys.px(ys.lo)) / 2));
  if (xLabel !== '') {
    out.push(text(frame.left + frame.width / 2, bottom + 38, xLabel, { 'text-anchor': 'middle', 'font-size': 13 }));
    lay.labels.push({
      r: textBox(frame.left + frame.width / 2, bottom + 38, xLabel, 13, 'middle'),
      text: xLabel,
      role: 'axis',
    });
  }
  const cy = frame.top + frame.height / 2;
  out.push(
    text(16, cy, yLabel, { 'text-anchor': 'middle', 'font-size': 13, transform: `rotate(-90 16 ${fmtCoord(cy)})` }),
  );
  const yw = textBox(0, 0, yLabel, 13).w;
  lay.labels.push({ r: { x: 16 - 13 * 0.8, y: cy - yw / 2, w: 13 * 1.05, h: yw }, text: yLabel, role: 'axis' });
  return out.join('\n');
}

/** A break mark (two short slanted strokes on a white gap) across the y axis at height y. */
function axisBreak(x: number, y: number): string {
  return [
    el('rect', { x: x - 6, y: y - 3, width: 12, height: 6, fill: '#ffffff' }),
    el('line', { x1: x - 6, y1: y - 1, x2: x + 6, y2: y - 5, stroke: '#333333' }),
    el('line', { x1: x - 6, y1: y + 5, x2: x + 6, y2: y + 1, stroke: '#333333' }),
  ].join('\n');
}

/**
 * Wraps a body in an `<svg>` document with a white background, a visible title and the
 * accessible `<title>` and `<desc>`; records the title's box in `lay` when given.
 */
export function svgDocument(
  width: number,
  height: number,
  title: string,
  body: string,
  desc = '',
  lay?: Layout,
): string {
  if (lay !== undefined)
    lay.labels.push({ r: textBox(width / 2, 20, title, 14, 'middle'), text: title, role: 'title' });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
      'role="img" font-family="Helvetica, Arial, sans-serif">',
    el('title', {}, escapeXml(title)),
    el('desc', {}, escapeXml(desc === '' ? title : desc)),
    el('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }),
    text(width / 2, 20, title, { 'text-anchor': 'middle', 'font-size': 14, 'font-weight': 'bold' }),
    body,
    '</svg>',
    '',
  ].join('\n');
}
