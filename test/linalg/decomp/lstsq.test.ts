/** lstsq, pinv, norm, cond. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { cond, lstsq, norm, pinv, svdvals } from '../../../src/linalg/decomp/index.js';
import { createRng } from '../../../src/linalg/random.js';
import type { Tensor } from '../../../src/linalg/tensor.js';
import { arbMatrix, caseTable, gaussian, logspace, withSpectrum } from '../../helpers/matrices.js';
import { EPS, mm, norm1, tr } from './residuals.js';

const runs = { numRuns: 30, seed: 5 };

/** ‖Aᵀ(b − Ax)‖₁ / (‖A‖₁·(‖A‖₁‖x‖₁ + ‖b‖₁)·m·ε): the residual is orthogonal to range(A). */
function normalEqRatio(a: Tensor, x: Tensor, b: Tensor): number {
  const m = a.shape[0]!;
  const k = b.shape.length === 1 ? 1 : b.shape[1]!;
  const n = a.shape[1]!;
  const X = { data: x.data, shape: [n, k] },
    B = { data: b.data, shape: [m, k] };
  const ax = mm(a, X);
  const r = { data: B.data.map((v, i) => v - ax.data[i]!), shape: [m, k] };
  const g = mm(tr(a), r);
  const an = norm1(a);
  return norm1(g) / (an * (an * norm1(X) + norm1(B)) * Math.max(m, n) * EPS);
}

describe('lstsq', () => {
  test('full column rank (QR path): residual ⟂ range(A), residuals = ‖b − Ax‖², rank = n', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 1, max: 3 }),
        fc.nat(),
        (n, extra, k, seed) => {
          const rng = createRng(seed);
          const m = n + extra;
          const a = withSpectrum(rng, m, n, logspace(1, 1e-6, n));
          const b = gaussian(rng, m, k);
          const r = lstsq(a, b);
          expect(r.rank).toBe(n);
          expect(r.x.shape).toEqual([n, k]);
          expect(normalEqRatio(a, r.x, b)).toBeLessThan(35);
          if (m > n) {
            expect(r.residuals.shape).toEqual([k]);
            const ax = mm(a, r.x);
            for (let c = 0; c < k; c++) {
              let ss = 0;
              for (let i = 0; i < m; i++) ss += (b.data[i * k + c]! - ax.data[i * k + c]!) ** 2;
              expect(Math.abs(r.residuals.data[c]! - ss)).toBeLessThanOrEqual(1e-8 * Math.max(ss, 1e-300) + 1e-14);
            }
          } else expect(r.residuals.shape).toEqual([0]);
        },
      ),
      runs,
    );
  });
  test('rank detection and minimum norm on rank-deficient matrices (SVD path)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 9 }),
        fc.integer({ min: 2, max: 9 }),
        fc.nat(),
        fc.nat(),
        (m, n, rr, seed) => {
          const rng = createRng(seed);
          const rank = 1 + (rr % (Math.min(m, n) - 1));
          const a = withSpectrum(rng, m, n, logspace(3, 0.1, rank));
          const b = gaussian(rng, m, 1);
          const r = lstsq(a, { data: b.data, shape: [m] });
          expect(r.rank).toBe(rank);
          expect(r.x.shape).toEqual([n]);
          expect(r.residuals.shape).toEqual([0]);
          expect(normalEqRatio(a, r.x, { data: b.data, shape: [m] })).toBeLessThan(35);
          // minimum norm: x ∈ range(Aᵀ) ⇔ x = pinv(A)·A·x
          const p = pinv(a);
          const px = mm(p, mm(a, { data: r.x.data, shape: [n, 1] }));
          const xn = Math.max(...Array.from(r.x.data, Math.abs));
          for (let i = 0; i < n; i++) expect(Math.abs(px.data[i]! - r.x.data[i]!)).toBeLessThanOrEqual(1e-10 * xn);
        },
      ),
      runs,
    );
  });
  test('QR path at sizes ≥ 64 (blocked QR): 140×80 with 3 right-hand sides', () => {
    const rng = createRng(77);
    const a = gaussian(rng, 140, 80),
      b = gaussian(rng, 140, 3);
    const r = lstsq(a, b);
    expect(r.rank).toBe(80);
    expect(normalEqRatio(a, r.x, b)).toBeLessThan(35);
  });
  test('numpy semantics on known data', () => {
    const ones = { data: new Float64Array(6).fill(1), shape: [3, 2] };
    const r = lstsq(ones, { data: Float64Array.of(1, 1, 1), shape: [3] });
    expect(r.x).toBeAllclose({ data: Float64Array.of(0.5, 0.5), shape: [2] }, { rtol: 1e-14 });
    expect(r.rank).toBe(1);
    expect(r.s).toBeAllclose({ data: Float64Array.of(Math.sqrt(6), 0), shape: [2] }, { rtol: 1e-14, atol: 1e-15 });
    const e = lstsq({ data: new Float64Array(0), shape: [3, 0] }, { data: Float64Array.of(1, 2, 3), shape: [3] });
    expect(e.x.shape).toEqual([0]);
    expect(e.rank).toBe(0);
    expect(Array.from(e.residuals.data)).toEqual([14]);
    const w = lstsq({ data: new Float64Array(0), shape: [0, 3] }, { data: new Float64Array(0), shape: [0] });
    expect(Array.from(w.x.data)).toEqual([0, 0, 0]);
  });
  test('rcond controls the cut-off', () => {
    const a = { data: Float64Array.of(1, 0, 0, 1e-8), shape: [2, 2] };
    expect(lstsq(a, { data: Float64Array.of(1, 1), shape: [2] }).rank).toBe(2);
    const r = lstsq(a, { data: Float64Array.of(1, 1), shape: [2] }, { rcond: 1e-6 });
    expect(r.rank).toBe(1);
    expect(Array.from(r.x.data)).toEqual([1, 0]);
  });
});

