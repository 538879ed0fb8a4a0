/**
 * Shared test helpers of the kernels and autodiff tests: fast-check arbitraries for shapes and
 * broadcasting pairs, seeded tensors, and reference index arithmetic for the simple-loop oracles.
 */
import fc from 'fast-check';
import { createRng } from '../../src/linalg/random.js';
import type { Tensor } from '../../src/linalg/tensor.js';

/** A shape of rank `minRank..maxRank` with dims in `minDim..maxDim`. */
export function shapeArb(minRank = 0, maxRank = 3, minDim = 0, maxDim = 4): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: minDim, max: maxDim }), { minLength: minRank, maxLength: maxRank });
}

/**
 * A pair of shapes that broadcast together: a base shape, from which the second drops some leading
 * axes and sets some dims to 1 (and the first may also have 1s), in random order.
 */
export function broadcastPairArb(maxRank = 3, minDim = 0, maxDim = 4): fc.Arbitrary<[number[], number[]]> {
  return shapeArb(0, maxRank, minDim, maxDim).chain((base) =>
    fc
      .tuple(
        fc.integer({ min: 0, max: base.length }),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: base.length, maxLength: base.length }),
        fc.boolean(),
      )
      .map(([drop, ones, swap]) => {
        const a = base.map((d, i) => (ones[i] === 1 ? 1 : d));
        const b = base.slice(drop).map((d, i) => (ones[i + drop] === 2 ? 1 : d));
        return (swap ? [b, a] : [a, b]) as [number[], number[]];
      }),
  );
}

/** A tensor of `shape` with normal entries from seed `seed` (optionally shifted/scaled). */
export function seeded(shape: readonly number[], seed: number, scale = 1, shift = 0): Tensor {
  const rng = createRng(seed);
  let n = 1;
  for (const d of shape) n *= d;
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = shift + scale * rng.normal();
  return { data, shape: [...shape] };
}

/** Multi-index of flat position `k` in `shape` (row-major). */
export function unravel(k: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i]!;
    idx[i] = k % d;
    k = Math.floor(k / d);
  }
  return idx;
}

/** Flat position of the multi-index `idx` in `shape`. */
export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let k = 0;
  for (let i = 0; i < shape.length; i++) k = k * shape[i]! + idx[i]!;
  return k;
}

/** Element of `t` at output index `outIdx` of a broadcast (numpy rules: align trailing axes). */
export function bget(t: Tensor, outIdx: readonly number[]): number {
  const off = outIdx.length - t.shape.length;
  const idx = t.shape.map((d, i) => (d === 1 ? 0 : outIdx[off + i]!));
  return t.data[ravel(idx, t.shape)]!;
}

/** numpy broadcast of two shapes, computed naively for the oracles (no error handling). */
export function refBroadcast(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1,
      db = b[b.length - n + i] ?? 1;
    out.push(da === 1 ? db : da);
  }
  return out;
}

export function size(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}
