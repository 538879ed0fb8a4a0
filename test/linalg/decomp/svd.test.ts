import fc from 'fast-check';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { describe, expect, test } from 'vitest';
import { svd, svdvals } from '../../../src/linalg/decomp/index.js';
import { createRng } from '../../../src/linalg/random.js';
import type { Tensor } from '../../../src/linalg/tensor.js';
import { arbMatrix, arbSpectrumMatrix, caseTable, gaussian } from '../../helpers/matrices.js';
import { EPS, mm, orthColsRatio, orthRowsRatio, reconstructionRatio, tr } from './residuals.js';

const CASES = caseTable();

function checkSigma(s: Float64Array): void {
  for (let i = 0; i < s.length; i++) {
    expect(s[i]).toBeGreaterThanOrEqual(0);
    if (i > 0) expect(s[i]).toBeLessThanOrEqual(s[i - 1]!);
  }
}

describe('svd on the case table (LAPACK-style ratios < 35), every method', () => {
  for (const c of CASES) {
    const [m, n] = c.a.shape as [number, number];
    for (const [full, method] of [
      [false, 'auto'],
      [true, 'auto'],
      [false, 'jacobi'],
      [true, 'jacobi'],
      [false, 'golub-kahan'],
      [true, 'golub-kahan'],
    ] as const) {
      test(`${c.tag} ${m}×${n} ${full ? 'full' : 'thin'} ${method}`, () => {
        const { u, s, vt } = svd(c.a, { full, method });
        const k = Math.min(m, n);
        expect(u.shape).toEqual([m, full ? m : k]);
        expect(vt.shape).toEqual([full ? n : k, n]);
        expect(s.shape).toEqual([k]);
        checkSigma(s.data);
        expect(reconstructionRatio(c.a, u, s, vt)).toBeLessThan(35);
        expect(orthColsRatio(u)).toBeLessThan(35);
        expect(orthRowsRatio(vt)).toBeLessThan(35);
        if (c.s) {
          const tol = 35 * Math.max(m, n) * EPS * (c.s[0] ?? 0);
          for (let i = 0; i < k; i++) expect(Math.abs(s.data[i]! - c.s[i]!)).toBeLessThanOrEqual(tol);
        }
        expect(svdvals(c.a, { method })).toBeAllclose(s, { rtol: 1e-14, atol: 0 });
      });
    }
  }
  test('1×1 matches numpy: u = [[-1]] or [[1]] with σ = |a|, sign convention u ≥ 0', () => {
    const { u, s, vt } = svd({ data: Float64Array.of(-2.5), shape: [1, 1] });
    expect(Array.from(s.data)).toEqual([2.5]);
    expect(Array.from(u.data)).toEqual([1]);
    expect(Array.from(vt.data)).toEqual([-1]);
  });
  test('0-size inputs give empty factors like numpy', () => {
    const r = svd({ data: new Float64Array(0), shape: [0, 3] }, { full: true });
    expect(r.u.shape).toEqual([0, 0]);
    expect(r.vt.shape).toEqual([3, 3]);
    expect(Array.from(r.vt.data)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const t = svd({ data: new Float64Array(0), shape: [3, 0] });
    expect(t.u.shape).toEqual([3, 0]);
    expect(t.vt.shape).toEqual([0, 0]);
  });
});

const runs = { numRuns: 40, seed: 7 };

describe('svd properties (fast-check)', () => {
  test('reconstruction and orthogonality on random spectra down to 1e-12 (both algorithms)', () => {
    fc.assert(
      fc.property(
        arbSpectrumMatrix(9),
        fc.constantFrom('jacobi' as const, 'golub-kahan' as const),
        ({ a, s: exact }, method) => {
          const { u, s, vt } = svd(a, { method });
          const [m, n] = a.shape as [number, number];
          expect(reconstructionRatio(a, u, s, vt)).toBeLessThan(35);
          expect(orthColsRatio(u)).toBeLessThan(35);
          expect(orthRowsRatio(vt)).toBeLessThan(35);
          for (let i = 0; i < exact.length; i++)
            expect(Math.abs(s.data[i]! - exact[i]!)).toBeLessThanOrEqual(35 * Math.max(m, n) * EPS * exact[0]!);
        },
      ),
      runs,
    );
  });
  test('σ sorted, non-negative; σ(αA) = |α|σ(A); σ(Aᵀ) = σ(A)', () => {
    fc.assert(
      fc.property(
        arbMatrix(9),
        fc.double({ min: -1e3, max: 1e3, noNaN: true }).filter((x) => Math.abs(x) > 1e-3),
        (a, alpha) => {
          const s = svdvals(a).data;
          checkSigma(s);
          const [m, n] = a.shape as [number, number];
          const tol = 35 * Math.max(m, n) * EPS * s[0]!;
          const sa = svdvals({ data: a.data.map((x) => alpha * x), shape: a.shape }).data;
          const st = svdvals(tr(a)).data;
          for (let i = 0; i < s.length; i++) {
            expect(Math.abs(sa[i]! - Math.abs(alpha) * s[i]!)).toBeLessThanOrEqual(Math.abs(alpha) * tol);
            expect(Math.abs(st[i]! - s[i]!)).toBeLessThanOrEqual(tol);
          }
        },
      ),
      runs,
    );
  });
  test('Eckart–Young: ‖A − A_k‖₂ = σ_{k+1}', () => {
    fc.assert(
      fc.property(arbMatrix(8, 2), fc.nat(), (a, kk) => {
        const { u, s, vt } = svd(a);
        const p = s.data.length;
        const k = kk % p;
        // A − A_k with A_k = Σ_{i<k} σ_i u_i v_iᵀ
        const [m, n] = a.shape as [number, number];
        const d = a.data.slice();
        for (let l = 0; l < k; l++)
          for (let i = 0; i < m; i++)
            for (let j = 0; j < n; j++)
              d[i * n + j] = d[i * n + j]! - u.data[i * p + l]! * s.data[l]! * vt.data[l * n + j]!;
        const err2 = svdvals({ data: d, shape: [m, n] }).data[0] ?? 0;
        expect(Math.abs(err2 - s.data[k]!)).toBeLessThanOrEqual(35 * Math.max(m, n) * EPS * s.data[0]!);
      }),
      runs,
    );
  });
  test('agrees with ml-matrix singular values on random matrices', () => {
    fc.assert(
      fc.property(arbMatrix(10), (a) => {
        const [m, n] = a.shape as [number, number];
        const rows = Array.from({ length: m }, (_, i) => Array.from(a.data.subarray(i * n, i * n + n)));
        const ref = new SingularValueDecomposition(new Matrix(rows), { autoTranspose: true }).diagonal;
        const s = svdvals(a).data;
        for (let i = 0; i < s.length; i++)
          expect(Math.abs(s[i]! - ref[i]!)).toBeLessThanOrEqual(35 * Math.max(m, n) * EPS * s[0]!);
      }),
      runs,
    );
  });
});

describe('svd details', () => {
  test('sign convention: the largest-magnitude entry of each column of U is positive', () => {
    const a = gaussian(createRng(3), 6, 4);
    const { u } = svd(a);
    for (let j = 0; j < 4; j++) {
      let best = 0;
      for (let i = 0; i < 6; i++) if (Math.abs(u.data[i * 4 + j]!) > Math.abs(best)) best = u.data[i * 4 + j]!;
      expect(best).toBeGreaterThan(0);
    }
  });
  test('U·Σ = A·V on a tall 40×25 random matrix (scaled residual)', () => {
    const a = gaussian(createRng(11), 40, 25);
    const { u, s, vt } = svd(a);
    const av = mm(a, tr(vt));
    let worst = 0;
    for (let i = 0; i < 40; i++)
      for (let j = 0; j < 25; j++)
        worst = Math.max(worst, Math.abs(av.data[i * 25 + j]! - u.data[i * 25 + j]! * s.data[j]!));
    expect(worst / (s.data[0]! * 40 * EPS)).toBeLessThan(35);
  });
  test('vectors are consistent with svdvals for a wide input through the transpose path', () => {
    const a: Tensor = gaussian(createRng(12), 5, 17);
    const { u, s, vt } = svd(a, { full: true });
    expect(u.shape).toEqual([5, 5]);
    expect(vt.shape).toEqual([17, 17]);
    expect(orthRowsRatio(vt)).toBeLessThan(35);
    expect(reconstructionRatio(a, u, s, vt)).toBeLessThan(35);
  });
  test('sizes ≥ 96 (blocked WY accumulation of U and V with gemm): 130×100 and 100×130, thin and full', () => {
    for (const [m, n] of [
      [130, 100],
      [100, 130],
    ] as const) {
      const a = gaussian(createRng(m), m, n);
      for (const full of [false, true]) {
        const { u, s, vt } = svd(a, { full, method: 'golub-kahan' });
        expect(reconstructionRatio(a, u, s, vt)).toBeLessThan(35);
        expect(orthColsRatio(u)).toBeLessThan(35);
        expect(orthRowsRatio(vt)).toBeLessThan(35);
        expect(svdvals(a, { method: 'jacobi' })).toBeAllclose(s, { rtol: 0, atol: 35 * m * EPS * s.data[0]! });
      }
    }
  });
});
