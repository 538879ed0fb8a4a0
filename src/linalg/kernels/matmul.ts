/**
 * Matrix multiplication: `matmul` on tensors (2-D and batched, numpy semantics), the raw
 * Float64Array `gemm`, and `matmulNaive` (the triple-loop oracle the tests compare against).
 */
import { ShapeError } from '../errors.js';
import { broadcastShapes, checkShape, sizeOf, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { gemmPacked, KC } from './gemm-packed.js';
import { gemmDirect } from './gemm-direct.js';
import { batchSmallAsm } from './gemm-asm.js';

/** Options of `matmul`: use the transpose of the last two axes of `a` / `b`. */
export interface MatmulOptions {
  readonly transA?: boolean;
  readonly transB?: boolean;
}

/**
 * Raw general matrix multiply on row-major Float64Arrays: `C (+)= op(A)·op(B)`, where
 * `op(A)` is m×k (A stored k×m when `transA`), `op(B)` is k×n (B stored n×k when `transB`),
 * C is m×n; `lda`, `ldb`, `ldc` are the row strides of the stored matrices and `aOff`, `bOff`,
 * `cOff` their starting offsets, so submatrices and batch entries are addressed in place.
 * `accumulate` false overwrites C (NaN already in C does not leak), true adds into it.
 *
 * Algorithm: tiny or thin products (m·n·k ≤ 4096, or m ≤ 8, k ≤ 16 or n ≤ 4) use an unpacked
 * 3×4 register-tile kernel (gemm-direct.ts); the others the Goto/BLIS blocked kernel with packed
 * panels (gemm-packed.ts; Goto & van de Geijn, ACM TOMS 2008) whose micro-kernel sweep is written
 * in asm.js (gemm-asm.ts). Transposes are handled by how operands are read or packed, never by
 * copying. Sums run in k order within each 256-long
 * k-block, so results match the naive loop to rounding (exactly, for k ≤ 256).
 *
 * Throws a ShapeError naming 'gemm' when a dimension is not a non-negative integer, a leading
 * dimension is too small, or an operand's buffer is too short for the requested matrix.
 *
 * ```ts
 * gemm(false, false, 2, 2, 2, A, 0, 2, B, 0, 2, C, 0, 2, false); // C = A·B (2×2)
 * gemm(false, true, m, n, k, X, 0, k, W, 0, k, Y, 0, n, true);  // Y += X·Wᵀ
 * ```
 */
export function gemm(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  A: Float64Array, aOff: number, lda: number,
  B: Float64Array, bOff: number, ldb: number,
  C: Float64Array, cOff: number, ldc: number, accumulate: boolean,
): void {
  checkGemmArgs(transA, transB, m, n, k, A, aOff, lda, B, bOff, ldb, C, cOff, ldc);
  gemmUnchecked(transA, transB, m, n, k, A, aOff, lda, B, bOff, ldb, C, cOff, ldc, accumulate);
}

/** `gemm` without argument validation (for callers that validated shapes already). */
function gemmUnchecked(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  A: Float64Array, aOff: number, lda: number,
  B: Float64Array, bOff: number, ldb: number,
  C: Float64Array, cOff: number, ldc: number, accumulate: boolean,
): void {
  if (m === 0 || n === 0) return;
  if (k === 0) {
    if (!accumulate) for (let i = 0; i < m; i++) C.fill(0, cOff + i * ldc, cOff + i * ldc + n);
    return;
  }
  if (useDirect(m, n, k)) gemmDirect(transA, transB, m, n, k, A, aOff, lda, B, bOff, ldb, C, cOff, ldc, accumulate);
  else gemmPacked(transA, transB, m, n, k, A, aOff, lda, B, bOff, ldb, C, cOff, ldc, accumulate);
}

/** O(1) validation of the raw kernel's arguments: the last element of each operand must exist. */
function checkGemmArgs(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  A: Float64Array, aOff: number, lda: number, B: Float64Array, bOff: number, ldb: number,
  C: Float64Array, cOff: number, ldc: number,
): void {
  if (!(isIndex(m) && isIndex(n) && isIndex(k) && isIndex(aOff) && isIndex(lda) && isIndex(bOff) && isIndex(ldb) && isIndex(cOff) && isIndex(ldc))) {
    const all = [m, n, k, aOff, lda, bOff, ldb, cOff, ldc].join(', ');
    throw new ShapeError('gemm', `sizes, offsets and strides (m, n, k, aOff, lda, bOff, ldb, cOff, ldc) must be non-negative integers, got ${all}`);
  }
  checkOperand('A', A, aOff, transA ? k : m, transA ? m : k, lda);
  checkOperand('B', B, bOff, transB ? n : k, transB ? k : n, ldb);
  checkOperand('C', C, cOff, m, n, ldc);
}

function isIndex(v: number): boolean {
  return Number.isSafeInteger(v) && v >= 0;
}

function checkOperand(what: string, buf: Float64Array, off: number, rows: number, cols: number, ld: number): void {
  if (rows === 0 || cols === 0) return;
  if (ld < cols || off + (rows - 1) * ld + cols > buf.length) {
    throw new ShapeError('gemm', `${what} (${rows}×${cols} at offset ${off}, leading dimension ${ld}) does not fit its buffer of ${buf.length}`, [[rows, cols]]);
  }
}

/**
 * Packed or direct? Packing costs about one pass over op(A), op(B) and (for the asm sweep's
 * staging) C, and buys a ~1.4× faster inner loop: it pays when k, m and n are all beyond a few
 * register tiles. Measured on the benchmark machine (CPU time, interleaved): direct wins for
 * 32×16·16×32 (k = 16) and for m ≤ 8; packed wins from k = 32 (e.g. 32×32·32×32, +20%).
 * `k·n ≤ 2^18` keeps the direct kernel's repeated sweeps over B inside L2.
 */
function useDirect(m: number, n: number, k: number): boolean {
  if (path !== 'auto') return path === 'direct';
  return m * n * k <= 4096 || ((m <= 8 || k <= 16 || n <= 4) && k * n <= 262144);
}

let path: 'auto' | 'packed' | 'direct' = 'auto';
/** Test/benchmark hook: force the packed or the direct kernel ('auto' restores the dispatch). Returns the previous setting. */
export function setGemmPath(p: 'auto' | 'packed' | 'direct'): 'auto' | 'packed' | 'direct' {
  const old = path;
  path = p;
  return old;
}

/** Reference triple loop (i, j, p) with the same contract as `gemm`. */
function gemmNaiveRaw(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  A: Float64Array, aOff: number, lda: number,
  B: Float64Array, bOff: number, ldb: number,
  C: Float64Array, cOff: number, ldc: number, accumulate: boolean,
): void {
  const aRs = transA ? 1 : lda, aCs = transA ? lda : 1;
  const bRs = transB ? 1 : ldb, bCs = transB ? ldb : 1;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += A[aOff + i * aRs + p * aCs]! * B[bOff + p * bRs + j * bCs]!;
      const c = cOff + i * ldc + j;
      C[c] = accumulate ? C[c]! + s : s;
    }
  }
}

