/**
 * Category figures of the seqrate report: grouped bar charts (Tables 1–3; exact zeros on a log
 * axis as hollow diamonds on a "0" floor, an optional chance-level line) and quantile
 * (box-and-whisker) plots. Every box drawn is recorded in a Layout (see svg-layout.ts).
 */
import { ValueError } from '../linalg/errors.js';
import { axes, axisScale, colourChooser, el, svgDocument, text, type Frame, type Scale } from './svg-core.js';
import { withLegend, type Drawn, type LegendItem } from './svg-legend.js';
import { firstFree, newLayout, textBox, TEXT_EM, type Layout } from './svg-layout.js';
import { fmtCoord } from './format.js';
import { directLabel, frameOf, nums, zeroDiamond } from './svg-line.js';
import type { BarChartSpec, QuantilePlotSpec } from './svg.js';

const ZERO_BAND = 22;
const CHANCE_COLOUR = '#4D4D4D';
const CHANCE_DASH = '5 3';

/** A linear scale placing category i at the centre of slot i, labelled by the category name. */
function categoryScale(categories: readonly string[], fr: Frame): Scale {
  const slot = fr.width / categories.length;
  return {
    kind: 'linear',
    lo: 0,
    hi: categories.length,
    categorical: true,
    px: (v: number) => fr.left + slot * v,
    ticks: categories.map((c, i) => ({ value: i + 0.5, label: c, major: false })),
  };
}

/** The pixel extent of the values drawn on a y scale (zeros at the floor). */
function ySpan(ys: Scale, vals: readonly number[]): [number, number] {
  const shown = (v: number): boolean =>
    Number.isFinite(v) && (ys.kind === 'linear' || v > 0 || (v === 0 && ys.zero !== undefined));
  const px = vals.filter(shown).map((v) => ys.px(v));
  return px.length === 0 ? [0, 0] : [Math.min(...px), Math.max(...px)];
}

/** Draws a grouped bar chart and returns its SVG and layout (see BarChartSpec). */
export function layBarChart(spec: BarChartSpec, desc = ''): { svg: string; layout: Layout } {
  const W = spec.width ?? 640,
    H = spec.height ?? 420;
  const nC = spec.categories.length,
    nG = spec.groups.length;
  if (nC === 0 || nG === 0) throw new ValueError('barChart', 'needs at least one category and one group');
  const choose = colourChooser(spec.colorKeys);
  const groups = spec.groups.map((g, gi) => ({
    label: g.label,
    color: choose(g.colorKey, g.color, gi),
    values: nums(g.values),
    lo: g.lo === undefined ? undefined : nums(g.lo),
    hi: g.hi === undefined ? undefined : nums(g.hi),
  }));
  for (const g of groups) {
    if (g.values.length !== nC)
      throw new ValueError('barChart', `group '${g.label}' has ${g.values.length} values for ${nC} categories`);
  }
  const chance = spec.chance ?? [];
  for (const ch of chance) {
    if (!(Number.isFinite(ch.value) && (spec.yScale === 'linear' || ch.value > 0)))
      throw new ValueError('barChart', `chance level ${ch.value} cannot be drawn on a ${spec.yScale} axis`);
  }
  const vals = groups.flatMap((g) => [...g.values, ...(g.lo ?? []), ...(g.hi ?? [])]);
  vals.push(...chance.map((ch) => ch.value));
  if (spec.yScale === 'linear') vals.push(0);
  const zeros = spec.yScale === 'log' && vals.some((v) => v === 0);
  const yPos = zeros && !vals.some((v) => v > 0 && Number.isFinite(v)) ? [...vals, 1] : vals;
  const draw = (extra: number): Drawn => {
    const fr = frameOf(W, H, extra);
    const lay = newLayout(W, H, { x: fr.left, y: fr.top, w: fr.width, h: fr.height });
    const ys = axisScale(
      spec.yScale,
      yPos,
      fr.top + fr.height,
      fr.top,
      { zeroBand: zeros ? ZERO_BAND : 0, keepFloor: true },
      'barChart',
    );
    const body: string[] = [axes(fr, categoryScale(spec.categories, fr), ys, '', spec.yLabel, lay)];
    const slot = fr.width / nC,
      bw = (slot * 0.75) / nG;
    const base = spec.yScale === 'log' ? ys.px(ys.lo) : ys.px(0);
    const missing: [number, number][] = [],
      zeroAt: [number, number, string][] = [];
    groups.forEach((g, gi) =>
      g.values.forEach((v, ci) => {
        const x = fr.left + slot * ci + slot * 0.125 + bw * gi,
          cx = x + bw * 0.46;
        body.push(bar(v, x, bw, base, ys, g.color, g.label, lay, missing, zeroAt));
        const lo = g.lo?.[ci],
          hi = g.hi?.[ci];
        if (lo === undefined || hi === undefined || !Number.isFinite(lo) || !Number.isFinite(hi)) return;
        if (spec.yScale === 'log' && !(lo > 0 || (lo === 0 && zeros))) return;
        body.push(el('line', { x1: cx, y1: ys.px(lo), x2: cx, y2: ys.px(hi), stroke: '#222222', 'stroke-width': 1.2 }));
        lay.marks.push({ kind: 'seg', a: [cx, ys.px(lo)], b: [cx, ys.px(hi)], of: g.label });
      }),
    );
    const items: LegendItem[] = groups.map((g) => ({ label: g.label, color: g.color, box: true }));
    for (const ch of chance) {
      const c = ch.colorKey !== undefined || ch.color !== undefined ? choose(ch.colorKey, ch.color, 0) : CHANCE_COLOUR;
      const line = chanceLine(ch, c, ys, fr, lay);
      body.push(line.svg);
      // a chance line whose label finds no free spot beside it is named in the legend instead
      if (!line.labelled) items.push({ label: ch.label, color: c, dash: CHANCE_DASH });
    }
    for (const [cx, y] of missing) body.push(notAvailable(cx, y, bw, fr, lay));
    for (const [cx, y, c] of zeroAt) body.push(zeroLabel(cx, y, c, fr, lay));
    lay.y = { data: ySpan(ys, vals), axis: [ys.zero ?? ys.px(ys.lo), ys.px(ys.hi)] };
    return { body, lay, items, frame: fr };
  };
  const d = withLegend(draw, spec.legend);
  const text0 =
    desc ||
    `Bar chart of ${spec.yLabel} (${spec.yScale} axis) for ${spec.categories.join(', ')}; ` +
      `groups: ${spec.groups.map((g) => g.label).join(', ')}.`;
  return { svg: svgDocument(W, H, spec.title, d.body.join('\n'), text0, d.lay), layout: d.lay };
}

