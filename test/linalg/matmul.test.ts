import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Matrix } from 'ml-matrix';
import {
  chooseGemm,
  gemm,
  gemmApplicable,
  GEMM_VARIANT_NAMES,
  matmul as matmulAuto,
  matmulNaive,
  type GemmShape,
  type GemmVariant,
  type MatmulOptions,
} from '../../src/linalg/kernels/matmul.js';
import { KC, MC, MR, NC, NR } from '../../src/linalg/kernels/gemm-packed.js';
import { ShapeError, ValueError } from '../../src/linalg/errors.js';
import { tensor, type Tensor } from '../../src/linalg/tensor.js';
import { bget, broadcastPairArb, refBroadcast, seeded, size, unravel } from '../helpers/gradcheck-cases.js';
import { ensureDist, ROOT } from '../helpers/build-dist.js';

/**
 * Independent oracle: every output element from its definition, with numpy broadcasting of the
 * batch axes done by index arithmetic (shares no code with matmul's planner).
 */
function oracle(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  const ra = a.shape.length,
    rb = b.shape.length;
  const m = transA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const k = transA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const n = transB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  const batch = refBroadcast(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const shape = [...batch, m, n];
  const out = new Float64Array(size(shape));
  for (let f = 0; f < out.length; f++) {
    const idx = unravel(f, shape);
    const bi = idx.slice(0, -2),
      i = idx[idx.length - 2]!,
      j = idx[idx.length - 1]!;
    let s = 0;
    for (let p = 0; p < k; p++) {
      s += bget(a, [...bi, ...(transA ? [p, i] : [i, p])]) * bget(b, [...bi, ...(transB ? [j, p] : [p, j])]);
    }
    out[f] = s;
  }
  return { data: out, shape };
}

/** Shapes of the operands for op(A) m×k and op(B) k×n with given batch shapes. */
function operandShapes(
  ba: number[],
  bb: number[],
  m: number,
  n: number,
  k: number,
  tA: boolean,
  tB: boolean,
): [number[], number[]] {
  return [
    [...ba, ...(tA ? [k, m] : [m, k])],
    [...bb, ...(tB ? [n, k] : [k, n])],
  ];
}

const tol = { rtol: 1e-12, atol: 1e-12 };

/**
 * Runs a block of tests once per entry of the variant table and once with the default choice.
 * A forced variant that cannot run a shape (heap too small, k not a multiple of KC) must say so
 * with a ValueError; `run` then falls back to the default so the rest of the test still checks
 * the numbers.
 */
const variants: (GemmVariant | 'auto')[] = ['auto', ...GEMM_VARIANT_NAMES];

function withVariant(v: GemmVariant | 'auto'): (a: Tensor, b: Tensor, opts?: MatmulOptions) => Tensor {
  if (v === 'auto') return matmulAuto;
  return (a, b, opts = {}) => {
    try {
      return matmulAuto(a, b, { ...opts, variant: v });
    } catch (e) {
      if (!(e instanceof ValueError)) throw e;
      expect(String(e)).toMatch(new RegExp(`matmul: variant '${v}' cannot run`));
      return matmulAuto(a, b, opts);
    }
  };
}

describe.each(variants)('matmul vs the oracles (variant %s)', (v) => {
  const matmul = withVariant(v);
  it('random batched shapes with broadcasting, all four transposes, dims 0..13', () => {
    fc.assert(
      fc.property(
        broadcastPairArb(2, 0, 3),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 13 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 1e6 }),
        ([ba, bb], m, n, k, tA, tB, seed) => {
          const [sa, sb] = operandShapes(ba, bb, m, n, k, tA, tB);
          const a = seeded(sa, seed),
            b = seeded(sb, seed + 7);
          const want = oracle(a, b, tA, tB);
          const got = matmul(a, b, { transA: tA, transB: tB });
          expect(got.shape).toEqual(want.shape);
          expect(got).toBeAllclose(want, tol);
          expect(matmulNaive(a, b, { transA: tA, transB: tB })).toBeAllclose(want, tol);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('every edge-tile remainder: m, n, k = 1..13 in all transposes', () => {
    for (let m = 1; m <= 13; m++) {
      for (let n = 1; n <= 13; n++) {
        const k = ((m * 7 + n * 3) % 13) + 1;
        const tA = (m + n) % 2 === 0,
          tB = (m * n) % 3 === 0;
        const [sa, sb] = operandShapes([], [], m, n, k, tA, tB);
        const a = seeded(sa, m * 100 + n),
          b = seeded(sb, m * 100 + n + 1);
        expect(matmul(a, b, { transA: tA, transB: tB })).toBeAllclose(
          matmulNaive(a, b, { transA: tA, transB: tB }),
          tol,
        );
      }
    }
  });

  it('sizes straddling the block sizes MC, KC, NC and the micro-tile', () => {
    const cases: [number, number, number][] = [
      [MC - 1, 5, 7],
      [MC, 6, 3],
      [MC + 1, 5, 2],
      [2 * MC + MR - 1, 3, 2],
      [4, 5, KC - 1],
      [5, 4, KC],
      [3, 9, KC + 1],
      [2, 3, 2 * KC + 5],
      [2, NC - 1, 3],
      [3, NC, 2],
      [2, NC + NR + 1, 3],
      [MC + 2, NR * 3 + 1, KC + 3],
    ];
    let seed = 1;
    for (const [m, n, k] of cases) {
      for (const [tA, tB] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ] as const) {
        const [sa, sb] = operandShapes([], [], m, n, k, tA, tB);
        const a = seeded(sa, seed++),
          b = seeded(sb, seed++);
        const got = matmul(a, b, { transA: tA, transB: tB });
        // k > KC sums in a different order than the naive loop: allow a k-scaled rounding bound.
        expect(got).toBeAllclose(matmulNaive(a, b, { transA: tA, transB: tB }), { rtol: 1e-12, atol: 1e-14 * k });
      }
    }
  });

  it('operands too large for the 4 MiB asm heap run packed (small op(B), huge A)', () => {
    const a = seeded([2, 16500, 16], 11),
      b = seeded([16, 5], 12); // A alone is 528 000 doubles
    const got = matmul(a, b);
    expect(got.shape).toEqual([2, 16500, 5]);
    expect(got).toBeAllclose(matmulNaive(a, b), tol);
  });

  it('a batch of matrices times one matrix (folded into one gemm) matches per-batch products', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 2 }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 9 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 1e6 }),
        (ba, m, n, k, tB, bHasUnitBatch, seed) => {
          const [sa, sb] = operandShapes(ba, bHasUnitBatch ? [1] : [], m, n, k, false, tB);
          const a = seeded(sa, seed),
            b = seeded(sb, seed + 1);
          expect(matmul(a, b, { transB: tB })).toBeAllclose(oracle(a, b, false, tB), tol);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('matches ml-matrix on a few random cases', () => {
    for (const [m, n, k, seed] of [
      [17, 23, 29, 1],
      [64, 3, 100, 2],
      [5, 130, 7, 3],
    ] as const) {
      const a = seeded([m, k], seed),
        b = seeded([k, n], seed + 10);
      const ml = new Matrix(m, k).mmul(new Matrix(k, n)); // shape check of ml-matrix itself
      expect([ml.rows, ml.columns]).toEqual([m, n]);
      const ref = new Matrix(toRows(a)).mmul(new Matrix(toRows(b)));
      expect(matmul(a, b)).toBeAllclose(
        { data: Float64Array.from(ref.to1DArray()), shape: [m, n] },
        { rtol: 1e-11, atol: 1e-12 },
      );
    }
  });

  it('known small product and transposes', () => {
    const a = tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
      b = tensor([
        [7, 8],
        [9, 10],
        [11, 12],
      ]);
    expect(matmul(a, b).data).toEqual(Float64Array.from([58, 64, 139, 154]));
    expect(matmul(b, a, { transA: true, transB: true }).data).toEqual(Float64Array.from([58, 139, 64, 154]));
    expect(matmul(a, a, { transB: true }).data).toEqual(Float64Array.from([14, 32, 32, 77]));
    expect(matmul(tensor([[3]]), tensor([[-2]])).data).toEqual(Float64Array.from([-6]));
  });

  it('NaN and Inf propagate like IEEE arithmetic (no silent dropping)', () => {
    const a = tensor([
        [1, NaN],
        [2, 3],
      ]),
      b = tensor([
        [1, 0],
        [0, 1],
      ]);
    const c = matmul(a, b);
    expect(Number.isNaN(c.data[0])).toBe(true);
    expect(Number.isNaN(c.data[1])).toBe(true);
    expect(Array.from(c.data.slice(2))).toEqual([2, 3]);
    const d = matmul(tensor([[Infinity, 1]]), tensor([[0], [1]]));
    expect(Number.isNaN(d.data[0])).toBe(true); // Inf·0 = NaN, as numpy
  });
});

describe('matmul shapes and errors', () => {
  const matmul = matmulAuto;
  it('size-0 dimensions give empty or zero results like numpy', () => {
    expect(matmul(seeded([0, 3], 1), seeded([3, 4], 2)).shape).toEqual([0, 4]);
    const z = matmul(seeded([2, 0], 1), seeded([0, 3], 2));
    expect(z.shape).toEqual([2, 3]);
    expect(Array.from(z.data)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(matmul(seeded([0, 2, 3], 1), seeded([3, 4], 2)).shape).toEqual([0, 2, 4]);
    expect(matmul(seeded([2, 1, 2, 3], 1), seeded([0, 3, 4], 2)).shape).toEqual([2, 0, 2, 4]);
  });

  it('mismatched inner dimensions throw a ShapeError naming matmul and both shapes', () => {
    const call = (): Tensor => matmul(seeded([2, 3], 1), seeded([4, 5], 2));
    expect(call).toThrow(ShapeError);
    expect(call).toThrow(/matmul.*\(2, 3\).*\(4, 5\)/);
    expect(() => matmul(seeded([3, 2], 1), seeded([4, 5], 2), { transA: true })).toThrow(
      /matmul.*\(3, 2\) and \(4, 5\)/,
    );
  });

  it('non-broadcastable batch dims and 1-D operands throw ShapeErrors naming both shapes', () => {
    expect(() => matmul(seeded([2, 3, 4], 1), seeded([3, 4, 5], 2))).toThrow(/matmul.*\(2, 3, 4\) and \(3, 4, 5\)/);
    expect(() => matmul(seeded([3], 1), seeded([3, 2], 2))).toThrow(ShapeError);
    expect(() => matmul(seeded([3], 1), seeded([3, 2], 2))).toThrow(/matmul.*\(3,\) and \(3, 2\)/);
  });

  it('broadcasts batch shapes to the numpy result shape', () => {
    fc.assert(
      fc.property(broadcastPairArb(3, 0, 3), ([ba, bb]) => {
        const [sa, sb] = operandShapes(ba, bb, 2, 3, 4, false, false);
        expect(matmul(seeded(sa, 1), seeded(sb, 2)).shape).toEqual([...refBroadcast(ba, bb), 2, 3]);
      }),
      { numRuns: 60 },
    );
  });
});

describe.each(variants)('gemm raw kernel (variant %s)', (v) => {
  const variant = v === 'auto' ? undefined : v;
  it('strided submatrices with offsets, accumulate mode, and untouched surroundings', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 11 }),
        fc.integer({ min: 1, max: 11 }),
        fc.integer({ min: 0, max: 11 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 1e6 }),
        (m, n, k, tA, tB, acc, pad, seed) => {
          const ar = tA ? k : m,
            ac = tA ? m : k,
            br = tB ? n : k,
            bc = tB ? k : n;
          const lda = ac + pad,
            ldb = bc + pad,
            ldc = n + pad;
          const A = seeded([ar * lda + 3], seed).data,
            B = seeded([br * ldb + 2], seed + 1).data;
          const C0 = seeded([m * ldc + 5], seed + 2).data;
          const C = C0.slice();
          const shape: GemmShape = { nb: 1, m, n, k, aSpan: (ar - 1) * lda + ac, bSpan: (br - 1) * ldb + bc };
          const run = (): void => gemm(tA, tB, m, n, k, A, 3, lda, B, 2, ldb, C, 5, ldc, acc, variant);
          if (variant !== undefined && !gemmApplicable(variant, shape)) {
            expect(run).toThrow(ValueError); // nothing written
            expect(C).toEqual(C0);
            return;
          }
          run();
          for (let q = 0; q < C.length; q++) {
            const r = Math.floor((q - 5) / ldc),
              c = (q - 5) % ldc;
            if (q < 5 || c >= n || r >= m) {
              expect(C[q]).toBe(C0[q]);
              continue;
            }
            let s = 0;
            for (let p = 0; p < k; p++) {
              s += A[3 + (tA ? p * lda + r : r * lda + p)]! * B[2 + (tB ? c * ldb + p : p * ldb + c)]!;
            }
            const want = acc ? C0[q]! + s : s;
            expect(Math.abs(C[q]! - want)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(want)));
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('k = 0 zeroes C (overwrite) or leaves it unchanged (accumulate)', () => {
    const C = Float64Array.from([1, 2, 3, 4]);
    gemm(false, false, 2, 2, 0, new Float64Array(0), 0, 0, new Float64Array(0), 0, 2, C, 0, 2, true);
    expect(Array.from(C)).toEqual([1, 2, 3, 4]);
    gemm(false, false, 2, 2, 0, new Float64Array(0), 0, 0, new Float64Array(0), 0, 2, C, 0, 2, false);
    expect(Array.from(C)).toEqual([0, 0, 0, 0]);
  });

  it('rejects buffers too short, leading dimensions too small and bad sizes with a ShapeError naming gemm', () => {
    const buf = (n: number): Float64Array => new Float64Array(n);
    expect(() => gemm(false, false, 2, 2, 2, buf(3), 0, 2, buf(4), 0, 2, buf(4), 0, 2, false)).toThrow(/gemm: A \(2×2/);
    expect(() => gemm(false, true, 2, 3, 2, buf(4), 0, 2, buf(6), 1, 2, buf(6), 0, 3, false)).toThrow(
      /gemm: B \(3×2 at offset 1/,
    );
    expect(() => gemm(false, false, 2, 2, 2, buf(4), 0, 2, buf(4), 0, 2, buf(4), 0, 1, false)).toThrow(
      /gemm: C .*leading dimension 1/,
    );
    expect(() => gemm(false, false, -1, 2, 2, buf(4), 0, 2, buf(4), 0, 2, buf(4), 0, 2, false)).toThrow(ShapeError);
    expect(() => gemm(false, false, 1.5, 2, 2, buf(4), 0, 2, buf(4), 0, 2, buf(4), 0, 2, false)).toThrow(/gemm: sizes/);
  });

  it('accumulate across k-blocks (k > KC) adds to C exactly once', () => {
    const m = 7,
      n = 6,
      k = KC + 9;
    const A = seeded([m * k], 3).data,
      B = seeded([k * n], 4).data;
    const C = new Float64Array(m * n).fill(1);
    gemm(false, false, m, n, k, A, 0, k, B, 0, n, C, 0, n, true, v === 'splitK' ? undefined : variant);
    const ref = matmulNaive({ data: A, shape: [m, k] }, { data: B, shape: [k, n] });
    expect({ data: C.map((v) => v - 1), shape: [m, n] }).toBeAllclose(ref, { rtol: 1e-11, atol: 1e-12 });
  });
});

function toRows(t: Tensor): number[][] {
  const [r, c] = [t.shape[0]!, t.shape[1]!];
  return Array.from({ length: r }, (_, i) => Array.from(t.data.subarray(i * c, (i + 1) * c)));
}

describe('chooseGemm (the default variant, a pure function of the shape)', () => {
  const shapeArb = fc
    .record({
      nb: fc.integer({ min: 1, max: 64 }),
      m: fc.integer({ min: 1, max: 2048 }),
      n: fc.integer({ min: 1, max: 2048 }),
      k: fc.constantFrom(1, 3, 16, 63, 64, 255, 256, 512, 768, 1000, 1024, 4096),
    })
    .map(({ nb, m, n, k }): GemmShape => ({ nb, m, n, k, aSpan: nb * m * k, bSpan: nb * k * n }));

  it('always picks a variant that can run the shape, and the same one for the same shape', () => {
    fc.assert(
      fc.property(shapeArb, (s) => {
        const v = chooseGemm(s);
        expect(gemmApplicable(v, s)).toBe(true);
        expect(chooseGemm({ ...s })).toBe(v);
        expect(v).not.toBe('naive');
      }),
      { numRuns: 500 },
    );
  });

  it('routes attention-sized batches to direct, large squares to packed, 1024-row weight gradients to splitK', () => {
    expect(chooseGemm({ nb: 32, m: 32, n: 32, k: 16, aSpan: 32 * 512, bSpan: 32 * 512 })).toBe('direct');
    expect(chooseGemm({ nb: 1, m: 512, n: 512, k: 512, aSpan: 512 * 512, bSpan: 512 * 512 })).toBe('packed');
    expect(chooseGemm({ nb: 1, m: 64, n: 32, k: 1024, aSpan: 1024 * 64, bSpan: 1024 * 32 })).toBe('splitK');
    // a batch too large for the asm heap cannot run direct, whatever its shape
    expect(chooseGemm({ nb: 1, m: 33000, n: 5, k: 16, aSpan: 33000 * 16, bSpan: 80 })).toBe('packed');
  });

  it('a forced variant that cannot run the shape is a ValueError naming the operation; unknown names too', () => {
    const a = seeded([3, 4], 1),
      b = seeded([4, 2], 2);
    expect(() => matmulAuto(a, b, { variant: 'splitK' })).toThrow(ValueError);
    expect(() => matmulAuto(a, b, { variant: 'splitK' })).toThrow(
      /matmul: variant 'splitK' cannot run 1 product\(s\) of 3×4·4×2/,
    );
    expect(() => matmulAuto(a, b, { variant: 'fast' as GemmVariant })).toThrow(/matmul: unknown variant 'fast'/);
    const big = seeded([2, 16500, 16], 3),
      small = seeded([16, 5], 4);
    expect(() => matmulAuto(big, small, { variant: 'direct' })).toThrow(/variant 'direct' cannot run/);
  });
});

describe('asm.js kernels', () => {
  it('the module as vitest transpiles it (esbuild) validates too: no V8 asm.js warning on a fresh load', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => {
      warnings.push(`${w.name}: ${w.message}`);
    };
    process.on('warning', onWarning);
    try {
      // the query string makes a fresh module instance for vitest; it has no declaration file
      const freshPath: string = '../../src/linalg/kernels/gemm-asm.js?fresh-instance';
      const fresh = (await import(freshPath)) as typeof import('../../src/linalg/kernels/gemm-asm.js');
      expect(typeof fresh.asmKernels.tiles).toBe('function');
      expect(typeof fresh.asmKernels.panels).toBe('function');
      await new Promise((r) => setTimeout(r, 20)); // warnings are emitted on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => /asm\.js/i.test(w))).toEqual([]);
  });

  it('the compiled module validates as asm.js (V8 prints no "Invalid asm.js" warning)', () => {
    ensureDist();
    const url = pathToFileURL(join(ROOT, 'dist', 'linalg', 'kernels', 'gemm-asm.js')).href;
    const script = `const m = await import(${JSON.stringify(url)}); if (typeof m.asmKernels.tiles !== 'function') process.exit(3);`;
    const res = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(res.status).toBe(0);
    expect(res.stderr).not.toMatch(/asm\.js/i);
  });
});
