/**
 * Legends of the SVG writer: entry sizes, a free spot inside the plot found from the recorded
 * geometry, and the fallback column beside the plot (`withLegend`).
 */
import { el, text, type Frame } from './svg-core.js';
import { firstFree, TEXT_EM, type Layout, type Rect } from './svg-layout.js';

/** One legend entry: a line sample (optionally dashed, with a marker) or a filled box. */
export interface LegendItem {
  label: string;
  color: string;
  dash?: string | undefined;
  marker?: boolean;
  box?: boolean;
}

/** Size in pixels of a legend box holding `items`. */
export function legendSize(items: readonly LegendItem[]): { w: number; h: number } {
  if (items.length === 0) return { w: 0, h: 0 };
  return { w: 12 + 30 + 11 * TEXT_EM * Math.max(...items.map((i) => [...i.label].length)), h: 8 + 16 * items.length };
}

/** Width in pixels of a legend box holding `labels`. */
export function legendWidth(labels: readonly string[]): number {
  return legendSize(labels.map((label) => ({ label, color: '' }))).w;
}

/**
 * A free spot for the legend inside the frame: the four corners first, then the middles of the
 * top and bottom edges; null when every one covers a mark or a label.
 */
export function freeLegendSpot(frame: Frame, items: readonly LegendItem[], lay: Layout): Rect | null {
  const { w, h } = legendSize(items);
  const l = frame.left + 6,
    r = frame.left + frame.width - w - 6;
  const t = frame.top + 6,
    b = frame.top + frame.height - h - 6;
  const m = frame.left + (frame.width - w) / 2;
  const within = { x: frame.left, y: frame.top, w: frame.width, h: frame.height };
  return firstFree(
    [
      [r, t],
      [l, t],
      [r, b],
      [l, b],
      [m, t],
      [m, b],
    ],
    w,
    h,
    within,
    lay,
  );
}

/** Draws the legend in box `at` and records it in `lay`. */
export function legendAt(at: Rect, items: readonly LegendItem[], lay: Layout): string {
  const out = [
    el('rect', {
      x: at.x,
      y: at.y,
      width: at.w,
      height: at.h,
      fill: '#ffffff',
      'fill-opacity': 0.85,
      stroke: '#999999',
    }),
  ];
  items.forEach((it, i) => {
    const y = at.y + 14 + 16 * i;
    const x0 = at.x;
    if (it.box === true) out.push(el('rect', { x: x0 + 8, y: y - 6, width: 22, height: 10, fill: it.color }));
    else
      out.push(
        el('line', {
          x1: x0 + 8,
          y1: y - 1,
          x2: x0 + 30,
          y2: y - 1,
          stroke: it.color,
          'stroke-width': 2,
          'stroke-dasharray': it.dash,
        }),
      );
    if (it.marker === true) out.push(el('circle', { cx: x0 + 19, cy: y - 1, r: 3, fill: it.color }));
    out.push(text(x0 + 36, y + 3, it.label, { 'font-size': 11, fill: '#222222' }));
  });
  lay.legend = at;
  return out.join('\n');
}

/** A drawn figure before its legend: body elements, layout, the legend's entries and the frame. */
export interface Drawn {
  body: string[];
  lay: Layout;
  items: LegendItem[];
  frame: Frame;
}

/**
 * Draws a figure and its legend: in a free spot inside the plot when there is one (and `mode` is
 * not 'right'), otherwise beside it, with the figure redrawn `legend width` narrower. `draw`
 * draws everything but the legend in a frame kept `extraRight` pixels clear on the right.
 */
export function withLegend(draw: (extraRight: number) => Drawn, mode: 'inside' | 'right' | undefined): Drawn {
  const a = draw(0);
  if (a.items.length === 0) return a;
  if (mode !== 'right') {
    const spot = freeLegendSpot(a.frame, a.items, a.lay);
    if (spot !== null) {
      a.body.push(legendAt(spot, a.items, a.lay));
      return a;
    }
  }
  // the narrower redraw may add entries (labels that no longer fit): one more pass then
  let b = draw(legendSize(a.items).w + 14);
  if (legendSize(b.items).w > legendSize(a.items).w) b = draw(legendSize(b.items).w + 14);
  b.body.push(
    legendAt({ x: b.frame.left + b.frame.width + 10, y: b.frame.top, ...legendSize(b.items) }, b.items, b.lay),
  );
  return b;
}
