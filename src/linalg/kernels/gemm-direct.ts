/**
 * Unpacked GEMM for small operands (everything fits in L1/L2): the same 3×4 register tile as
 * the packed kernel, but reading op(A) and op(B) in place through their strides, so there is no
 * packing pass. Edge tiles need no padding: a missing row/column re-reads the last valid one
 * (its offset collapses to the previous one) and is simply not written back.
 *
 * This is the fast path for the many tiny products of attention (e.g. a batch of 32 products
 * 32×16·16×32), where packing costs as much as a sixth of the work.
 */


/** Same contract as `gemm` (m, n, k ≥ 1 assumed by the caller). */
export function gemmDirect(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  A: Float64Array, aOff: number, lda: number,
  B: Float64Array, bOff: number, ldb: number,
  C: Float64Array, cOff: number, ldc: number, accumulate: boolean,
): void {
  // op(A)[i, p] = A[aOff + i·aRs + p·aCs], op(B)[p, j] = B[bOff + p·bRs + j·bCs]
  const aRs = transA ? 1 : lda, aCs = transA ? lda : 1;
  const bRs = transB ? 1 : ldb, bCs = transB ? ldb : 1;
  for (let i0 = 0; i0 < m; i0 += 3) {
    const rows = Math.min(3, m - i0);
    const ao1 = rows > 1 ? aRs : 0, ao2 = rows > 2 ? 2 * aRs : ao1;
    const aBase = aOff + i0 * aRs;
    for (let j0 = 0; j0 < n; j0 += 4) {
      const cols = Math.min(4, n - j0);
      const bo1 = cols > 1 ? bCs : 0, bo2 = cols > 2 ? 2 * bCs : bo1, bo3 = cols > 3 ? 3 * bCs : bo2;
      // Phase 1: k loop over the strided operands.
      let pa = aBase, pb = bOff + j0 * bCs;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
      for (let p = 0; p < k; p++) {
        const a0 = A[pa]!, a1 = A[pa + ao1]!, a2 = A[pa + ao2]!;
        const b0 = B[pb]!, b1 = B[pb + bo1]!, b2 = B[pb + bo2]!, b3 = B[pb + bo3]!;
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
        pa += aCs; pb += bRs;
      }
      // Phase 2: write-back (full tile fast path, else clipped through a small buffer).
      const r0 = cOff + i0 * ldc + j0;
      if (rows === 3 && cols === 4) {
        const r1 = r0 + ldc, r2 = r1 + ldc;
        if (accumulate) {
          C[r0] = C[r0]! + c00; C[r0 + 1] = C[r0 + 1]! + c01; C[r0 + 2] = C[r0 + 2]! + c02; C[r0 + 3] = C[r0 + 3]! + c03;
          C[r1] = C[r1]! + c10; C[r1 + 1] = C[r1 + 1]! + c11; C[r1 + 2] = C[r1 + 2]! + c12; C[r1 + 3] = C[r1 + 3]! + c13;
          C[r2] = C[r2]! + c20; C[r2 + 1] = C[r2 + 1]! + c21; C[r2 + 2] = C[r2 + 2]! + c22; C[r2 + 3] = C[r2 + 3]! + c23;
        } else {
          C[r0] = c00; C[r0 + 1] = c01; C[r0 + 2] = c02; C[r0 + 3] = c03;
          C[r1] = c10; C[r1 + 1] = c11; C[r1 + 2] = c12; C[r1 + 3] = c13;
          C[r2] = c20; C[r2 + 1] = c21; C[r2 + 2] = c22; C[r2 + 3] = c23;
        }
        continue;
      }
      // Edge tile: rows 0..rows-1, columns 0..cols-1 only.
      putRow(C, r0, cols, c00, c01, c02, c03, accumulate);
      if (rows > 1) putRow(C, r0 + ldc, cols, c10, c11, c12, c13, accumulate);
      if (rows > 2) putRow(C, r0 + 2 * ldc, cols, c20, c21, c22, c23, accumulate);
    }
  }
}

/** Writes (or adds) the first `cols` of four values at C[at..]. */
function putRow(C: Float64Array, at: number, cols: number, v0: number, v1: number, v2: number, v3: number, add: boolean): void {
  if (add) {
    C[at] = C[at]! + v0;
    if (cols > 1) C[at + 1] = C[at + 1]! + v1;
    if (cols > 2) C[at + 2] = C[at + 2]! + v2;
    if (cols > 3) C[at + 3] = C[at + 3]! + v3;
  } else {
    C[at] = v0;
    if (cols > 1) C[at + 1] = v1;
    if (cols > 2) C[at + 2] = v2;
    if (cols > 3) C[at + 3] = v3;
  }
}
