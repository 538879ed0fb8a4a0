/**
 * The two hot loops of the GEMM written in the asm.js subset of JavaScript: the packed
 * micro-kernel sweep (used by gemm-packed.ts) and an unpacked kernel that runs a whole batch of
 * small products in one call (used by `matmul` for attention-sized products).
 *
 * Why: in plain JS every typed-array load pays a map check, an overflow check on the index
 * addition and a bounds check (see gemm-packed.ts); V8 validates asm.js modules and compiles them
 * ahead of time through its WebAssembly pipeline, where integer indices wrap (`| 0`) and the heap
 * is guarded by virtual memory, so the same 3×4 register tile runs ~20–35% faster (measured on the
 * benchmark machine: 8.1 vs 6.7 GF/s at k = 256, 7.6 vs 5.6 GF/s at k = 16).
 *
 * It is still plain JavaScript with JavaScript semantics (float64 arithmetic, identical results):
 * an engine that does not validate asm.js simply runs it as ordinary code. No eval, no
 * WebAssembly binary, no native code. The module must stay inside the asm.js subset: `var`
 * only, `| 0` / unary `+` coercions, heap accesses `F64[byteIndex >> 3]`, stdlib imports first. V8 prints "Invalid asm.js" on stderr otherwise
 * (and still runs it, as plain JS): test/linalg/matmul.test.ts loads the compiled module in a
 * child process and fails on that warning. Double locals are declared with 0.5 and reset from an
 * imported ZERO because transpilers (esbuild in vitest) print `0.0` as `0`, an int to asm.js.
 * References: asm.js spec, Herman, Wagner & Zakai 2014 (http://asmjs.org/spec/latest/).
 *
 * Legend: kc depth of the packed panels; mc, nc block sizes (multiples of 3 and 4); aB, bB, cB
 * byte offsets in the heap of the packed A block (3-row panels), packed B block (4-column panels)
 * and the row-major C staging block (row stride nc).
 */

/** The slice of the global object an asm.js module may import. */
interface AsmStdlib {
  readonly Float64Array: Float64ArrayConstructor;
  readonly Int32Array: Int32ArrayConstructor;
  readonly Math: Math;
}

/** Exports of the asm.js module. */
interface AsmKernels {
  /** C[cB] block (mc×nc, row stride nc) = A block (mc×kc, 3-row panels) · B block (kc×nc, 4-column panels). */
  sweep(kc: number, mc: number, nc: number, aB: number, bB: number, cB: number): void;
  /**
   * nb small products C_t = op(A_t)·op(B_t), unpacked: op(A)[i, p] at byte aOff_t + i·aRs + p·aCs,
   * op(B)[p, j] at bOff_t + p·bRs + j·bCs (strides in bytes), (aOff_t, bOff_t) read as int32 pairs
   * at byte `tab`; C_t row-major m×n at cB + t·m·n·8.
   */
  batch(nb: number, m: number, n: number, k: number, aRs: number, aCs: number, bRs: number, bCs: number, tab: number, cB: number): void;
}

