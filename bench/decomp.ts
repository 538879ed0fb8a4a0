/**
 * Decomposition benchmark: seqrate's svd / svdvals / qr / eigh / solve against ml-matrix (float64,
 * JAMA-style Golub–Kahan SVD, Householder QR, tred2/tql2 EVD, LU) and, where it has one, the
 * tfjs-core CPU backend (float32): tfjs has `linalg.qr` but no SVD, no symmetric eigensolver and no
 * LU/solve. Interleaved in one process via bench/harness.ts; writes the "Decompositions" section
 * of bench/RESULTS.md.
 *
 * Run alone: `npx tsc -p tsconfig.bench.json && node .bench-build/bench/decomp.js`
 * (BENCH_QUICK=1 for a fast smoke run).
 */
import { EigenvalueDecomposition, LuDecomposition, Matrix, QrDecomposition, SingularValueDecomposition } from 'ml-matrix';
import { eigh, qr, solve, svd, svdvals } from '../src/linalg/decomp/index.js';
import { createRng } from '../src/linalg/random.js';
import { randn, type Tensor } from '../src/linalg/tensor.js';
import { compare, isMain, loadTfCpu, resultTable, writeSection, type BenchCase, type Contender, type Tf } from './harness.js';

function rows(t: Tensor): number[][] {
  const [m, n] = [t.shape[0]!, t.shape[1]!];
  return Array.from({ length: m }, (_, i) => Array.from(t.data.subarray(i * n, (i + 1) * n)));
}

function svdCase(n: number, full: boolean, seed: number): BenchCase {
  const a = randn(createRng(seed), [n, n]);
  const ma = new Matrix(rows(a));
  const opts = { computeLeftSingularVectors: full, computeRightSingularVectors: full, autoTranspose: false };
  return {
    name: full ? `svd ${n}×${n} (U, σ, Vᵀ)` : `svdvals ${n}×${n}`,
    contenders: {
      seqrate: full ? () => svd(a) : () => svdvals(a),
      'ml-matrix': () => new SingularValueDecomposition(ma, opts),
      'tfjs-cpu': null,
    },
  };
}

function qrCase(n: number, tf: Tf | null, seed: number): BenchCase {
  const a = randn(createRng(seed), [n, n]);
  const ma = new Matrix(rows(a));
  let tfc: Contender = null;
  if (tf !== null) {
    const ta = tf.tensor2d(Float32Array.from(a.data), [n, n]);
    tfc = () => {
      const [q, r] = tf.linalg.qr(ta);
      q.dataSync(); r.dataSync(); q.dispose(); r.dispose();
    };
  }
  return {
    name: `qr ${n}×${n} (Q and R formed)`,
    contenders: {
      seqrate: () => qr(a),
      'ml-matrix': () => { const d = new QrDecomposition(ma); return [d.orthogonalMatrix, d.upperTriangularMatrix]; },
      'tfjs-cpu': tfc,
    },
  };
}

function eighCase(n: number, seed: number): BenchCase {
  const g = randn(createRng(seed), [n, n]);
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s[i * n + j] = g.data[i * n + j]! + g.data[j * n + i]!;
  const a: Tensor = { data: s, shape: [n, n] };
  const ma = new Matrix(rows(a));
  return {
    name: `eigh ${n}×${n} (values + vectors)`,
    contenders: { seqrate: () => eigh(a), 'ml-matrix': () => new EigenvalueDecomposition(ma, { assumeSymmetric: true }), 'tfjs-cpu': null },
  };
}

function solveCase(n: number, seed: number): BenchCase {
  const rng = createRng(seed);
  const a = randn(rng, [n, n]), b = randn(rng, [n]);
  const ma = new Matrix(rows(a)), mb = Matrix.columnVector(Array.from(b.data));
  return {
    name: `solve ${n}×${n}, one rhs (LU)`,
    contenders: { seqrate: () => solve(a, b), 'ml-matrix': () => new LuDecomposition(ma).solve(mb), 'tfjs-cpu': null },
  };
}

/** Runs the comparison and writes the "Decompositions" section of bench/RESULTS.md. */
export async function main(): Promise<void> {
  const tf = await loadTfCpu();
  const cases: BenchCase[] = [];
  let seed = 2000;
  for (const n of [64, 128, 256]) cases.push(svdCase(n, true, seed++));
  for (const n of [64, 128, 256]) cases.push(svdCase(n, false, seed++));
  for (const n of [64, 256]) cases.push(qrCase(n, tf, seed++));
  for (const n of [64, 256]) cases.push(eighCase(n, seed++));
  for (const n of [64, 256]) cases.push(solveCase(n, seed++));
  const res = await compare({ title: 'Decompositions', cases });
  const notes = [
    'Random standard-normal inputs (seeded); eigh on A + Aᵀ. Ratios are ml-matrix (or tfjs) time / seqrate time, median of per-round ratios; > 1 means seqrate is faster.',
    'seqrate svd = preconditioned one-sided Jacobi (row sorting, QR with column pivoting, second QR, one-sided Jacobi with de Rijk pivoting), chosen for relative accuracy on graded matrices; ml-matrix = Golub–Kahan–Reinsch (JAMA). svdvals rows: ml-matrix with both vector flags off.',
    'tfjs-core has no SVD, no symmetric eigensolver and no LU solve (—); its `linalg.qr` (float32, built from ops) is timed for QR.',
  ];
  writeSection('Decompositions', resultTable(res, { notes, labels: { 'tfjs-cpu': 'tfjs-cpu (f32)' } }));
  console.log('wrote section "Decompositions" of bench/RESULTS.md');
}

if (isMain(import.meta.url)) await main();
