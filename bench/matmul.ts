/**
 * Matmul benchmark: seqrate's packed float64 gemm against ml-matrix (`Matrix.mmul`, float64),
 * tfjs-core's CPU backend (float32, its only dtype) and ndarray-gemm (float64), interleaved in
 * one process. Writes the "Matmul" section of bench/RESULTS.md.
 *
 * Run alone: `npx tsc -p tsconfig.bench.json && node .bench-build/bench/matmul.js`
 * (BENCH_QUICK=1 for a fast smoke run).
 */
import { createRequire } from 'node:module';
import { Matrix } from 'ml-matrix';
import ndarray from 'ndarray';
import { matmul } from '../src/linalg/kernels/matmul.js';
import { createRng } from '../src/linalg/random.js';
import { randn, type Tensor } from '../src/linalg/tensor.js';
import {
  compare,
  isMain,
  loadTfCpu,
  resultTable,
  writeSection,
  type BenchCase,
  type Contender,
  type Tf,
} from './harness.js';

const require = createRequire(import.meta.url);
type Nd = ndarray.NdArray<Float64Array>;
const ndGemm = require('ndarray-gemm') as (c: Nd, a: Nd, b: Nd) => void;

/** A matmul workload: `batch` independent products op(A)(m×k)·op(B)(k×n); `sharedB`: one B for all. */
interface Shape {
  readonly name: string;
  readonly batch: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly transB?: boolean;
  readonly sharedB?: boolean;
}

const shapes: readonly Shape[] = [
  { name: 'square 64', batch: 1, m: 64, n: 64, k: 64 },
  { name: 'square 128', batch: 1, m: 128, n: 128, k: 128 },
  { name: 'square 256', batch: 1, m: 256, n: 256, k: 256 },
  { name: 'square 512', batch: 1, m: 512, n: 512, k: 512 },
  { name: 'skinny 1024×128·128×128', batch: 1, m: 1024, n: 128, k: 128 },
  { name: 'skinny 512×32·32×512', batch: 1, m: 512, n: 512, k: 32 },
  { name: 'batched 32×(32×16·16×32)', batch: 32, m: 32, n: 32, k: 16 },
  { name: 'attention 32×(32×16·(32×16)ᵀ)', batch: 32, m: 32, n: 32, k: 16, transB: true },
  { name: 'attention 32×(32×32·(32×32)ᵀ)', batch: 32, m: 32, n: 32, k: 32, transB: true },
  { name: 'linear (32,32,64)·(64,64)', batch: 32, m: 32, n: 64, k: 64, sharedB: true },
];

/** Row-major data of B as the peers need it: op(B) materialised (peers get the transpose for free). */
function opB(b: Tensor, s: Shape, i: number): Float64Array {
  const size = s.k * s.n,
    off = s.sharedB === true ? 0 : i * size;
  const src = b.data.subarray(off, off + size);
  if (s.transB !== true) return src;
  const out = new Float64Array(size);
  for (let p = 0; p < s.k; p++) for (let j = 0; j < s.n; j++) out[p * s.n + j] = src[j * s.k + p]!;
  return out;
}

