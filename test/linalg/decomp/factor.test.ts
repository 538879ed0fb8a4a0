/** qr, eigh, solve, det on the case table and fast-check properties. */
import fc from 'fast-check';
import { Matrix, EigenvalueDecomposition, QrDecomposition } from 'ml-matrix';
import { describe, expect, test } from 'vitest';
import { det, eigh, qr, solve, svdvals } from '../../../src/linalg/decomp/index.js';
import { createRng } from '../../../src/linalg/random.js';
import type { Tensor } from '../../../src/linalg/tensor.js';
import {
  arbMatrix,
  caseTable,
  gaussian,
  logspace,
  symmetricWithSpectrum,
  withSpectrum,
} from '../../helpers/matrices.js';
import { EPS, mm, norm1, orthColsRatio, tr, unitScale } from './residuals.js';

const CASES = caseTable();
const runs = { numRuns: 30, seed: 11 };

/** ‖A − B‖₁/(‖A‖₁·max(m,n)·ε) after exact rescaling by c. */
function diffRatio(a: Tensor, b: Tensor, c = unitScale(a)): number {
  const [m, n] = a.shape as [number, number];
  const d = new Float64Array(m * n);
  for (let i = 0; i < m * n; i++) d[i] = a.data[i]! * c - b.data[i]! * c;
  const an = norm1({ data: a.data.map((x) => x * c), shape: a.shape });
  const dn = norm1({ data: d, shape: a.shape });
  return an === 0 ? (dn === 0 ? 0 : Infinity) : dn / (an * Math.max(m, n, 1) * EPS);
}

describe('qr on the case table', () => {
  for (const c of CASES) {
    for (const mode of ['reduced', 'complete'] as const) {
      test(`${c.tag} ${c.a.shape.join('×')} ${mode}`, () => {
        const [m, n] = c.a.shape as [number, number];
        const { q, r } = qr(c.a, { mode });
        const k = mode === 'complete' ? m : Math.min(m, n);
        expect(q.shape).toEqual([m, k]);
        expect(r.shape).toEqual([k, n]);
        for (let i = 0; i < k; i++) for (let j = 0; j < Math.min(i, n); j++) expect(r.data[i * n + j]).toBe(0);
        expect(orthColsRatio(q)).toBeLessThan(35);
        if (m * n > 0) expect(diffRatio(c.a, mm(q, r))).toBeLessThan(35);
      });
    }
  }
  test('sizes ≥ 64 (blocked xGEQRF panels + WY Q formation): 150×90, 90×150, 128×128', () => {
    for (const [m, n] of [
      [150, 90],
      [90, 150],
      [128, 128],
    ] as const) {
      const a = gaussian(createRng(m + n), m, n);
      for (const mode of ['reduced', 'complete'] as const) {
        const { q, r } = qr(a, { mode });
        const k = mode === 'complete' ? m : Math.min(m, n);
        for (let i = 0; i < k; i++) for (let j = 0; j < Math.min(i, n); j++) expect(r.data[i * n + j]).toBe(0);
        expect(orthColsRatio(q)).toBeLessThan(35);
        expect(diffRatio(a, mm(q, r))).toBeLessThan(35);
      }
    }
  });
  test('|diag R| agrees with ml-matrix QR on random matrices', () => {
    fc.assert(
      fc.property(arbMatrix(8), (a) => {
        const [m, n] = a.shape as [number, number];
        if (m < n) return;
        const ml = new QrDecomposition(
          new Matrix(Array.from({ length: m }, (_, i) => Array.from(a.data.subarray(i * n, i * n + n)))),
        ).upperTriangularMatrix;
        const { r } = qr(a);
        const scale = Math.max(...Array.from(a.data, Math.abs));
        for (let i = 0; i < n; i++)
          expect(Math.abs(Math.abs(r.data[i * n + i]!) - Math.abs(ml.get(i, i)))).toBeLessThanOrEqual(
            100 * m * EPS * scale,
          );
      }),
      runs,
    );
  });
});

function symCases(): { tag: string; a: Tensor; w?: Float64Array }[] {
  const rng = createRng(99);
  const out: { tag: string; a: Tensor; w?: Float64Array }[] = [];
  for (const c of CASES) {
    const [m, n] = c.a.shape as [number, number];
    if (m !== n) continue;
    const s = mm(tr(c.a), c.a); // symmetric PSD (fine for testing eigh; not how svd works)
    out.push({ tag: `${c.tag}ᵀ·${c.tag}`, a: s });
    const h = c.a.data.slice();
    for (let i = 0; i < n; i++)
      for (let j = 0; j < i; j++) {
        const v = (h[i * n + j]! + h[j * n + i]!) / 2;
        h[i * n + j] = v;
        h[j * n + i] = v;
      }
    out.push({ tag: `sym(${c.tag})`, a: { data: h, shape: [n, n] } });
  }
  const w = Float64Array.of(-5, -1, -1, 0, 1e-9, 2, 7, 7);
  out.push({ tag: 'indefinite with repeated eigenvalues', a: symmetricWithSpectrum(rng, w), w });
  out.push({
    tag: 'diagonal',
    a: { data: Float64Array.of(3, 0, 0, 0, -1, 0, 0, 0, 2), shape: [3, 3] },
    w: Float64Array.of(-1, 2, 3),
  });
  return out;
}

