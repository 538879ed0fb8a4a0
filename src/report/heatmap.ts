/**
 * Heatmaps for the seqrate report: one or more matrices drawn side by side on a shared colour
 * scale (white → blue), with optional row/column labels, cell values printed when the cells are
 * large enough, and a colour bar. Used for learned attention matrices next to the ideal ones
 * (App. B.1 demonstrations). Output is deterministic: the same spec gives byte-identical SVG.
 */
import { ValueError } from '../linalg/errors.js';
import { fmtNum } from './format.js';
import { el, svgDocument, text } from './svg-core.js';
import { newLayout, textBox, type Layout } from './svg-layout.js';

/** One matrix of a heatmap figure; `values[i][j]` is row i, column j (null = missing, drawn grey). */
export interface HeatmapPanel {
  label: string;
  values: (number | null)[][];
}

/** A heatmap figure: panels side by side, all with the same shape and colour scale. */
export interface HeatmapSpec {
  kind: 'heatmap';
  title: string;
  /** Axis captions under / beside each panel (e.g. 'key s', 'query t'). */
  xLabel: string;
  yLabel: string;
  panels: HeatmapPanel[];
  /** Tick labels of rows and columns (default 1..R and 1..C). */
  rowLabels?: string[];
  colLabels?: string[];
  /** Colour scale range (default: 0 and the largest finite value, or 1 when all are ≤ 0). */
  min?: number;
  max?: number;
  /** Print the value in every cell (default: when cells are at least 22 px). */
  annotate?: boolean;
  width?: number;
  height?: number;
}

const LIGHT = [255, 255, 255] as const;
const DARK = [0, 60, 130] as const;

/** Hex colour of a value in [min, max] on the white → dark-blue ramp (clamped). */
export function rampColour(v: number, min: number, max: number): string {
  const f = max > min ? Math.min(1, Math.max(0, (v - min) / (max - min))) : 0;
  return `#${LIGHT.map((l, i) =>
    Math.round(l + f * (DARK[i]! - l))
      .toString(16)
      .padStart(2, '0'),
  ).join('')}`;
}

/**
 * The compact label printed in a cell: the value rounded to two decimals, printed without the
 * leading zero (`.23`, `-.05`), or as `0`, `1`, `-1` when it rounds to those; values beyond ±1
 * print with 2 significant digits (fmtNum). Fits a 22-px cell.
 */
export function cellLabel(v: number): string {
  const r = Math.round(v * 100) / 100;
  if (r === 0) return '0';
  if (Math.abs(r) === 1) return r > 0 ? '1' : '-1';
  if (Math.abs(r) < 1) return r.toFixed(2).replace(/^(-?)0\./, '$1.');
  return fmtNum(v, 2);
}

/** Checks the panels: at least one, all the same non-empty rectangular shape, labels matching. */
function shapeOf(spec: HeatmapSpec): [number, number] {
  const p0 = spec.panels[0];
  if (p0 === undefined) throw new ValueError('heatmap', 'needs at least one panel');
  const R = p0.values.length,
    C = p0.values[0]?.length ?? 0;
  if (R === 0 || C === 0) throw new ValueError('heatmap', `panel '${p0.label}' is empty`);
  for (const p of spec.panels) {
    if (p.values.length !== R || p.values.some((r) => r.length !== C))
      throw new ValueError('heatmap', `panel '${p.label}' is not ${R}×${C} like panel '${p0.label}'`);
  }
  if (spec.rowLabels !== undefined && spec.rowLabels.length !== R)
    throw new ValueError('heatmap', `${spec.rowLabels.length} row labels for ${R} rows`);
  if (spec.colLabels !== undefined && spec.colLabels.length !== C)
    throw new ValueError('heatmap', `${spec.colLabels.length} column labels for ${C} columns`);
  return [R, C];
}

/** The colour-scale range of a spec (see HeatmapSpec.min/max). */
function rangeOf(spec: HeatmapSpec): [number, number] {
  let hi = -Infinity;
  for (const p of spec.panels)
    for (const r of p.values) for (const v of r) if (v !== null && Number.isFinite(v) && v > hi) hi = v;
  const min = spec.min ?? 0;
  const max = spec.max ?? (hi > min ? hi : min + 1);
  if (!(max > min)) throw new ValueError('heatmap', `colour range needs max > min, got [${min}, ${max}]`);
  return [min, max];
}

/**
 * Renders a heatmap figure to a standalone SVG document (deterministic). Throws ValueError on
 * ragged or mismatched panels.
 * @example renderHeatmap({ kind: 'heatmap', title: 'attention', xLabel: 's', yLabel: 't', panels: [{ label: 'learned', values: [[0.9, 0.1], [0.2, 0.8]] }] })
 */
export function renderHeatmap(spec: HeatmapSpec): string {
  return layHeatmap(spec).svg;
}

