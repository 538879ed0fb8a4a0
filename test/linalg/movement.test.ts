import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as K from '../../src/linalg/kernels/index.js';
import { ShapeError, ValueError } from '../../src/linalg/errors.js';
import { tensor } from '../../src/linalg/tensor.js';
import { bget, ravel, seeded, shapeArb, size, unravel } from '../helpers/gradcheck-cases.js';

const permArb = shapeArb(0, 4, 0, 4).chain((shape) =>
  fc.tuple(
    fc.constant(shape),
    fc.shuffledSubarray(
      shape.map((_, i) => i),
      { minLength: shape.length, maxLength: shape.length },
    ),
    fc.integer({ min: 1, max: 1e6 }),
  ),
);

describe('movement kernels vs reference loops', () => {
  it('transpose(x, perm)[idx] = x[idx permuted back]', () => {
    fc.assert(
      fc.property(permArb, ([shape, perm, seed]) => {
        const x = seeded(shape, seed);
        const y = K.transpose(x, perm);
        expect(y.shape).toEqual(perm.map((a) => shape[a]));
        for (let k = 0; k < y.data.length; k++) {
          const oi = unravel(k, y.shape);
          const ii = new Array<number>(shape.length);
          perm.forEach((a, i) => {
            ii[a] = oi[i]!;
          });
          expect(y.data[k]).toBe(x.data[ravel(ii, shape)]);
        }
      }),
      { numRuns: 80 },
    );
  });

  it('transpose default reverses the axes; the blocked 2-D path on a large matrix', () => {
    const x = seeded([70, 45], 3);
    const y = K.transpose(x);
    expect(y.shape).toEqual([45, 70]);
    for (let i = 0; i < 70; i++) for (let j = 0; j < 45; j++) expect(y.data[j * 70 + i]).toBe(x.data[i * 45 + j]);
    expect(() => K.transpose(x, [0, 0])).toThrow(ValueError);
  });

  it('reshape shares the buffer, infers -1 and rejects bad sizes naming both shapes', () => {
    const x = seeded([2, 6], 1);
    const y = K.reshape(x, [3, -1]);
    expect(y.shape).toEqual([3, 4]);
    expect(y.data).toBe(x.data);
    expect(() => K.reshape(x, [5, 2])).toThrow(/reshape.*\(2, 6\) and \(5, 2\)/);
    expect(() => K.reshape(x, [-1, -1])).toThrow(ShapeError);
    expect(K.reshape(seeded([0, 3], 1), [3, 0]).shape).toEqual([3, 0]);
  });

  it('broadcastTo matches numpy and errors name both shapes', () => {
    fc.assert(
      fc.property(
        shapeArb(0, 3, 0, 3),
        fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 }),
        fc.integer({ min: 1, max: 1e6 }),
        (base, lead, seed) => {
          const small = base.map((d, i) => (i % 2 === 1 ? 1 : d));
          const big = [...lead, ...base];
          const x = seeded(small, seed);
          const y = K.broadcastTo(x, big);
          expect(y.shape).toEqual(big);
          for (let k = 0; k < y.data.length; k++) expect(y.data[k]).toBe(bget(x, unravel(k, big)));
        },
      ),
      { numRuns: 60 },
    );
    expect(() => K.broadcastTo(seeded([3], 1), [2, 2])).toThrow(/broadcastTo.*\(3,\) and \(2, 2\)/);
  });

  it('slice matches Python slicing with negative and clamped bounds', () => {
    fc.assert(
      fc.property(
        shapeArb(1, 3, 0, 5),
        fc.array(fc.integer({ min: -6, max: 6 }), { minLength: 6, maxLength: 6 }),
        fc.integer({ min: 1, max: 1e6 }),
        (shape, b, seed) => {
          const x = seeded(shape, seed);
          const starts = shape.map((_, i) => b[i]!),
            ends = shape.map((_, i) => b[i + 3]!);
          const y = K.slice(x, starts, ends);
          const norm = (v: number, d: number): number => Math.min(Math.max(v < 0 ? v + d : v, 0), d);
          const lo = shape.map((d, i) => norm(starts[i]!, d));
          expect(y.shape).toEqual(shape.map((d, i) => Math.max(0, norm(ends[i]!, d) - lo[i]!)));
          for (let k = 0; k < y.data.length; k++) {
            const idx = unravel(k, y.shape).map((v, i) => v + lo[i]!);
            expect(y.data[k]).toBe(x.data[ravel(idx, shape)]);
          }
        },
      ),
      { numRuns: 80 },
    );
  });

  it('concat and stack match reference loops; mismatches name the shapes', () => {
    fc.assert(
      fc.property(
        shapeArb(1, 3, 0, 3),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 }),
        fc.nat(2),
        fc.integer({ min: 1, max: 1e6 }),
        (shape, lens, a0, seed) => {
          const ax = Math.min(a0, shape.length - 1);
          const xs = lens.map((l, i) =>
            seeded(
              shape.map((d, j) => (j === ax ? l : d)),
              seed + i,
            ),
          );
          const y = K.concat(xs, ax);
          let k = 0;
          for (const [i, x] of xs.entries()) {
            const offset = lens.slice(0, i).reduce((p, v) => p + v, 0);
            for (let q = 0; q < x.data.length; q++) {
              const idx = unravel(q, x.shape);
              idx[ax] = idx[ax]! + offset;
              expect(y.data[ravel(idx, y.shape)]).toBe(x.data[q]);
              k++;
            }
          }
          expect(k).toBe(y.data.length);
          const st = K.stack(
            xs.map(() => xs[0]!),
            ax,
          );
          expect(st.shape).toEqual([...xs[0]!.shape.slice(0, ax), xs.length, ...xs[0]!.shape.slice(ax)]);
        },
      ),
      { numRuns: 60 },
    );
    expect(() => K.concat([seeded([2, 3], 1), seeded([3, 3], 2)], 1)).toThrow(/concat.*\(2, 3\) and \(3, 3\)/);
    expect(() => K.stack([seeded([2], 1), seeded([3], 2)])).toThrow(ShapeError);
  });

  it('gather takes slices (negative indices ok) and scatterAdd is its adjoint', () => {
    fc.assert(
      fc.property(
        shapeArb(1, 3, 1, 4),
        fc.nat(2),
        fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 6 }),
        fc.integer({ min: 1, max: 1e6 }),
        (shape, a0, raw, seed) => {
          const ax = Math.min(a0, shape.length - 1);
          const d = shape[ax]!;
          const idx = raw.map((v) => (v % (2 * d)) - d); // in [-d, d)
          const x = seeded(shape, seed);
          const y = K.gather(x, idx, ax);
          for (let k = 0; k < y.data.length; k++) {
            const oi = unravel(k, y.shape);
            const v = idx[oi[ax]!]!;
            oi[ax] = v < 0 ? v + d : v;
            expect(y.data[k]).toBe(x.data[ravel(oi, shape)]);
          }
          const g = seeded(y.shape, seed + 1);
          const lhs = K.sum(K.mul(K.scatterAdd(shape, idx, ax, g), x)).data[0]!;
          const rhs = size(y.shape) === 0 ? 0 : K.sum(K.mul(g, y)).data[0]!;
          expect(lhs).toBeCloseTo(rhs, 10);
        },
      ),
      { numRuns: 60 },
    );
    expect(() => K.gather(seeded([2, 3], 1), [3], 1)).toThrow(/gather.*index 3.*\(2, 3\)/);
  });

  it('scatterAdd accumulates repeated indices', () => {
    const y = K.scatterAdd([3], [1, 1, 2], 0, tensor([1, 2, 3]));
    expect(y.data).toEqual(Float64Array.from([0, 3, 3]));
  });
});
