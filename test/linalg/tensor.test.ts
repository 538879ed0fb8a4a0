import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NonFiniteError, ShapeError, ValueError } from '../../src/linalg/errors.js';
import { broadcastShapes, broadcastStrides, checkShape, normAxis, sizeOf, stridesOf } from '../../src/linalg/shape.js';
import { createRng } from '../../src/linalg/random.js';
import {
  arange,
  assertFinite,
  at,
  eye,
  full,
  isTensor,
  item,
  rand,
  randn,
  tensor,
  toArray,
  zeros,
} from '../../src/linalg/tensor.js';

const smallShape = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 });

describe('tensor construction', () => {
  it('infers shapes from nested arrays and round-trips through toArray', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double({ noNaN: true }), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 5 }),
        (rows) => {
          const t = tensor(rows);
          expect(t.shape).toEqual([rows.length, 3]);
          expect(toArray(t)).toEqual(rows);
        },
      ),
    );
  });

  it('accepts flat data with a shape, and the product of the shape must match', () => {
    const t = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(at(t, 1, 0)).toBe(4);
    expect(at(t, -1, -1)).toBe(6);
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow(ShapeError);
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow(
      /tensor: data has 3 elements but the shape holds 4 \[shapes \(2, 2\)\]/,
    );
  });

  it('rejects ragged nested arrays and bad dimensions with named errors', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(/tensor: ragged nested array/);
    expect(() => zeros([2, -1])).toThrow(/zeros: invalid dimension -1/);
    expect(() => zeros([1.5])).toThrow(ShapeError);
    expect(() => zeros([Number.NaN])).toThrow(ShapeError);
  });

  it('supports size-0 and scalar tensors like numpy', () => {
    expect(zeros([0, 3]).data.length).toBe(0);
    expect(item(tensor(5))).toBe(5);
    expect(tensor(5).shape).toEqual([]);
    expect(toArray(zeros([2, 0]))).toEqual([[], []]);
    expect(() => item(zeros([2]))).toThrow(/item/);
  });

  it('eye, full, arange', () => {
    expect(toArray(eye(2, 3))).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(Array.from(full([3], 7).data)).toEqual([7, 7, 7]);
    expect(Array.from(arange(2, 8, 2).data)).toEqual([2, 4, 6]);
    expect(Array.from(arange(3).data)).toEqual([0, 1, 2]);
    expect(() => arange(0, 1, 0)).toThrow(ValueError);
  });

  it('random tensors are seeded and reproducible', () => {
    const a = randn(createRng(1), [3, 4]),
      b = randn(createRng(1), [3, 4]);
    expect(a.data).toEqual(b.data);
    const u = rand(createRng(2), [1000], -1, 3);
    expect(Math.min(...u.data)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...u.data)).toBeLessThan(3);
  });

  it('isTensor and assertFinite', () => {
    expect(isTensor(zeros([2, 2]))).toBe(true);
    expect(isTensor({ data: new Float64Array(3), shape: [2] })).toBe(false);
    const bad = tensor([1, Number.NaN, 3]);
    expect(() => assertFinite('svd', 'input', bad)).toThrow(NonFiniteError);
    expect(() => assertFinite('svd', 'input', bad)).toThrow(
      /svd: input contains a non-finite value NaN at flat index 1/,
    );
    expect(() => assertFinite('svd', 'input', tensor([1, Infinity]))).toThrow(/Infinity/);
  });
});

describe('shape helpers', () => {
  it('strides are row-major and consistent with sizeOf', () => {
    fc.assert(
      fc.property(smallShape, (s) => {
        const st = stridesOf(s);
        if (s.length > 0) expect(st[s.length - 1]).toBe(1);
        for (let i = 0; i + 1 < s.length; i++) expect(st[i]).toBe(st[i + 1]! * s[i + 1]!);
        expect(sizeOf(s)).toBe(s.reduce((a, b) => a * b, 1));
      }),
    );
  });

  it('broadcastShapes follows numpy: commutative, and each input broadcasts to the result', () => {
    const pair = smallShape.chain((s) =>
      fc.tuple(
        fc.constant(s),
        fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }),
        fc.integer({ min: 0, max: s.length }),
      ),
    );
    fc.assert(
      fc.property(pair, ([s, ones, drop]) => {
        const t = s.map((d, i) => (ones[i] ? 1 : d)).slice(drop);
        const r = broadcastShapes('add', s, t);
        expect(r).toEqual(broadcastShapes('add', t, s));
        expect(r).toEqual(s);
        const bs = broadcastStrides(t, r);
        expect(bs.length).toBe(r.length);
        for (let i = 0; i < r.length; i++) if ((t[i - (r.length - t.length)] ?? 1) === 1) expect(bs[i]).toBe(0);
      }),
    );
  });

  it('incompatible shapes give a ShapeError naming the op and both shapes', () => {
    expect(() => broadcastShapes('mul', [2, 3], [4, 3])).toThrow(
      /mul: cannot broadcast axis 0 \(2 vs 4\) \[shapes \(2, 3\) and \(4, 3\)\]/,
    );
  });

  it('normAxis and checkShape', () => {
    expect(normAxis('sum', -1, 3)).toBe(2);
    expect(() => normAxis('sum', 3, 3)).toThrow(/sum: axis 3 is out of range/);
    expect(() => checkShape('reshape', [2, -3])).toThrow(/reshape/);
  });
});
