/**
 * Long-k single products (weight gradients Xᵀ·G over many rows) take a split-k path: k-blocks of
 * 256 run in one asm batch call and are summed in block order. It must equal the packed kernel bit
 * for bit (same summation order) and the naive oracle to rounding.
 */
import { describe, expect, it } from 'vitest';
import { chooseGemm, matmul, matmulNaive } from '../../src/linalg/kernels/matmul.js';
import { createRng } from '../../src/linalg/random.js';
import { randn } from '../../src/linalg/tensor.js';

const cases: { name: string; a: number[]; b: number[]; transA: boolean; transB: boolean }[] = [
  { name: 'Xᵀ·G, X (1024, 64), G (1024, 32)', a: [1024, 64], b: [1024, 32], transA: true, transB: false },
  { name: 'Xᵀ·G, X (512, 16), G (512, 64)', a: [512, 16], b: [512, 64], transA: true, transB: false },
  { name: 'A·Bᵀ, A (8, 768), B (40, 768)', a: [8, 768], b: [40, 768], transA: false, transB: true },
  { name: 'A·B, A (16, 1024), B (1024, 24)', a: [16, 1024], b: [1024, 24], transA: false, transB: false },
];

describe('matmul split-k path', () => {
  it.each(cases)('$name: equals the packed kernel bit for bit and the oracle to 1e-12', ({ a, b, transA, transB }) => {
    const rng = createRng(11);
    const A = randn(rng, a),
      B = randn(rng, b);
    const fast = matmul(A, B, { transA, transB, variant: 'splitK' });
    const packed = matmul(A, B, { transA, transB, variant: 'packed' });
    expect(fast.shape).toEqual(packed.shape);
    expect(fast.data).toEqual(packed.data);
    expect(fast).toBeAllclose(matmulNaive(A, B, { transA, transB }), { rtol: 1e-12, atol: 1e-12 });
  });

  it('is what the default choice runs for these shapes (so the bit-for-bit check covers the default path)', () => {
    for (const { a, b, transA, transB } of cases) {
      const m = transA ? a[1]! : a[0]!,
        k = transA ? a[0]! : a[1]!,
        n = transB ? b[0]! : b[1]!;
      expect(chooseGemm({ nb: 1, m, n, k, aSpan: a[0]! * a[1]!, bSpan: b[0]! * b[1]! })).toBe('splitK');
    }
  });
});
