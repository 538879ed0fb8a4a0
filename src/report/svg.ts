/**
 * The three figure kinds of the seqrate report, as JSON-serialisable specs rendered to SVG:
 *
 * - `line`: x–y series on linear or log axes, with markers, optional error bars, dashed lines
 *   (bounds), and fitted lines annotated with their slope (error vs m_h, singular-value decay);
 * - `quantile`: per category a box from the first to the third quartile, whiskers from min to max
 *   and a median bar, several groups side by side (distribution of logit singular values);
 * - `bar`: grouped bars with optional error bars, linear or log value axis (Tables 2 and 3).
 *
 * Specs are stored in results.json so every figure can be re-drawn from the data alone. Every
 * figure records the boxes it draws (`layoutFigure`), so layout rules can be checked on its own
 * geometry (`checkLayout` in svg-layout.ts): no label or legend over a data mark or another label,
 * data spanning at least 60 % of each axis.
 */
import { svgDocument, type ScaleKind } from './svg-core.js';
import { layHeatmap, type HeatmapSpec } from './heatmap.js';
import { layLinePlot } from './svg-line.js';
import { layBarChart, layQuantilePlot } from './svg-bar.js';
import { newLayout, type Layout } from './svg-layout.js';

export type { HeatmapPanel, HeatmapSpec } from './heatmap.js';

/** One series of a line plot. `lo`/`hi` (same length as `y`) draw vertical error bars. */
export interface LineSeries {
  label: string;
  x: (number | null)[];
  /** null (or NaN in memory) = missing point, drawn as a gap. */
  y: (number | null)[];
  lo?: (number | null)[];
  hi?: (number | null)[];
  /** Dashed line (used for bounds): true = '6 4', or an SVG dash pattern such as '2 2'. */
  dash?: boolean | string;
  /** Draw markers (default true). */
  marker?: boolean;
  /** Connect points (default true). */
  line?: boolean;
  /** Palette index (default: position in the series list). */
  color?: number;
  /** Colour by key (e.g. 'α=0.55'), overriding `color`: see LinePlotSpec.colorKeys. */
  colorKey?: string;
}

/** A fitted straight line (in the plot's coordinates) between two points, with its annotation. */
export interface FitLine {
  label: string;
  x: [number, number];
  y: [number, number];
  color?: number;
  colorKey?: string;
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
  /**
   * Where the legend goes: 'inside' (default) = a free corner of the plot when one is free, else a
   * column to its right; 'right' = always the column.
   */
  legend?: 'inside' | 'right';
  /**
   * The palette order of colour keys: a series with `colorKey` k gets palette colour
   * `colorKeys.indexOf(k)`, so figures that share this list give each key (each α) one colour.
   */
  colorKeys?: string[];
}

/** Five-number summary of a distribution. */
export interface Box {
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
}

/** A quantile (box-and-whisker) plot: `groups[g].boxes[c]` is group g in category c (or null). */
export interface QuantilePlotSpec {
  kind: 'quantile';
  title: string;
  xLabel: string;
  yLabel: string;
  yScale: ScaleKind;
  categories: string[];
  groups: { label: string; boxes: (Box | null)[]; color?: number; colorKey?: string }[];
  colorKeys?: string[];
  legend?: 'inside' | 'right';
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
  groups: {
    label: string;
    values: (number | null)[];
    lo?: (number | null)[];
    hi?: (number | null)[];
    color?: number;
    colorKey?: string;
  }[];
  /**
   * Horizontal chance-level lines (e.g. accuracy 0.1 for ten classes), each labelled, dashed grey
   * or in the colour of `color`/`colorKey` (e.g. the group it is the chance level of).
   */
  chance?: { value: number; label: string; color?: number; colorKey?: string }[];
  colorKeys?: string[];
  legend?: 'inside' | 'right';
  width?: number;
  height?: number;
}

/** Any figure of the report. */
export type FigureSpec = LinePlotSpec | QuantilePlotSpec | BarChartSpec | HeatmapSpec;

/**
 * Renders any figure spec to a standalone SVG document (deterministic); `desc` becomes the SVG's
 * `<desc>` (default: a generated one-sentence description).
 * @example renderFigure({ kind: 'bar', title: 'MSE', yLabel: 'MSE', yScale: 'log', categories: ['a'], groups: [{ label: 'RNN', values: [1e-3] }] })
 */
export function renderFigure(spec: FigureSpec, desc = ''): string {
  return layoutFigure(spec, desc).svg;
}

/** Renders a figure and returns the SVG with the layout of every box drawn (for layout checks). */
export function layoutFigure(spec: FigureSpec, desc = ''): { svg: string; layout: Layout } {
  switch (spec.kind) {
    case 'line':
      return layLinePlot(spec, desc);
    case 'quantile':
      return layQuantilePlot(spec, desc);
    case 'bar':
      return layBarChart(spec, desc);
    case 'heatmap':
      return layHeatmap(spec, desc);
  }
}

/** Renders a line plot (see LinePlotSpec). */
export function linePlot(spec: LinePlotSpec): string {
  return layLinePlot(spec).svg;
}

/** Renders a quantile (box-and-whisker) plot (see QuantilePlotSpec). */
export function quantilePlot(spec: QuantilePlotSpec): string {
  return layQuantilePlot(spec).svg;
}

/** Renders a grouped bar chart (see BarChartSpec); log bars start at the bottom of the axis. */
export function barChart(spec: BarChartSpec): string {
  return layBarChart(spec).svg;
}

/** A small SVG saying that a figure could not be drawn, and why (used in place of the figure). */
export function unavailableFigure(title: string, reason: string): string {
  const body = `<text x="10" y="54" font-size="12">figure unavailable: ${reason.replace(/[<&>]/g, '')}</text>`;
  return svgDocument(640, 80, title, body, `figure unavailable: ${reason}`, newLayout(640, 80));
}
