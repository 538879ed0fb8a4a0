import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as K from '../../src/linalg/kernels/index.js';
import { ShapeError, ValueError } from '../../src/linalg/errors.js';
import { tensor, type Tensor } from '../../src/linalg/tensor.js';
import { ravel, seeded, shapeArb, size, unravel } from '../helpers/gradcheck-cases.js';

/** Reference reduction: fold `f` over the reduced axes with plain loops. */
function refReduce(
  x: Tensor,
  axes: number[],
  keepdims: boolean,
  init: number,
  f: (acc: number, v: number) => number,
): Tensor {
  const outFull = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const acc = new Float64Array(size(outFull)).fill(init);
  for (let k = 0; k < x.data.length; k++) {
    const idx = unravel(k, x.shape).map((v, i) => (axes.includes(i) ? 0 : v));
    const o = ravel(idx, outFull);
    acc[o] = f(acc[o]!, x.data[k]!);
  }
  return { data: acc, shape: keepdims ? outFull : x.shape.filter((_, i) => !axes.includes(i)) };
}

const shapeAndAxes = shapeArb(1, 4, 0, 4).chain((shape) =>
  fc.tuple(fc.constant(shape), fc.subarray(shape.map((_, i) => i)), fc.boolean(), fc.integer({ min: 1, max: 1e6 })),
);

describe('sum / mean / max / min', () => {
  it('sum matches the reference loop over any axis set, keepdims or not', () => {
    fc.assert(
      fc.property(shapeAndAxes, ([shape, axes, keep, seed]) => {
        const x = seeded(shape, seed);
        const got = K.sum(x, axes, keep);
        expect(got).toBeAllclose(
          refReduce(x, axes, keep, 0, (a, v) => a + v),
          { rtol: 1e-12, atol: 1e-12 },
        );
      }),
      { numRuns: 80 },
    );
  });

  it('sum over all axes (no axis) of an empty array is 0 and scalar-shaped', () => {
    expect(K.sum(seeded([0, 3], 1)).shape).toEqual([]);
    expect(K.sum(seeded([0, 3], 1)).data[0]).toBe(0);
    expect(K.sum(seeded([0, 3], 1), 0).data).toEqual(new Float64Array(3));
  });

  it('pairwise summation is far more accurate than naive summation on a long ill-rounded sum', () => {
    const n = 1 << 20;
    const x = tensor(new Float64Array(n).fill(0.1), [n]);
    let naive = 0;
    for (let i = 0; i < n; i++) naive += 0.1;
    const exact = n * 0.1; // 0.1·2^20 is exact in binary up to the rounding of 0.1 itself
    const err = Math.abs(K.sum(x).data[0]! - exact);
    expect(err).toBeLessThan(1e-9);
    expect(err).toBeLessThan(Math.abs(naive - exact) / 100);
    // along a leading axis as well (blocked pairwise over rows)
    const y = tensor(new Float64Array(2 * n).fill(0.1), [n, 2]);
    expect(Math.abs(K.sum(y, 0).data[1]! - exact)).toBeLessThan(1e-9);
  });

  it('max/min match the reference; empty reductions throw a ValueError', () => {
    fc.assert(
      fc.property(shapeArb(1, 3, 1, 4), fc.integer({ min: 1, max: 1e6 }), fc.nat(2), (shape, seed, ax) => {
        const x = seeded(shape, seed);
        const a = Math.min(ax, shape.length - 1);
        expect(K.max(x, a)).toBeAllclose(refReduce(x, [a], false, -Infinity, Math.max));
        expect(K.min(x, a, true)).toBeAllclose(refReduce(x, [a], true, Infinity, Math.min));
      }),
      { numRuns: 40 },
    );
    expect(() => K.max(seeded([0, 2], 1), 0)).toThrow(ValueError);
  });

  it('mean divides by the count; NaN propagates through max', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(K.mean(x, 1).data).toEqual(Float64Array.from([2, 5]));
    expect(K.mean(x).data[0]).toBe(3.5);
    expect(Number.isNaN(K.max(tensor([1, NaN, 3])).data[0])).toBe(true);
    expect(() => K.mean(seeded([0], 1))).toThrow(ValueError);
  });

  it('argmax returns the first maximum', () => {
    const x = tensor([
      [1, 5, 5],
      [7, 0, 7],
    ]);
    expect(K.argmax(x, 1).data).toEqual(Float64Array.from([1, 0]));
    expect(K.argmax(x, 0).data).toEqual(Float64Array.from([1, 0, 1]));
  });

  it('bad axes throw', () => {
    expect(() => K.sum(seeded([2, 2], 1), 2)).toThrow(ValueError);
    expect(() => K.sum(seeded([2, 2], 1), [0, 0])).toThrow(ValueError);
  });
});

