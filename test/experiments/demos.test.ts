/**
 * demos (App. B.1): the task generators and their ideal attention, the attention statistics, the
 * demonstration model's invariants, the experiment's shape at the tiny preset, and that training
 * really moves the attention to the structure (a small budget, far above the untrained baseline).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEMO_TASKS,
  DemoNet,
  attentionStats,
  indexSets,
  makeTaskData,
  taskDim,
  type DemoTask,
} from '../../src/experiments/demos-tasks.js';
import { DEMO_MARGIN, demoCheck, demos, type DemosConfig } from '../../src/experiments/demos.js';
import { runExperiment } from '../../src/experiments/runner.js';
import { ShapeError, ValueError, type Tensor } from '../../src/linalg/index.js';
import { experimentResultSchema, validate } from '../../src/report/schema.js';
import { renderFigure } from '../../src/report/svg.js';
import type { HeatmapSpec } from '../../src/report/heatmap.js';

const sizes = { queries: 6, keys: 6, cogTau: 10, selTau: 8, selK: 3 };
const task = fc.constantFrom(...DEMO_TASKS);

/** Coordinates (u₁, u₂) of token t of sequence b. */
const coord = (x: Tensor, b: number, t: number): [number, number] => {
  const [, T, d] = x.shape as [number, number, number];
  return [x.data[(b * T + t) * d]!, x.data[(b * T + t) * d + 1]!];
};

describe('demo tasks', () => {
  it('ideal rows are distributions and the target is the ideal attention applied to the coordinates', () => {
    fc.assert(
      fc.property(task, fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 1, max: 4 }), (tk, seed, N) => {
        const D = makeTaskData(tk, sizes, N, seed);
        const T = D.T;
        expect(D.x.shape).toEqual([N, T, taskDim(tk, sizes)]);
        expect(D.y.shape).toEqual([N, T, 2]);
        for (let b = 0; b < N; b++)
          for (let t = 0; t < T; t++) {
            let sum = 0,
              y0 = 0,
              y1 = 0;
            for (let s = 0; s < T; s++) {
              const w = D.ideal[(b * T + t) * T + s]!;
              expect(w).toBeGreaterThanOrEqual(0);
              sum += w;
              const [u0, u1] = coord(D.x, b, s);
              y0 += w * u0;
              y1 += w * u1;
            }
            expect(sum).toBeCloseTo(1, 12);
            expect([D.y.data[(b * T + t) * 2]!, D.y.data[(b * T + t) * 2 + 1]!]).toBeAllclose([y0, y1], {
              atol: 1e-14,
            });
          }
      }),
      { numRuns: 40 },
    );
  });
  it('nearest point: one-hot on the nearest key (brute force), keys point at themselves, key flags set', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (seed) => {
        const D = makeTaskData('nearest-point', sizes, 2, seed),
          T = 12;
        for (let b = 0; b < 2; b++)
          for (let t = 0; t < T; t++) {
            expect(D.x.data[(b * T + t) * 3 + 2]).toBe(t >= 6 ? 1 : 0);
            const [a0, a1] = coord(D.x, b, t);
            const dist = Array.from({ length: 6 }, (_, j) => {
              const [c0, c1] = coord(D.x, b, 6 + j);
              return (a0 - c0) ** 2 + (a1 - c1) ** 2;
            });
            const nearest = 6 + dist.indexOf(Math.min(...dist));
            if (t >= 6) expect(nearest).toBe(t);
            const row = Array.from(D.ideal.subarray((b * T + t) * T, (b * T + t + 1) * T));
            expect(row).toEqual(Array.from({ length: T }, (_, s) => (s === nearest ? 1 : 0)));
          }
        expect(D.rows).toEqual([0, 1, 2, 3, 4, 5]);
      }),
      { numRuns: 30 },
    );
  });
  it('selection average: each query attends 1/k to its own index set S_t, the same for every sequence of one structure seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 0, max: 2 ** 31 }), (seed, structure) => {
        const D = makeTaskData('selection-average', sizes, 3, seed, structure),
          T = 8;
        const sets = indexSets(sizes, structure);
        expect(sets).toHaveLength(T);
        for (let b = 0; b < 3; b++)
          for (let t = 0; t < T; t++) {
            expect(new Set(sets[t]).size).toBe(3);
            for (let s = 0; s < T; s++) {
              expect(D.ideal[(b * T + t) * T + s]).toBeCloseTo(sets[t]!.includes(s) ? 1 / 3 : 0, 15);
              expect(D.x.data[(b * T + t) * (2 + T) + 2 + s]).toBe(s === t ? 1 : 0); // one-hot position
            }
          }
        // the index sets are query-dependent: not every row has the same set (a global top-k would)
        expect(new Set(sets.map((q) => q.join(','))).size).toBeGreaterThan(1);
      }),
      { numRuns: 30 },
    );
  });
  it('centre of gravity: the ideal is the normalised masses (not uniform); data are seeded', () => {
    const D = makeTaskData('centre-of-gravity', sizes, 2, 5),
      T = 10;
    for (let b = 0; b < 2; b++) {
      const m = Array.from({ length: T }, (_, s) => D.x.data[(b * T + s) * 3 + 2]!);
      const M = m.reduce((a, v) => a + v, 0);
      for (const v of m) {
        expect(v).toBeGreaterThanOrEqual(0.1);
        expect(v).toBeLessThanOrEqual(1);
      }
      for (let t = 0; t < T; t++)
        expect(Array.from(D.ideal.subarray((b * T + t) * T, (b * T + t + 1) * T))).toBeAllclose(
          m.map((v) => v / M),
          { atol: 1e-15 },
        );
    }
    const uni = attentionStats(new Float64Array(2 * T * T).fill(1 / T), D.ideal, 2, T, D.rows);
    expect(uni.tv).toBeGreaterThan(0.05); // uniform attention (W_Q = W_K = 0) does not solve it
    expect(uni.uniformTv).toBeCloseTo(uni.tv, 14);
    expect(makeTaskData('centre-of-gravity', sizes, 2, 5).x.data).toEqual(D.x.data);
    expect(makeTaskData('centre-of-gravity', sizes, 2, 6).x.data).not.toEqual(D.x.data);
    expect(() => makeTaskData('centre-of-gravity', sizes, 0, 1)).toThrow(ValueError);
    expect(() => makeTaskData('selection-average', { ...sizes, selK: 8 }, 1, 1)).toThrow(
      /makeTaskData: selection needs k < τ/,
    );
    expect(() => makeTaskData('nearest-point', { ...sizes, keys: 0 }, 1, 1)).toThrow(
      /sizes.keys must be a positive integer/,
    );
  });
});

