/** Named regressions (test/fixtures/decomp-regressions.json) and the doc-comment examples. */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { NonFiniteError, SeqrateError } from '../../../src/linalg/errors.js';
import { cond, det, eigh, lstsq, norm, pinv, qr, solve, svd, svdvals } from '../../../src/linalg/decomp/index.js';
import { at, tensor, type Tensor } from '../../../src/linalg/tensor.js';
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
  test('jacobi-stall-subnormal-column: Jacobi converges; σ₁ to 4ε, every σ to 8·n·ε·σ₁; U, V orthogonal', () => {
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
  // found by test/linalg/fuzz.test.ts run with seeds 1–3 instead of its own (SEQRATE_FC_SEED sweep)
  test('det with subnormal pivots: the exact product, never a silent NaN', () => {
    const m = (d: number[], n: number): Tensor => ({ data: Float64Array.from(d), shape: [n, n] });
    expect(det(m([0, 2.2e-308, -5e-324, 0], 2))).toBe(0); // 1.1e-631 rounds to 0
    expect(Math.abs(det(m([0, 0, 5e-324, 0, 5e-324, 0, -5e-324, 0, 0], 3)))).toBe(0);
    expect(det(m([5e-324, 0, 0, 2 ** 1000], 2))).toBe(5e-324 * 2 ** 1000);
    expect(det(m([3e-320, 1, 0, 2 ** 1000], 2))).toBe(3e-320 * 2 ** 1000);
    // a running product 2^-500 · 1e-310 underflowed to 0 before the rescaling (log2(0) = −∞)
    expect(Math.abs(det(m([2 ** -500, 0, 0, -1e-310], 2)))).toBe(0);
    expect(Math.abs(det(m([0, 0, 5e-324, 0, 5e-324, 0, -(2 ** -500), 0, 0], 3)))).toBe(0);
    expect(det(m([2 ** -500, 0, 0, -(2 ** 400)], 2))).toBe(-(2 ** -100));
  });
  test('null options and malformed arguments: a typed error or the default, never a TypeError', () => {
    const a = tensor([
      [2, 1],
      [1, 3],
    ]);
    const typed = (f: () => unknown): void => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(SeqrateError);
      }
    };
    expect(norm(a, undefined, null as never)).toBeCloseTo(Math.sqrt(15), 14);
    expect(cond(a, null as never)).toBeGreaterThan(1);
    expect(solve(a, tensor([1, 1]), null as never).data.length).toBe(2);
    expect(svd(a, null as never).s.data.length).toBe(2);
    expect(svdvals(a, null as never).data.length).toBe(2);
    expect(qr(a, null as never).q.shape).toEqual([2, 2]);
    expect(lstsq(a, tensor([1, 1]), null as never).x.data.length).toBe(2);
    expect(det(a, null as never)).toBeCloseTo(5, 14);
    expect(() => solve(a, { data: new Float64Array(2), shape: null } as never)).toThrow(SeqrateError);
    expect(() => cond({ data: new Float64Array(2), shape: null } as never)).toThrow(SeqrateError);
    expect(() => norm({ data: new Float64Array(2), shape: null } as never)).toThrow(SeqrateError);
    expect(() => at(tensor([1]), Object.create(null) as never)).toThrow(SeqrateError);
    typed(() => pinv(a, null as never));
    typed(() => eigh(a, null as never));
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
    const ls = lstsq(
      tensor([
        [1, 0],
        [1, 1],
        [1, 2],
      ]),
      tensor([1, 3, 5]),
    );
    expect(ls.x).toBeAllclose(tensor([1, 2]), { rtol: 1e-14 });
    expect(ls.rank).toBe(2);
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
