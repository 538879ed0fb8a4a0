import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cellLabel, rampColour, renderHeatmap, type HeatmapSpec } from '../../src/report/heatmap.js';
import { renderFigure } from '../../src/report/svg.js';
import { experimentResultSchema, validate } from '../../src/report/schema.js';

const spec: HeatmapSpec = {
  kind: 'heatmap',
  title: 'attention: learned vs ideal',
  xLabel: 'key s',
  yLabel: 'query t',
  panels: [
    {
      label: 'learned',
      values: [
        [0.8, 0.15, 0.05],
        [0.1, 0.7, 0.2],
        [0.3, null, 0.6],
      ],
    },
    {
      label: 'ideal',
      values: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
    },
  ],
  rowLabels: ['q1', 'q2', 'q3'],
  colLabels: ['k1', 'k2', 'k3'],
  min: 0,
  max: 1,
};

describe('heatmap', () => {
  it('matches its snapshot', async () => {
    await expect(renderHeatmap(spec)).toMatchFileSnapshot('__snapshots__/heatmap.svg');
  });
  it('is deterministic, well formed, and reachable through renderFigure', () => {
    const a = renderHeatmap(spec);
    expect(renderHeatmap(structuredClone(spec))).toBe(a);
    expect(renderFigure(spec)).toBe(a);
    expect(a.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(a.trim().endsWith('</svg>')).toBe(true);
    expect(a).toContain('q2');
    expect(a).toContain('#dddddd'); // the null cell
    expect(a).not.toMatch(/NaN|undefined/);
  });
  it('draws one cell per entry of every panel, with value labels when annotated', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        (R, C, P, annotate) => {
          const panels = Array.from({ length: P }, (_, k) => ({
            label: `p${k}`,
            values: Array.from({ length: R }, (_, i) =>
              Array.from({ length: C }, (_, j) => (i * C + j + k) / (R * C + P)),
            ),
          }));
          const svg = renderHeatmap({ kind: 'heatmap', title: 't', xLabel: 'x', yLabel: 'y', panels, annotate });
          const cells = (svg.match(/stroke="#ffffff" stroke-width="0.5"/g) ?? []).length;
          expect(cells).toBe(R * C * P);
          const labels = (svg.match(/<text [^>]*fill="#(ffffff|222222)"/g) ?? []).length;
          expect(labels).toBe(annotate ? R * C * P : 0);
        },
      ),
      { numRuns: 30 },
    );
  });
  it('cell labels are short: two decimals without the leading zero, 0 and 1 snapped', () => {
    expect([0, 1e-9, 0.004, 0.23, 0.996, 1, -0.05, 0.5, 12.5, -3].map(cellLabel)).toEqual([
      '0',
      '0',
      '0',
      '.23',
      '1',
      '1',
      '-.05',
      '.50',
      '13',
      '-3',
    ]);
    fc.assert(
      fc.property(fc.double({ min: -1, max: 1, noNaN: true }), (v) => {
        const l = cellLabel(v);
        expect(l.length).toBeLessThanOrEqual(4);
        expect(Math.abs(Number(l.replace(/^(-?)\./, '$10.')) - v)).toBeLessThanOrEqual(0.0050001);
      }),
      { numRuns: 200 },
    );
  });
  it('colour ramp: white at min, dark at max, clamped and monotone', () => {
    expect(rampColour(0, 0, 1)).toBe('#ffffff');
    expect(rampColour(1, 0, 1)).toBe('#003c82');
    expect(rampColour(-5, 0, 1)).toBe('#ffffff');
    expect(rampColour(7, 0, 1)).toBe('#003c82');
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (a, b) => {
        const red = (v: number) => parseInt(rampColour(v, 0, 1).slice(1, 3), 16);
        if (a <= b) expect(red(a)).toBeGreaterThanOrEqual(red(b));
      }),
      { numRuns: 100 },
    );
  });
  it('rejects ragged or mismatched panels and bad ranges with a ValueError naming heatmap', () => {
    const bad = (s: Partial<HeatmapSpec>) => () => renderHeatmap({ ...spec, ...s });
    expect(bad({ panels: [] })).toThrow(/heatmap.*at least one panel/);
    expect(bad({ panels: [{ label: 'a', values: [[1, 2], [3]] }] })).toThrow(/heatmap.*not 2×2/);
    expect(
      bad({
        panels: [
          { label: 'a', values: [[1]] },
          { label: 'b', values: [[1, 2]] },
        ],
      }),
    ).toThrow(/'b' is not 1×1/);
    expect(bad({ rowLabels: ['a'] })).toThrow(/1 row labels for 3 rows/);
    expect(bad({ min: 1, max: 1 })).toThrow(/max > min/);
  });
  it('validates against the results schema as a figure spec, and a broken one does not', () => {
    const result = (s: unknown) => ({
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
      figures: [{ file: 'figures/x.svg', caption: 'c', spec: s }],
      timing: { totalSeconds: 0, points: [] },
    });
    expect(validate(result(spec), experimentResultSchema)).toEqual([]);
    const errs = validate(result({ ...spec, panels: [{ label: 'a', values: [['x']] }] }), experimentResultSchema);
    expect(errs.some((e) => e.includes('panels[0].values[0][0]'))).toBe(true);
  });
});
