/**
 * Matrix multiplication: `matmul` on tensors (2-D and batched, numpy semantics), the raw
 * Float64Array `gemm`, and `matmulNaive` (the triple-loop oracle the tests compare against).
 * Both run the variant table of gemm.ts: `chooseGemm` picks the variant from the shape, the
 * `variant` option forces one.
 */
import { ShapeError } from '../errors.js';
import { broadcastShapes, checkShape, sizeOf, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { runGemm, type GemmBatch, type GemmVariant } from './gemm.js';

export {
  chooseGemm,
  gemmApplicable,
  gemmShape,
  GEMM_VARIANT_NAMES,
  type GemmBatch,
  type GemmShape,
  type GemmVariant,
} from './gemm.js';

/** Options of `matmul`: use the transpose of the last two axes of `a` / `b`; force a variant. */
export interface MatmulOptions {
  readonly transA?: boolean;
  readonly transB?: boolean;
  /** Run this variant of gemm.ts instead of the one `chooseGemm` picks (tests, benchmarks). */
  readonly variant?: GemmVariant;
}

/**
 * Raw general matrix multiply on row-major Float64Arrays: `C (+)= op(A)·op(B)`, where
 * `op(A)` is m×k (A stored k×m when `transA`), `op(B)` is k×n (B stored n×k when `transB`),
 * C is m×n; `lda`, `ldb`, `ldc` are the row strides of the stored matrices and `aOff`, `bOff`,
 * `cOff` their starting offsets, so submatrices and batch entries are addressed in place.
 * `accumulate` false overwrites C (NaN already in C does not leak), true adds into it.
 * `variant` forces an entry of the variant table (gemm.ts); by default `chooseGemm` picks one.
 * Transposes are handled by how operands are read or packed, never by copying.
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
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  A: Float64Array,
  aOff: number,
  lda: number,
  B: Float64Array,
  bOff: number,
  ldb: number,
  C: Float64Array,
  cOff: number,
  ldc: number,
  accumulate: boolean,
  variant?: GemmVariant,
): void {
  const g: GemmBatch = {
    transA,
    transB,
    m,
    n,
    k,
    A,
    aOffs: [aOff],
    lda,
    B,
    bOffs: [bOff],
    ldb,
    C,
    cOff,
    ldc,
    accumulate,
  };
  checkGemmArgs(g);
  runGemm('gemm', g, variant);
}

/** O(1) validation of the raw kernel's arguments: the last element of each operand must exist. */
function checkGemmArgs(g: GemmBatch): void {
  const { m, n, k, lda, ldb, cOff, ldc } = g,
    aOff = g.aOffs[0]!,
    bOff = g.bOffs[0]!;
  const all = [m, n, k, aOff, lda, bOff, ldb, cOff, ldc];
  if (!all.every((v) => Number.isSafeInteger(v) && v >= 0)) {
    throw new ShapeError(
      'gemm',
      `sizes, offsets and strides (m, n, k, aOff, lda, bOff, ldb, cOff, ldc) must be non-negative integers, got ${all.join(', ')}`,
    );
  }
  checkOperand('A', g.A, aOff, g.transA ? k : m, g.transA ? m : k, lda);
  checkOperand('B', g.B, bOff, g.transB ? n : k, g.transB ? k : n, ldb);
  checkOperand('C', g.C, cOff, m, n, ldc);
}

function checkOperand(what: string, buf: Float64Array, off: number, rows: number, cols: number, ld: number): void {
  if (rows === 0 || cols === 0) return;
  if (ld < cols || off + (rows - 1) * ld + cols > buf.length) {
    throw new ShapeError(
      'gemm',
      `${what} (${rows}×${cols} at offset ${off}, leading dimension ${ld}) does not fit its buffer of ${buf.length}`,
      [[rows, cols]],
    );
  }
}

/**
 * Matrix product with numpy `matmul` semantics on tensors of rank ≥ 2: the last two axes are
 * the matrices (transposed first when `transA`/`transB`), leading axes broadcast; the result is
 * a new contiguous tensor of shape `[...broadcast(batchA, batchB), m, n]`.
 *
 * All batch entries go to one variant call, reading each operand in place (broadcast entries
 * share storage); when only A is batched and not transposed the batch is folded into the rows:
 * (B, T, n)·(n, m) is one (B·T)×n by n×m product. Size-0 dimensions give empty results, k = 0
 * gives zeros (as numpy). Throws a ShapeError naming 'matmul' and both shapes on a mismatch
 * (inner dimensions, batch broadcasting, rank < 2: reshape 1-D vectors first), a ValueError when
 * a forced `variant` cannot run the shape.
 *
 * ```ts
 * matmul(x, w);                      // (B, T, n)·(n, m) → (B, T, m), one big product
 * matmul(q, k, { transB: true });    // (B, T, d)·(B, T, d)ᵀ → (B, T, T)
 * ```
 */
export function matmul(a: Tensor, b: Tensor, opts: MatmulOptions = {}): Tensor {
  const transA = opts.transA === true,
    transB = opts.transB === true;
  const { m, n, k, batch, outShape } = plan(a.shape, b.shape, transA, transB);
  const out = new Float64Array(sizeOf(outShape));
  if (out.length === 0) return { data: out, shape: outShape };
  const aBatch = a.shape.slice(0, -2),
    bBatch = b.shape.slice(0, -2);
  const lda = a.shape[a.shape.length - 1]!,
    ldb = b.shape[b.shape.length - 1]!;
  const nb = sizeOf(batch);
  const common = { transA, transB, n, k, A: a.data, lda, B: b.data, ldb, C: out, cOff: 0, ldc: n, accumulate: false };
  const fold = !transA && sizeOf(bBatch) === 1 && sizeOf(aBatch) === nb;
  const g: GemmBatch = fold
    ? { ...common, m: nb * m, aOffs: [0], bOffs: [0] }
    : {
        ...common,
        m,
        aOffs: batchOffsets(aBatch, batch, a.shape[a.shape.length - 2]! * lda),
        bOffs: batchOffsets(bBatch, batch, b.shape[b.shape.length - 2]! * ldb),
      };
  runGemm('matmul', g, opts.variant);
  return { data: out, shape: outShape };
}

/** The oracle: same contract as `matmul`, computed with the plain triple loop (`variant: 'naive'`). */
export function matmulNaive(a: Tensor, b: Tensor, opts: MatmulOptions = {}): Tensor {
  return matmul(a, b, { ...opts, variant: 'naive' });
}

interface Plan {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly batch: number[];
  readonly outShape: number[];
}

function plan(a: Shape, b: Shape, transA: boolean, transB: boolean): Plan {
  checkShape('matmul', a);
  checkShape('matmul', b);
  if (a.length < 2 || b.length < 2) {
    throw new ShapeError('matmul', 'operands must have at least 2 dimensions (reshape 1-D vectors first)', [a, b]);
  }
  const ar = a[a.length - 2]!,
    ac = a[a.length - 1]!;
  const br = b[b.length - 2]!,
    bc = b[b.length - 1]!;
  const m = transA ? ac : ar,
    ka = transA ? ar : ac;
  const kb = transB ? bc : br,
    n = transB ? br : bc;
  if (ka !== kb) {
    const ta = transA ? 'ᵀ' : '',
      tb = transB ? 'ᵀ' : '';
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

/**
 * Offset (in elements) of each broadcast batch entry's matrix inside an operand. A plain array
 * of small integers on purpose: offsets read from a Float64Array arrive as heap doubles and make
 * V8 deoptimise the kernels' integer index arithmetic into float arithmetic.
 */
function batchOffsets(own: Shape, target: Shape, matSize: number): number[] {
  const nb = sizeOf(target);
  const offs = new Array<number>(nb).fill(0);
  const d = target.length,
    pad = d - own.length;
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