describe('pinv: Moore–Penrose conditions', () => {
  test('A·A⁺·A = A, A⁺·A·A⁺ = A⁺, A·A⁺ and A⁺·A symmetric (random rank)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 8 }),
        fc.nat(),
        fc.nat(),
        (m, n, rr, seed) => {
          const rank = 1 + (rr % Math.min(m, n));
          const a = withSpectrum(createRng(seed), m, n, logspace(2, 0.5, rank));
          const p = pinv(a);
          expect(p.shape).toEqual([n, m]);
          const tol = 1e-12;
          const close = (x: Tensor, y: Tensor, scale: number): void => {
            for (let i = 0; i < x.data.length; i++)
              expect(Math.abs(x.data[i]! - y.data[i]!)).toBeLessThanOrEqual(tol * scale);
          };
          close(mm(mm(a, p), a), a, 2);
          close(mm(mm(p, a), p), p, 4);
          const ap = mm(a, p),
            pa = mm(p, a);
          close(ap, tr(ap), 1);
          close(pa, tr(pa), 1);
        },
      ),
      runs,
    );
  });
  test('0-size: pinv of 0×3 is 3×0', () => {
    expect(pinv({ data: new Float64Array(0), shape: [0, 3] }).shape).toEqual([3, 0]);
  });
});

describe('norm and cond', () => {
  test('known values', () => {
    const a = { data: Float64Array.of(3, 0, 4, 5), shape: [2, 2] };
    expect(norm(a)).toBeCloseTo(Math.sqrt(50), 14);
    expect(norm(a, 'fro')).toBeCloseTo(Math.sqrt(50), 14);
    expect(norm(a, 1)).toBe(7);
    expect(norm(a, Infinity)).toBe(9);
    expect(norm(a, 2)).toBeCloseTo(Math.sqrt(45), 14);
    expect(norm(a, 'nuc')).toBeCloseTo(Math.sqrt(45) + Math.sqrt(5), 14);
    expect(norm({ data: Float64Array.of(3, -4), shape: [2] })).toBe(5);
    expect(norm({ data: Float64Array.of(3, -4), shape: [2] }, 1)).toBe(7);
    expect(norm({ data: Float64Array.of(3, -4), shape: [2] }, Infinity)).toBe(4);
    expect(norm({ data: new Float64Array(0), shape: [0, 3] })).toBe(0);
    expect(cond({ data: Float64Array.of(1, 0, 0, 1e-6), shape: [2, 2] })).toBeCloseTo(1e6, 6);
    expect(cond({ data: Float64Array.of(1, 2, 2, 4), shape: [2, 2] })).toBeGreaterThan(1e15);
    expect(cond({ data: Float64Array.of(1, 0, 0, 0), shape: [2, 2] })).toBe(Infinity);
  });
  test('Frobenius neither overflows nor underflows', () => {
    expect(norm({ data: Float64Array.of(3e300, 4e300), shape: [1, 2] }) / 5e300).toBeCloseTo(1, 14);
    expect(norm({ data: Float64Array.of(3e-300, 4e-300), shape: [2, 1] }) / 5e-300).toBeCloseTo(1, 14);
  });
  test('norm(·,2) = σ₁, nuc = Σσ, fro² = Σσ², ‖A‖₂ ≤ ‖A‖_F ≤ √r‖A‖₂, cond of graded = σ₁/σₙ', () => {
    fc.assert(
      fc.property(arbMatrix(8), (a) => {
        const s = svdvals(a).data;
        const f = norm(a),
          two = norm(a, 2);
        expect(two).toBe(s[0]);
        let ss = 0,
          sum = 0;
        for (const v of s) {
          ss += v * v;
          sum += v;
        }
        expect(Math.abs(f - Math.sqrt(ss))).toBeLessThanOrEqual(1e-13 * f);
        expect(Math.abs(norm(a, 'nuc') - sum)).toBeLessThanOrEqual(1e-13 * sum);
        expect(two).toBeLessThanOrEqual(f * (1 + 1e-14));
        expect(f).toBeLessThanOrEqual(Math.sqrt(s.length) * two * (1 + 1e-14));
      }),
      runs,
    );
    const g = caseTable().find((c) => c.tag === 'graded-BD')!;
    const s = svdvals(g.a).data;
    expect(cond(g.a)).toBe(s[0]! / s[s.length - 1]!);
  });
});
