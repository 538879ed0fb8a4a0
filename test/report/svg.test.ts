import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  barChart,
  layoutFigure,
  linePlot,
  quantilePlot,
  renderFigure,
  type LinePlotSpec,
} from '../../src/report/svg.js';
import { checkLayout } from '../../src/report/svg-layout.js';
import { linearTicks, logTicks, makeScale } from '../../src/report/svg-core.js';

const lineSpec: LinePlotSpec = {
  kind: 'line',
  title: 'error vs m_h',
  xLabel: 'm_h',
  yLabel: 'error',
  xScale: 'log',
  yScale: 'log',
  series: [
    {
      label: 'trained',
      x: [1, 2, 4, 8],
      y: [0.3, 0.12, 0.05, 0.021],
      lo: [0.25, 0.1, 0.04, 0.015],
      hi: [0.35, 0.14, 0.06, 0.03],
    },
    { label: 'constructive', x: [1, 2, 4, 8], y: [0.2, 0.08, 0.03, NaN] },
    { label: 'bound (proof)', x: [1, 2, 4, 8], y: [3, 1.5, 0.7, 0.35], dash: true, marker: false },
  ],
  fits: [{ label: 'slope -1.31 [-1.5, -1.1]', x: [1, 8], y: [0.3, 0.0198] }],
};

describe('SVG writer', () => {
  it("legend 'right' puts the legend box beside the plot, clear of every data point", () => {
    const svg = linePlot({ ...lineSpec, width: 900, legend: 'right' });
    const boxes = [
      ...svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="[\d.]+" fill="#ffffff" fill-opacity/g),
    ];
    expect(boxes).toHaveLength(1);
    const legendLeft = Number(boxes[0]![1]);
    // data markers have r = 3.2 (the legend's swatch markers r = 3)
    const cx = [...svg.matchAll(/<circle cx="([\d.]+)" cy="[\d.]+" r="3.2"/g)].map((m) => Number(m[1]));
    expect(cx.length).toBeGreaterThan(0);
    expect(Math.max(...cx)).toBeLessThan(legendLeft);
    expect(legendLeft + Number(boxes[0]![2])).toBeLessThanOrEqual(900);
    // the default puts the legend in a free corner when there is one, clear of every mark
    const { layout } = layoutFigure({ ...lineSpec, width: 900 });
    expect(layout.legend).not.toBeNull();
    expect(layout.legend!.x + layout.legend!.w).toBeLessThanOrEqual(layout.frame!.x + layout.frame!.w);
    expect(checkLayout(layout)).toEqual([]);
  });
  it('line plot (log–log, fit, bound, error bars) matches its snapshot', async () => {
    await expect(linePlot(lineSpec)).toMatchFileSnapshot('__snapshots__/line.svg');
  });
  it('linear axes snapshot', async () => {
    const svg = renderFigure({
      kind: 'line',
      title: 'linear',
      xLabel: 'x',
      yLabel: 'y',
      xScale: 'linear',
      yScale: 'linear',
      series: [{ label: 'a', x: [0, 1, 2, 3], y: [-1, 0.5, 2, 2.5] }],
    });
    await expect(svg).toMatchFileSnapshot('__snapshots__/linear.svg');
  });
  it('quantile plot matches its snapshot', async () => {
    const box = (m: number) => ({ min: m / 4, q1: m / 2, median: m, q3: 2 * m, max: 4 * m });
    const svg = quantilePlot({
      kind: 'quantile',
      title: 'logit singular values',
      xLabel: 'index k',
      yLabel: 'σ_k',
      yScale: 'log',
      categories: ['1', '2', '3', '4'],
      groups: [
        { label: 'm_h=2', boxes: [box(10), box(3), null, null] },
        { label: 'm_h=4', boxes: [box(12), box(5), box(1), box(0.2)] },
      ],
    });
    await expect(svg).toMatchFileSnapshot('__snapshots__/quantile.svg');
  });
  it('grouped log bar chart matches its snapshot', async () => {
    const svg = barChart({
      kind: 'bar',
      title: 'Table 2',
      yLabel: 'MSE',
      yScale: 'log',
      categories: ['original', 'ordering', 'mixing'],
      groups: [
        { label: 'RNN', values: [1e-7, 3.6e-2, 1.6e-7], lo: [5e-8, 3e-2, 1e-7], hi: [2e-7, 4e-2, 2e-7] },
        { label: 'Transformer', values: [2.2e-5, 2.5e-5, NaN] },
      ],
    });
    await expect(svg).toMatchFileSnapshot('__snapshots__/bar.svg');
  });
  it('is deterministic and well formed', () => {
    const a = linePlot(lineSpec),
      b = linePlot(structuredClone(lineSpec));
    expect(a).toBe(b);
    expect(a.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(a.trim().endsWith('</svg>')).toBe(true);
    expect(a).not.toMatch(/NaN|Infinity/);
    expect(a).toContain('stroke-dasharray="6 4"');
    expect(a).toContain('slope -1.31');
  });
  it('escapes text and rejects unplottable or mismatched input', () => {
    const svg = renderFigure({
      kind: 'bar',
      title: 'a<b & c',
      yLabel: 'y',
      yScale: 'linear',
      categories: ['x'],
      groups: [{ label: 'g', values: [1] }],
    });
    expect(svg).toContain('a&lt;b &amp; c');
    expect(() => linePlot({ ...lineSpec, series: [{ label: 'x', x: [1], y: [-1] }], fits: [] })).toThrow(
      /no positive finite value/,
    );
    expect(() => linePlot({ ...lineSpec, series: [{ label: 'x', x: [1, 2], y: [1] }] })).toThrow(
      /x has 2 values, y has 1/,
    );
    expect(() =>
      barChart({
        kind: 'bar',
        title: '',
        yLabel: '',
        yScale: 'log',
        categories: ['a', 'b'],
        groups: [{ label: 'g', values: [1] }],
      }),
    ).toThrow(/1 values for 2 categories/);
  });
});