// The asm.js module. Every line below is part of the validated subset: keep it that way.
function asmModule(stdlib: AsmStdlib, foreign: { readonly zero: number }, heap: ArrayBuffer): AsmKernels {
  "use asm";
  var F64 = new stdlib.Float64Array(heap);
  var I32 = new stdlib.Int32Array(heap);
  var imul = stdlib.Math.imul;
  var ZERO = +foreign.zero;
  function sweepBlock(kc: number, mc: number, nc: number, aB: number, bB: number, cB: number): void {
    kc = kc | 0; mc = mc | 0; nc = nc | 0; aB = aB | 0; bB = bB | 0; cB = cB | 0;
    var jr = 0, ir = 0, p = 0, ai = 0, bi = 0, ci = 0, ldc = 0;
    // Double locals are declared with a literal that stays non-integral however a transpiler
    // prints it (0.0 may become 0, which asm.js would type as int); they are reset from ZERO.
    var a0 = 0.5, a1 = 0.5, a2 = 0.5, b0 = 0.5, b1 = 0.5, b2 = 0.5, b3 = 0.5;
    var c00 = 0.5, c01 = 0.5, c02 = 0.5, c03 = 0.5, c10 = 0.5, c11 = 0.5, c12 = 0.5, c13 = 0.5;
    var c20 = 0.5, c21 = 0.5, c22 = 0.5, c23 = 0.5;
    ldc = nc << 3;
    for (jr = 0; (jr | 0) < (nc | 0); jr = (jr + 4) | 0) {
      for (ir = 0; (ir | 0) < (mc | 0); ir = (ir + 3) | 0) {
        ai = (aB + ((imul(ir, kc) | 0) << 3)) | 0;
        bi = (bB + ((imul(jr, kc) | 0) << 3)) | 0;
        c00 = ZERO; c01 = ZERO; c02 = ZERO; c03 = ZERO;
        c10 = ZERO; c11 = ZERO; c12 = ZERO; c13 = ZERO;
        c20 = ZERO; c21 = ZERO; c22 = ZERO; c23 = ZERO;
        for (p = 0; (p | 0) < (kc | 0); p = (p + 1) | 0) {
          a0 = +F64[ai >> 3]!; a1 = +F64[(ai + 8) >> 3]!; a2 = +F64[(ai + 16) >> 3]!;
          b0 = +F64[bi >> 3]!; b1 = +F64[(bi + 8) >> 3]!; b2 = +F64[(bi + 16) >> 3]!; b3 = +F64[(bi + 24) >> 3]!;
          c00 = c00 + a0 * b0; c01 = c01 + a0 * b1; c02 = c02 + a0 * b2; c03 = c03 + a0 * b3;
          c10 = c10 + a1 * b0; c11 = c11 + a1 * b1; c12 = c12 + a1 * b2; c13 = c13 + a1 * b3;
          c20 = c20 + a2 * b0; c21 = c21 + a2 * b1; c22 = c22 + a2 * b2; c23 = c23 + a2 * b3;
          ai = (ai + 24) | 0; bi = (bi + 32) | 0;
        }
        ci = (cB + (((imul(ir, nc) | 0) + jr) << 3)) | 0;
        F64[ci >> 3] = c00; F64[(ci + 8) >> 3] = c01; F64[(ci + 16) >> 3] = c02; F64[(ci + 24) >> 3] = c03;
        ci = (ci + ldc) | 0;
        F64[ci >> 3] = c10; F64[(ci + 8) >> 3] = c11; F64[(ci + 16) >> 3] = c12; F64[(ci + 24) >> 3] = c13;
        ci = (ci + ldc) | 0;
        F64[ci >> 3] = c20; F64[(ci + 8) >> 3] = c21; F64[(ci + 16) >> 3] = c22; F64[(ci + 24) >> 3] = c23;
      }
    }
  }
  function batchDirect(nb: number, m: number, n: number, k: number, aRs: number, aCs: number, bRs: number, bCs: number, tab: number, cB: number): void {
    nb = nb | 0; m = m | 0; n = n | 0; k = k | 0; aRs = aRs | 0; aCs = aCs | 0; bRs = bRs | 0; bCs = bCs | 0;
    tab = tab | 0; cB = cB | 0;
    var t = 0, i0 = 0, j0 = 0, p = 0, rows = 0, cols = 0, aBase = 0, bBase = 0, pa = 0, pb = 0;
    var ao1 = 0, ao2 = 0, bo1 = 0, bo2 = 0, bo3 = 0, ci = 0, ldc = 0, cMat = 0;
    var a0 = 0.5, a1 = 0.5, a2 = 0.5, b0 = 0.5, b1 = 0.5, b2 = 0.5, b3 = 0.5;
    var c00 = 0.5, c01 = 0.5, c02 = 0.5, c03 = 0.5, c10 = 0.5, c11 = 0.5, c12 = 0.5, c13 = 0.5;
    var c20 = 0.5, c21 = 0.5, c22 = 0.5, c23 = 0.5;
    ldc = n << 3;
    for (t = 0; (t | 0) < (nb | 0); t = (t + 1) | 0) {
      aBase = I32[(tab + (t << 3)) >> 2]! | 0;
      bBase = I32[(tab + (t << 3) + 4) >> 2]! | 0;
      cMat = (cB + ((imul(imul(t, m) | 0, n) | 0) << 3)) | 0;
      for (i0 = 0; (i0 | 0) < (m | 0); i0 = (i0 + 3) | 0) {
        // Rows past the edge re-read the last valid row (offset collapses) and are not stored.
        rows = (m - i0) | 0;
        ao1 = (rows | 0) > 1 ? aRs : 0;
        ao2 = (rows | 0) > 2 ? (aRs << 1) : ao1;
        for (j0 = 0; (j0 | 0) < (n | 0); j0 = (j0 + 4) | 0) {
          cols = (n - j0) | 0;
          bo1 = (cols | 0) > 1 ? bCs : 0;
          bo2 = (cols | 0) > 2 ? (bCs << 1) : bo1;
          bo3 = (cols | 0) > 3 ? (imul(bCs, 3) | 0) : bo2;
          pa = (aBase + (imul(i0, aRs) | 0)) | 0;
          pb = (bBase + (imul(j0, bCs) | 0)) | 0;
          c00 = ZERO; c01 = ZERO; c02 = ZERO; c03 = ZERO;
          c10 = ZERO; c11 = ZERO; c12 = ZERO; c13 = ZERO;
          c20 = ZERO; c21 = ZERO; c22 = ZERO; c23 = ZERO;
          for (p = 0; (p | 0) < (k | 0); p = (p + 1) | 0) {
            a0 = +F64[pa >> 3]!; a1 = +F64[(pa + ao1) >> 3]!; a2 = +F64[(pa + ao2) >> 3]!;
            b0 = +F64[pb >> 3]!; b1 = +F64[(pb + bo1) >> 3]!; b2 = +F64[(pb + bo2) >> 3]!; b3 = +F64[(pb + bo3) >> 3]!;
            c00 = c00 + a0 * b0; c01 = c01 + a0 * b1; c02 = c02 + a0 * b2; c03 = c03 + a0 * b3;
            c10 = c10 + a1 * b0; c11 = c11 + a1 * b1; c12 = c12 + a1 * b2; c13 = c13 + a1 * b3;
            c20 = c20 + a2 * b0; c21 = c21 + a2 * b1; c22 = c22 + a2 * b2; c23 = c23 + a2 * b3;
            pa = (pa + aCs) | 0; pb = (pb + bRs) | 0;
          }
          ci = (cMat + (((imul(i0, n) | 0) + j0) << 3)) | 0;
          F64[ci >> 3] = c00;
          if ((cols | 0) > 1) F64[(ci + 8) >> 3] = c01;
          if ((cols | 0) > 2) F64[(ci + 16) >> 3] = c02;
          if ((cols | 0) > 3) F64[(ci + 24) >> 3] = c03;
          if ((rows | 0) > 1) {
            ci = (ci + ldc) | 0;
            F64[ci >> 3] = c10;
            if ((cols | 0) > 1) F64[(ci + 8) >> 3] = c11;
            if ((cols | 0) > 2) F64[(ci + 16) >> 3] = c12;
            if ((cols | 0) > 3) F64[(ci + 24) >> 3] = c13;
          }
          if ((rows | 0) > 2) {
            ci = (ci + ldc) | 0;
            F64[ci >> 3] = c20;
            if ((cols | 0) > 1) F64[(ci + 8) >> 3] = c21;
            if ((cols | 0) > 2) F64[(ci + 16) >> 3] = c22;
            if ((cols | 0) > 3) F64[(ci + 24) >> 3] = c23;
          }
        }
      }
    }
  }
  return { sweep: sweepBlock, batch: batchDirect };
}