type RawGemm = typeof gemm;

/**
 * Matrix product with numpy `matmul` semantics on tensors of rank ≥ 2: the last two axes are
 * the matrices (transposed first when `transA`/`transB`), leading axes broadcast; the result is
 * a new contiguous tensor of shape `[...broadcast(batchA, batchB), m, n]`.
 *
 * Algorithm: when op(B) has ≤ 16384 elements and both operands and the result fit the 4 MiB
 * asm.js heap, all batch entries run in one call of the unpacked asm.js 3×4-tile kernel
 * (gemm-asm.ts; operands are memcpy'd into its heap). A single product with a long k (a multiple
 * of 256, k·n beyond that limit, e.g. the weight gradient Xᵀ·G of a 1024-row batch) runs its
 * 256-long k-blocks as one such batch and sums the partial products in block order — the packed
 * kernel's exact summation order, ≈ 3% faster per Transformer training step. Otherwise one `gemm` per batch entry,
 * reading each operand in place (broadcast entries share storage); when only A is batched and not
 * transposed the batch is folded into the rows: (B, T, n)·(n, m) is one (B·T)×n by n×m product. Size-0 dimensions give empty
 * results, k = 0 gives zeros (as numpy). Throws a ShapeError naming 'matmul' and both shapes on a
 * mismatch (inner dimensions, batch broadcasting, rank < 2: reshape 1-D vectors first).
 *
 * ```ts
 * matmul(x, w);                      // (B, T, n)·(n, m) → (B, T, m), one big gemm
 * matmul(q, k, { transB: true });    // (B, T, d)·(B, T, d)ᵀ → (B, T, T)
 * ```
 */