describe('ticks and scales', () => {
  it('linear ticks cover the range with a nice step (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
        (lo, span) => {
          const hi = lo + span;
          const t = linearTicks(lo, hi);
          // ends may round inward by at most 1e-8 of the span (tick-snapping tolerance)
          expect(t.lo).toBeLessThanOrEqual(lo + 1e-8 * span);
          expect(t.hi).toBeGreaterThanOrEqual(hi - 1e-8 * span);
          expect(t.ticks.length).toBeGreaterThanOrEqual(2);
          expect(t.ticks.length).toBeLessThanOrEqual(16);
        },
      ),
      { numRuns: 200 },
    );
  });
  it('log ticks are whole decades around the range (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -12, max: 12 }), fc.double({ min: 1, max: 1e6, noNaN: true }), (e, ratio) => {
        const lo = Math.pow(10, e) * 1.7,
          hi = lo * ratio;
        const t = logTicks(lo, hi);
        expect(t.lo).toBeLessThanOrEqual(lo);
        expect(t.hi).toBeGreaterThanOrEqual(hi * (1 - 1e-12));
        expect(Number.isInteger(Math.round(Math.log10(t.lo) * 1e9) / 1e9)).toBe(true);
        expect(t.ticks.filter((k) => k.label !== '').length).toBeLessThanOrEqual(12);
      }),
      { numRuns: 200 },
    );
  });
  it('scales are monotone and map the ends to the pixel range', () => {
    const s = makeScale('log', 1e-3, 1, 400, 0);
    expect(s.px(s.lo)).toBeCloseTo(400, 9);
    expect(s.px(s.hi)).toBeCloseTo(0, 9);
    expect(s.px(1e-2)).toBeGreaterThan(s.px(1e-1));
    expect(s.px(-1)).toBe(400);
  });
});

describe('tick filtering', () => {
  it('keeps the tick at a negative lower end of the axis', () => {
    const s = makeScale('linear', -1, 2.5, 400, 0);
    expect(s.ticks[0]!.value).toBe(-1);
    expect(s.ticks.map((t) => t.value)).toContain(2.5);
  });
});
