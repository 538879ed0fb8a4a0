/** lstsq, pinv, solve, det and norm on every entry of the shared case table. */
import { describe, expect, test } from 'vitest';
import { det, lstsq, norm, pinv, solve, svdvals } from '../../../src/linalg/decomp/index.js';
import { createRng } from '../../../src/linalg/random.js';
import type { Tensor } from '../../../src/linalg/tensor.js';
import { caseTable, gaussian } from '../../helpers/matrices.js';
import { EPS, mm, norm1, tr, unitScale } from './residuals.js';

const scaledCopy = (a: Tensor, c: number): Tensor => ({ data: a.data.map((x) => x * c), shape: a.shape });

describe('every case of the table', () => {
  for (const c of caseTable()) {
    const [m, n] = c.a.shape as [number, number];
    test(`${c.tag} ${m}×${n}: lstsq, pinv, norm${m === n ? ', solve, det' : ''}`, () => {
      // Work on the exactly rescaled matrix so that residual norms stay representable.
      const a = scaledCopy(c.a, unitScale(c.a));
      const s = svdvals(a).data;
      const b = gaussian(createRng(m * 31 + n), m, 2);
      const r = lstsq(a, b);
      expect(r.x.shape).toEqual([n, 2]);
      expect(r.s).toBeAllclose(s, { rtol: 1e-14, atol: 0 });
      if (c.s) expect(r.rank).toBe(c.s.filter((x) => x > Number.EPSILON * Math.max(m, n) * (c.s![0] ?? 0)).length);
      const an = norm1(a);
      if (m * n > 0 && an > 0 && r.rank === Math.min(m, n)) {
        // residual ⟂ range(A): ‖Aᵀ(b − Ax)‖ / (‖A‖·(‖A‖‖x‖ + ‖b‖)·max(m,n)·ε·κ) with κ = σ1/σ_rank bounded by the case
        const res = mm(a, r.x);
        const rr = { data: b.data.map((v, i) => v - res.data[i]!), shape: [m, 2] };
        const ratio = norm1(mm(tr(a), rr)) / (an * (an * norm1(r.x) + norm1(b)) * Math.max(m, n) * EPS);
        expect(ratio).toBeLessThan(35);
      }
      // pinv: A·A⁺·A = A to O(ε·κ) (κ of the retained part)
      const p = pinv(a);
      expect(p.shape).toEqual([n, m]);
      if (m * n > 0 && an > 0) {
        const k = s[0]! / s[r.rank - 1]!;
        const d = mm(mm(a, p), a);
        const err = norm1({ data: d.data.map((v, i) => v - a.data[i]!), shape: [m, n] }) / an;
        expect(err).toBeLessThan(35 * Math.max(m, n) * EPS * Math.max(1, k));
      }
      expect(norm(a, 2)).toBe(s[0] ?? 0);
      if (m === n && n > 0 && r.rank === n) {
        const x = gaussian(createRng(n), n, 1);
        const kappa = s[0]! / s[n - 1]!;
        const got = solve(a, mm(a, x));
        const err = norm1({ data: got.data.map((v, i) => v - x.data[i]!), shape: [n, 1] }) / norm1(x);
        expect(err).toBeLessThanOrEqual(35 * n * kappa * EPS);
        const prod = s.reduce((q, v) => q * v, 1);
        expect(Math.abs(Math.abs(det(a)) - prod)).toBeLessThanOrEqual(35 * n * n * EPS * kappa * prod);
      }
      if (m === n && r.rank < n) expect(Math.abs(det(a))).toBeLessThanOrEqual(35 * n * EPS * (s[0] ?? 0) ** n);
    });
  }
});

describe('0-size solve/det/eigh like numpy', () => {
  test('solve(0×0, (0,)) → (0,), solve(0×0, (0, 3)) → (0, 3), det(0×0) = 1', () => {
    const z: Tensor = { data: new Float64Array(0), shape: [0, 0] };
    expect(solve(z, { data: new Float64Array(0), shape: [0] }).shape).toEqual([0]);
    expect(solve(z, { data: new Float64Array(0), shape: [0, 3] }).shape).toEqual([0, 3]);
    expect(det(z)).toBe(1);
  });
});