export function matmul(a: Tensor, b: Tensor, opts: MatmulOptions = {}): Tensor {
  return matmulWith(gemmUnchecked, a, b, opts, true);
}

/** The oracle: same contract as `matmul`, computed with the plain triple loop. */
export function matmulNaive(a: Tensor, b: Tensor, opts: MatmulOptions = {}): Tensor {
  return matmulWith(gemmNaiveRaw, a, b, opts, false);
}

let asmBatch = true;
/**
 * Test/benchmark hook: route products whose op(B) has ≤ 16384 elements (and whose operands fit
 * the 4 MiB asm heap) through the asm.js batch kernel (default) or through per-entry `gemm`
 * calls. Returns the previous setting.
 */
export function setAsmBatch(on: boolean): boolean {
  const old = asmBatch;
  asmBatch = on;
  return old;
}
/**
 * op(B) size (elements) up to which a product runs unpacked in the asm batch kernel (B, 128 KiB,
 * stays in L2). Measured against the packed path (CPU time, interleaved): 16384 beats 4096 by
 * 4–15% on 96², 128² and 1024×128·128×128; 65536 gains nothing more. The result goes through
 * the heap and is copied out (one extra pass over C), so a large C (> 512 KiB, beyond L2) with a
 * short k (< 64 multiply-adds per element) stays on the packed path: 512×32·32×512 ran at
 * 5.8 GF/s through the heap vs 6.9–7.2 packed.
 */
const ASM_BATCH_MAX_B = 16384;

interface Plan {
  readonly m: number; readonly n: number; readonly k: number;
  readonly batch: number[]; readonly outShape: number[];
}

function plan(a: Shape, b: Shape, transA: boolean, transB: boolean): Plan {
  checkShape('matmul', a);
  checkShape('matmul', b);
  if (a.length < 2 || b.length < 2) {
    throw new ShapeError('matmul', 'operands must have at least 2 dimensions (reshape 1-D vectors first)', [a, b]);
  }
  const ar = a[a.length - 2]!, ac = a[a.length - 1]!;
  const br = b[b.length - 2]!, bc = b[b.length - 1]!;
  const m = transA ? ac : ar, ka = transA ? ar : ac;
  const kb = transB ? bc : br, n = transB ? br : bc;
  if (ka !== kb) {
    const ta = transA ? 'ᵀ' : '', tb = transB ? 'ᵀ' : '';
    throw new ShapeError('matmul', `inner dimensions differ: A${ta} has ${ka} columns, B${tb} has ${kb} rows`, [a, b]);
  }
  let batch: number[];
  try {
    batch = broadcastShapes('matmul', a.slice(0, -2), b.slice(0, -2));
  } catch {
    throw new ShapeError('matmul', 'batch dimensions do not broadcast', [a, b]);
  }
  return { m, n, k: ka, batch, outShape: [...batch, m, n] };
}