/** Renders a heatmap and records its cells (as marks) and labels in a Layout. */
export function layHeatmap(spec: HeatmapSpec, desc = ''): { svg: string; layout: Layout } {
  const [R, C] = shapeOf(spec);
  const [min, max] = rangeOf(spec);
  const P = spec.panels.length;
  const left = 64,
    top = 56,
    gap = 40,
    bar = 80,
    bottom = 48;
  const W = spec.width ?? Math.max(360, left + P * 300 + (P - 1) * gap + bar);
  const cell = Math.min((W - left - bar - (P - 1) * gap) / P / C, ((spec.height ?? 420) - top - bottom) / R);
  const H = spec.height ?? Math.ceil(top + R * cell + bottom);
  const lay = newLayout(W, H);
  const rowL = spec.rowLabels ?? Array.from({ length: R }, (_, i) => String(i + 1));
  const colL = spec.colLabels ?? Array.from({ length: C }, (_, j) => String(j + 1));
  const annotate = spec.annotate ?? cell >= 22;
  const fs = Math.max(6, Math.min(11, cell * 0.45));
  const body: string[] = [];
  const label = (
    x: number,
    y: number,
    s: string,
    size: number,
    anchor: 'middle' | 'end' | 'start',
    role: 'tick' | 'axis' = 'tick',
  ): void => {
    lay.labels.push({ r: textBox(x, y, s, size, anchor), text: s, role });
    body.push(text(x, y, s, anchor === 'start' ? { 'font-size': size } : { 'text-anchor': anchor, 'font-size': size }));
  };
  spec.panels.forEach((p, k) => {
    const x0 = left + k * (C * cell + gap);
    label(x0 + (C * cell) / 2, top - 12, p.label, 12, 'middle', 'axis');
    p.values.forEach((row, i) =>
      row.forEach((v, j) => {
        const ok = v !== null && Number.isFinite(v);
        body.push(
          el('rect', {
            x: x0 + j * cell,
            y: top + i * cell,
            width: cell,
            height: cell,
            fill: ok ? rampColour(v, min, max) : '#dddddd',
            stroke: '#ffffff',
            'stroke-width': 0.5,
          }),
        );
        if (annotate && ok) {
          const dark = (v - min) / (max - min) > 0.55;
          body.push(
            text(x0 + (j + 0.5) * cell, top + (i + 0.5) * cell + fs * 0.35, cellLabel(v), {
              'text-anchor': 'middle',
              'font-size': fs,
              fill: dark ? '#ffffff' : '#222222',
            }),
          );
        }
      }),
    );
    lay.marks.push({ kind: 'rect', r: { x: x0, y: top, w: C * cell, h: R * cell }, of: p.label });
    body.push(el('rect', { x: x0, y: top, width: C * cell, height: R * cell, fill: 'none', stroke: '#333333' }));
    colL.forEach((l, j) => label(x0 + (j + 0.5) * cell, top + R * cell + 13, l, fs, 'middle'));
    if (k === 0) rowL.forEach((l, i) => label(x0 - 5, top + (i + 0.5) * cell + fs * 0.35, l, fs, 'end'));
    label(x0 + (C * cell) / 2, top + R * cell + 32, spec.xLabel, 12, 'middle', 'axis');
  });
  const cy = top + (R * cell) / 2;
  body.push(
    text(16, cy, spec.yLabel, {
      'text-anchor': 'middle',
      'font-size': 12,
      transform: `rotate(-90 16 ${cy.toFixed(2)})`,
    }),
  );
  const yw = textBox(0, 0, spec.yLabel, 12).w;
  lay.labels.push({ r: { x: 16 - 12 * 0.8, y: cy - yw / 2, w: 12 * 1.05, h: yw }, text: spec.yLabel, role: 'axis' });
  body.push(colourBar(left + P * C * cell + (P - 1) * gap + 16, top, R * cell, min, max, lay));
  const d =
    desc ||
    `Heatmaps (${R}×${C}) of ${spec.panels.map((p) => p.label).join(', ')}; rows ${spec.yLabel}, ` +
      `columns ${spec.xLabel}; colour from ${fmtNum(min)} (white) to ${fmtNum(max)} (dark blue).`;
  return { svg: svgDocument(W, H, spec.title, body.join('\n'), d, lay), layout: lay };
}

/** A vertical colour bar of height h at (x, y) with the range's ends and middle labelled. */
function colourBar(x: number, y: number, h: number, min: number, max: number, lay: Layout): string {
  const steps = 16,
    out: string[] = [];
  for (let i = 0; i < steps; i++) {
    const v = max - ((i + 0.5) / steps) * (max - min);
    out.push(
      el('rect', { x, y: y + (i * h) / steps, width: 12, height: h / steps + 0.5, fill: rampColour(v, min, max) }),
    );
  }
  out.push(el('rect', { x, y, width: 12, height: h, fill: 'none', stroke: '#333333' }));
  lay.marks.push({ kind: 'rect', r: { x, y, w: 12, h }, of: 'colour bar' });
  // labels 10 px high: the middle one only on a bar tall enough for three, the ends on one for two
  for (const f of h >= 36 ? [0, 0.5, 1] : h >= 24 ? [0, 1] : [1]) {
    const s = fmtNum(min + f * (max - min), 2);
    lay.labels.push({ r: textBox(x + 16, y + (1 - f) * h + 4, s, 10), text: s, role: 'tick' });
    out.push(text(x + 16, y + (1 - f) * h + 4, s, { 'font-size': 10 }));
  }
  return out.join('\n');
}