describe('eigh', () => {
  for (const c of symCases()) {
    test(c.tag, () => {
      const n = c.a.shape[0]!;
      const { values, vectors } = eigh(c.a);
      expect(values.shape).toEqual([n]);
      expect(vectors.shape).toEqual([n, n]);
      for (let i = 1; i < n; i++) expect(values.data[i]).toBeGreaterThanOrEqual(values.data[i - 1]!);
      expect(orthColsRatio(vectors)).toBeLessThan(35);
      // ‖A − VΛVᵀ‖ scaled
      const vl = { data: vectors.data.map((x, i) => x * values.data[i % n]!), shape: [n, n] };
      if (n > 0) expect(diffRatio(c.a, mm(vl, tr(vectors)))).toBeLessThan(35);
      if (c.w) {
        const wmax = Math.max(...Array.from(c.w, Math.abs));
        const sorted = Array.from(c.w).sort((x, y) => x - y);
        for (let i = 0; i < n; i++)
          expect(Math.abs(values.data[i]! - sorted[i]!)).toBeLessThanOrEqual(35 * n * EPS * wmax);
      }
    });
  }
  test('agrees with ml-matrix EVD on random symmetric matrices', () => {
    fc.assert(
      fc.property(arbMatrix(9), (g) => {
        const [m, n] = g.shape as [number, number];
        const a = mm(tr(g), g);
        for (let i = 0; i < n; i++) a.data[i * n + i] = a.data[i * n + i]! - m; // indefinite
        const ref = new EigenvalueDecomposition(
          new Matrix(Array.from({ length: n }, (_, i) => Array.from(a.data.subarray(i * n, i * n + n)))),
          { assumeSymmetric: true },
        ).realEigenvalues.sort((x, y) => x - y);
        const v = eigh(a).values.data;
        const scale = Math.max(...ref.map(Math.abs));
        for (let i = 0; i < n; i++) expect(Math.abs(v[i]! - ref[i]!)).toBeLessThanOrEqual(35 * n * EPS * scale);
      }),
      runs,
    );
  });
  test('|eigenvalues| of an SPD matrix equal its singular values', () => {
    const w = logspace(100, 1e-3, 6);
    const a = symmetricWithSpectrum(createRng(5), w);
    const v = Array.from(eigh(a).values.data).reverse();
    const s = svdvals(a).data;
    for (let i = 0; i < 6; i++) expect(Math.abs(v[i]! - s[i]!)).toBeLessThanOrEqual(35 * 6 * EPS * 100);
  });
});

describe('solve and det', () => {
  test('solve(A, A·x) ≈ x with error ≤ 35·n·κ·ε for controlled κ (vector and matrix b)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 1, max: 3 }),
        fc.nat(),
        (n, dec, k, seed) => {
          const rng = createRng(seed);
          const kappa = Math.pow(10, dec);
          const a = withSpectrum(rng, n, n, logspace(1, 1 / kappa, n));
          const x = { data: Float64Array.from({ length: n * k }, () => rng.normal()), shape: [n, k] };
          const b = mm(a, x);
          const got = solve(a, b);
          expect(got.shape).toEqual([n, k]);
          const err = norm1({ data: got.data.map((v, i) => v - x.data[i]!), shape: [n, k] }) / norm1(x);
          expect(err).toBeLessThanOrEqual(35 * n * kappa * EPS);
          const gv = solve(a, { data: b.data.filter((_, i) => i % k === 0), shape: [n] });
          expect(gv.shape).toEqual([n]);
        },
      ),
      runs,
    );
  });
  test('det on known matrices (product of LU pivots with the permutation sign)', () => {
    expect(det({ data: Float64Array.of(0, 1, 1, 0), shape: [2, 2] })).toBe(-1);
    // [[2,1],[4,3]]: pivot row 2 (4), then 1 − 0.5·3 = −0.5; sign −1 → det = −(4·−0.5) = 2
    expect(det({ data: Float64Array.of(2, 1, 4, 3), shape: [2, 2] })).toBe(2);
    expect(det({ data: Float64Array.of(2, 0, 0, 0, 3, 0, 0, 0, 4), shape: [3, 3] })).toBe(24);
    expect(det({ data: Float64Array.of(1, 2, 2, 4), shape: [2, 2] })).toBe(0);
    expect(det({ data: new Float64Array(0), shape: [0, 0] })).toBe(1);
    expect(det({ data: Float64Array.of(-7), shape: [1, 1] })).toBe(-7);
  });
  test('|det A| = Π σ_i, and det of 1e200·I (n = 3) overflows only at the end', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.nat(), (n, seed) => {
        const s = logspace(5, 0.2, n);
        const a = withSpectrum(createRng(seed), n, n, s);
        const prod = s.reduce((p, x) => p * x, 1);
        expect(Math.abs(Math.abs(det(a)) - prod)).toBeLessThanOrEqual(35 * n * n * EPS * prod * 25);
      }),
      runs,
    );
    const big = { data: Float64Array.of(1e200, 0, 0, 1e200), shape: [2, 2] };
    expect(det({ data: Float64Array.of(1e-200, 0, 0, 1e200), shape: [2, 2] })).toBeCloseTo(1, 12);
    expect(det(big)).toBe(Infinity);
  });
});