describe('demoCheck (the baseline makes it able to fail)', () => {
  const base = { tvMax: 0.2, relMax: 0.1, margin: DEMO_MARGIN };
  it('passes a trained attention close to the ideal and far from both baselines', () => {
    expect(demoCheck({ ...base, tv: 0.05, initTv: 0.5, uniformTv: 0.6, relMse: 0.01 }).pass).toBe(true);
  });
  it('fails the untrained model fed as "trained" (its TV equals the untrained baseline)', () => {
    expect(demoCheck({ ...base, tv: 0.15, initTv: 0.15, uniformTv: 0.6, relMse: 0.01 }).pass).toBe(false);
  });
  it('fails uniform attention on the mass-weighted centre (TV equals the uniform baseline), and a model that does not fit', () => {
    expect(demoCheck({ ...base, tv: 0.12, initTv: 0.5, uniformTv: 0.12, relMse: 0.01 }).pass).toBe(false);
    expect(demoCheck({ ...base, tv: 0.05, initTv: 0.5, uniformTv: 0.6, relMse: 0.5 }).pass).toBe(false);
  });
});

describe('attentionStats', () => {
  it('the ideal itself scores perfectly; uniform attention scores the baseline', () => {
    fc.assert(
      fc.property(task, fc.integer({ min: 0, max: 2 ** 31 }), (tk, seed) => {
        const D = makeTaskData(tk, sizes, 3, seed),
          T = D.T;
        const self = attentionStats(D.ideal, D.ideal, 3, T, D.rows);
        expect(self.massOnIdeal).toBeCloseTo(1, 12);
        expect(self.tv).toBeCloseTo(0, 12);
        expect(self.argmaxHit).toBe(1);
        const U = new Float64Array(3 * T * T).fill(1 / T);
        const uni = attentionStats(U, D.ideal, 3, T, D.rows);
        expect(uni.massOnIdeal).toBeCloseTo(uni.uniformMass, 12);
        expect(uni.entropyRatio).toBeCloseTo(1, 12);
        // TV(uniform, uniform on a support of size m) = 1 − m/T (the mass-weighted ideal is not uniform on its support)
        if (tk !== 'centre-of-gravity') expect(uni.tv).toBeCloseTo(1 - uni.uniformMass, 12);
        expect(uni.uniformTv).toBeCloseTo(uni.tv, 12);
      }),
      { numRuns: 30 },
    );
  });
  it('rejects mismatched sizes with a ShapeError naming attentionStats', () => {
    expect(() => attentionStats(new Float64Array(3), new Float64Array(4), 1, 2, [0])).toThrow(ShapeError);
    expect(() => attentionStats(new Float64Array(3), new Float64Array(4), 1, 2, [0])).toThrow(/attentionStats/);
  });
});

