/**
 * Regression tests of issue 14 item 13 (theory side): flat data with an offset has no identifiable
 * exponent, and quadrature needs a positive integer number of points.
 */
import { describe, expect, it } from 'vitest';
import { ValueError } from '../../src/linalg/index.js';
import { fitExponential, fitPowerLaw, quadrature } from '../../src/theory/index.js';

describe('fits with offset on flat data (item 13)', () => {
  const x = [1, 2, 4, 8, 16, 32];
  it.each([3, -2, 1e-9, 1e9])('fitPowerLaw refuses y ≡ %s with offset: true', (c) => {
    expect(() =>
      fitPowerLaw(
        x,
        x.map(() => c),
        { offset: true },
      ),
    ).toThrow(/^fitPowerLaw: the data are flat/);
    expect(() =>
      fitExponential(
        x,
        x.map(() => c),
        { offset: true },
      ),
    ).toThrow(/^fitExponential: the data are flat/);
  });
  it('a real decay with an offset is still fitted (the baseline the check must not reject)', () => {
    const r = fitPowerLaw(
      x,
      x.map((v) => 2 * v ** -1.5 + 3),
      { offset: true, bootstrap: 50 },
    );
    expect(r.exponent).toBeCloseTo(1.5, 6);
    expect(r.offset).toBeCloseTo(3, 6);
  });
});

describe('quadrature point counts (item 13)', () => {
  it.each([0, -1, 2.5, NaN, Infinity])('n = %s is a ValueError for both methods', (n) => {
    for (const method of ['grid', 'montecarlo'] as const) {
      expect(() => quadrature([0], [1], n, method)).toThrow(ValueError);
      expect(() => quadrature([0], [1], n, method)).toThrow(
        /^quadrature: n \(points per axis or Monte-Carlo points\) must be an integer >= 1/,
      );
    }
  });
  it('n = 3 still gives 3 midpoints with weights 1/3', () => {
    const { points, weights } = quadrature([0], [1], 3, 'grid');
    expect(Array.from(points)).toEqual([1 / 6, 0.5, 5 / 6]);
    expect(Array.from(weights)).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });
});
