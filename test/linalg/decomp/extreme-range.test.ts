/**
 * Decompositions over the whole float64 range (issue 14, items 9 and 10): subnormal input to
 * QR / lstsq (LAPACK dlarfg's safe scaling, exact power-of-two prescaling), and SVD of matrices
 * whose rows and columns are graded over the whole range, subnormals included (orthogonality O(nε)
 * of U and V and a normwise backward error O(nε) plus the subnormal rounding of σ, both algorithms).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/linalg/random.js';
import { lstsq, qr, svd } from '../../../src/linalg/decomp/index.js';
import { makeReflector } from '../../../src/linalg/decomp/householder.js';
import type { Tensor } from '../../../src/linalg/tensor.js';

const EPS = Number.EPSILON;

/** Gaussian m×n, row i scaled by rowScale(i) and entry (i, j) by 2^exp2(i, j) (two exact factors). */
function gaussianMat(
  m: number,
  n: number,
  seed: number,
  rowScale: (i: number) => number = () => 1,
  exp2: (i: number, j: number) => number = () => 0,
): Tensor {
  const rng = createRng(seed);
  const d = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const e = exp2(i, j),
        h = Math.trunc(e / 2);
      d[i * n + j] = rng.normal() * rowScale(i) * 2 ** h * 2 ** (e - h);
    }
  }
  return { data: d, shape: [m, n] };
}

/** max |(QᵀQ − I)_ij| for Q m×k row-major. */
function orthErr(q: Tensor): number {
  const [m, k] = [q.shape[0]!, q.shape[1]!];
  let e = 0;
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += q.data[i * k + a]! * q.data[i * k + b]!;
      e = Math.max(e, Math.abs(s - (a === b ? 1 : 0)));
    }
  }
  return e;
}

/** Frobenius norm without overflow or underflow (scaled sum of squares). */
function fro(x: ArrayLike<number>): number {
  let scale = 0,
    ssq = 1;
  for (let i = 0; i < x.length; i++) {
    const v = Math.abs(x[i]!);
    if (v === 0) continue;
    if (scale < v) {
      ssq = 1 + ssq * (scale / v) ** 2;
      scale = v;
    } else ssq += (v / scale) ** 2;
  }
  return scale * Math.sqrt(ssq);
}

/**
 * ‖A − U·diag(s)·Vᵀ‖_F / ‖A‖_F, computed after scaling A and s by the same exact power of two
 * (max|a_ij| → [1, 2)): no overflow for entries up to 1e308, no rounding to the subnormal grid for
 * tiny ones (the residual of subnormal data would otherwise be measured to 2^-1074 only).
 */
function backwardError(a0: Tensor, u: Tensor, s0: Tensor, vt: Tensor): number {
  const e = -Math.floor(Math.log2(a0.data.reduce((mx, v) => Math.max(mx, Math.abs(v)), 0)));
  const a = times(a0, e),
    s = times(s0, e);
  const [m, n] = [a.shape[0]!, a.shape[1]!],
    k = s.data.length,
    uc = u.shape[1]!;
  const r = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let t = 0; t < k; t++) acc += u.data[i * uc + t]! * s.data[t]! * vt.data[t * n + j]!;
      r[i * n + j] = a.data[i * n + j]! - acc;
    }
  }
  return fro(r) / fro(a.data);
}

/** t·2^e, applied in two exact factors so that 2^±1060 does not overflow to Infinity or 0. */
const times = (t: Tensor, e: number): Tensor => {
  const h1 = 2 ** Math.trunc(e / 2),
    h2 = 2 ** (e - Math.trunc(e / 2));
  return { data: t.data.map((v) => v * h1 * h2), shape: t.shape };
};

/** The transpose of row-major `t` (rows of Vᵀ become columns). */
const tr = (t: Tensor): Tensor => {
  const [r, c] = [t.shape[0]!, t.shape[1]!];
  return {
    data: Float64Array.from({ length: r * c }, (_, k) => t.data[(k % r) * c + Math.floor(k / r)]!),
    shape: [c, r],
  };
};

