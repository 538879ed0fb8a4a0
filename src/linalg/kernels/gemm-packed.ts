/**
 * The fast float64 GEMM: Goto/BLIS-style blocking in plain JavaScript.
 *
 * Structure (Goto & van de Geijn, "Anatomy of high-performance matrix multiplication",
 * ACM TOMS 34(3), 2008; BLIS, Van Zee & van de Geijn, ACM TOMS 41(3), 2015):
 *   for jc over n in steps of NC:              B block columns
 *     for pc over k in steps of KC:            pack op(B)[pc.., jc..] into NR-wide panels
 *       for ic over m in steps of MC:          pack op(A)[ic.., pc..] into MR-tall panels
 *         for each NR panel of B, each MR panel of A: the MR×NR register micro-kernel
 * The micro-kernel keeps a 3×4 tile of C in 12 local scalars (V8 keeps them in registers or
 * L1 spill slots) and runs the k loop innermost over two contiguous packed panels, so every
 * load is sequential. Transposes are absorbed by the packing routines (they read op(X) with
 * swapped strides), never by copying a whole operand. Edge tiles are zero-padded in the packed
 * panels and clipped on write-back. The sweep over one packed block runs in asm.js by default
 * (gemm-asm.ts: same tile, same summation order, ~15% faster) into a staging block that is then
 * copied (or added) into C; `sweep` below is the plain-JS version of the same loop nest.
 *
 * Measured micro-kernel shapes in V8 (GF/s, k = 256, plain JS): 3×4 ≈ 7.0, 4×3 ≈ 7.0,
 * 4×4 ≈ 6.5, 2×4 ≈ 5.7, 4×8 ≈ 6.2: with 16 SSE registers, 12 accumulators + 7 operands spill
 * least per flop. Unrolling the k loop made it slower.
 */

import { asmHeap, asmKernels } from './gemm-asm.js';

/** Micro-tile height (rows of C per micro-kernel call). */
export const MR = 3;
/** Micro-tile width (columns of C per micro-kernel call). */
export const NR = 4;
/** k-block: a KC×NR panel of B (8 KiB at KC = 256) stays in L1 during the micro-kernel sweep. */
export const KC = 256;
/** m-block: the packed MC×KC block of A (192 KiB) stays in L2. */
export const MC = 96; // multiple of MR
/** n-block: the packed KC×NC block of B (2 MiB) stays in L2/L3. */
export const NC = 1024;

/**
 * Both packed blocks (B block first, then the A block, then the asm kernel's C staging block) live
 * in the asm.js heap (gemm-asm.ts): the asm sweep can only read its heap, and the JS sweep reads a
 * single typed array (one map/length check per k step instead of two). KC·NC + MC·KC + MC·NC
 * doubles fit the 4 MiB heap.
 */
const P: Float64Array = asmHeap;

let useAsm = true;
/** Test/benchmark hook: run the packed path's sweep in asm.js (default) or plain JS. Returns the previous setting. */
export function setAsmSweep(on: boolean): boolean {
  const old = useAsm;
  useAsm = on;
  return old;
}

/**
 * Packs op(A)[i0 : i0+mc, p0 : p0+kc] into MR-row panels: panel ip holds, for p = 0..kc-1,
 * the MR values op(A)[i0+ip·MR+r, p0+p] contiguously; rows past mc are zero.
 */
function packPanelsA(
  transA: boolean, A: Float64Array, aOff: number, lda: number,
  i0: number, mc: number, p0: number, kc: number, dst: Float64Array, dOff: number,
): void {
  // op(A)[i, p] = A[aOff + i·rs + p·cs]
  const rs = transA ? 1 : lda, cs = transA ? lda : 1;
  let d = dOff;
  for (let ip = 0; ip < mc; ip += MR) {
    const rows = Math.min(MR, mc - ip);
    const base = aOff + (i0 + ip) * rs + p0 * cs;
    if (rows === MR) {
      const r1 = base + rs, r2 = base + 2 * rs;
      for (let p = 0, o = 0; p < kc; p++, o += cs) {
        dst[d] = A[base + o]!;
        dst[d + 1] = A[r1 + o]!;
        dst[d + 2] = A[r2 + o]!;
        d += MR;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let r = 0; r < MR; r++) dst[d + r] = r < rows ? A[base + r * rs + p * cs]! : 0;
        d += MR;
      }
    }
  }
}

/**
 * Packs op(B)[p0 : p0+kc, j0 : j0+nc] into NR-column panels: panel jp holds, for p = 0..kc-1,
 * the NR values op(B)[p0+p, j0+jp·NR+c] contiguously; columns past nc are zero.
 */
