/**
 * The matmul variants as one table. Every variant computes a batch of products
 * `C_t (+)= op(A_t)·op(B_t)` described by one `GemmBatch`, and `chooseGemm`, a pure function of
 * the product's shape, picks one; `naive` is the oracle the tests compare every other entry with.
 *
 * - `naive`: the triple loop (i, j, p), k summed in order.
 * - `direct`: operands copied unpacked into the asm.js heap, every entry in one call of the 3×4
 *   micro-kernel (gemm-direct.ts). For products that fit the heap and whose B stays in L2.
 * - `packed`: Goto/BLIS blocking, op(A) and op(B) packed into panels, same micro-kernel
 *   (gemm-packed.ts; Goto & van de Geijn, ACM TOMS 34(3), 2008). Any size.
 * - `splitK`: one product with k a multiple of KC > KC, its k-blocks run as one `direct` batch and
 *   summed in block order (gemm-direct.ts): `packed`'s summation order, so equal bit for bit.
 *
 * Sums run in k order within each KC-long k-block (KC = 256), so every variant matches `naive`
 * to rounding (exactly, for k ≤ 256). The thresholds of `chooseGemm` come from interleaved
 * measurements on the benchmark machine (bench/RESULTS.md, "Matmul").
 */
import { ValueError } from '../errors.js';
import { ASM_HEAP_BYTES } from './gemm-asm.js';
import { direct, operandSpan, splitK } from './gemm-direct.js';
import { KC, packed } from './gemm-packed.js';

/**
 * A batch of products on row-major Float64Arrays: entry t computes C_t (+)= op(A_t)·op(B_t) with
 * op(A_t) m×k stored at `A[aOffs[t]..]` (k×m when `transA`), rows `lda` apart; op(B_t) k×n at
 * `B[bOffs[t]..]` (n×k when `transB`), rows `ldb` apart; C_t m×n at `C[cOff + t·m·ldc..]`, rows
 * `ldc` apart. `accumulate` false overwrites C_t (NaN already in C does not leak), true adds.
 */
export interface GemmBatch {
  readonly transA: boolean;
  readonly transB: boolean;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly A: Float64Array;
  readonly aOffs: readonly number[];
  readonly lda: number;
  readonly B: Float64Array;
  readonly bOffs: readonly number[];
  readonly ldb: number;
  readonly C: Float64Array;
  readonly cOff: number;
  readonly ldc: number;
  readonly accumulate: boolean;
}

/** Names of the variants (the keys of `GEMM_VARIANTS`). */
export const GEMM_VARIANT_NAMES = ['naive', 'direct', 'packed', 'splitK'] as const;
export type GemmVariant = (typeof GEMM_VARIANT_NAMES)[number];

/**
 * What the choice depends on: batch size, m, n, k and the number of elements of A and B that
 * the batch reads (from the first to one past the last element touched), which bound the heap
 * the `direct` and `splitK` variants copy them into.
 */
export interface GemmShape {
  readonly nb: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly aSpan: number;
  readonly bSpan: number;
}

/** Elements of the asm.js heap. */
const HEAP = ASM_HEAP_BYTES / 8;
/** op(B) size up to which `direct` runs a product unpacked (B, 128 KiB, stays in L2). */
const DIRECT_MAX_B = 16384;
/** C size beyond which a short-k product (k < 64) stays packed: `direct` stages C in the heap. */
const DIRECT_MAX_C = 65536;
/** op(B) size up to which thin products (m ≤ 8, k ≤ 16 or n ≤ 4) still run unpacked (L2). */
const THIN_MAX_B = 262144;

/** The `GemmShape` of a batch. */
export function gemmShape(g: GemmBatch): GemmShape {
  const [a0, a1] = operandSpan(g.aOffs, g.transA ? g.k : g.m, g.transA ? g.m : g.k, g.lda);
  const [b0, b1] = operandSpan(g.bOffs, g.transB ? g.n : g.k, g.transB ? g.k : g.n, g.ldb);
  return { nb: g.aOffs.length, m: g.m, n: g.n, k: g.k, aSpan: a1 - a0, bSpan: b1 - b0 };
}

