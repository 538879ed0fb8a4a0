/**
 * Every experiment end to end at its `tiny` preset: schema-valid results, explained checks,
 * drawable figures, and determinism (same seed ⇒ identical numbers, timings excluded).
 */
import { describe, expect, it } from 'vitest';
import { EXPERIMENTS, getExperiment } from '../../src/experiments/registry.js';
import { runExperiment, runExperiments } from '../../src/experiments/runner.js';
import { PRESETS, type Config } from '../../src/experiments/types.js';
import { experimentResultSchema, validate, type ExperimentResult } from '../../src/report/schema.js';
import { layoutFigure } from '../../src/report/svg.js';
import { checkLayout } from '../../src/report/svg-layout.js';

const strip = (r: ExperimentResult): unknown => JSON.parse(JSON.stringify({ ...r, timing: null }));

describe.each(EXPERIMENTS.map((e) => [e.name]))('experiment %s (tiny preset)', (name) => {
  const e = getExperiment(name);
  let first: ExperimentResult;
  it('runs end to end with schema-valid, explained results', async () => {
    const seen: number[] = [];
    first = await runExperiment(e, e.presets.tiny, { preset: 'tiny', onProgress: (p) => seen.push(p.done) });
    expect(first.error).toBeUndefined();
    expect(validate(first, experimentResultSchema)).toEqual([]);
    expect(validate(JSON.parse(JSON.stringify(first)), experimentResultSchema)).toEqual([]);
    expect(first.checks.length).toBeGreaterThan(0);
    for (const c of first.checks) expect(c.explanation.length).toBeGreaterThan(10);
    expect(first.tables.length).toBeGreaterThan(0);
    expect(first.choices.length).toBeGreaterThan(0);
    for (const f of first.figures) {
      expect(f.file).toMatch(/^figures\/[a-z0-9-]+(\.[0-9]+)?\.svg$/);
      const { svg, layout } = layoutFigure(f.spec, f.caption);
      expect(svg).toContain('</svg>');
      expect(checkLayout(layout), f.file).toEqual([]); // the figure layout rules (test/report/svg-layout.test.ts)
    }
    expect(seen).toEqual(Array.from({ length: e.plan(e.presets.tiny).length }, (_, i) => i + 1));
  });
  it('same seed gives identical numbers; another seed changes them', async () => {
    const again = await runExperiment(e, e.presets.tiny, { preset: 'tiny' });
    expect(strip(again)).toEqual(strip(first));
    const other = await runExperiment(e, { ...e.presets.tiny, seed: 7 } as Config, { preset: 'tiny' });
    expect(JSON.stringify(strip(other))).not.toBe(JSON.stringify(strip(first)));
  });
});

describe('experiment definitions', () => {
  it('have unique names, unique point keys, every preset, and filterable point params', () => {
    expect(new Set(EXPERIMENTS.map((e) => e.name)).size).toBe(EXPERIMENTS.length);
    for (const e of EXPERIMENTS) {
      for (const p of PRESETS) {
        expect(e.presets[p].seed).toBeTypeOf('number');
        expect(e.expectedTime[p].length).toBeGreaterThan(0);
        const pts = e.plan(e.presets[p]);
        expect(new Set(pts.map((x) => x.key)).size).toBe(pts.length);
      }
      const keys = new Set(e.plan(e.presets.quick).flatMap((p) => Object.keys(p.params)));
      for (const f of e.pointFilters) expect(keys.has(f)).toBe(true);
    }
  });
  it('getExperiment names the known experiments on a miss', () => {
    expect(() => getExperiment('nope')).toThrow(/unknown experiment 'nope'; known: synthetic-rate/);
  });
});

describe('runner', () => {
  it('captures a failing point as an error result with a failing check, and keeps other experiments', async () => {
    const ok = getExperiment('no-order');
    const bad = {
      ...ok,
      name: 'broken',
      runPoint: () => {
        throw new Error('boom');
      },
    };
    const [rb, ro] = await runExperiments([
      { experiment: bad, config: ok.presets.tiny, preset: 'tiny' },
      { experiment: ok, config: ok.presets.tiny, preset: 'tiny' },
    ]);
    expect(rb!.error).toMatch(/boom/);
    expect(rb!.checks).toEqual([expect.objectContaining({ id: 'completed', pass: false })]);
    expect(validate(rb, experimentResultSchema)).toEqual([]);
    expect(ro!.error).toBeUndefined();
  });
  it('schedules the costliest points first (stable), reports cost-weighted work', async () => {
    const e = getExperiment('no-order');
    const order: string[] = [];
    const spy = {
      mode: 'inline' as const,
      size: 1,
      close: async () => {},
      run: async (x: typeof e, c: Config, p: Record<string, unknown>) => {
        order.push(`${String(p.model)} ${String(p.variant)}`);
        return x.runPoint(c, p);
      },
    };
    const works: number[] = [];
    await runExperiment(e, e.presets.tiny, {
      preset: 'tiny',
      runner: spy,
      onProgress: (p) => works.push(p.work ?? NaN),
    });
    expect(order).toEqual([
      'transformer original',
      'transformer permuted',
      'rnn original',
      'rnn permuted',
      'shift-register original',
      'shift-register permuted',
    ]);
    expect(works).toEqual([5, 10, 13, 16, 16.05, 16.1].map((w) => expect.closeTo(w, 10)));
  });
  it('orders results by the plan even when points finish out of order', async () => {
    const e = getExperiment('no-order');
    let n = 0;
    const slowFirst = {
      mode: 'inline' as const,
      size: 4,
      close: async () => {},
      run: async (x: typeof e, c: Config, p: never) => {
        const k = n++;
        await new Promise((r) => setTimeout(r, k === 0 ? 30 : 0));
        return x.runPoint(c, p);
      },
    };
    const a = await runExperiment(e, e.presets.tiny, { preset: 'tiny', runner: slowFirst });
    const b = await runExperiment(e, e.presets.tiny, { preset: 'tiny' });
    expect(strip(a)).toEqual(strip(b));
  });
});