function packPanelsB(
  transB: boolean, B: Float64Array, bOff: number, ldb: number,
  p0: number, kc: number, j0: number, nc: number, dst: Float64Array,
): void {
  // op(B)[p, j] = B[bOff + p·rs + j·cs]
  const rs = transB ? 1 : ldb, cs = transB ? ldb : 1;
  let d = 0;
  for (let jp = 0; jp < nc; jp += NR) {
    const cols = Math.min(NR, nc - jp);
    const base = bOff + p0 * rs + (j0 + jp) * cs;
    if (cols === NR) {
      const c1 = base + cs, c2 = base + 2 * cs, c3 = base + 3 * cs;
      for (let p = 0, o = 0; p < kc; p++, o += rs) {
        dst[d] = B[base + o]!;
        dst[d + 1] = B[c1 + o]!;
        dst[d + 2] = B[c2 + o]!;
        dst[d + 3] = B[c3 + o]!;
        d += NR;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let c = 0; c < NR; c++) dst[d + c] = c < cols ? B[base + p * rs + c * cs]! : 0;
        d += NR;
      }
    }
  }
}

/**
 * The 3×4 micro-kernel: C[ci.., ..] (+)= Ap-panel · Bp-panel over kc steps, writing only the
 * first `rows`×`cols` entries (edge tiles). `add` false overwrites C.
 * 3×4 (12 accumulators + 7 operands) measured ~8% faster than 4×4 in V8 on this machine:
 * fewer spills of the 16 SSE registers V8 allocates.
 */
function micro3x4(
  kc: number, Ap: Float64Array, ai: number, Bp: Float64Array, bi: number,
  C: Float64Array, ci: number, ldc: number, rows: number, cols: number, add: boolean,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  // Phase 1: the k loop over two contiguous panels.
  for (let p = 0; p < kc; p++) {
    const a0 = Ap[ai]!, a1 = Ap[ai + 1]!, a2 = Ap[ai + 2]!;
    const b0 = Bp[bi]!, b1 = Bp[bi + 1]!, b2 = Bp[bi + 2]!, b3 = Bp[bi + 3]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    ai += 3; bi += 4;
  }
  // Phase 2: write-back, fast path for a full tile.
  if (rows === 3 && cols === 4) {
    const r1 = ci + ldc, r2 = r1 + ldc;
    if (add) {
      C[ci] = C[ci]! + c00; C[ci + 1] = C[ci + 1]! + c01; C[ci + 2] = C[ci + 2]! + c02; C[ci + 3] = C[ci + 3]! + c03;
      C[r1] = C[r1]! + c10; C[r1 + 1] = C[r1 + 1]! + c11; C[r1 + 2] = C[r1 + 2]! + c12; C[r1 + 3] = C[r1 + 3]! + c13;
      C[r2] = C[r2]! + c20; C[r2 + 1] = C[r2 + 1]! + c21; C[r2 + 2] = C[r2 + 2]! + c22; C[r2 + 3] = C[r2 + 3]! + c23;
    } else {
      C[ci] = c00; C[ci + 1] = c01; C[ci + 2] = c02; C[ci + 3] = c03;
      C[r1] = c10; C[r1 + 1] = c11; C[r1 + 2] = c12; C[r1 + 3] = c13;
      C[r2] = c20; C[r2 + 1] = c21; C[r2 + 2] = c22; C[r2 + 3] = c23;
    }
    return;
  }
  // Phase 3: partial tile.
  const t = tile;
  t[0] = c00; t[1] = c01; t[2] = c02; t[3] = c03;
  t[4] = c10; t[5] = c11; t[6] = c12; t[7] = c13;
  t[8] = c20; t[9] = c21; t[10] = c22; t[11] = c23;
  for (let r = 0; r < rows; r++) {
    const row = ci + r * ldc;
    for (let c = 0; c < cols; c++) C[row + c] = add ? C[row + c]! + t[r * 4 + c]! : t[r * 4 + c]!;
  }
}
const tile = new Float64Array(12);

/**
 * Blocked packed GEMM, same contract as `gemm` in matmul.ts (m, n, k ≥ 1 assumed by the caller).
 */
