/**
 * The GEMM micro-kernel in the asm.js subset of JavaScript: a 3×4 register tile of C accumulated
 * over k. `tiles` reads the operands through strides and serves `direct` and `splitK` (operands
 * copied unpacked into the heap, gemm-direct.ts); `panels` is the same tile specialised to packed
 * panels at constant offsets, for `packed` (gemm-packed.ts).
 *
 * Why asm.js: in plain JS every typed-array load pays a map check, an overflow check on the index
 * addition and a bounds check; V8 validates asm.js modules and compiles them ahead of time through
 * its WebAssembly pipeline, where integer indices wrap (`| 0`) and the heap is guarded by virtual
 * memory (bench/RESULTS.md, "Matmul", has the numbers). Why 3×4: 12 accumulators and 7 operands
 * spill the least of V8's 16 SSE registers (Goto & van de Geijn, ACM TOMS 34(3), 2008, §6).
 *
 * It is still plain JavaScript with JavaScript semantics (float64 arithmetic, identical results):
 * an engine that does not validate asm.js simply runs it as ordinary code. No eval, no
 * WebAssembly binary, no native code. The module must stay inside the asm.js subset: `var`
 * only, `| 0` / unary `+` coercions, heap accesses `F64[byteIndex >> 3]`, stdlib imports first.
 * V8 prints "Invalid asm.js" on stderr otherwise (and still runs it, as plain JS):
 * test/linalg/matmul.test.ts loads the compiled module in a child process and fails on that
 * warning. Double locals are declared with 0.5 and reset from an imported ZERO because
 * transpilers (esbuild in vitest) print `0.0` as `0`, an int to asm.js.
 * References: asm.js spec, Herman, Wagner & Zakai 2014 (http://asmjs.org/spec/latest/).
 */

/** The slice of the global object an asm.js module may import. */
interface AsmStdlib {
  readonly Float64Array: Float64ArrayConstructor;
  readonly Int32Array: Int32ArrayConstructor;
  readonly Math: Math;
}

/** Exports of the asm.js module. */
interface AsmKernels {
  /**
   * nb products C_t = op(A_t)·op(B_t) (m×n, inner size k), all offsets and strides in bytes:
   * op(A)[i, p] at aOff_t + ⌊i/3⌋·aPs + (i mod 3)·aRs + p·aCs and
   * op(B)[p, j] at bOff_t + ⌊j/4⌋·bPs + (j mod 4)·bCs + p·bRs — row/column panels of 3 and 4, so
   * one kernel reads both unpacked operands (aPs = 3·aRs, bPs = 4·bCs) and packed panels;
   * (aOff_t, bOff_t) are int32 pairs at byte `tab`; C_t is written (not added) at cB + t·m·ldc,
   * rows ldc bytes apart. Tile rows/columns past m/n re-read the last valid one and are not stored.
   */
  tiles(
    nb: number,
    m: number,
    n: number,
    k: number,
    aPs: number,
    aRs: number,
    aCs: number,
    bPs: number,
    bRs: number,
    bCs: number,
    tab: number,
    cB: number,
    ldc: number,
  ): void;
  /**
   * `tiles` specialised to packed blocks: C[cB] (mc×nc, row stride nc) = A block (mc×kc, 3-row
   * panels at aB) · B block (kc×nc, 4-column panels at bB); mc, nc multiples of 3 and 4.
   */
  panels(kc: number, mc: number, nc: number, aB: number, bB: number, cB: number): void;
}

