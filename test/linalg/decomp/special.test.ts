/** Classic hard or degenerate matrices through every SVD method and eigh. */
import { describe, expect, test } from 'vitest';
import { eigh, svd, svdvals } from '../../../src/linalg/decomp/index.js';
import type { Tensor } from '../../../src/linalg/tensor.js';
import { EPS, orthColsRatio, orthRowsRatio, reconstructionRatio } from './residuals.js';

function make(n: number, m: number, f: (i: number, j: number) => number): Tensor {
  const d = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) d[i * m + j] = f(i, j);
  return { data: d, shape: [n, m] };
}

/** Kahan's matrix (Higham ASNA §8.3): upper triangular, ill-conditioned, QRCP-resistant. */
function kahan(n: number, theta: number): Tensor {
  const s = Math.sin(theta),
    c = Math.cos(theta);
  return make(n, n, (i, j) => (j < i ? 0 : Math.pow(s, i) * (i === j ? 1 : -c)));
}

const special: [string, Tensor, number[] | null][] = [
  ['identity 7', make(7, 7, (i, j) => (i === j ? 1 : 0)), [1, 1, 1, 1, 1, 1, 1]],
  ['ones 6×4 (rank 1)', make(6, 4, () => 1), [Math.sqrt(24), 0, 0, 0]],
  ['Hilbert 8', make(8, 8, (i, j) => 1 / (i + j + 1)), null],
  ['Kahan 12', kahan(12, 1.2), null],
  ['diag(1, 1e-20, 1e20, -3)', make(4, 4, (i, j) => (i === j ? [1, 1e-20, 1e20, -3][i]! : 0)), [1e20, 3, 1, 1e-20]],
  [
    'bidiagonal with tiny superdiagonal',
    make(6, 6, (i, j) => (i === j ? 6 - i : j === i + 1 ? 1e-200 : 0)),
    [6, 5, 4, 3, 2, 1],
  ],
  ['single column 9×1', make(9, 1, (i) => i - 4), [Math.sqrt(60)]],
  ['single row 1×9', make(1, 9, (_, j) => j - 4), [Math.sqrt(60)]],
  [
    'repeated singular values 2×orthogonal',
    make(5, 5, (i, j) => 2 * Math.sqrt(2 / 6) * Math.sin(((i + 1) * (j + 1) * Math.PI) / 6)),
    [2, 2, 2, 2, 2],
  ],
];

describe('special matrices', () => {
  for (const [name, a, exact] of special) {
    for (const method of ['auto', 'jacobi', 'golub-kahan'] as const) {
      test(`${name} (${method})`, () => {
        const { u, s, vt } = svd(a, { method, full: true });
        expect(reconstructionRatio(a, u, s, vt)).toBeLessThan(35);
        expect(orthColsRatio(u)).toBeLessThan(35);
        expect(orthRowsRatio(vt)).toBeLessThan(35);
        const [m, n] = a.shape as [number, number];
        if (exact) {
          for (let i = 0; i < exact.length; i++) {
            // diagonal inputs: every method is exact up to rounding relative to each σ
            const tol =
              name.startsWith('diag') || name.startsWith('bidiagonal')
                ? 4 * EPS * exact[i]!
                : 35 * Math.max(m, n) * EPS * exact[0]!;
            expect(Math.abs(s.data[i]! - exact[i]!)).toBeLessThanOrEqual(tol);
          }
        }
        expect(svdvals(a, { method })).toBeAllclose(s, { rtol: 0, atol: 35 * Math.max(m, n) * EPS * s.data[0]! });
      });
    }
  }
  test('eigh of the Hilbert matrix: positive definite, residual small', () => {
    const a = special[2]![1];
    const { values } = eigh(a);
    expect(values.data[0]).toBeGreaterThan(0);
    expect(values.data[7]).toBeCloseTo(1.6959389969219498, 12);
  });
});