function matmulWith(g: RawGemm, a: Tensor, b: Tensor, opts: MatmulOptions, fast: boolean): Tensor {
  const transA = opts.transA === true, transB = opts.transB === true;
  const { m, n, k, batch, outShape } = plan(a.shape, b.shape, transA, transB);
  const out = new Float64Array(sizeOf(outShape));
  if (out.length === 0 || k === 0) return { data: out, shape: outShape };
  const aBatch = a.shape.slice(0, -2), bBatch = b.shape.slice(0, -2);
  const lda = a.shape[a.shape.length - 1]!, ldb = b.shape[b.shape.length - 1]!;
  const aMat = a.shape[a.shape.length - 2]! * lda, bMat = b.shape[b.shape.length - 2]! * ldb;
  const nb = sizeOf(batch);
  const aIdx = batchOffsets(aBatch, batch, aMat);
  const bIdx = batchOffsets(bBatch, batch, bMat);
  // Small products: all batch entries in one call of the asm.js kernel (operands copied whole).
  if (fast && asmBatch && path === 'auto' && k * n <= ASM_BATCH_MAX_B && (out.length <= 65536 || k >= 64)
    && batchSmallAsm(transA, transB, nb, m, n, k, a.data, aIdx, lda, b.data, bIdx, ldb, out)) {
    return { data: out, shape: outShape };
  }
  // Long-k single products (weight gradients Xᵀ·G): k-blocks of KC as one asm batch, then summed.
  if (fast && asmBatch && path === 'auto' && nb === 1 && k > KC && KC * n <= ASM_BATCH_MAX_B && m * n <= 16384
    && splitK(transA, transB, m, n, k, a.data, lda, b.data, ldb, out)) {
    return { data: out, shape: outShape };
  }
  // Fold: a batch of A matrices times one B (no transA) is one (nb·m)×k by k×n product.
  if (!transA && sizeOf(bBatch) === 1 && sizeOf(aBatch) === nb) {
    g(false, transB, nb * m, n, k, a.data, 0, lda, b.data, 0, ldb, out, 0, n, false);
    return { data: out, shape: outShape };
  }
  for (let t = 0; t < nb; t++) {
    g(transA, transB, m, n, k, a.data, aIdx[t]!, lda, b.data, bIdx[t]!, ldb, out, t * m * n, n, false);
  }
  return { data: out, shape: outShape };
}

/**
 * C = op(A)·op(B) for one product with k > KC: the k-blocks [p0, p0+KC) run as one asm batch
 * (block t reads op(A)[:, p0..] and op(B)[p0.., :] in place) into partial products P_t, then
 * C = ((P_0 + P_1) + P_2) + … — the packed kernel's order (each block summed in k order from
 * zero, blocks accumulated into C in turn), so the results are identical.
 */
function splitK(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  A: Float64Array, lda: number, B: Float64Array, ldb: number, out: Float64Array,
): boolean {
  const blocks = Math.floor(k / KC);
  if (blocks * KC !== k) return false;
  const aStep = transA ? KC * lda : KC, bStep = transB ? KC : KC * ldb;
  const aIdx: number[] = [], bIdx: number[] = [];
  for (let t = 0; t < blocks; t++) { aIdx.push(t * aStep); bIdx.push(t * bStep); }
  const mn = m * n, parts = new Float64Array(blocks * mn);
  if (!batchSmallAsm(transA, transB, blocks, m, n, KC, A, aIdx, lda, B, bIdx, ldb, parts)) return false;
  out.set(parts.subarray(0, mn));
  for (let t = 1; t < blocks; t++) for (let i = 0, o = t * mn; i < mn; i++) out[i] = out[i]! + parts[o + i]!;
  return true;
}

/**
 * Offset (in elements) of each broadcast batch entry's matrix inside an operand. A plain array
 * of small integers on purpose: offsets read from a Float64Array arrive as heap doubles and make
 * V8 deoptimise the kernels' integer index arithmetic into float arithmetic (2× slower).
 */
function batchOffsets(own: Shape, target: Shape, matSize: number): number[] {
  const nb = sizeOf(target);
  const offs = new Array<number>(nb).fill(0);
  const d = target.length, pad = d - own.length;
  const strides = new Array<number>(d).fill(0);
  let acc = matSize;
  for (let i = own.length - 1; i >= 0; i--) {
    strides[pad + i] = own[i] === 1 ? 0 : acc;
    acc *= own[i]!;
  }
  const idx = new Array<number>(d).fill(0);
  let off = 0;
  for (let t = 0; t < nb; t++) {
    offs[t] = off;
    for (let ax = d - 1; ax >= 0; ax--) {
      idx[ax]!++;
      off += strides[ax]!;
      if (idx[ax]! < target[ax]!) break;
      off -= strides[ax]! * idx[ax]!;
      idx[ax] = 0;
    }
  }
  return offs;
}
