/** Bad inputs → typed errors whose messages name the op and the shapes. */
import { describe, expect, test } from 'vitest';
import { NonConvergenceError, NonFiniteError, ShapeError, ValueError } from '../../../src/linalg/errors.js';
import {
  cond,
  det,
  eigh,
  lstsq,
  norm,
  pinv,
  qr,
  SingularMatrixError,
  solve,
  svd,
  svdvals,
} from '../../../src/linalg/decomp/index.js';
import { oneSidedJacobi } from '../../../src/linalg/decomp/jacobi.js';
import { createRng } from '../../../src/linalg/random.js';
import type { Tensor } from '../../../src/linalg/tensor.js';
import { gaussian } from '../../helpers/matrices.js';

const m23: Tensor = { data: Float64Array.of(1, 2, 3, 4, 5, 6), shape: [2, 3] };
const sq = (v: number): Tensor => ({ data: Float64Array.of(1, 2, 3, v), shape: [2, 2] });

function throwsNamed(fn: () => unknown, cls: new (...args: never[]) => Error, ...parts: string[]): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(cls);
  for (const p of parts) expect((err as Error).message).toContain(p);
}

const unary: [string, (a: Tensor) => unknown][] = [
  ['svd', (a) => svd(a)],
  ['svdvals', (a) => svdvals(a)],
  ['qr', (a) => qr(a)],
  ['eigh', (a) => eigh(a)],
  ['det', (a) => det(a)],
  ['pinv', (a) => pinv(a)],
  ['cond', (a) => cond(a)],
  ['norm', (a) => norm(a)],
  ['solve', (a) => solve(a, { data: Float64Array.of(1, 1), shape: [2] })],
  ['lstsq', (a) => lstsq(a, { data: Float64Array.of(1, 1), shape: [2] })],
];

describe('NonFiniteError at entry (NaN, ±Inf), opt-out with checkFinite: false', () => {
  for (const [op, f] of unary) {
    for (const bad of [NaN, Infinity, -Infinity]) {
      test(`${op} with ${bad}`, () =>
        throwsNamed(() => f(sq(bad)), NonFiniteError, `${op}:`, String(bad), 'flat index 3'));
    }
  }
  test('solve and lstsq also check b', () => {
    throwsNamed(
      () => solve(sq(1), { data: Float64Array.of(1, NaN), shape: [2] }),
      NonFiniteError,
      'solve:',
      'b contains',
    );
    throwsNamed(
      () => lstsq(sq(1), { data: Float64Array.of(Infinity, 0), shape: [2] }),
      NonFiniteError,
      'lstsq:',
      'b contains',
    );
  });
  test('checkFinite: false skips the check (the caller owns the NaN)', () => {
    expect(() => svdvals(sq(NaN), { checkFinite: false })).not.toThrow(NonFiniteError);
    expect(() => eigh(sq(NaN), { checkFinite: false })).not.toThrow(NonFiniteError);
  });
});

describe('ShapeError naming the op and the shapes', () => {
  for (const [op, f] of unary) {
    if (op === 'norm') continue;
    test(`${op} rejects 1-D and 3-D input`, () => {
      throwsNamed(() => f({ data: Float64Array.of(1, 2), shape: [2] }), ShapeError, `${op}:`, '(2,)');
      throwsNamed(() => f({ data: new Float64Array(8), shape: [2, 2, 2] }), ShapeError, `${op}:`, '(2, 2, 2)');
    });
  }
  test('norm rejects 3-D input', () =>
    throwsNamed(() => norm({ data: new Float64Array(8), shape: [2, 2, 2] }), ShapeError, 'norm:', '(2, 2, 2)'));
  for (const [op, f] of [
    ['solve', (a: Tensor) => solve(a, { data: Float64Array.of(1, 2), shape: [2] })],
    ['det', (a: Tensor) => det(a)],
    ['eigh', (a: Tensor) => eigh(a)],
  ] as const) {
    test(`${op} rejects a non-square matrix`, () =>
      throwsNamed(() => f(m23), ShapeError, `${op}:`, 'square', '(2, 3)'));
  }
  test('mismatched b names both shapes', () => {
    throwsNamed(
      () => solve(sq(1), { data: Float64Array.of(1, 2, 3), shape: [3] }),
      ShapeError,
      'solve:',
      '(2, 2)',
      '(3,)',
    );
    throwsNamed(
      () => lstsq(m23, { data: Float64Array.of(1, 2, 3), shape: [3] }),
      ShapeError,
      'lstsq:',
      '(2, 3)',
      '(3,)',
    );
    throwsNamed(() => solve(sq(1), { data: new Float64Array(8), shape: [2, 2, 2] }), ShapeError, 'solve:', '(2, 2, 2)');
    throwsNamed(() => lstsq(m23, { data: new Float64Array(8), shape: [2, 2, 2] }), ShapeError, 'lstsq:', '(2, 2, 2)');
  });
});

describe('other typed errors', () => {
  test('solve on an exactly singular matrix → SingularMatrixError', () => {
    throwsNamed(
      () => solve({ data: Float64Array.of(1, 2, 2, 4), shape: [2, 2] }, { data: Float64Array.of(1, 1), shape: [2] }),
      SingularMatrixError,
      'solve:',
      'singular',
      '(2, 2)',
    );
  });
  test('bad options → ValueError', () => {
    throwsNamed(() => qr(sq(1), { mode: 'economic' as 'reduced' }), ValueError, 'qr:', 'economic');
    throwsNamed(() => svd(sq(1), { method: 'lapack' as 'auto' }), ValueError, 'svd:', 'lapack');
    throwsNamed(() => svdvals(sq(1), { method: 'qr' as 'auto' }), ValueError, 'svdvals:', 'qr');
    throwsNamed(
      () => lstsq(sq(1), { data: Float64Array.of(1, 1), shape: [2] }, { rcond: -1 }),
      ValueError,
      'lstsq:',
      'rcond',
    );
    throwsNamed(() => pinv(sq(1), { rcond: NaN }), ValueError, 'pinv:', 'rcond');
    throwsNamed(() => norm(sq(1), 3), ValueError, 'norm:', '(2, 2)');
    throwsNamed(() => cond({ data: new Float64Array(0), shape: [0, 0] }), ValueError, 'cond:');
  });
  test('a capped Jacobi iteration reports sweeps and residual (NonConvergenceError)', () => {
    const a = gaussian(createRng(1), 6, 6);
    let err: unknown;
    try {
      oneSidedJacobi('svd', a.data.slice(), 6, 6, null, 1);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NonConvergenceError);
    expect((err as NonConvergenceError).iterations).toBe(1);
    expect((err as NonConvergenceError).residual).toBeGreaterThan(1e-10);
    expect((err as Error).message).toMatch(/^svd: did not converge after 1 iterations/);
  });
});
