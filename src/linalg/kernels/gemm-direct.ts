/**
 * The unpacked variants: `direct` copies the operands into the asm.js heap as they are (one
 * memcpy each, no packing pass) and runs every batch entry in one call of the micro-kernel, which
 * reads op(A) and op(B) through their strides; `splitK` runs the KC-long k-blocks of one product
 * as such a batch and sums the partial products in block order.
 *
 * This is the path of the many small products of attention (e.g. 32 products 32×16·16×32),
 * where packing would cost a sizeable share of the work.
 */
import { asmHeap, asmHeapI32, asmKernels, unstage } from './gemm-asm.js';
import type { GemmBatch } from './gemm.js';
import { KC } from './gemm-packed.js';

/** First and one-past-last element read by the entries at `offs` of a rows×cols matrix, rows ld apart. */
export function operandSpan(offs: readonly number[], rows: number, cols: number, ld: number): [number, number] {
  let lo = Infinity,
    hi = 0;
  for (const o of offs) {
    lo = Math.min(lo, o);
    hi = Math.max(hi, o + (rows - 1) * ld + cols);
  }
  return offs.length === 0 || rows === 0 || cols === 0 ? [0, 0] : [lo, hi];
}

/**
 * Copies the spans of A and B that `g` reads into the heap, writes the offset table and runs
 * all entries through `tiles`; returns the heap index where C_0, C_1, … (each m×n, contiguous)
 * now are. The caller has checked that everything fits (`gemmApplicable`).
 */
function stage(g: GemmBatch): number {
  const { transA, transB, m, n, k, lda, ldb, aOffs, bOffs } = g;
  const nb = aOffs.length;
  const [a0, a1] = operandSpan(aOffs, transA ? k : m, transA ? m : k, lda);
  const [b0, b1] = operandSpan(bOffs, transB ? n : k, transB ? k : n, ldb);
  const bAt = a1 - a0,
    tabAt = bAt + b1 - b0,
    cAt = tabAt + nb;
  asmHeap.set(g.A.subarray(a0, a1), 0);
  asmHeap.set(g.B.subarray(b0, b1), bAt);
  for (let t = 0, i = 2 * tabAt; t < nb; t++, i += 2) {
    asmHeapI32[i] = (aOffs[t]! - a0) * 8;
    asmHeapI32[i + 1] = (bAt + bOffs[t]! - b0) * 8;
  }
  // op(A)[i, p] = A[i·aRs + p·aCs], op(B)[p, j] = B[p·bRs + j·bCs]; panels of 3 rows / 4 columns.
  const aRs = transA ? 1 : lda,
    aCs = transA ? lda : 1,
    bRs = transB ? 1 : ldb,
    bCs = transB ? ldb : 1;
  asmKernels.tiles(nb, m, n, k, 24 * aRs, 8 * aRs, 8 * aCs, 32 * bCs, 8 * bRs, 8 * bCs, tabAt * 8, cAt * 8, n * 8);
  return cAt;
}

/** The `direct` variant (contract of `GemmBatch`). */
export function direct(g: GemmBatch): void {
  const cAt = stage(g),
    rows = g.aOffs.length * g.m,
    n = g.n;
  // Entry t's row i is row t·m + i of C from cOff on: one contiguous block when ldc = n.
  if (!g.accumulate && g.ldc === n) g.C.set(asmHeap.subarray(cAt, cAt + rows * n), g.cOff);
  else unstage(cAt, n, rows, n, g.C, g.cOff, g.ldc, g.accumulate);
}

/**
 * The `splitK` variant, for one product with k = blocks·KC: block t reads op(A)[:, t·KC..] and
 * op(B)[t·KC.., :] in place, the partial products P_t are staged, then
 * C = ((C + P_0) + P_1) + … (C taken as 0 when not accumulating) — `packed`'s order (each block
 * summed in k order from zero, blocks added to C in turn), so the results are identical.
 */
export function splitK(g: GemmBatch): void {
  const { m, n, k, C, ldc } = g;
  const blocks = k / KC,
    mn = m * n;
  const aStep = g.transA ? KC * g.lda : KC,
    bStep = g.transB ? KC : KC * g.ldb;
  const aOffs: number[] = [],
    bOffs: number[] = [];
  for (let t = 0; t < blocks; t++) {
    aOffs.push(g.aOffs[0]! + t * aStep);
    bOffs.push(g.bOffs[0]! + t * bStep);
  }
  const at = stage({ ...g, k: KC, aOffs, bOffs });
  const P = asmHeap;
  for (let i = 0; i < m; i++) {
    for (let j = 0, c = g.cOff + i * ldc, q = at + i * n; j < n; j++, c++, q++) {
      let s = g.accumulate ? C[c]! + P[q]! : P[q]!;
      for (let t = 1, o = q + mn; t < blocks; t++, o += mn) s += P[o]!;
      C[c] = s;
    }
  }
}