describe('DemoNet', () => {
  const cfg = { d: 3, n: 6, mh: 3, mv: 4, ffnWidth: 8, ffnDepth: 1, outDim: 2, activation: 'tanh' as const };
  it('is permutation-equivariant (no position encoding) and its attention rows are distributions', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (seed) => {
        const net = new DemoNet(cfg, { seed });
        const D = makeTaskData('centre-of-gravity', sizes, 2, seed),
          T = 10;
        const perm = [3, 0, 9, 1, 2, 8, 4, 7, 5, 6];
        const xp = new Float64Array(D.x.data.length);
        for (let b = 0; b < 2; b++)
          for (let t = 0; t < T; t++)
            xp.set(D.x.data.subarray((b * T + perm[t]!) * 3, (b * T + perm[t]! + 1) * 3), (b * T + t) * 3);
        const y = net.forward(D.x),
          yp = net.forward({ data: xp, shape: D.x.shape });
        const A = net.attention(D.x),
          Ap = net.attention({ data: xp, shape: D.x.shape });
        for (let b = 0; b < 2; b++)
          for (let t = 0; t < T; t++) {
            expect([yp.data[(b * T + t) * 2]!, yp.data[(b * T + t) * 2 + 1]!]).toBeAllclose(
              [y.data[(b * T + perm[t]!) * 2]!, y.data[(b * T + perm[t]!) * 2 + 1]!],
              { rtol: 1e-12, atol: 1e-14 },
            );
            let sum = 0;
            for (let s = 0; s < T; s++) {
              sum += A[(b * T + t) * T + s]!;
              expect(A[(b * T + t) * T + s]).toBeGreaterThan(0);
              expect(Ap[(b * T + t) * T + s]).toBeCloseTo(A[(b * T + perm[t]!) * T + perm[s]!]!, 13);
            }
            expect(sum).toBeCloseTo(1, 13);
          }
      }),
      { numRuns: 15 },
    );
  });
  it('zero query weights give exactly uniform attention', () => {
    const net = new DemoNet(cfg, { seed: 1 });
    const wq = net.params['attn.wq']!;
    const A = net.attention(makeTaskData('centre-of-gravity', sizes, 1, 2).x, {
      ...net.params,
      'attn.wq': { data: new Float64Array(wq.data.length), shape: wq.shape },
    });
    expect(A).toBeAllclose(new Float64Array(100).fill(1 / 10), { atol: 1e-15 });
  });
  it('rejects unknown config keys and wrong token widths', () => {
    expect(() => new DemoNet({ ...cfg, ffnWidht: 3 } as never, { seed: 1 })).toThrow(/DemoNet.*ffnWidht/);
    expect(() => new DemoNet(cfg, { seed: 1 }).forward({ data: new Float64Array(4), shape: [1, 2, 2] })).toThrow(
      ShapeError,
    );
  });
});

describe('demos experiment', () => {
  it('plans one point per (task, seed) and at tiny yields heatmaps of the right sizes, three checks and a table', async () => {
    const c = demos.presets.tiny;
    expect(demos.plan({ ...c, seeds: 2 }).map((p) => p.key)).toEqual(
      DEMO_TASKS.flatMap((t) => [`${t} seed=1`, `${t} seed=2`]),
    );
    const r = await runExperiment(demos, c, { preset: 'tiny' });
    expect(r.error).toBeUndefined();
    expect(validate(r, experimentResultSchema)).toEqual([]);
    expect(r.checks.map((k) => k.id)).toEqual([
      'nearest-point-attention',
      'centre-of-gravity-masses',
      'selection-average-index-sets',
    ]);
    expect(r.paperVerdict.item).toBe('App. B.1');
    for (const k of r.checks)
      for (const v of Object.values(k.numbers)) expect(typeof v === 'number' || typeof v === 'string').toBe(true);
    expect(r.figures.map((f) => f.file)).toEqual(DEMO_TASKS.map((t) => `figures/demos-${t}.svg`));
    r.figures.forEach((f, i) => {
      const s = f.spec as HeatmapSpec,
        T = [12, 10, 8][i]!;
      expect(s.kind).toBe('heatmap');
      expect(s.panels.map((p) => [p.values.length, p.values[0]!.length])).toEqual([
        [T, T],
        [T, T],
        [T, T],
      ]);
      expect(renderFigure(s)).toContain('</svg>');
    });
    expect(r.tables[0]!.rows).toHaveLength(3);
  });
  it('training moves the attention to the structure (small budget, far above the untrained and uniform baselines)', () => {
    const c: DemosConfig = {
      ...demos.presets.quick,
      trainSize: 256,
      testSize: 64,
      train: {
        batchSize: 64,
        lr: 1e-2,
        steps: { 'nearest-point': 500, 'centre-of-gravity': 250, 'selection-average': 300 },
      },
    };
    const out = (t: DemoTask) => demos.runPoint(c, { task: t, seed: 1 });
    const sel = out('selection-average');
    expect(Number(sel.massOnIdeal)).toBeGreaterThanOrEqual(0.8);
    expect(Number(sel.tv)).toBeLessThan(Number(sel.initTv) - 0.3);
    expect(Number(sel.tv)).toBeLessThan(Number(sel.uniformTv) - 0.3);
    const np = out('nearest-point');
    expect(Number(np.massOnIdeal)).toBeGreaterThan(0.5);
    expect(Number(np.initMassOnIdeal)).toBeLessThan(0.2);
    const cog = out('centre-of-gravity');
    expect(Number(cog.relMse)).toBeLessThan(0.1);
    expect(Number(cog.tv)).toBeLessThan(Number(cog.uniformTv) - DEMO_MARGIN); // weighted by mass, not uniform
    expect(Number(cog.tv)).toBeLessThan(Number(cog.initTv) - DEMO_MARGIN);
  });
});