/** Heap of the asm.js module (a power of two, as asm.js requires): packed blocks and C staging. */
export const ASM_HEAP_BYTES = 1 << 22;
const heap = new ArrayBuffer(ASM_HEAP_BYTES);
/** Float64 view of the heap: the packing routines write the operands here. */
export const asmHeap = new Float64Array(heap);
/** The linked kernels (asm.js-compiled by V8; ordinary JS elsewhere). */
export const asmKernels: AsmKernels = asmModule(globalThis, { zero: 0 }, heap);

/** Int32 view of the heap (the batch kernel's offset table). */
const asmI32 = new Int32Array(heap);

/**
 * Batched small products through the asm.js `batch` kernel: copies A and B whole into the heap
 * (TypedArray.set, i.e. memcpy), writes the per-entry offsets table, runs all products in one
 * call and copies C out. Returns false (doing nothing) when the operands do not fit the heap.
 * `aOffs`/`bOffs` are element offsets of each entry's matrix in `A`/`B` (broadcast entries repeat).
 */
export function batchSmallAsm(
  transA: boolean, transB: boolean, nb: number, m: number, n: number, k: number,
  A: Float64Array, aOffs: readonly number[], lda: number, B: Float64Array, bOffs: readonly number[], ldb: number,
  C: Float64Array,
): boolean {
  const bAt = A.length, cAt = bAt + B.length, tabAt = cAt + C.length;
  if (tabAt + nb > asmHeap.length) return false;
  asmHeap.set(A, 0);
  asmHeap.set(B, bAt);
  const tab = tabAt * 2; // int32 index of the table
  for (let t = 0; t < nb; t++) {
    asmI32[tab + 2 * t] = aOffs[t]! * 8;
    asmI32[tab + 2 * t + 1] = (bAt + bOffs[t]!) * 8;
  }
  const aRs = transA ? 1 : lda, aCs = transA ? lda : 1, bRs = transB ? 1 : ldb, bCs = transB ? ldb : 1;
  asmKernels.batch(nb, m, n, k, aRs * 8, aCs * 8, bRs * 8, bCs * 8, tabAt * 8, cAt * 8);
  C.set(asmHeap.subarray(cAt, cAt + C.length));
  return true;
}
