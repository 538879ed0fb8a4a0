/**
 * Old-vs-new benchmark of two builds of seqrate in one process, interleaved: for a refactor of
 * the kernels, checks that no bench case got slower. Each case runs `old` (the build at
 * BENCH_OLD), `old'` (a second, independent module instance of the same build: the A/A control
 * that shows the noise) and `new` (this build), in rotating order for several rounds; ratios
 * are medians of per-round ratios against `old`.
 *
 * Run: build both trees with `npx tsc -p tsconfig.bench.json`, then
 * `BENCH_OLD=/path/to/base/.bench-build node .bench-build/bench/ab.js` (BENCH_ROUNDS, BENCH_FILTER).
 * Prints a Markdown table; it writes nothing.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { compare, resultTable, type BenchCase, type Contender } from './harness.js';

type Linalg = typeof import('../src/linalg/index.js');
type Models = typeof import('../src/models/index.js');
type Kernels = typeof import('../src/linalg/kernels/matmul.js');
interface Build {
  L: Linalg;
  M: Models;
  K: Kernels;
}

async function load(root: string, tag: string): Promise<Build> {
  const url = (p: string): string => `${pathToFileURL(join(root, 'src', p)).href}?${tag}`;
  // The query string makes a separate module instance (own asm heap, own caches) per tag.
  const [L, M, K] = await Promise.all([
    import(url('linalg/index.js')) as Promise<Linalg>,
    import(url('models/index.js')) as Promise<Models>,
    import(url('linalg/kernels/matmul.js')) as Promise<Kernels>,
  ]);
  return { L, M, K };
}

/** One matmul workload (batch of products, optional transB, B shared across the batch). */
function matmulCase(s: { batch: number; m: number; n: number; k: number; transB?: boolean; sharedB?: boolean }) {
  return (b: Build): Contender => {
    const rng = b.L.createRng(7);
    const a = b.L.randn(rng, s.batch === 1 ? [s.m, s.k] : [s.batch, s.m, s.k]);
    const bs = s.transB === true ? [s.n, s.k] : [s.k, s.n];
    const w = b.L.randn(rng, s.batch === 1 || s.sharedB === true ? bs : [s.batch, ...bs]);
    return () => b.K.matmul(a, w, { transB: s.transB === true });
  };
}

/** One Adam step of the paper's Transformer (the Models bench configuration). */
function transformerStep(b: Build): Contender {
  const rng = b.L.createRng(0);
  const x = b.L.rand(rng, [32, 32, 1]),
    y = b.L.rand(rng, [32, 32]);
  const model = new b.M.Transformer(
    { d: 1, n: 32, mh: 16, mv: 32, ffnWidth: 64, ffnDepth: 2, positionEncoding: 'none' },
    { seed: 1 },
  );
  const opt = new b.M.Adam({ lr: 1e-3 });
  const vg = b.L.valueAndGrad((p: Record<string, import('../src/linalg/tensor.js').Tensor>) =>
    b.L.mse(model.forward(x, p), y),
  );
  return () => {
    const { value, grads } = vg(model.params);
    model.params = opt.step(model.params, grads as never, b.L.item(value));
  };
}

/** Forward + backward of an MLP 1024×128 → 128 → 128 → 1 (ReLU, MSE) through `MLP.apply`. */
function mlpStep(b: Build): Contender {
  const rng = b.L.createRng(3);
  const x = b.L.randn(rng, [1024, 128]),
    y = b.L.randn(rng, [1024, 1]);
  const net = new b.M.MLP({ inDim: 128, width: 128, depth: 2, outDim: 1 }, { seed: 4 });
  const vg = b.L.valueAndGrad((p: Record<string, import('../src/linalg/tensor.js').Tensor>) =>
    b.L.mse(net.apply(x, p), y),
  );
  return () => vg(net.params);
}

/** Forward + backward of one attention layer (B=32, T=32, n=32, m_h=16, m_v=32) with MSE. */
function attentionStep(b: Build): Contender {
  const rng = b.L.createRng(5);
  const x = b.L.randn(rng, [32, 32, 32]),
    y = b.L.randn(rng, [32, 32, 32]);
  const att = new b.M.Attention('a.', { dim: 32, mh: 16, mv: 32 });
  const params = att.init(b.L.createRng(6));
  const vg = b.L.valueAndGrad((p: Record<string, import('../src/linalg/tensor.js').Tensor>) =>
    b.L.mse(att.apply(x, p), y),
  );
  return () => vg(params);
}

const CASES: [string, number, (b: Build) => Contender][] = [
  ['square 64', 2 * 64 ** 3, matmulCase({ batch: 1, m: 64, n: 64, k: 64 })],
  ['square 128', 2 * 128 ** 3, matmulCase({ batch: 1, m: 128, n: 128, k: 128 })],
  ['square 256', 2 * 256 ** 3, matmulCase({ batch: 1, m: 256, n: 256, k: 256 })],
  ['square 512', 2 * 512 ** 3, matmulCase({ batch: 1, m: 512, n: 512, k: 512 })],
  ['skinny 1024×128·128×128', 2 * 1024 * 128 * 128, matmulCase({ batch: 1, m: 1024, n: 128, k: 128 })],
  ['skinny 512×32·32×512', 2 * 512 * 512 * 32, matmulCase({ batch: 1, m: 512, n: 512, k: 32 })],
  ['batched 32×(32×16·16×32)', 2 * 32 * 32 * 32 * 16, matmulCase({ batch: 32, m: 32, n: 32, k: 16 })],
  [
    'attention 32×(32×16·(32×16)ᵀ)',
    2 * 32 * 32 * 32 * 16,
    matmulCase({ batch: 32, m: 32, n: 32, k: 16, transB: true }),
  ],
  ['linear (32,32,64)·(64,64)', 2 * 32 * 32 * 64 * 64, matmulCase({ batch: 32, m: 32, n: 64, k: 64, sharedB: true })],
  [
    'weight gradient (1024,64)ᵀ·(1024,32)',
    2 * 1024 * 64 * 32,
    (b) => {
      const rng = b.L.createRng(9);
      const x = b.L.randn(rng, [1024, 64]),
        g = b.L.randn(rng, [1024, 32]);
      return () => b.K.matmul(x, g, { transA: true });
    },
  ],
  ['Transformer Adam step', 0, transformerStep],
  ['attention layer fwd+bwd', 0, attentionStep],
  ['MLP 1024×128→128→128→1 fwd+bwd', 0, mlpStep],
];

export async function main(): Promise<void> {
  const oldRoot = process.env.BENCH_OLD;
  if (oldRoot === undefined) throw new Error('bench/ab: set BENCH_OLD to the .bench-build folder of the old tree');
  const newRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
  const [oldB, oldB2, newB] = await Promise.all([load(oldRoot, 'old'), load(oldRoot, 'old2'), load(newRoot, 'new')]);
  const cases = CASES.map(([name, flops, f]): { name: string; build: () => BenchCase } => ({
    name,
    build: () => ({
      name,
      ...(flops > 0 ? { flops } : {}),
      contenders: { old: f(oldB), "old'": f(oldB2), new: f(newB) },
    }),
  }));
  const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
  const res = await compare({ title: 'A/B', cases, baseline: 'old', rounds });
  console.log(
    resultTable(res, {
      notes: [
        "Ratios are time(contender) / time(old), medians of per-round ratios: < 1 is faster than old. `old'` is the A/A control.",
      ],
    }),
  );
}

await main();