export function gemmPacked(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  A: Float64Array, aOff: number, lda: number,
  B: Float64Array, bOff: number, ldb: number,
  C: Float64Array, cOff: number, ldc: number, accumulate: boolean,
): void {
  const ncMax = Math.min(NC, roundUp(n, NR)), kcMax = Math.min(KC, k), mcMax = Math.min(MC, roundUp(m, MR));
  const aBase = ncMax * kcMax, sBase = aBase + mcMax * kcMax;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      const add = accumulate || pc > 0;
      packPanelsB(transB, B, bOff, ldb, pc, kc, jc, nc, P);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packPanelsA(transA, A, aOff, lda, ic, mc, pc, kc, P, aBase);
        if (useAsm) {
          const ncP = roundUp(nc, NR);
          asmKernels.sweep(kc, roundUp(mc, MR), ncP, aBase * 8, 0, sBase * 8);
          unstage(sBase, ncP, mc, nc, C, cOff + ic * ldc + jc, ldc, add);
        } else {
          sweep(kc, mc, nc, P, aBase, C, cOff + ic * ldc + jc, ldc, add);
        }
      }
    }
  }
}

/**
 * All micro-tiles of one packed (mc×kc)·(kc×nc) block into C[cBase..] (B block at P[0..],
 * A block at P[aBase..]): B panels outer (each
 * stays in L1), A panels inner. Full 3×4 tiles run an inlined copy of the micro-kernel (saves
 * a call per tile, which matters when kc is small, e.g. attention's k = 16); edge tiles call
 * `micro3x4`.
 */
function sweep(
  kc: number, mc: number, nc: number, P: Float64Array, aBase: number,
  C: Float64Array, cBase: number, ldc: number, add: boolean,
): void {
  const mFull = mc - (mc % MR), nFull = nc - (nc % NR);
  for (let jr = 0; jr < nFull; jr += NR) {
    const bStart = jr * kc;
    for (let ir = 0; ir < mFull; ir += MR) {
      let ai = aBase + ir * kc, bi = bStart;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
      for (let p = 0; p < kc; p++) {
        const a0 = P[ai]!, a1 = P[ai + 1]!, a2 = P[ai + 2]!;
        const b0 = P[bi]!, b1 = P[bi + 1]!, b2 = P[bi + 2]!, b3 = P[bi + 3]!;
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
        ai += 3; bi += 4;
      }
      const r0 = cBase + ir * ldc + jr, r1 = r0 + ldc, r2 = r1 + ldc;
      if (add) {
        C[r0] = C[r0]! + c00; C[r0 + 1] = C[r0 + 1]! + c01; C[r0 + 2] = C[r0 + 2]! + c02; C[r0 + 3] = C[r0 + 3]! + c03;
        C[r1] = C[r1]! + c10; C[r1 + 1] = C[r1 + 1]! + c11; C[r1 + 2] = C[r1 + 2]! + c12; C[r1 + 3] = C[r1 + 3]! + c13;
        C[r2] = C[r2]! + c20; C[r2 + 1] = C[r2 + 1]! + c21; C[r2 + 2] = C[r2 + 2]! + c22; C[r2 + 3] = C[r2 + 3]! + c23;
      } else {
        C[r0] = c00; C[r0 + 1] = c01; C[r0 + 2] = c02; C[r0 + 3] = c03;
        C[r1] = c10; C[r1 + 1] = c11; C[r1 + 2] = c12; C[r1 + 3] = c13;
        C[r2] = c20; C[r2 + 1] = c21; C[r2 + 2] = c22; C[r2 + 3] = c23;
      }
    }
  }
  // Edge tiles: the partial last row panel (all column panels) and the partial last column panel.
  if (mFull < mc) {
    for (let jr = 0; jr < nc; jr += NR) {
      micro3x4(kc, P, aBase + mFull * kc, P, jr * kc, C, cBase + mFull * ldc + jr, ldc, mc - mFull, Math.min(NR, nc - jr), add);
    }
  }
  if (nFull < nc) {
    for (let ir = 0; ir < mFull; ir += MR) {
      micro3x4(kc, P, aBase + ir * kc, P, nFull * kc, C, cBase + ir * ldc + nFull, ldc, MR, nc - nFull, add);
    }
  }
}

/** Copies (or adds) the valid mc×nc part of the asm kernel's staging block into C. */
function unstage(sBase: number, ldS: number, mc: number, nc: number, C: Float64Array, c0: number, ldc: number, add: boolean): void {
  for (let i = 0; i < mc; i++) {
    const s = sBase + i * ldS, c = c0 + i * ldc;
    if (add) for (let j = 0; j < nc; j++) C[c + j] = C[c + j]! + P[s + j]!;
    else for (let j = 0; j < nc; j++) C[c + j] = P[s + j]!;
  }
}

function roundUp(x: number, q: number): number {
  return Math.ceil(x / q) * q;
}