describe('logSumExp / softmax / logSoftmax', () => {
  it('match the naive formulas on moderate inputs, along any axis', () => {
    fc.assert(
      fc.property(shapeArb(1, 3, 1, 4), fc.integer({ min: 1, max: 1e6 }), fc.nat(2), (shape, seed, a0) => {
        const ax = Math.min(a0, shape.length - 1);
        const x = seeded(shape, seed, 3);
        const lse = K.logSumExp(x, ax, true);
        const ref = K.log(refReduce(K.exp(x), [ax], true, 0, (p, v) => p + v));
        expect(lse).toBeAllclose(ref, { rtol: 1e-13 });
        const sm = K.softmax(x, ax);
        expect(sm).toBeAllclose(K.div(K.exp(x), K.exp(ref)), { rtol: 1e-12 });
        expect(K.sum(sm, ax)).toBeAllclose(
          K.map(K.sum(sm, ax), () => 1),
          { rtol: 1e-14 },
        );
        expect(K.logSoftmax(x, ax)).toBeAllclose(K.sub(x, ref), { rtol: 1e-12, atol: 1e-13 });
      }),
      { numRuns: 40 },
    );
  });

  it('are stable for huge inputs (no overflow) and handle ±Inf', () => {
    const x = tensor([1000, 1000, 999]);
    expect(K.logSumExp(x, 0).data[0]).toBeCloseTo(1000 + Math.log(2 + Math.exp(-1)), 10);
    expect(K.softmax(x).data[2]).toBeCloseTo(Math.exp(-1) / (2 + Math.exp(-1)), 14);
    expect(K.logSumExp(tensor([-Infinity, -Infinity]), 0).data[0]).toBe(-Infinity);
    expect(K.logSumExp(tensor([Infinity, 1]), 0).data[0]).toBe(Infinity);
    expect(K.logSumExp(seeded([2, 0], 1), 1).data).toEqual(Float64Array.from([-Infinity, -Infinity]));
  });
});

describe('sumToShape', () => {
  it('is the adjoint of broadcastTo: <sumToShape(g), x> = <g, broadcastTo(x)>', () => {
    fc.assert(
      fc.property(
        shapeArb(0, 3, 1, 3),
        fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
        fc.integer({ min: 1, max: 1e6 }),
        (base, lead, seed) => {
          const small = base.map((d, i) => (i % 2 === 0 ? 1 : d));
          const big = [...lead, ...base];
          const x = seeded(small, seed),
            g = seeded(big, seed + 1);
          const lhs = K.sum(K.mul(K.sumToShape(g, small), x)).data[0]!;
          const rhs = K.sum(K.mul(g, K.broadcastTo(x, big))).data[0]!;
          expect(lhs).toBeCloseTo(rhs, 10);
          expect(K.sumToShape(g, small).shape).toEqual(small);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('returns the input itself when shapes agree and names both shapes on error', () => {
    const g = seeded([2, 3], 1);
    expect(K.sumToShape(g, [2, 3])).toBe(g);
    expect(() => K.sumToShape(g, [4])).toThrow(ShapeError);
    expect(() => K.sumToShape(g, [4])).toThrow(/sumToShape.*\(2, 3\) and \(4,\)/);
  });
});
