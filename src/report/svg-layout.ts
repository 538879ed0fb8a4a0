/**
 * Layout geometry of the SVG writer. Every figure records each box it draws — data marks (markers,
 * bars, line segments, reference lines), labels (title, axis captions, tick labels, direct
 * labels) and the legend — so that placement can avoid collisions and tests can check the
 * result on the figure's own geometry (`checkLayout`).
 *
 * Coordinates are SVG pixels (y down). Text extents are estimated from the font size
 * (`TEXT_EM` em per character), generously, so that a box that clears here clears on screen.
 */

/** An axis-aligned rectangle. */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A data mark: a filled/stroked rectangle (marker, bar) or a line segment (curve, whisker). */
export type Mark =
  | { kind: 'rect'; r: Rect; of: string }
  | { kind: 'seg'; a: readonly [number, number]; b: readonly [number, number]; of: string };

/** What a label is: captions and ticks sit outside the frame, direct labels inside it. */
export type LabelRole = 'title' | 'axis' | 'tick' | 'direct' | 'legend';

/** One drawn label. */
export interface Label {
  r: Rect;
  text: string;
  role: LabelRole;
}

/** The pixel extent of the data along one axis and of the axis itself. */
export interface AxisSpan {
  data: [number, number];
  axis: [number, number];
}

/** Everything a figure drew, as boxes. */
export interface Layout {
  width: number;
  height: number;
  frame: Rect | null;
  marks: Mark[];
  labels: Label[];
  /** The legend box (null when there is no legend). */
  legend: Rect | null;
  x: AxisSpan | null;
  y: AxisSpan | null;
}

/** Average character width of the sans-serif labels in em (deliberately on the wide side). */
export const TEXT_EM = 0.62;

/** The box of a text drawn at baseline (x, y) with `anchor`, font size `fs`. */
export function textBox(
  x: number,
  y: number,
  s: string,
  fs: number,
  anchor: 'start' | 'middle' | 'end' = 'start',
): Rect {
  const w = Math.max(1, [...s].length) * fs * TEXT_EM;
  const x0 = anchor === 'start' ? x : anchor === 'middle' ? x - w / 2 : x - w;
  return { x: x0, y: y - fs * 0.8, w, h: fs * 1.05 };
}

/** True when two rectangles overlap by more than `pad` pixels (touching edges do not count). */
export function rectsOverlap(a: Rect, b: Rect, pad = 0): boolean {
  return a.x + pad < b.x + b.w && b.x + pad < a.x + a.w && a.y + pad < b.y + b.h && b.y + pad < a.y + a.h;
}

/** True when segment a–b passes through the interior of rectangle r (Liang–Barsky clipping). */
export function segmentHitsRect(a: readonly [number, number], b: readonly [number, number], r: Rect): boolean {
  const dx = b[0] - a[0],
    dy = b[1] - a[1];
  let t0 = 0,
    t1 = 1;
  const p = [-dx, dx, -dy, dy];
  const q = [a[0] - r.x, r.x + r.w - a[0], a[1] - r.y, r.y + r.h - a[1]];
  for (let i = 0; i < 4; i++) {
    if (p[i] === 0) {
      if (q[i]! <= 0) return false;
      continue;
    }
    const t = q[i]! / p[i]!;
    if (p[i]! < 0) {
      if (t > t1) return false;
      if (t > t0) t0 = t;
    } else {
      if (t < t0) return false;
      if (t < t1) t1 = t;
    }
  }
  return t1 - t0 > 1e-9;
}

/** True when a mark touches rectangle r. */
export function markHits(m: Mark, r: Rect): boolean {
  return m.kind === 'rect' ? rectsOverlap(m.r, r) : segmentHitsRect(m.a, m.b, r);
}

/** True when r lies inside `outer` (with an inset). */
export function inside(r: Rect, outer: Rect, inset = 0): boolean {
  return (
    r.x >= outer.x + inset &&
    r.y >= outer.y + inset &&
    r.x + r.w <= outer.x + outer.w - inset &&
    r.y + r.h <= outer.y + outer.h - inset
  );
}

/** True when r is clear of every mark, every label and the legend. */
export function isFree(r: Rect, lay: Layout, pad = 2): boolean {
  const g: Rect = { x: r.x - pad, y: r.y - pad, w: r.w + 2 * pad, h: r.h + 2 * pad };
  if (lay.legend !== null && rectsOverlap(g, lay.legend)) return false;
  return !lay.marks.some((m) => markHits(m, g)) && !lay.labels.some((l) => rectsOverlap(g, l.r));
}

/** An empty layout of a width × height canvas. */
export function newLayout(width: number, height: number, frame: Rect | null = null): Layout {
  return { width, height, frame, marks: [], labels: [], legend: null, x: null, y: null };
}

/**
 * The first rectangle of size w × h, among candidate top-left corners, that lies inside `within`
 * and is free (see isFree); null when none is.
 */
export function firstFree(
  cands: readonly (readonly [number, number])[],
  w: number,
  h: number,
  within: Rect,
  lay: Layout,
  pad = 2,
): Rect | null {
  for (const [x, y] of cands) {
    const r = { x, y, w, h };
    if (inside(r, within) && isFree(r, lay, pad)) return r;
  }
  return null;
}

/** A layout rule that a figure breaks, in words (empty list = the figure passes). */
export function checkLayout(lay: Layout, minSpan = 0.6): string[] {
  const bad: string[] = [];
  const movable = lay.labels.filter((l) => l.role === 'direct');
  for (const l of movable) {
    const m = lay.marks.find((k) => markHits(k, l.r));
    if (m !== undefined) bad.push(`label '${l.text}' covers a mark of '${m.of}'`);
  }
  if (lay.legend !== null) {
    const m = lay.marks.find((k) => markHits(k, lay.legend!));
    if (m !== undefined) bad.push(`legend covers a mark of '${m.of}'`);
    for (const l of lay.labels) if (rectsOverlap(l.r, lay.legend)) bad.push(`legend covers label '${l.text}'`);
  }
  for (let i = 0; i < lay.labels.length; i++) {
    for (let j = i + 1; j < lay.labels.length; j++) {
      const a = lay.labels[i]!,
        b = lay.labels[j]!;
      if (rectsOverlap(a.r, b.r)) bad.push(`labels '${a.text}' and '${b.text}' overlap`);
    }
  }
  const canvas = { x: 0, y: 0, w: lay.width, h: lay.height };
  for (const l of lay.labels) if (!inside(l.r, canvas, -0.5)) bad.push(`label '${l.text}' leaves the canvas`);
  if (lay.legend !== null && !inside(lay.legend, canvas, -0.5)) bad.push('legend leaves the canvas');
  for (const [name, s] of [
    ['x', lay.x],
    ['y', lay.y],
  ] as const) {
    if (s === null) continue;
    const d = Math.abs(s.data[1] - s.data[0]),
      a = Math.abs(s.axis[1] - s.axis[0]);
    // data drawn at a single position (under a pixel) have no span to check
    if (d >= 1 && d < minSpan * a) {
      bad.push(`data span ${((100 * d) / a).toFixed(0)}% of the ${name} axis (< ${100 * minSpan}%)`);
    }
  }
  return bad;
}