/**
 * One bar (or a zero diamond, listed in `zeros` for its label), recorded in `lay`; a value the
 * axis cannot show goes to `pending` (for 'n/a').
 */
function bar(
  v: number,
  x: number,
  bw: number,
  base: number,
  ys: Scale,
  c: string,
  of: string,
  lay: Layout,
  pending: [number, number][],
  zeros: [number, number, string][],
): string {
  const w = bw * 0.92,
    cx = x + bw * 0.46;
  if (v === 0 && (ys.zero !== undefined || ys.kind === 'linear')) {
    const y = ys.zero ?? base;
    lay.marks.push({ kind: 'rect', r: { x: cx - 4.5, y: y - 4.5, w: 9, h: 9 }, of });
    zeros.push([cx, y, c]);
    return zeroDiamond(cx, y, c);
  }
  if (!Number.isFinite(v) || (ys.kind === 'log' && v <= 0)) {
    pending.push([cx, base]);
    return '';
  }
  const y = ys.px(v);
  const r = { x, y: Math.min(y, base), w, h: Math.abs(base - y) };
  lay.marks.push({ kind: 'rect', r, of });
  return el('rect', { x: r.x, y: r.y, width: r.w, height: r.h, fill: c });
}

/** 'n/a' where a bar cannot be drawn: just above the base, or higher up its slot if that is taken. */
function notAvailable(cx: number, base: number, bw: number, fr: Frame, lay: Layout): string {
  const fs = Math.max(6, Math.min(9, bw / (3 * TEXT_EM)));
  const box = textBox(cx, base - 4, 'n/a', fs, 'middle');
  const cands = Array.from({ length: 40 }, (_, k) => [box.x, box.y - 6 * k] as const);
  const r = firstFree(cands, box.w, box.h, { x: fr.left, y: fr.top, w: fr.width, h: fr.height }, lay, 0.5) ?? box;
  lay.labels.push({ r, text: 'n/a', role: 'direct' });
  return text(cx, r.y + fs * 0.8, 'n/a', { 'text-anchor': 'middle', 'font-size': fmtCoord(fs) });
}

/** 'exact 0' beside a zero diamond when there is room (the axis's '0' floor labels it anyway). */
function zeroLabel(cx: number, y: number, c: string, fr: Frame, lay: Layout): string {
  const fs = 10,
    box = textBox(0, 0, 'exact 0', fs);
  const cands = [
    [cx - box.w / 2, y - 6 - box.h],
    [cx + 7, y - box.h / 2],
    [cx - 7 - box.w, y - box.h / 2],
  ] as const;
  const r = firstFree(cands, box.w, box.h, { x: fr.left, y: fr.top, w: fr.width, h: fr.height }, lay, 1);
  if (r === null) return '';
  lay.labels.push({ r, text: 'exact 0', role: 'direct' });
  return text(r.x, r.y + fs * 0.8, 'exact 0', { 'font-size': fs, fill: c });
}

