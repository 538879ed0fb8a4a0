/**
 * spectralRadius (Gelfand's formula by repeated squaring) against independent answers: the
 * largest |eigenvalue| from eigh for symmetric matrices, max |diagonal| for (non-normal) triangular
 * matrices, and closed forms for rotations, Jordan-like blocks and nilpotent matrices. The
 * spectral norm ‖W‖₂ would pass none of the non-normal cases (the "wrong answer" baseline below).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eigh, spectralRadius } from '../../../src/linalg/decomp/index.js';
import { NonFiniteError, ShapeError } from '../../../src/linalg/errors.js';
import { tensor, type Tensor } from '../../../src/linalg/tensor.js';
import { spectralRadius as fromModels } from '../../../src/models/index.js';
import { seeded } from '../../helpers/gradcheck-cases.js';

const sizeSeed = fc.tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 1e6 }));

function symmetric(n: number, seed: number): Tensor {
  const a = seeded([n, n], seed);
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s[i * n + j] = a.data[i * n + j]! + a.data[j * n + i]!;
  return { data: s, shape: [n, n] };
}

/** Upper triangular with the given diagonal and off-diagonal entries of size `off` (non-normal). */
function triangular(n: number, seed: number, off: number): Tensor {
  const a = seeded([n, n], seed);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a.data[i * n + j] = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) a.data[i * n + j]! *= off;
  return a;
}

describe('spectralRadius', () => {
  it('equals max |λ| from eigh on random symmetric matrices (property)', () => {
    fc.assert(
      fc.property(sizeSeed, ([n, seed]) => {
        const w = symmetric(n, seed);
        const want = Math.max(...Array.from(eigh(w).values.data, Math.abs));
        expect(Math.abs(spectralRadius(w) - want)).toBeLessThanOrEqual(1e-10 * want);
      }),
      { numRuns: 60 },
    );
  });

  it('equals max |diagonal| on non-normal upper triangular matrices (property)', () => {
    fc.assert(
      fc.property(sizeSeed, fc.constantFrom(1, 10), ([n, seed], off) => {
        const w = triangular(n, seed, off);
        const want = Math.max(...Array.from({ length: n }, (_, i) => Math.abs(w.data[i * n + i]!)));
        expect(Math.abs(spectralRadius(w) - want)).toBeLessThanOrEqual(1e-9 * want);
      }),
      { numRuns: 60 },
    );
  });

  it('is homogeneous: ρ(c·W) = |c|·ρ(W), also for huge and tiny c (no overflow)', () => {
    const w = seeded([5, 5], 3),
      r = spectralRadius(w);
    for (const c of [-2, 1e-200, 1e200]) {
      const cw = { data: w.data.map((v) => v * c), shape: w.shape };
      expect(spectralRadius(cw) / (Math.abs(c) * r)).toBeCloseTo(1, 10);
    }
  });

  it('known non-symmetric cases: rotations, a Jordan-like block, nilpotent, a complex pair', () => {
    for (const t of [0.7, 1]) {
      const c = Math.cos(t),
        s = Math.sin(t);
      expect(
        spectralRadius(
          tensor([
            [0.5 * c, -0.5 * s],
            [0.5 * s, 0.5 * c],
          ]),
        ),
      ).toBeCloseTo(0.5, 12);
    }
    expect(
      spectralRadius(
        tensor([
          [0, 1],
          [-1, 0],
        ]),
      ),
    ).toBeCloseTo(1, 12);
    expect(
      spectralRadius(
        tensor([
          [0.9, 1, 0],
          [0, 0.9, 1],
          [0, 0, 0.9],
        ]),
      ),
    ).toBeCloseTo(0.9, 9);
    expect(
      spectralRadius(
        tensor([
          [0, 1],
          [0, 0],
        ]),
      ),
    ).toBe(0);
    expect(
      spectralRadius(
        tensor([
          [0, 5, 1],
          [0, 0, 7],
          [0, 0, 0],
        ]),
      ),
    ).toBe(0);
    expect(
      spectralRadius(
        tensor([
          [2, 0],
          [0, -3],
        ]),
      ),
    ).toBeCloseTo(3, 12);
    // companion matrix of λ² − 2λ + 5 (roots 1 ± 2i, |λ| = √5)
    expect(
      spectralRadius(
        tensor([
          [2, -5],
          [1, 0],
        ]),
      ),
    ).toBeCloseTo(Math.sqrt(5), 10);
    // the wrong answer it must not give: ‖W‖₂ of the Jordan-like block is far above 0.9
    expect(
      Math.max(
        ...Array.from(
          eigh(
            tensor([
              [0.81, 0.9, 0],
              [0.9, 1.81, 0.9],
              [0, 0.9, 1.81],
            ]),
          ).values.data,
        ),
      ) ** 0.5,
    ).toBeGreaterThan(1.5);
  });

  it('0×0 gives 0; the models entry point is the same function', () => {
    expect(spectralRadius({ data: new Float64Array(0), shape: [0, 0] })).toBe(0);
    expect(fromModels).toBe(spectralRadius);
  });

  it('typed errors naming spectralRadius: not square, not 2-D, not finite', () => {
    expect(() => spectralRadius(seeded([2, 3], 1))).toThrow(ShapeError);
    expect(() => spectralRadius(seeded([2, 3], 1))).toThrow(/spectralRadius.*square.*2×3/);
    expect(() => spectralRadius(seeded([4], 1))).toThrow(ShapeError);
    expect(() =>
      spectralRadius(
        tensor([
          [1, NaN],
          [0, 1],
        ]),
      ),
    ).toThrow(NonFiniteError);
    expect(() =>
      spectralRadius(
        tensor([
          [1, NaN],
          [0, 1],
        ]),
        { checkFinite: false },
      ),
    ).not.toThrow();
  });
});
