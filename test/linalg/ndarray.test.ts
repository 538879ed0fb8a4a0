import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import ndarray from 'ndarray';
import { fromNdarray, toNdarray } from '../../src/linalg/ndarray.js';
import { ShapeError } from '../../src/linalg/errors.js';
import { tensor } from '../../src/linalg/tensor.js';
import { seeded, shapeArb, unravel } from '../helpers/gradcheck-cases.js';

describe('ndarray interop', () => {
  it('round trip tensor → ndarray → tensor is exact and copies by default', () => {
    fc.assert(
      fc.property(shapeArb(0, 4, 0, 4), fc.integer({ min: 1, max: 1e6 }), (shape, seed) => {
        const t = seeded(shape, seed);
        const nd = toNdarray(t);
        expect(nd.shape).toEqual(shape);
        expect(nd.data).not.toBe(t.data);
        for (let k = 0; k < t.data.length; k++) expect(nd.get(...unravel(k, shape))).toBe(t.data[k]);
        const back = fromNdarray(nd);
        expect(back.shape).toEqual(shape);
        expect(back.data).toEqual(t.data);
      }),
      { numRuns: 50 },
    );
  });

  it('non-contiguous views: transpose, negative steps, lo/hi slices and offsets', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 1e6 }),
        fc.constantFrom(-2, -1, 1, 2),
        (r, c, seed, step) => {
          const base = ndarray(seeded([r, c], seed).data, [r, c]);
          const views = [
            base.transpose(1, 0),
            base.step(step, 1),
            base.lo(Math.floor(r / 2), 0).hi(Math.ceil(r / 2), c),
            base.pick(null, c - 1),
            base.step(1, -1).transpose(1, 0),
          ];
          for (const v of views) {
            const t = fromNdarray(v);
            expect(t.shape).toEqual(v.shape);
            for (let k = 0; k < t.data.length; k++) expect(t.data[k]).toBe(v.get(...unravel(k, v.shape)));
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('other dtypes and plain arrays are converted to float64', () => {
    expect(fromNdarray(ndarray(Int32Array.from([1, -2, 3, 4]), [2, 2]).transpose(1, 0)).data).toEqual(
      Float64Array.from([1, 3, -2, 4]),
    );
    expect(fromNdarray(ndarray([1.5, 2.5], [2])).data).toEqual(Float64Array.from([1.5, 2.5]));
  });

  it('copy: false shares contiguous Float64Array storage in both directions', () => {
    const t = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(toNdarray(t, { copy: false }).data).toBe(t.data);
    const nd = ndarray(new Float64Array([9, 1, 2, 3, 4]), [2, 2], [2, 1], 1);
    const u = fromNdarray(nd, { copy: false });
    expect(u.data.buffer).toBe(nd.data.buffer);
    expect(Array.from(u.data)).toEqual([1, 2, 3, 4]);
    // non-contiguous: a copy even with copy: false
    expect(Array.from(fromNdarray(nd.transpose(1, 0), { copy: false }).data)).toEqual([1, 3, 2, 4]);
  });

  it('size-0 and scalar arrays; mismatched strides are a ShapeError', () => {
    expect(fromNdarray(ndarray(new Float64Array(0), [0, 3])).shape).toEqual([0, 3]);
    expect(fromNdarray(ndarray(new Float64Array([7]), [])).data[0]).toBe(7);
    const bad = { ...ndarray(new Float64Array(4), [2, 2]), stride: [1] } as unknown as Parameters<
      typeof fromNdarray
    >[0];
    expect(() => fromNdarray(bad)).toThrow(ShapeError);
  });
});

describe('ndarray views that reach outside their storage', () => {
  it('are ShapeErrors naming fromNdarray (they used to read undefined, i.e. silent NaN entries)', () => {
    expect(() => fromNdarray(ndarray(new Float64Array(3), [2, 2]))).toThrow(ShapeError);
    expect(() => fromNdarray(ndarray(new Float64Array(3), [2, 2]))).toThrow(
      /^fromNdarray: the view .* reads indices 0\.\.3 of a storage of length 3 \[shapes \(2, 2\)\]/,
    );
    expect(() => fromNdarray(ndarray(new Float64Array(4), [2, 2]), { copy: false })).not.toThrow();
    expect(() => fromNdarray(ndarray(new Float64Array(4), [2, 2], [2, 1], 1), { copy: false })).toThrow(ShapeError);
    expect(() => fromNdarray(ndarray([1, 2, 3, 4], [2, 2], [-2, 1], 1))).toThrow(/reads indices -1\.\.2/);
  });
  it('every in-bounds strided view converts without NaN (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        fc.boolean(),
        (r, c, flipR, flipC) => {
          const base = ndarray(
            Float64Array.from({ length: r * c }, (_, i) => i),
            [r, c],
          );
          let v = base;
          if (flipR) v = v.step(-1, 1);
          if (flipC) v = v.step(1, -1);
          const t = fromNdarray(v);
          for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) expect(t.data[i * c + j]).toBe(v.get(i, j));
        },
      ),
      { seed: 5, numRuns: 40 },
    );
  });
});
