import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as K from '../../src/linalg/kernels/index.js';
import { ShapeError } from '../../src/linalg/errors.js';
import { tensor, type Tensor } from '../../src/linalg/tensor.js';
import { bget, broadcastPairArb, refBroadcast, seeded, shapeArb, size, unravel } from '../helpers/gradcheck-cases.js';

const binaries: [string, (a: Tensor, b: Tensor) => Tensor, (x: number, y: number) => number][] = [
  ['add', K.add, (x, y) => x + y],
  ['sub', K.sub, (x, y) => x - y],
  ['mul', K.mul, (x, y) => x * y],
  ['div', K.div, (x, y) => x / y],
  ['maximum', K.maximum, (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.max(x, y))],
];

describe('binary kernels vs a reference loop', () => {
  for (const [name, fn, ref] of binaries) {
    it(`${name} broadcasts like numpy (incl. size-0 and size-1 axes)`, () => {
      fc.assert(
        fc.property(broadcastPairArb(4, 0, 4), fc.integer({ min: 1, max: 1e6 }), ([sa, sb], seed) => {
          const a = seeded(sa, seed),
            b = seeded(sb, seed + 1, 1, 0.5);
          const out = fn(a, b);
          const shape = refBroadcast(sa, sb);
          expect(out.shape).toEqual(shape);
          const expected = new Float64Array(size(shape));
          for (let k = 0; k < expected.length; k++) {
            const idx = unravel(k, shape);
            expected[k] = ref(bget(a, idx), bget(b, idx));
          }
          expect(out.data).toEqual(expected);
        }),
        { numRuns: 60 },
      );
    });
  }

  it('accepts numbers as scalar operands on either side', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(K.sub(10, x).data).toEqual(Float64Array.from([9, 8, 7, 6]));
    expect(K.div(x, 2).data).toEqual(Float64Array.from([0.5, 1, 1.5, 2]));
    expect(K.add(1, 2).shape).toEqual([]);
  });

  it('row-vector bias and column broadcasting hit the collapsed paths correctly', () => {
    const x = seeded([3, 4, 5], 7);
    const bias = seeded([5], 8),
      col = seeded([3, 4, 1], 9);
    const y = K.add(x, bias),
      z = K.sub(x, col);
    for (let k = 0; k < 60; k++) {
      const [i, j, l] = unravel(k, [3, 4, 5]) as [number, number, number];
      expect(y.data[k]).toBe(x.data[k]! + bias.data[l]!);
      expect(z.data[k]).toBe(x.data[k]! - col.data[i * 4 + j]!);
    }
  });

  it('a shape mismatch throws a ShapeError naming the op and both shapes', () => {
    const a = seeded([2, 3], 1),
      b = seeded([4], 2);
    expect(() => K.mul(a, b)).toThrow(ShapeError);
    expect(() => K.mul(a, b)).toThrow(/mul.*\(2, 3\) and \(4,\)/);
  });

  it('maximum propagates NaN', () => {
    expect(Array.from(K.maximum(tensor([NaN, 1]), tensor([0, NaN])).data).every(Number.isNaN)).toBe(true);
  });
});

describe('unary kernels vs Math', () => {
  const cases: [string, (x: Tensor) => Tensor, (v: number) => number][] = [
    ['neg', K.neg, (v) => -v],
    ['exp', K.exp, Math.exp],
    ['log', K.log, Math.log],
    ['tanh', K.tanh, Math.tanh],
    ['relu', K.relu, (v) => (v > 0 ? v : 0)],
    ['abs', K.abs, Math.abs],
    ['sqrt', K.sqrt, Math.sqrt],
    ['square', K.square, (v) => v * v],
    ['reciprocal', K.reciprocal, (v) => 1 / v],
    ['sigmoid', K.sigmoid, (v) => 1 / (1 + Math.exp(-v))],
  ];
  for (const [name, fn, ref] of cases) {
    it(name, () => {
      fc.assert(
        fc.property(shapeArb(0, 3, 0, 4), fc.integer({ min: 1, max: 1e6 }), (shape, seed) => {
          const x = K.abs(seeded(shape, seed, 2));
          const y = fn(x);
          expect(y.shape).toEqual(shape);
          for (let i = 0; i < y.data.length; i++) expect(y.data[i]).toBeCloseTo(ref(x.data[i]!), 14);
        }),
        { numRuns: 30 },
      );
    });
  }

  it('sigmoid does not overflow for large |x| and is exact at the ends', () => {
    const y = K.sigmoid(tensor([-1000, -30, 0, 30, 1000]));
    expect(y.data[0]).toBe(0);
    expect(y.data[2]).toBe(0.5);
    expect(y.data[4]).toBe(1);
    expect(y.data[1]).toBeCloseTo(Math.exp(-30), 25);
  });

  it('powScalar matches Math.pow including the fast paths', () => {
    const x = K.add(K.abs(seeded([7], 3)), 0.1);
    for (const p of [0, 1, 2, 3, -1, 0.5, -0.5, 1.7, -2.3]) {
      const y = K.powScalar(x, p);
      for (let i = 0; i < 7; i++) expect(y.data[i]).toBeCloseTo(Math.pow(x.data[i]!, p), 13);
    }
  });

  it('map applies a callback', () => {
    expect(K.map(tensor([1, 2]), (v) => v * 10).data).toEqual(Float64Array.from([10, 20]));
  });
});

describe('where', () => {
  it('three-way broadcasting vs a reference loop', () => {
    fc.assert(
      fc.property(broadcastPairArb(3, 0, 3), fc.integer({ min: 1, max: 1e6 }), ([sa, sb], seed) => {
        const shape = refBroadcast(sa, sb);
        const cond = K.map(seeded(sa, seed), (v) => (v > 0 ? 1 : 0));
        const a = seeded(sb, seed + 1),
          b = seeded(shape.slice(-1), seed + 2);
        const out = K.where(cond, a, b);
        const full = refBroadcast(shape, b.shape);
        expect(out.shape).toEqual(full);
        for (let k = 0; k < size(full); k++) {
          const idx = unravel(k, full);
          expect(out.data[k]).toBe(bget(cond, idx) !== 0 ? bget(a, idx) : bget(b, idx));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('names all three shapes when they do not broadcast', () => {
    expect(() => K.where(seeded([2], 1), seeded([3], 2), 0)).toThrow(/where.*\(2,\) and \(3,\) and \(\)/);
  });
});