/** Whether a variant can run a (non-empty) product of this shape: the heap variants need room. */
export function gemmApplicable(v: GemmVariant, s: GemmShape): boolean {
  const { nb, m, n, k, aSpan, bSpan } = s;
  if (v === 'direct') return aSpan + bSpan + nb + nb * m * n <= HEAP;
  if (v === 'splitK') {
    const blocks = k / KC;
    return nb === 1 && k > KC && Number.isInteger(blocks) && aSpan + bSpan + blocks + blocks * m * n <= HEAP;
  }
  return true;
}

/**
 * The variant `matmul` and `gemm` use by default for a non-empty product: `direct` when op(B) is
 * small (≤ 16384 elements) and C is small or k long enough to amortise staging it; `splitK` for a
 * single long-k product with small op(B) blocks and C (weight gradients Xᵀ·G over many rows);
 * `direct` again for thin products (m ≤ 8, k ≤ 16, n ≤ 4 or ≤ 4096 multiply-adds) whose op(B)
 * stays in L2; otherwise `packed`.
 */
export function chooseGemm(s: GemmShape): GemmVariant {
  const { nb, m, n, k } = s;
  if (k * n <= DIRECT_MAX_B && (nb * m * n <= DIRECT_MAX_C || k >= 64) && gemmApplicable('direct', s)) return 'direct';
  if (KC * n <= DIRECT_MAX_B && m * n <= DIRECT_MAX_B && gemmApplicable('splitK', s)) return 'splitK';
  const thin = m <= 8 || k <= 16 || n <= 4 || m * n * k <= 4096;
  if (thin && k * n <= THIN_MAX_B && gemmApplicable('direct', s)) return 'direct';
  return 'packed';
}

/** The triple loop: entry by entry, C_t[i, j] (+)= Σ_p op(A_t)[i, p]·op(B_t)[p, j], p in order. */
function naive(g: GemmBatch): void {
  const { m, n, k, A, B, C, ldc } = g;
  const aRs = g.transA ? 1 : g.lda,
    aCs = g.transA ? g.lda : 1;
  const bRs = g.transB ? 1 : g.ldb,
    bCs = g.transB ? g.ldb : 1;
  for (let t = 0; t < g.aOffs.length; t++) {
    const aOff = g.aOffs[t]!,
      bOff = g.bOffs[t]!,
      cOff = g.cOff + t * m * ldc;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += A[aOff + i * aRs + p * aCs]! * B[bOff + p * bRs + j * bCs]!;
        const c = cOff + i * ldc + j;
        C[c] = g.accumulate ? C[c]! + s : s;
      }
    }
  }
}

/** The variant table: every entry has the same contract (`GemmBatch`, m, n, k ≥ 1). */
export const GEMM_VARIANTS: Readonly<Record<GemmVariant, (g: GemmBatch) => void>> = { naive, direct, packed, splitK };

/**
 * Runs a batch with `variant` (default: `chooseGemm`). Empty products write nothing, k = 0
 * zeroes C (or leaves it, accumulating). Throws a ValueError naming `op`, before writing
 * anything, when an explicitly requested variant is unknown or cannot run this shape
 * (`gemmApplicable`).
 */
export function runGemm(op: string, g: GemmBatch, variant?: GemmVariant): void {
  const s = gemmShape(g);
  if (variant !== undefined) checkVariant(op, variant, s);
  const { m, n, k, aOffs } = g;
  if (m === 0 || n === 0 || aOffs.length === 0) return;
  if (k === 0) {
    if (!g.accumulate)
      for (let r = 0; r < aOffs.length * m; r++) g.C.fill(0, g.cOff + r * g.ldc, g.cOff + r * g.ldc + n);
    return;
  }
  GEMM_VARIANTS[variant ?? chooseGemm(s)](g);
}

function checkVariant(op: string, variant: GemmVariant, s: GemmShape): void {
  if (!Object.hasOwn(GEMM_VARIANTS, variant)) {
    throw new ValueError(op, `unknown variant '${String(variant)}' (${GEMM_VARIANT_NAMES.join(', ')})`);
  }
  if (!gemmApplicable(variant, s)) {
    const { nb, m, n, k } = s;
    throw new ValueError(
      op,
      `variant '${variant}' cannot run ${nb} product(s) of ${m}×${k}·${k}×${n} (asm heap or k-block constraint)`,
    );
  }
}
