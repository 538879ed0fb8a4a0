/** Named regressions (test/fixtures/decomp-regressions.json) and the doc-comment examples. */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { NonFiniteError } from '../../../src/linalg/errors.js';
import { cond, det, eigh, lstsq, norm, pinv, qr, solve, svd, svdvals } from '../../../src/linalg/decomp/index.js';
import { tensor, type Tensor } from '../../../src/linalg/tensor.js';
import { orthColsRatio, orthRowsRatio, reconstructionRatio } from './residuals.js';

interface Reg {
  name: string;
  bug: string;
  shape: [number, number];
  a: (number | null)[];
  /** Reference singular values (mpmath, 800 digits, from the exact binary64 entries), when given. */
  s?: number[];
}
const regs = (
  JSON.parse(readFileSync(new URL('../../fixtures/decomp-regressions.json', import.meta.url), 'utf8')) as {
    cases: Reg[];
  }
).cases;
const get = (name: string): Tensor => {
  const r = regs.find((c) => c.name === name)!;
  return { data: Float64Array.from(r.a, (x) => (x === null ? NaN : x)), shape: r.shape };
};

describe('regressions', () => {
  test('tall-full-u-nan: full U is finite and orthogonal on both algorithms', () => {
    const a = get('tall-full-u-nan');
    for (const method of ['jacobi', 'golub-kahan'] as const) {
      const { u, s, vt } = svd(a, { full: true, method });
      expect(u.data.every(Number.isFinite)).toBe(true);
      expect(orthColsRatio(u)).toBeLessThan(35);
      expect(orthRowsRatio(vt)).toBeLessThan(35);
      expect(reconstructionRatio(a, u, s, vt)).toBeLessThan(35);
    }
  });
  test('tall-complete-q-not-orthogonal: complete Q is square orthogonal', () => {
    const { q } = qr(get('tall-complete-q-not-orthogonal'), { mode: 'complete' });
    expect(q.shape).toEqual([5, 5]);
    expect(orthColsRatio(q)).toBeLessThan(35);
  });
  test('jacobi-stall-subnormal-column: the Jacobi SVD converges; σ₁ to 4ε, every σ to 8·n·ε·σ₁; U, V orthogonal', () => {
    const a = get('jacobi-stall-subnormal-column');
    const ref = regs.find((c) => c.name === 'jacobi-stall-subnormal-column')!.s!;
    for (const method of ['auto', 'jacobi'] as const) {
      const { u, s, vt } = svd(a, { method });
      expect(Math.abs(s.data[0]! / ref[0]! - 1)).toBeLessThanOrEqual(4 * Number.EPSILON);
      for (let i = 0; i < 4; i++)
        expect(Math.abs(s.data[i]! - ref[i]!)).toBeLessThanOrEqual(32 * Number.EPSILON * ref[0]!);
      expect(svdvals(a, { method }).data).toEqual(s.data);
      expect(orthColsRatio(u)).toBeLessThan(35);
      expect(orthRowsRatio(vt)).toBeLessThan(35);
      expect(reconstructionRatio(a, u, s, vt)).toBeLessThan(35);
    }
  });
  test('gk-known-shift-underflow: Golub–Kahan with vectors converges; every σ to 8·n·ε·σ₁ (its guarantee)', () => {
    const a = get('gk-known-shift-underflow');
    const ref = regs.find((c) => c.name === 'gk-known-shift-underflow')!.s!;
    const { u, s, vt } = svd(a, { method: 'golub-kahan' });
    for (let i = 0; i < 4; i++)
      expect(Math.abs(s.data[i]! - ref[i]!)).toBeLessThanOrEqual(40 * Number.EPSILON * ref[0]!);
    expect(orthColsRatio(u)).toBeLessThan(35);
    expect(orthRowsRatio(vt)).toBeLessThan(35);
    expect(reconstructionRatio(a, u, s, vt)).toBeLessThan(35);
    // the Jacobi path gets every σ of this column-graded input to high relative accuracy
    expect(svdvals(a, { method: 'jacobi' })).toBeAllclose(ref, { rtol: 1e-14, atol: 0 });
  });
  test('cond-nonfinite-op-name: the error names cond', () => {
    expect(() => cond(get('cond-nonfinite-op-name'))).toThrow(NonFiniteError);
    expect(() => cond(get('cond-nonfinite-op-name'))).toThrow(/^cond:/);
  });
});

describe('doc-comment examples give the stated values', () => {
  test('svd, svdvals', () => {
    expect(
      svd(
        tensor([
          [3, 0],
          [4, 5],
        ]),
      ).s,
    ).toBeAllclose(tensor([Math.sqrt(45), Math.sqrt(5)]), { rtol: 1e-15 });
    const f = svd(tensor([[1, 2, 3]]), { full: true });
    expect(f.u.shape).toEqual([1, 1]);
    expect(f.vt.shape).toEqual([3, 3]);
    expect(f.s).toBeAllclose(tensor([Math.sqrt(14)]), { rtol: 1e-15 });
    expect(
      svdvals(
        tensor([
          [3, 0],
          [4, 5],
        ]),
      ),
    ).toBeAllclose(tensor([6.708203932499369, 2.23606797749979]), { rtol: 1e-15 });
  });
  test('qr, eigh, solve, det, lstsq, pinv, norm, cond', () => {
    expect(
      qr(
        tensor([
          [1, 2],
          [3, 4],
          [5, 6],
        ]),
      ).q.shape,
    ).toEqual([3, 2]);
    expect(
      qr(
        tensor([
          [1, 2],
          [3, 4],
          [5, 6],
        ]),
        { mode: 'complete' },
      ).r.shape,
    ).toEqual([3, 2]);
    expect(
      eigh(
        tensor([
          [2, 1],
          [1, 2],
        ]),
      ).values,
    ).toBeAllclose(tensor([1, 3]), { rtol: 1e-15 });
    expect(
      solve(
        tensor([
          [2, 1],
          [1, 3],
        ]),
        tensor([3, 5]),
      ),
    ).toBeAllclose(tensor([0.8, 1.4]), { rtol: 1e-15 });
    expect(
      det(
        tensor([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toBeCloseTo(-2, 14);
    expect(
      lstsq(
        tensor([
          [1, 0],
          [1, 1],
          [1, 2],
        ]),
        tensor([1, 3, 5]),
      ).x,
    ).toBeAllclose(tensor([1, 2]), { rtol: 1e-14 });
    expect(
      pinv(
        tensor([
          [1, 2],
          [2, 4],
        ]),
      ),
    ).toBeAllclose(
      tensor([
        [0.04, 0.08],
        [0.08, 0.16],
      ]),
      { rtol: 1e-14 },
    );
    expect(
      norm(
        tensor([
          [3, 0],
          [4, 0],
        ]),
      ),
    ).toBe(5);
    expect(
      norm(
        tensor([
          [3, 0],
          [4, 5],
        ]),
        2,
      ),
    ).toBeCloseTo(Math.sqrt(45), 14);
    expect(
      cond(
        tensor([
          [1, 0],
          [0, 1e-6],
        ]),
      ),
    ).toBeCloseTo(1e6, 6);
  });
});
