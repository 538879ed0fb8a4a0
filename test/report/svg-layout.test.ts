import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  layoutFigure,
  renderFigure,
  type BarChartSpec,
  type LinePlotSpec,
  type QuantilePlotSpec,
} from '../../src/report/svg.js';
import { PALETTE, contrastRatio } from '../../src/report/svg-core.js';
import {
  checkLayout,
  markHits,
  newLayout,
  rectsOverlap,
  segmentHitsRect,
  type Layout,
} from '../../src/report/svg-layout.js';

/** The numbers printed as tick labels along the bottom axis (text at y = frame bottom + 17). */
function xTickLabels(lay: Layout): string[] {
  const bottom = lay.frame!.y + lay.frame!.h;
  return lay.labels
    .filter((l) => l.role === 'tick' && l.r.y > bottom)
    .sort((a, b) => a.r.x - b.r.x)
    .map((l) => l.text);
}

const circles = (svg: string): number => (svg.match(/<circle /g) ?? []).length;

describe('layout geometry primitives', () => {
  it('rectangle and segment intersection agree with sampled points (property)', () => {
    const coord = fc.double({ min: -50, max: 150, noNaN: true });
    fc.assert(
      fc.property(
        coord,
        coord,
        coord,
        coord,
        fc.double({ min: 1, max: 80, noNaN: true }),
        fc.double({ min: 1, max: 80, noNaN: true }),
        (ax, ay, bx, by, w, h) => {
          const r = { x: 20, y: 30, w, h };
          const hit = segmentHitsRect([ax, ay], [bx, by], r);
          // a sampled point strictly inside the rectangle proves a hit
          let sampled = false;
          for (let i = 0; i <= 400; i++) {
            const t = i / 400,
              x = ax + t * (bx - ax),
              y = ay + t * (by - ay);
            if (x > r.x + 1e-6 && x < r.x + r.w - 1e-6 && y > r.y + 1e-6 && y < r.y + r.h - 1e-6) sampled = true;
          }
          if (sampled) expect(hit).toBe(true);
          // both ends on one outer side of the rectangle: no hit
          if ((ax < r.x && bx < r.x) || (ay > r.y + r.h && by > r.y + r.h)) expect(hit).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
    expect(rectsOverlap({ x: 0, y: 0, w: 10, h: 10 }, { x: 10, y: 0, w: 5, h: 5 })).toBe(false);
    expect(rectsOverlap({ x: 0, y: 0, w: 10, h: 10 }, { x: 9, y: 9, w: 5, h: 5 })).toBe(true);
  });

  it('checkLayout catches a deliberately overlapping layout, rule by rule', () => {
    const lay = newLayout(400, 300, { x: 50, y: 30, w: 300, h: 220 });
    lay.marks.push(
      { kind: 'seg', a: [50, 100], b: [350, 100], of: 'curve' },
      { kind: 'rect', r: { x: 200, y: 200, w: 6, h: 6 }, of: 'point' },
    );
    lay.x = { data: [60, 340], axis: [50, 350] };
    lay.y = { data: [40, 203], axis: [250, 30] };
    expect(checkLayout(lay)).toEqual([]);
    const bad = structuredClone(lay);
    bad.labels.push({ r: { x: 100, y: 95, w: 40, h: 12 }, text: 'slope', role: 'direct' });
    bad.labels.push(
      { r: { x: 130, y: 150, w: 40, h: 12 }, text: 'a', role: 'direct' },
      { r: { x: 150, y: 155, w: 40, h: 12 }, text: 'b', role: 'tick' },
    );
    bad.legend = { x: 190, y: 190, w: 60, h: 30 };
    bad.x = { data: [60, 200], axis: [50, 350] };
    const found = checkLayout(bad).join('\n');
    expect(found).toMatch(/label 'slope' covers a mark of 'curve'/);
    expect(found).toMatch(/labels 'a' and 'b' overlap/);
    expect(found).toMatch(/legend covers a mark of 'point'/);
    expect(found).toMatch(/data span 47% of the x axis/);
  });

  it('checkLayout catches a legend moved onto the data of a real figure', () => {
    const { layout } = layoutFigure(
      lineSpec([
        [1, 0.3],
        [2, 0.12],
        [4, 0.05],
        [8, 0.02],
      ]),
    );
    expect(checkLayout(layout)).toEqual([]);
    const m = layout.marks.find((k) => k.kind === 'rect')!;
    const moved = { ...layout, legend: m.kind === 'rect' ? { x: m.r.x - 10, y: m.r.y - 10, w: 60, h: 30 } : null };
    expect(checkLayout(moved).some((s) => s.startsWith('legend covers a mark'))).toBe(true);
    expect(markHits(m, moved.legend!)).toBe(true);
  });
});

function lineSpec(points: [number, number][], extra: Partial<LinePlotSpec> = {}): LinePlotSpec {
  return {
    kind: 'line',
    title: 't',
    xLabel: 'm_h',
    yLabel: 'error',
    xScale: 'log',
    yScale: 'log',
    series: [{ label: 'a', x: points.map((p) => p[0]), y: points.map((p) => p[1]) }],
    ...extra,
  };
}

describe('figure content rules', () => {
  it('palette: every colour reaches WCAG AA contrast (4.5:1) as text on white; the old yellow did not', () => {
    for (const c of PALETTE) expect(contrastRatio(c)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio('#000000')).toBeCloseTo(21, 9);
    expect(contrastRatio('#F0E442')).toBeLessThan(1.5);
    expect(new Set(PALETTE).size).toBe(PALETTE.length);
  });

  it('log x axis: ticks at the data values (1, 2, 4, 8) and a range ending near the data, not at 100', () => {
    const { layout } = layoutFigure(
      lineSpec([
        [1, 0.3],
        [2, 0.1],
        [4, 0.05],
        [8, 0.02],
        [16, 0.01],
      ]),
    );
    expect(xTickLabels(layout)).toEqual(['1', '2', '4', '8', '16']);
    const s = layout.x!;
    expect(Math.abs(s.data[1] - s.data[0]) / Math.abs(s.axis[1] - s.axis[0])).toBeGreaterThan(0.9);
    // many values: decade ticks with 2× and 5× labels, still tight around 1 … 32
    const many = layoutFigure(lineSpec(Array.from({ length: 32 }, (_, k) => [k + 1, 1 / (k + 1)] as [number, number])));
    expect(xTickLabels(many.layout)).toEqual(['1', '2', '5', '10', '20']);
    expect(checkLayout(many.layout)).toEqual([]);
  });

  it('exact zeros on a log axis sit on a labelled "0" floor instead of stretching the axis', () => {
    const spec: BarChartSpec = {
      kind: 'bar',
      title: 'Table 3',
      yLabel: 'MSE',
      yScale: 'log',
      categories: ['original', 'permuted'],
      groups: [
        { label: 'RNN', values: [0.039, 0.289] },
        { label: 'shift register', values: [0, 0.3] },
      ],
    };
    const { svg, layout } = layoutFigure(spec);
    expect(checkLayout(layout)).toEqual([]);
    expect(svg).not.toMatch(/1e-3[0-9]/);
    expect(layout.labels.some((l) => l.role === 'tick' && l.text === '0')).toBe(true);
    expect(svg).toMatch(/<path d="M[^"]+Z" fill="#ffffff" stroke="#B8470B"/); // the hollow zero diamond
    expect(layout.labels.some((l) => l.role === 'direct' && l.text === 'exact 0')).toBe(true);
    // the 0.039 and 0.289 bars differ by more than a third of the axis height
    const bars = layout.marks
      .filter((m) => m.kind === 'rect' && m.of === 'RNN')
      .map((m) => (m.kind === 'rect' ? m.r.h : 0));
    expect(Math.abs(bars[1]! - bars[0]!)).toBeGreaterThan(layout.frame!.h / 3);
    const line = layoutFigure(
      lineSpec([
        [1, 0.3],
        [2, 0.01],
        [4, 0],
        [8, 0],
      ]),
    );
    expect(checkLayout(line.layout)).toEqual([]);
    expect((line.svg.match(/Z" fill="#ffffff"/g) ?? []).length).toBe(2);
  });

  it('a one-point curve is visible even when markers are off', () => {
    const svg = renderFigure(
      lineSpec([[1, 0.5]], {
        series: [
          { label: 'm_h = 1', x: [1], y: [0.5], marker: false },
          { label: 'm_h = 2', x: [1, 2], y: [0.5, 0.2], marker: false },
        ],
      }),
    );
    expect(circles(svg)).toBe(2); // dot and ring of the one-point curve, nothing for the two-point line
  });

  it('colorKey gives a key the same colour in every figure sharing colorKeys, whatever the series order', () => {
    const keys = ['α=0.55', 'α=1'];
    const a = renderFigure(
      lineSpec([], { colorKeys: keys, series: [{ label: 'x', x: [1, 2], y: [1, 2], colorKey: 'α=1' }] }),
    );
    const b = renderFigure(
      lineSpec([], {
        colorKeys: keys,
        series: [
          { label: 'y', x: [1, 2], y: [1, 3], colorKey: 'α=0.55' },
          { label: 'z', x: [1, 2], y: [2, 3], colorKey: 'α=1' },
        ],
      }),
    );
    // the legend's sample line colour, just before the entry's text
    const stroke = (svg: string, label: string): string =>
      new RegExp(`stroke="(#[0-9A-F]{6})"[^\\n]*\\n[^\\n]*\\n?<text[^>]*>${label}`).exec(svg)?.[1] ?? '';
    expect(a).toContain(`stroke="${PALETTE[1]}"`);
    expect(b).toContain(`stroke="${PALETTE[0]}"`);
    expect(stroke(a, 'x')).toBe(PALETTE[1]);
    expect(stroke(b, 'z')).toBe(PALETTE[1]);
  });

  it('bar charts draw a labelled chance line where the caller gives one', () => {
    const spec: BarChartSpec = {
      kind: 'bar',
      title: 'Table 1',
      yLabel: 'accuracy',
      yScale: 'linear',
      categories: ['before', 'after'],
      groups: [{ label: 'ViT', values: [0.7, 0.2] }],
      chance: [{ value: 0.1, label: 'chance (10 classes)' }],
    };
    const { svg, layout } = layoutFigure(spec);
    expect(checkLayout(layout)).toEqual([]);
    expect(layout.marks.some((m) => m.kind === 'seg' && m.of === 'chance (10 classes)')).toBe(true);
    expect(svg).toContain('chance (10 classes)');
    expect(() => renderFigure({ ...spec, yScale: 'log', chance: [{ value: 0, label: 'c' }] })).toThrow(
      /barChart.*chance level 0/,
    );
  });

  it('every figure kind has <title> and <desc>, the caption becoming the description', () => {
    const q: QuantilePlotSpec = {
      kind: 'quantile',
      title: 'q',
      xLabel: 'k',
      yLabel: 'σ',
      yScale: 'log',
      categories: ['1'],
      groups: [{ label: 'g', boxes: [{ min: 1, q1: 2, median: 3, q3: 4, max: 5 }] }],
    };
    for (const spec of [
      lineSpec([
        [1, 1],
        [2, 2],
      ]),
      q,
      { kind: 'heatmap' as const, title: 'h', xLabel: 's', yLabel: 't', panels: [{ label: 'p', values: [[1]] }] },
    ]) {
      const svg = renderFigure(spec, 'a caption & more');
      expect(svg).toContain(`<title>${spec.title}</title>`);
      expect(svg).toContain('<desc>a caption &amp; more</desc>');
      expect(renderFigure(spec)).toMatch(/<desc>[^<]{10,}<\/desc>/);
    }
  });
});

// ---- property tests over generated figures -------------------------------------------------

const positive = fc.double({ min: 1e-9, max: 1e9, noNaN: true });
const yValue = fc.oneof(
  { weight: 8, arbitrary: positive },
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 1, arbitrary: fc.constant(null) },
);

const seriesArb = (xs: number[]) =>
  fc.record({
    y: fc.array(yValue, { minLength: xs.length, maxLength: xs.length }),
    dash: fc.boolean(),
    marker: fc.boolean(),
    line: fc.boolean(),
  });

const lineSpecArb = fc
  .record({
    xs: fc.oneof(
      fc.uniqueArray(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 12 }),
      fc.uniqueArray(fc.double({ min: 1e-3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 40 }),
    ),
    n: fc.integer({ min: 1, max: 16 }),
    scale: fc.tuple(fc.constantFrom('log', 'linear'), fc.constantFrom('log', 'linear')),
    fits: fc.integer({ min: 0, max: 3 }),
    legend: fc.constantFrom('inside', 'right', undefined),
  })
  .chain((p) =>
    fc.tuple(fc.constant(p), fc.array(seriesArb([...p.xs].sort((a, b) => a - b)), { minLength: p.n, maxLength: p.n })),
  );

describe('layout rules hold for generated figures (property)', () => {
  it('line plots: no label or legend over a mark or another label, data span ≥ 60 % of each axis', () => {
    fc.assert(
      fc.property(lineSpecArb, ([p, ss]) => {
        const xs = [...p.xs].sort((a, b) => a - b);
        const series = ss.map((s, i) => ({
          label: `series ${i} with a label`,
          x: xs,
          y: s.y,
          dash: s.dash,
          marker: s.marker,
          line: s.line,
        }));
        const ys = series.flatMap((s) => s.y).filter((v): v is number => v !== null && v > 0);
        if (ys.length === 0) return;
        const [lo, hi] = [Math.min(...ys), Math.max(...ys)];
        const fits = Array.from({ length: p.fits }, (_, i) => ({
          label: `fit ${i}: slope −${i}.5`,
          x: [xs[0]!, xs[xs.length - 1]!] as [number, number],
          y: [hi, lo] as [number, number],
        }));
        const spec: LinePlotSpec = {
          kind: 'line',
          title: 'generated',
          xLabel: 'x',
          yLabel: 'y',
          xScale: p.scale[0],
          yScale: p.scale[1],
          series,
          fits,
          ...(p.legend === undefined ? {} : { legend: p.legend }),
        };
        const { svg, layout } = layoutFigure(spec);
        expect(checkLayout(layout)).toEqual([]);
        expect(svg).not.toMatch(/NaN|Infinity|undefined/);
        // every fit label is drawn: beside its line or in the legend
        for (const f of fits) expect(svg).toContain(f.label);
      }),
      { numRuns: 120 },
    );
  });

  it('bar charts (log and linear, zeros, missing values, chance lines) keep the rules', () => {
    const arb = fc.record({
      nC: fc.integer({ min: 1, max: 6 }),
      nG: fc.integer({ min: 1, max: 4 }),
      log: fc.boolean(),
      vals: fc.array(yValue, { minLength: 24, maxLength: 24 }),
      chance: fc.option(fc.double({ min: 0.01, max: 1, noNaN: true })),
    });
    fc.assert(
      fc.property(arb, (p) => {
        const groups = Array.from({ length: p.nG }, (_, g) => ({
          label: `group ${g}`,
          values: p.vals.slice(g * 6, g * 6 + p.nC),
        }));
        if (!groups.some((g) => g.values.some((v) => v !== null))) return;
        const spec: BarChartSpec = {
          kind: 'bar',
          title: 'bars',
          yLabel: 'value',
          yScale: p.log ? 'log' : 'linear',
          categories: Array.from({ length: p.nC }, (_, c) => `category ${c}`),
          groups,
          ...(p.chance === null ? {} : { chance: [{ value: p.chance, label: 'chance level' }] }),
        };
        const { layout } = layoutFigure(spec);
        expect(checkLayout(layout)).toEqual([]);
        // every category name is shown
        for (let c = 0; c < p.nC; c++) expect(layout.labels.some((l) => l.text === `category ${c}`)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('quantile plots keep the rules', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 1, max: 4 }),
        fc.double({ min: 1e-6, max: 1e3, noNaN: true }),
        (nC, nG, scale) => {
          const groups = Array.from({ length: nG }, (_, g) => ({
            label: `m_h = ${g + 1}`,
            boxes: Array.from({ length: nC }, (_, c) => {
              const m = scale * Math.pow(0.5, c) * (g + 1);
              return c > 2 * (g + 1) ? null : { min: m / 3, q1: m / 1.5, median: m, q3: m * 1.5, max: m * 3 };
            }),
          }));
          const { layout } = layoutFigure({
            kind: 'quantile',
            title: 'q',
            xLabel: 'k',
            yLabel: 'σ',
            yScale: 'log',
            categories: Array.from({ length: nC }, (_, c) => String(c + 1)),
            groups,
          });
          expect(checkLayout(layout)).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('heatmaps: no two labels overlap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 1, max: 3 }),
        (R, C, P) => {
          const panels = Array.from({ length: P }, (_, k) => ({
            label: `panel ${k}`,
            values: Array.from({ length: R }, (_, i) => Array.from({ length: C }, (_, j) => (i + j + k) / (R + C + P))),
          }));
          const { layout } = layoutFigure({ kind: 'heatmap', title: 'h', xLabel: 'key s', yLabel: 'query t', panels });
          expect(checkLayout(layout)).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('results schema', () => {
  it('accepts the new figure fields (colorKey, colorKeys, dash pattern, chance) and rejects wrong types', async () => {
    const { experimentResultSchema, validate } = await import('../../src/report/schema.js');
    const result = (spec: unknown) => ({
      name: 'x',
      title: 't',
      paperRef: 'r',
      preset: 'tiny',
      seed: 1,
      config: {},
      choices: [],
      data: {},
      tables: [],
      checks: [],
      notes: [],
      paperVerdict: { item: 'r', verdict: 'unresolved', summary: '' },
      figures: [{ file: 'figures/x.svg', caption: 'c', spec }],
      timing: { totalSeconds: 0, points: [] },
    });
    const line = lineSpec(
      [
        [1, 1],
        [2, 0.5],
      ],
      { colorKeys: ['α=1'], series: [{ label: 'a', x: [1, 2], y: [1, 0.5], colorKey: 'α=1', dash: '2 3' }] },
    );
    const bar: BarChartSpec = {
      kind: 'bar',
      title: 'b',
      yLabel: 'acc',
      yScale: 'linear',
      categories: ['a'],
      groups: [{ label: 'g', values: [0.5], colorKey: 'k' }],
      chance: [{ value: 0.1, label: 'chance', color: 0 }],
    };
    expect(validate(result(line), experimentResultSchema)).toEqual([]);
    expect(validate(result(bar), experimentResultSchema)).toEqual([]);
    const errs = validate(result({ ...bar, chance: [{ value: 'x', label: 'chance' }] }), experimentResultSchema);
    expect(errs.some((e) => e.includes('chance[0].value'))).toBe(true);
    expect(
      validate(result({ ...line, series: [{ ...line.series[0], colorKey: 3 }] }), experimentResultSchema).length,
    ).toBeGreaterThan(0);
  });
});
