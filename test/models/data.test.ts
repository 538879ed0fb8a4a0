import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ShapeError, ValueError, tensor, type Tensor } from '../../src/linalg/index.js';
import { cyclicShiftTokens, patchify, permuteTokens, rowSequence } from '../../src/models/data.js';
import { loadMnist } from '../../src/node/index.js';

describe('loadMnist', () => {
  it('gives a seeded, disjoint, labelled split of 28×28 images in [0, 1]', () => {
    const a = loadMnist({ seed: 3, trainSize: 50, testSize: 20 });
    const b = loadMnist({ seed: 3, trainSize: 50, testSize: 20 });
    const c = loadMnist({ seed: 4, trainSize: 50, testSize: 20 });
    expect(a.train.images.shape).toEqual([50, 28, 28]);
    expect(a.test.images.shape).toEqual([20, 28, 28]);
    expect(a.train.images.data).toEqual(b.train.images.data);
    expect(a.train.labels).toEqual(b.train.labels);
    expect(a.train.labels).not.toEqual(c.train.labels);
    expect(a.total).toBeGreaterThan(9000);
    for (const v of a.train.images.data) expect(v >= 0 && v <= 1).toBe(true);
    for (const l of a.train.labels) expect(l >= 0 && l <= 9).toBe(true);
    expect(new Set(a.train.labels).size).toBeGreaterThan(5);
    // disjoint: no test image equals a training image byte for byte
    const key = (s: Tensor, i: number) => s.data.subarray(i * 784, (i + 1) * 784).join(',');
    const trainKeys = new Set(Array.from({ length: 50 }, (_, i) => key(a.train.images, i)));
    for (let i = 0; i < 20; i++) expect(trainKeys.has(key(a.test.images, i))).toBe(false);
  });
  it('the split for a seed is a stored snapshot (a change to the RNG or the loader would silently move every experiment)', () => {
    const a = loadMnist({ seed: 0, trainSize: 8, testSize: 4 });
    expect(a.total).toBe(10000);
    expect(Array.from(a.train.labels)).toEqual([5, 1, 5, 6, 4, 8, 7, 5]);
    expect(Array.from(a.test.labels)).toEqual([5, 7, 4, 1]);
    const total = (x: Float64Array): number => x.reduce((p, v) => p + v, 0);
    expect(total(a.train.images.data)).toBeCloseTo(718.165, 9);
    expect(total(a.test.images.data)).toBeCloseTo(442.241, 9);
    // a larger split starts with the same images: the split is a prefix of one seeded permutation
    const b = loadMnist({ seed: 0, trainSize: 10, testSize: 0 });
    expect(Array.from(b.train.labels.subarray(0, 8))).toEqual(Array.from(a.train.labels));
  });
  it('rejects sizes beyond the data and unknown options', () => {
    expect(() => loadMnist({ seed: 0, trainSize: 1e6, testSize: 1 })).toThrow(ValueError);
    expect(() => loadMnist({ seed: 0, trainSize: 1, testSize: 1, shuffle: true } as never)).toThrow(
      /unknown option 'shuffle'/,
    );
  });
});

const imgs = (n: number, h: number, w: number): Tensor =>
  tensor(
    Float64Array.from({ length: n * h * w }, (_, i) => i),
    [n, h, w],
  );

describe('patchify / rowSequence', () => {
  it('puts pixel (y, x) of image i into token (y/P)·(W/P) + x/P at offset (y%P)·P + x%P (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(1, 2, 4, 7, 14, 28), fc.integer({ min: 1, max: 2 }), (p, n) => {
        const im = imgs(n, 28, 28);
        const out = patchify(im, p);
        const T = (28 / p) ** 2;
        expect(out.shape).toEqual([n, T, p * p]);
        for (let k = 0; k < 50; k++) {
          const i = k % n,
            y = (k * 7) % 28,
            x = (k * 13) % 28;
          const tok = Math.floor(y / p) * (28 / p) + Math.floor(x / p);
          expect(out.data[(i * T + tok) * p * p + (y % p) * p + (x % p)]).toBe(im.data[i * 784 + y * 28 + x]);
        }
      }),
      { numRuns: 12 },
    );
  });
  it('rejects a patch that does not divide the image and non-3-D input', () => {
    expect(() => patchify(imgs(1, 28, 28), 5)).toThrow(ShapeError);
    expect(() => patchify(tensor([1, 2, 3]), 1)).toThrow(/expected images \(N, H, W\)/);
    expect(rowSequence(imgs(2, 28, 28)).shape).toEqual([2, 28, 28]);
  });
});

describe('token order helpers', () => {
  it('cyclicShiftTokens matches numpy roll along the token axis (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: -20, max: 20 }), (T, k) => {
        const x = imgs(2, T, 3);
        const y = cyclicShiftTokens(x, k);
        for (let i = 0; i < 2; i++)
          for (let t = 0; t < T; t++)
            for (let d = 0; d < 3; d++) {
              expect(y.data[(i * T + t) * 3 + d]).toBe(x.data[(i * T + ((((t - k) % T) + T) % T)) * 3 + d]);
            }
        // shifting back restores the input
        expect(cyclicShiftTokens(y, -k).data).toEqual(x.data);
      }),
      { numRuns: 40 },
    );
  });
  it('permuteTokens rejects non-permutations', () => {
    expect(() => permuteTokens(imgs(1, 3, 2), [0, 0, 1])).toThrow(/not a permutation/);
    expect(() => permuteTokens(imgs(1, 3, 2), [0, 1])).toThrow(ValueError);
    expect(permuteTokens(imgs(1, 3, 1), [2, 0, 1]).data).toEqual(Float64Array.of(2, 0, 1));
  });
});