/** Builds one case: seeded operands and one closure per contender (tfjs tensors disposed after the case). */
function buildCase(s: Shape, tf: Tf | null, seed: number): BenchCase {
  const rng = createRng(seed);
  const a = randn(rng, s.batch === 1 ? [s.m, s.k] : [s.batch, s.m, s.k]);
  const bShape = s.transB === true ? [s.n, s.k] : [s.k, s.n];
  const b = randn(rng, s.batch === 1 || s.sharedB === true ? bShape : [s.batch, ...bShape]);
  const opts = { transB: s.transB === true };
  const aMats = Array.from({ length: s.batch }, (_, i) => a.data.subarray(i * s.m * s.k, (i + 1) * s.m * s.k));
  const bMats = Array.from({ length: s.batch }, (_, i) => opB(b, s, i));

  // ml-matrix: one Matrix per batch entry, plain mmul (B pre-transposed outside the timing).
  const mlA = aMats.map((d) => new Matrix(rows(d, s.m, s.k)));
  const mlB = bMats.map((d) => new Matrix(rows(d, s.k, s.n)));
  const ml: Contender = () => {
    for (let i = 0; i < s.batch; i++) mlA[i]!.mmul(mlB[i]!);
  };

  // ndarray-gemm: preallocated output views, one product per batch entry.
  const ndA = aMats.map((d) => ndarray(d, [s.m, s.k]));
  const ndB = bMats.map((d) => ndarray(d, [s.k, s.n]));
  const ndC = ndA.map(() => ndarray(new Float64Array(s.m * s.n), [s.m, s.n]));
  const nd: Contender = () => {
    for (let i = 0; i < s.batch; i++) ndGemm(ndC[i]!, ndA[i]!, ndB[i]!);
  };

  // tfjs-cpu: float32 tensors created once; batched matMul with its native transposeB flag.
  let tfc: Contender = null;
  let dispose = (): void => undefined;
  if (tf !== null) {
    const ta = tf.tensor(Float32Array.from(a.data), [...a.shape]);
    const tb = tf.tensor(Float32Array.from(b.data), [...b.shape]);
    dispose = () => {
      ta.dispose();
      tb.dispose();
    };
    tfc = () => {
      const c = tf.matMul(ta as never, tb as never, false, s.transB === true);
      c.dataSync();
      c.dispose();
    };
  }
  return {
    name: s.name,
    flops: 2 * s.batch * s.m * s.n * s.k,
    contenders: { seqrate: () => matmul(a, b, opts), 'ml-matrix': ml, 'tfjs-cpu': tfc, 'ndarray-gemm': nd },
    dispose,
  };
}

function rows(d: Float64Array, r: number, c: number): number[][] {
  return Array.from({ length: r }, (_, i) => Array.from(d.subarray(i * c, (i + 1) * c)));
}

/** Runs the comparison and writes the "Matmul" section of bench/RESULTS.md. */
export async function main(): Promise<void> {
  const tf = await loadTfCpu();
  const cases = shapes.map((s, i) => ({ name: s.name, build: () => buildCase(s, tf, 1000 + i) }));
  const res = await compare({ title: 'Matmul', cases });
  const g = (name: string): number => res.cases.find((c) => c.name === name)?.gflops.seqrate ?? NaN;
  const squareBest = Math.max(g('square 128'), g('square 256'), g('square 512'));
  const perFlop = ['skinny 1024×128·128×128', 'skinny 512×32·32×512', 'batched 32×(32×16·16×32)']
    .map((n) => `${n}: ${(g(n) / squareBest).toFixed(2)}`)
    .join('; ');
  const notes = [
    'All contenders compute the same products from the same (seeded, normal) data; seqrate, ml-matrix and ndarray-gemm in float64, ' +
      'tfjs-cpu (`@tensorflow/tfjs-core` + `tfjs-backend-cpu`, `dataSync()` forces the result) in float32, its only dtype.',
    'Batched rows: seqrate and tfjs do one batched call; ml-matrix and ndarray-gemm loop over the batch. For transB rows the ' +
      'ml-matrix and ndarray-gemm operands are transposed once outside the timing (tfjs uses its transposeB flag).',
    `seqrate per-flop speed of the skinny/batched shapes relative to its best square case (n = 128..512): ${perFlop}.`,
    'seqrate kernels: one 3×4 register-tile micro-kernel written in asm.js (plain JavaScript that V8 compiles ahead of time), run by the variant `chooseGemm` picks: ' +
      '`packed` (Goto/BLIS blocking) for large products, `direct` (unpacked, all batch entries in one call) when op(B) has ≤ 16384 elements (all the attention-sized ones), `splitK` for long-k weight gradients.',
    'The machine has 2 cores shared with other jobs; ratios (same round, adjacent in time) are more stable than absolute GF/s.',
  ];
  writeSection('Matmul', resultTable(res, { notes, labels: { 'tfjs-cpu': 'tfjs-cpu (f32)' } }));
}

if (isMain(import.meta.url)) await main();