/** The chance-level line across the frame, with its label placed clear of every mark when possible. */
function chanceLine(
  ch: { value: number; label: string },
  c: string,
  ys: Scale,
  fr: Frame,
  lay: Layout,
): { svg: string; labelled: boolean } {
  const y = ys.px(ch.value);
  const a = [fr.left, y] as const,
    b = [fr.left + fr.width, y] as const;
  const out = [
    el('line', { x1: a[0], y1: y, x2: b[0], y2: y, stroke: c, 'stroke-width': 1.5, 'stroke-dasharray': CHANCE_DASH }),
  ];
  lay.marks.push({ kind: 'seg', a, b, of: ch.label });
  const label = directLabel(ch.label, [a, b], c, fr, lay);
  if (label !== null) out.push(label);
  return { svg: out.join('\n'), labelled: label !== null };
}

/** Draws a quantile (box-and-whisker) plot and returns its SVG and layout (see QuantilePlotSpec). */
export function layQuantilePlot(spec: QuantilePlotSpec, desc = ''): { svg: string; layout: Layout } {
  const W = spec.width ?? 640,
    H = spec.height ?? 420;
  const nC = spec.categories.length,
    nG = spec.groups.length;
  if (nC === 0 || nG === 0) throw new ValueError('quantilePlot', 'needs at least one category and one group');
  const choose = colourChooser(spec.colorKeys);
  const colours = spec.groups.map((g, gi) => choose(g.colorKey, g.color, gi));
  const vals = spec.groups.flatMap((g) => g.boxes.flatMap((b) => (b === null ? [] : [b.min, b.max, b.median])));
  const draw = (extra: number): Drawn => {
    const fr = frameOf(W, H, extra);
    const lay = newLayout(W, H, { x: fr.left, y: fr.top, w: fr.width, h: fr.height });
    const ys = axisScale(spec.yScale, vals, fr.top + fr.height, fr.top, {}, 'quantilePlot');
    const slot = fr.width / nC,
      bw = Math.max(2, Math.min(24, (slot * 0.8) / nG));
    const body: string[] = [axes(fr, categoryScale(spec.categories, fr), ys, spec.xLabel, spec.yLabel, lay)];
    const safe = (v: number): number => ys.px(spec.yScale === 'log' ? Math.max(v, ys.lo) : v);
    spec.groups.forEach((g, gi) =>
      g.boxes.forEach((b, ci) => {
        if (b === null) return;
        const c = colours[gi]!,
          cx = fr.left + slot * (ci + 0.5) + (gi - (nG - 1) / 2) * bw;
        const top = safe(b.q3),
          bot = safe(b.q1);
        body.push(el('line', { x1: cx, y1: safe(b.min), x2: cx, y2: safe(b.max), stroke: c, 'stroke-width': 1 }));
        body.push(
          el('rect', {
            x: cx - bw * 0.4,
            y: top,
            width: bw * 0.8,
            height: Math.max(0.5, bot - top),
            fill: c,
            'fill-opacity': 0.35,
            stroke: c,
          }),
        );
        body.push(
          el('line', {
            x1: cx - bw * 0.45,
            y1: safe(b.median),
            x2: cx + bw * 0.45,
            y2: safe(b.median),
            stroke: c,
            'stroke-width': 2,
          }),
        );
        lay.marks.push({ kind: 'seg', a: [cx, safe(b.min)], b: [cx, safe(b.max)], of: g.label });
        lay.marks.push({
          kind: 'rect',
          r: {
            x: cx - bw * 0.45,
            y: Math.min(top, safe(b.median)),
            w: bw * 0.9,
            h: Math.max(0.5, Math.max(bot, safe(b.median)) - Math.min(top, safe(b.median))),
          },
          of: g.label,
        });
      }),
    );
    lay.y = { data: ySpan(ys, vals), axis: [ys.px(ys.lo), ys.px(ys.hi)] };
    return {
      body,
      lay,
      items: spec.groups.map((g, gi) => ({ label: g.label, color: colours[gi]!, box: true })),
      frame: fr,
    };
  };
  const d = withLegend(draw, spec.legend);
  const text0 =
    desc ||
    `Box plot of ${spec.yLabel} (${spec.yScale} axis) by ${spec.xLabel}; ` +
      `groups: ${spec.groups.map((g) => g.label).join(', ')}.`;
  return { svg: svgDocument(W, H, spec.title, d.body.join('\n'), text0, d.lay), layout: d.lay };
}
