import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ShapeError, createRng, mse, rand, randn, tensor, type Tensor } from '../../src/linalg/index.js';
import { LinearRNN, TanhRNN, loadParams, saveParams } from '../../src/models/index.js';
import { checkModelGradient } from './helpers.js';

describe('LinearRNN', () => {
  it('output equals the causal convolution with kernel(s) = cᵀWˢU (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 1e6 }),
        (d, hidden, T, seed) => {
          const m = new LinearRNN({ d, hidden }, { seed });
          const x = rand(createRng(seed + 1), [2, T, d], -1, 1);
          const y = m.forward(x);
          const K = m.kernels(T);
          const ref = new Float64Array(2 * T);
          for (let b = 0; b < 2; b++)
            for (let t = 0; t < T; t++) {
              let s = 0;
              for (let u = 0; u <= t; u++)
                for (let j = 0; j < d; j++) s += K.data[u * d + j]! * x.data[(b * T + t - u) * d + j]!;
              ref[b * T + t] = s;
            }
          expect(y).toBeAllclose({ data: ref, shape: [2, T] }, { rtol: 1e-12, atol: 1e-13 });
          expect(m.kernel(T - 1).data).toBeAllclose(K.data.slice((T - 1) * d), { rtol: 0, atol: 0 });
        },
      ),
      { numRuns: 40 },
    );
  });

  it('is causal: changing x(t′) changes no output before t′ (property)', () => {
    const m = new LinearRNN({ d: 2, hidden: 5 }, { seed: 3 });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 1e6 }), (tp, seed) => {
        const x = rand(createRng(seed), [1, 10, 2]);
        const x2 = { data: x.data.slice(), shape: x.shape };
        x2.data[tp * 2]! += 1;
        const a = m.forward(x).data,
          b = m.forward(x2).data;
        for (let t = 0; t < tp; t++) expect(b[t]).toBe(a[t]);
        expect(b[tp]).not.toBe(a[tp]);
      }),
      { numRuns: 25 },
    );
  });

  it('initialises W with spectral radius initRadius (spectralRadius itself: test/linalg/decomp/spectral.test.ts)', () => {
    expect(new LinearRNN({ d: 1, hidden: 16, initRadius: 0.7 }, { seed: 1 }).spectralRadius()).toBeCloseTo(0.7, 10);
  });

  it('BPTT gradient over 16 steps is right (dot test + sampled coordinates)', () => {
    const m = new LinearRNN({ d: 2, hidden: 4 }, { seed: 2 });
    const rng = createRng(5);
    const x = rand(rng, [3, 16, 2]),
      y = randn(rng, [3, 16]);
    checkModelGradient((p) => mse(m.forward(x, p), y), m.params, { samples: 16 });
  });
});

describe('TanhRNN', () => {
  it('BPTT gradient over 16 steps is right (dot test + sampled coordinates)', () => {
    const m = new TanhRNN({ d: 1, hidden: 5 }, { seed: 4 });
    const rng = createRng(6);
    const x = rand(rng, [2, 16, 1]),
      y = randn(rng, [2, 16]);
    checkModelGradient((p) => mse(m.forward(x, p), y), m.params, { samples: 16 });
  });

  it('matches the recurrence written out with plain loops', () => {
    const m = new TanhRNN({ d: 1, hidden: 3 }, { seed: 7 });
    const x = rand(createRng(8), [1, 6, 1]);
    const { W, U, b, c, c0 } = m.params as Record<string, Tensor>;
    let h = [0, 0, 0];
    const ref: number[] = [];
    for (let t = 0; t < 6; t++) {
      h = h.map((_, i) =>
        Math.tanh(h.reduce((s, hj, j) => s + W!.data[i * 3 + j]! * hj, 0) + U!.data[i]! * x.data[t]! + b!.data[i]!),
      );
      ref.push(h.reduce((s, hi, i) => s + c!.data[i]! * hi, c0!.data[0]!));
    }
    expect(m.forward(x).data).toBeAllclose(ref, { rtol: 1e-13, atol: 1e-14 });
  });

  it('bad shapes, NaN inputs, unknown config keys and unstable init radii are clear errors; save/load round trip', () => {
    const m = new TanhRNN({ d: 2, hidden: 3 });
    expect(() => m.forward(rand(createRng(0), [1, 4, 3]))).toThrow(ShapeError);
    expect(() => m.forward(tensor([[[1, NaN]]]))).toThrow(/non-finite/);
    expect(() => new TanhRNN({ d: 1, hidden: 3, hiden: 2 } as never)).toThrow(/unknown config key 'hiden'/);
    expect(() => new LinearRNN({ d: 1, hidden: 3, initRadius: 1.2 })).toThrow(/initRadius/);
    // kernels(len) with a bad length used to die in a RangeError from the Float64Array constructor
    expect(() => new LinearRNN({ d: 1, hidden: 3 }).kernels(-1)).toThrow(
      /^LinearRNN.kernels: len must be an integer >= 0/,
    );
    expect(new LinearRNN({ d: 1, hidden: 3 }).kernels(0).shape).toEqual([0, 1]);
    // τ = 0: an empty (B, 0) output, not a 'stack needs at least one tensor' error
    expect(m.forward({ data: new Float64Array(0), shape: [2, 0, 2] }).shape).toEqual([2, 0]);
    const a = new LinearRNN({ d: 1, hidden: 3 }, { seed: 1 }),
      b = new LinearRNN({ d: 1, hidden: 3 }, { seed: 2 });
    loadParams(b, JSON.parse(JSON.stringify(saveParams(a))));
    expect(Array.from(b.params.W!.data)).toEqual(Array.from(a.params.W!.data));
    expect(() => loadParams(new LinearRNN({ d: 1, hidden: 4 }), saveParams(a))).toThrow(/config 'hidden'/);
  });
});

describe('long unrolls', () => {
  it('BPTT through 1,000 steps runs (no recursion in the model or the tape) and matches the kernel sum', async () => {
    const { valueAndGrad, sum } = await import('../../src/linalg/index.js');
    const m = new LinearRNN({ d: 1, hidden: 2, initRadius: 0.5 }, { seed: 1 });
    const x = rand(createRng(2), [1, 1000, 1]);
    const { value, grads } = valueAndGrad((p: typeof m.params) => sum(m.forward(x, p)))(m.params);
    const K = m.kernels(1000).data;
    let ref = 0;
    for (let t = 0; t < 1000; t++) for (let s = 0; s <= t; s++) ref += K[s]! * x.data[t - s]!;
    expect(value.data[0]).toBeCloseTo(ref, 8);
    for (const g of Object.values(grads)) for (const v of g.data) expect(Number.isFinite(v)).toBe(true);
  });
});
