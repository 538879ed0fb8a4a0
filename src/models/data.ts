/**
 * Token views of image data for the ViT / RNN experiments: patches (ViT), rows (row-sequential
 * RNN), and token-order alterations (PAPER.md §5, Table 1). Portable (no Node API): the MNIST
 * loader itself lives in the Node-only entry `seqrate/node` (src/node/mnist.ts).
 *
 * Shape legend: N images, H = W = 28 pixels, P patch side, T tokens, D token size.
 */
import { ShapeError, ValueError, fmtShape, type Tensor } from '../linalg/index.js';

/** Side of an MNIST image. */
export const MNIST_SIDE = 28;

/** A labelled image set: images (N, 28, 28) in [0, 1], labels 0..9. */
export interface ImageSet {
  images: Tensor;
  labels: Int32Array;
}

function imageDims(op: string, images: Tensor): [number, number, number] {
  if (images.shape.length !== 3)
    throw new ShapeError(op, `expected images (N, H, W), got ${fmtShape(images.shape)}`, [images.shape]);
  return [images.shape[0]!, images.shape[1]!, images.shape[2]!];
}

/**
 * Cuts images (N, H, W) into non-overlapping P×P patches: (N, (H/P)·(W/P), P²). Tokens are the
 * patches in row-major order; each token is its patch flattened row-major (the ViT convention).
 *
 * @example
 * ```ts
 * const images = zeros([2, 28, 28]);
 * patchify(images, 7).shape; // [2, 16, 49]
 * const img = reshape(arange(16), [1, 4, 4]); // one 4×4 image, pixels 0..15 row-major
 * Array.from(patchify(img, 2).data.slice(0, 8)); // → [0, 1, 4, 5, 2, 3, 6, 7]: top-left, then top-right patch
 * ```
 */
export function patchify(images: Tensor, patch: number): Tensor {
  const [n, h, w] = imageDims('patchify', images);
  if (!Number.isSafeInteger(patch) || patch < 1 || h % patch !== 0 || w % patch !== 0) {
    throw new ShapeError('patchify', `patch size ${patch} must divide the image sides ${h}×${w}`, [images.shape]);
  }
  const gh = h / patch,
    gw = w / patch,
    T = gh * gw,
    D = patch * patch;
  const out = new Float64Array(n * T * D),
    src = images.data;
  for (let i = 0; i < n; i++) {
    for (let py = 0; py < gh; py++)
      for (let px = 0; px < gw; px++) {
        const tok = (i * T + py * gw + px) * D;
        for (let y = 0; y < patch; y++) {
          const row = i * h * w + (py * patch + y) * w + px * patch;
          for (let x = 0; x < patch; x++) out[tok + y * patch + x] = src[row + x]!;
        }
      }
  }
  return { data: out, shape: [n, T, D] }; // (N, T, P²)
}

/**
 * Row-sequential view: image rows as tokens, (N, H, W) → (N, T = H, D = W) (same data, checked).
 *
 * @example
 * ```ts
 * rowSequence(zeros([2, 28, 28])).shape; // [2, 28, 28]: 28 tokens of 28 pixels
 * ```
 */
export function rowSequence(images: Tensor): Tensor {
  const [n, h, w] = imageDims('rowSequence', images);
  return { data: images.data, shape: [n, h, w] };
}

/**
 * Reorders tokens: `out[:, t, :] = x[:, perm[t], :]` for x (N, T, D). `perm` must be a
 * permutation of 0..T−1.
 *
 * @example
 * ```ts
 * const x = tensor([[[1], [2], [3]]]);          // (1, 3, 1)
 * Array.from(permuteTokens(x, [2, 0, 1]).data); // [3, 1, 2]
 * ```
 */
export function permuteTokens(x: Tensor, perm: ArrayLike<number>): Tensor {
  if (x.shape.length !== 3)
    throw new ShapeError('permuteTokens', `expected tokens (N, T, D), got ${fmtShape(x.shape)}`, [x.shape]);
  const [n, T, D] = [x.shape[0]!, x.shape[1]!, x.shape[2]!];
  const seen = new Uint8Array(T);
  if (perm.length !== T) throw new ValueError('permuteTokens', `permutation of length ${perm.length} for ${T} tokens`);
  for (let t = 0; t < T; t++) {
    const p = perm[t]!;
    if (!Number.isInteger(p) || p < 0 || p >= T || seen[p])
      throw new ValueError('permuteTokens', `not a permutation of 0..${T - 1}: entry ${p} at ${t}`);
    seen[p] = 1;
  }
  const out = new Float64Array(x.data.length);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < T; t++)
      out.set(x.data.subarray((i * T + perm[t]!) * D, (i * T + perm[t]! + 1) * D), (i * T + t) * D);
  return { data: out, shape: [n, T, D] };
}

/**
 * The permutation of a cyclic shift by k: `perm[t] = (t − k) mod T` (numpy `roll(x, k, axis=1)`).
 *
 * @example
 * ```ts
 * Array.from(cyclicShiftPermutation(4, 1)); // [3, 0, 1, 2]
 * ```
 */
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
 *
 * @example
 * ```ts
 * const x = tensor([[[1], [2], [3], [4]]]);      // (1, 4, 1)
 * Array.from(cyclicShiftTokens(x, 1).data);      // [4, 1, 2, 3]
 * ```
 */
export function cyclicShiftTokens(x: Tensor, k: number): Tensor {
  if (x.shape.length !== 3)
    throw new ShapeError('cyclicShiftTokens', `expected tokens (N, T, D), got ${fmtShape(x.shape)}`, [x.shape]);
  return permuteTokens(x, cyclicShiftPermutation(x.shape[1]!, k));
}