// The asm.js module. Every line below is part of the validated subset: keep it that way.
// biome-ignore format: the 3×4 tile is laid out as a grid, one row of C per line
function asmModule(stdlib: AsmStdlib, foreign: { readonly zero: number }, heap: ArrayBuffer): AsmKernels {
  "use asm";
  var F64 = new stdlib.Float64Array(heap);
  var I32 = new stdlib.Int32Array(heap);
  var imul = stdlib.Math.imul;
  var ZERO = +foreign.zero;
  function tilesKernel(
    nb: number, m: number, n: number, k: number, aPs: number, aRs: number, aCs: number,
    bPs: number, bRs: number, bCs: number, tab: number, cB: number, ldc: number,
  ): void {
    nb = nb | 0; m = m | 0; n = n | 0; k = k | 0; aPs = aPs | 0; aRs = aRs | 0; aCs = aCs | 0;
    bPs = bPs | 0; bRs = bRs | 0; bCs = bCs | 0; tab = tab | 0; cB = cB | 0; ldc = ldc | 0;
    var t = 0, i0 = 0, j0 = 0, kA = 0, paEnd = 0, rows = 0, cols = 0, aBase = 0, aPan = 0, bPan = 0, pa = 0, pb = 0;
    var ao1 = 0, ao2 = 0, bo1 = 0, bo2 = 0, bo3 = 0, ci = 0, cMat = 0;
    var a0 = 0.5, a1 = 0.5, a2 = 0.5, b0 = 0.5, b1 = 0.5, b2 = 0.5, b3 = 0.5;
    var c00 = 0.5, c01 = 0.5, c02 = 0.5, c03 = 0.5, c10 = 0.5, c11 = 0.5, c12 = 0.5, c13 = 0.5;
    var c20 = 0.5, c21 = 0.5, c22 = 0.5, c23 = 0.5;
    kA = imul(k, aCs) | 0;
    for (t = 0; (t | 0) < (nb | 0); t = (t + 1) | 0) {
      aBase = I32[(tab + (t << 3)) >> 2]! | 0;
      bPan = I32[(tab + (t << 3) + 4) >> 2]! | 0;
      cMat = (cB + (imul(imul(t, m) | 0, ldc) | 0)) | 0;
      // Column panels outer, row panels inner: a packed B panel stays in L1 (Goto's loop order).
      for (j0 = 0; (j0 | 0) < (n | 0); j0 = (j0 + 4) | 0) {
        cols = (n - j0) | 0;
        bo1 = (cols | 0) > 1 ? bCs : 0;
        bo2 = (cols | 0) > 2 ? (bCs << 1) : bo1;
        bo3 = (cols | 0) > 3 ? (imul(bCs, 3) | 0) : bo2;
        aPan = aBase;
        for (i0 = 0; (i0 | 0) < (m | 0); i0 = (i0 + 3) | 0) {
          rows = (m - i0) | 0;
          ao1 = (rows | 0) > 1 ? aRs : 0;
          ao2 = (rows | 0) > 2 ? (aRs << 1) : ao1;
          pa = aPan;
          pb = bPan;
          c00 = ZERO; c01 = ZERO; c02 = ZERO; c03 = ZERO;
          c10 = ZERO; c11 = ZERO; c12 = ZERO; c13 = ZERO;
          c20 = ZERO; c21 = ZERO; c22 = ZERO; c23 = ZERO;
          // The k loop runs on the A pointer alone (aCs ≥ 8): fewer live integers, fewer spills.
          for (paEnd = (pa + kA) | 0; (pa | 0) < (paEnd | 0); pa = (pa + aCs) | 0) {
            a0 = +F64[pa >> 3]!; a1 = +F64[(pa + ao1) >> 3]!; a2 = +F64[(pa + ao2) >> 3]!;
            b0 = +F64[pb >> 3]!; b1 = +F64[(pb + bo1) >> 3]!; b2 = +F64[(pb + bo2) >> 3]!; b3 = +F64[(pb + bo3) >> 3]!;
            c00 = c00 + a0 * b0; c01 = c01 + a0 * b1; c02 = c02 + a0 * b2; c03 = c03 + a0 * b3;
            c10 = c10 + a1 * b0; c11 = c11 + a1 * b1; c12 = c12 + a1 * b2; c13 = c13 + a1 * b3;
            c20 = c20 + a2 * b0; c21 = c21 + a2 * b1; c22 = c22 + a2 * b2; c23 = c23 + a2 * b3;
            pb = (pb + bRs) | 0;
          }
          ci = (cMat + ((imul(i0, ldc) | 0) + (j0 << 3))) | 0;
          if ((rows | 0) > 2) if ((cols | 0) > 3) {
            // Full tile (every tile of a packed block): no per-element conditions.
            F64[ci >> 3] = c00; F64[(ci + 8) >> 3] = c01; F64[(ci + 16) >> 3] = c02; F64[(ci + 24) >> 3] = c03;
            ci = (ci + ldc) | 0;
            F64[ci >> 3] = c10; F64[(ci + 8) >> 3] = c11; F64[(ci + 16) >> 3] = c12; F64[(ci + 24) >> 3] = c13;
            ci = (ci + ldc) | 0;
            F64[ci >> 3] = c20; F64[(ci + 8) >> 3] = c21; F64[(ci + 16) >> 3] = c22; F64[(ci + 24) >> 3] = c23;
            aPan = (aPan + aPs) | 0;
            continue;
          }
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
          aPan = (aPan + aPs) | 0;
        }
        bPan = (bPan + bPs) | 0;
      }
    }
  }
  // The packed specialisation of the same tile: panels of exactly 3 rows / 4 columns at constant
  // offsets, full tiles only. Deliberate: the general kernel's variable offsets cost the packed path
  // 3–25% (bench/RESULTS.md, "Refactor A/B").
  function sweepBlock(kc: number, mc: number, nc: number, aB: number, bB: number, cB: number): void {
    kc = kc | 0; mc = mc | 0; nc = nc | 0; aB = aB | 0; bB = bB | 0; cB = cB | 0;
    var jr = 0, ir = 0, p = 0, ai = 0, bi = 0, ci = 0, ldc = 0;
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
  // Distinct names: a transpiler may print `{ tiles: tiles }` as `{ tiles }`, which asm.js rejects.
  return { tiles: tilesKernel, panels: sweepBlock };
}

/** Heap of the asm.js module (a power of two, as asm.js requires): operands, packed blocks, C staging. */
export const ASM_HEAP_BYTES = 1 << 22;
const heap = new ArrayBuffer(ASM_HEAP_BYTES);
/** Float64 view of the heap: callers copy or pack operands here and read C back. */
export const asmHeap = new Float64Array(heap);
/** Int32 view of the heap (the per-entry offset table of `tiles`). */
export const asmHeapI32 = new Int32Array(heap);
/** The linked kernels (asm.js-compiled by V8; ordinary JS elsewhere). */
export const asmKernels: AsmKernels = asmModule(globalThis, { zero: 0 }, heap);

/**
 * Copies (or adds, when `add`) rows×cols of a row-major block staged in the heap at element
 * `src` (rows ldS apart) into C at `c0` (rows ldc apart).
 */
export function unstage(
  src: number,
  ldS: number,
  rows: number,
  cols: number,
  C: Float64Array,
  c0: number,
  ldc: number,
  add: boolean,
): void {
  const P = asmHeap;
  for (let i = 0; i < rows; i++) {
    const s = src + i * ldS,
      c = c0 + i * ldc;
    if (add) for (let j = 0; j < cols; j++) C[c + j] = C[c + j]! + P[s + j]!;
    else for (let j = 0; j < cols; j++) C[c + j] = P[s + j]!;
  }
}
