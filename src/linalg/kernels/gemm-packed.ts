/**
 * The `packed` variant: Goto/BLIS blocking in plain JavaScript around the asm.js micro-kernel.
 *
 * Structure (Goto & van de Geijn, "Anatomy of high-performance matrix multiplication",
 * ACM TOMS 34(3), 2008; BLIS, Van Zee & van de Geijn, ACM TOMS 41(3), 2015):
 *   for jc over n in steps of NC:              B block columns
 *     for pc over k in steps of KC:            pack op(B)[pc.., jc..] into NR-wide panels
 *       for ic over m in steps of MC:          pack op(A)[ic.., pc..] into MR-tall panels
 *         all MR×NR tiles of the block:        the micro-kernel `panels` (gemm-asm.ts)
 * The micro-kernel runs the k loop innermost over two contiguous packed panels, so every load is
 * sequential. Transposes are absorbed by the packing (it reads op(X) with swapped strides), never
 * by copying a whole operand. Edge panels are zero-padded; the kernel writes the padded block
 * into a staging block in the heap, whose valid part is then copied (or added) into C.
 */
import { asmHeap, asmHeapI32, asmKernels, unstage } from './gemm-asm.js';
import type { GemmBatch } from './gemm.js';

/** Micro-tile height (rows of C per micro-kernel tile). */
export const MR = 3;
/** Micro-tile width (columns of C per micro-kernel tile). */
export const NR = 4;
/** k-block: a KC×NR panel of B (8 KiB at KC = 256) stays in L1 during the micro-kernel sweep. */
export const KC = 256;
/** m-block: the packed MC×KC block of A (192 KiB) stays in L2. */
export const MC = 96; // multiple of MR
/** n-block: the packed KC×NC block of B (2 MiB) stays in L2/L3. */
export const NC = 1024;

/**
 * Packs rows [i0, i0+rows) × columns [p0, p0+kc) of a matrix M, M[i, p] = X[off + i·rs + p·cs],
 * into panels of w rows stored column by column: panel q holds, for p = 0..kc-1, the w values
 * M[i0+q·w+r, p0+p] contiguously, from dst[d] on; rows past the end are zero. op(A) is packed
 * with w = MR, op(B) as op(B)ᵀ with w = NR (so B panels hold NR columns per k step).
 */
function packPanels(
  X: Float64Array,
  off: number,
  rs: number,
  cs: number,
  i0: number,
  rows: number,
  p0: number,
  kc: number,
  w: number,
  dst: Float64Array,
  d: number,
): void {
  for (let ip = 0; ip < rows; ip += w, d += w * kc) {
    const valid = Math.min(w, rows - ip);
    for (let r = 0; r < w; r++) {
      const end = d + r + w * kc;
      if (r >= valid) {
        for (let o = d + r; o < end; o += w) dst[o] = 0;
        continue;
      }
      for (let o = d + r, q = off + (i0 + ip + r) * rs + p0 * cs; o < end; o += w, q += cs) dst[o] = X[q]!;
    }
  }
}

function roundUp(x: number, q: number): number {
  return Math.ceil(x / q) * q;
}

/**
 * The `packed` variant (contract of `GemmBatch`), one blocked product per entry. Heap layout:
 * the packed B block at 0 (KC·NC at most), then the packed A block (MC·KC), the C staging block
 * (MC·NC) and the one-entry offset table of `tiles`; 4 MiB hold them all.
 */
export function packed(g: GemmBatch): void {
  const { m, n, k, ldc } = g;
  const ncMax = Math.min(NC, roundUp(n, NR)),
    kcMax = Math.min(KC, k),
    mcMax = Math.min(MC, roundUp(m, MR));
  const aBase = ncMax * kcMax,
    sBase = aBase + mcMax * kcMax,
    tab = sBase + mcMax * ncMax;
  asmHeapI32[2 * tab] = aBase * 8;
  asmHeapI32[2 * tab + 1] = 0;
  // op(A)[i, p] = A[aOff + i·aRs + p·aCs]; op(B)ᵀ[j, p] = B[bOff + j·bCs + p·bRs].
  const aRs = g.transA ? 1 : g.lda,
    aCs = g.transA ? g.lda : 1;
  const bRs = g.transB ? 1 : g.ldb,
    bCs = g.transB ? g.ldb : 1;
  for (let t = 0; t < g.aOffs.length; t++) {
    const aOff = g.aOffs[t]!,
      bOff = g.bOffs[t]!,
      cOff = g.cOff + t * m * ldc;
    for (let jc = 0; jc < n; jc += NC) {
      const nc = Math.min(NC, n - jc),
        ncP = roundUp(nc, NR);
      for (let pc = 0; pc < k; pc += KC) {
        const kc = Math.min(KC, k - pc);
        const add = g.accumulate || pc > 0;
        packPanels(g.B, bOff, bCs, bRs, jc, nc, pc, kc, NR, asmHeap, 0);
        for (let ic = 0; ic < m; ic += MC) {
          const mc = Math.min(MC, m - ic);
          packPanels(g.A, aOff, aRs, aCs, ic, mc, pc, kc, MR, asmHeap, aBase);
          asmKernels.panels(kc, roundUp(mc, MR), ncP, aBase * 8, 0, sBase * 8);
          unstage(sBase, ncP, mc, nc, g.C, cOff + ic * ldc + jc, ldc, add);
        }
      }
    }
  }
}