describe('makeReflector (xLARFG) at any magnitude', () => {
  it('H·x = β·e1 with finite τ and v for vectors from subnormal to 1e300 (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 2, maxLength: 6 }),
        fc.integer({ min: -1074, max: 995 }),
        (raw, k) => {
          const x = Float64Array.from(raw, (v) => v * 2 ** k);
          if (x.slice(1).every((v) => v === 0)) return;
          const a = x.slice();
          const tau = makeReflector(a, 0, a.length);
          const beta = a[0]!;
          expect(Number.isFinite(tau) && Number.isFinite(beta) && a.every(Number.isFinite)).toBe(true);
          // H·x = x − τ·v·(vᵀx), v = [1, a[1..]]: must equal β·e1 relative to ‖x‖
          let w = x[0]!;
          for (let i = 1; i < a.length; i++) w += a[i]! * x[i]!;
          const hx = Array.from(x, (xi, i) => xi - tau * (i === 0 ? 1 : a[i]!) * w);
          // relative to ‖x‖, plus a few units of the subnormal spacing 2^-1074 (β itself rounds there)
          const nx = fro(x),
            tol = 10 * EPS * nx + 16 * Number.MIN_VALUE;
          expect(Math.abs(hx[0]! - beta)).toBeLessThanOrEqual(tol);
          for (let i = 1; i < hx.length; i++) expect(Math.abs(hx[i]!)).toBeLessThanOrEqual(tol);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('qr and lstsq on subnormal data (issue 14 item 9)', () => {
  it('qr([[1e-310], [1e-310]]) has an orthonormal Q and R = −√2·1e-310', () => {
    const { q, r } = qr({ data: Float64Array.of(1e-310, 1e-310), shape: [2, 1] });
    expect(q.data.every(Number.isFinite)).toBe(true);
    expect(orthErr(q)).toBeLessThan(4 * EPS);
    expect(Math.abs(r.data[0]!) / (Math.SQRT2 * 1e-310) - 1).toBeLessThan(1e-12); // subnormal R: 44 bits
  });

  it("40×30 at 1e-310: Q orthonormal, Q·R = A, R equals the scaled problem's R", () => {
    const a = { data: gaussianMat(40, 30, 1).data.map((v) => v * 1e-310), shape: [40, 30] };
    const { q, r } = qr(a);
    expect(orthErr(q)).toBeLessThan(30 * 40 * EPS);
    // the same matrix scaled up by an exact power of two (no rounding) is an ordinary QR
    const up = times(a, 1060);
    const ref = qr(up);
    expect(q).toBeAllclose(ref.q, { rtol: 0, atol: 1e-13 });
    expect(times(r, 1060)).toBeAllclose(ref.r, { rtol: 0, atol: 1e-13 * fro(ref.r.data) });
  });

  it('a subnormal column beside a normal one keeps Q finite and orthonormal', () => {
    const { q } = qr({ data: Float64Array.of(1, 1e-320, 1, 3e-320, 1, -2e-320), shape: [3, 2] });
    expect(q.data.every(Number.isFinite)).toBe(true);
    expect(orthErr(q)).toBeLessThan(8 * EPS);
  });

  it('lstsq 40×30 at 1e-310 equals the solution of the exactly scaled-up problem', () => {
    const a = { data: gaussianMat(40, 30, 2).data.map((v) => v * 1e-310), shape: [40, 30] };
    const b = { data: gaussianMat(40, 1, 3).data.map((v) => v * 1e-310), shape: [40, 1] };
    const bb: Tensor = { data: b.data, shape: [40] };
    const { x, residuals, s } = lstsq(a, bb);
    const ref = lstsq(times(a, 1060), times(bb, 1060));
    expect(x.data.every(Number.isFinite)).toBe(true);
    expect(x).toBeAllclose(ref.x, { rtol: 0, atol: 1e-13 * fro(ref.x.data) });
    expect(residuals.data[0]).toBe(0); // ‖r‖² ≈ 1e-620 is below the float64 range: 0 is its rounding
    expect(times(s, 1060)).toBeAllclose(ref.s, { rtol: 1e-13, atol: 0 });
  });
});

describe('svd of extremely row-graded matrices (issue 14 item 10)', () => {
  const methods = ['auto', 'jacobi', 'golub-kahan'] as const;
  for (const method of methods) {
    it(`40×30, rows 1e150 … 1e-150 (${method}): ‖UᵀU − I‖, ‖VᵀV − I‖ and the backward error are O(nε)`, () => {
      const a = gaussianMat(40, 30, 7, (i) => 10 ** (150 - (300 * i) / 39));
      const { u, s, vt } = svd(a, { method });
      expect(orthErr(u)).toBeLessThan(30 * 30 * EPS);
      expect(orthErr(tr(vt))).toBeLessThan(30 * 30 * EPS);
      expect(backwardError(a, u, s, vt)).toBeLessThan(30 * 40 * EPS);
    });
  }

  /**
   * Row exponents over the whole float64 range: a top exponent t, and rows either within 600
   * binary orders below it or in the band that lands, after svd's exact prescaling of max|a_ij|
   * into [2^-500, 2^500], in or just above the subnormal range (2^-1090 … 2^-990). Columns of the
   * Jacobi iterate there carry only absolute precision 2^-1074 — the class of the Jacobi stall
   * (fixture jacobi-stall-subnormal-column) and of the Golub–Kahan shift underflow.
   */
  const rowExps = fc.integer({ min: -1100, max: 1018 }).chain((t) => {
    const top = t > 500 ? 500 : t < -500 ? 0 : t; // where the prescaling puts 2^t
    const band = fc.integer({ min: -1090, max: -990 }).map((b) => b + t - top);
    const near = fc.integer({ min: -600, max: 0 }).map((r) => t + r);
    return fc.array(fc.oneof(band, near), { minLength: 7, maxLength: 7 }).map((rest) => [t, ...rest]);
  });

  it('random row and column gradings over the whole float64 range, subnormals included (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 8 }),
        fc.integer({ min: 1, max: 6 }),
        rowExps,
        fc.array(fc.integer({ min: -60, max: 60 }), { minLength: 6, maxLength: 6 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.constantFrom(...methods),
        fc.boolean(),
        (m, n, kr, kc, seed, method, wide) => {
          const g = gaussianMat(
            m,
            n,
            seed,
            () => 1,
            (i, j) => Math.max(-1100, Math.min(1018, kr[i]! + kc[j]!)),
          );
          const a = wide ? tr(g) : g;
          fc.pre(a.data.some((v) => v !== 0));
          const { u, s, vt } = svd(a, { method });
          const k = Math.min(m, n);
          expect(orthErr(u)).toBeLessThan(10 * k * EPS + 1e-15);
          expect(orthErr(tr(vt))).toBeLessThan(10 * k * EPS + 1e-15);
          // each σ_i is rounded to the subnormal grid when tiny: ‖A − UΣVᵀ‖ ≤ c·ε·‖A‖ + k·2^-1074
          const floor = (k * Number.MIN_VALUE) / fro(a.data);
          expect(backwardError(a, u, s, vt)).toBeLessThan(10 * Math.max(m, n) * EPS + floor);
        },
      ),
      { numRuns: 300 },
    );
  });
});
