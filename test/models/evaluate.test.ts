/**
 * evaluateErrors: the L¹ error E Σ_t |H_t − Ĥ_t| and the MSE, with Monte-Carlo intervals, on cases
 * with known answers; typed errors on shape mismatch and non-finite outputs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NonFiniteError, ShapeError, ValueError, type Tensor } from '../../src/linalg/index.js';
import { evaluateErrors, normalQuantile } from '../../src/models/index.js';

const map =
  (g: (v: number, t: number) => number) =>
  (x: Tensor): Tensor => {
    const [B, T] = [x.shape[0]!, x.shape[1]!];
    return { data: Float64Array.from({ length: B * T }, (_, i) => g(x.data[i]!, i % T)), shape: [B, T] };
  };

describe('evaluateErrors', () => {
  it('a constant offset c gives L¹ = τ|c| and MSE = c² with zero spread', () => {
    fc.assert(
      fc.property(fc.double({ min: -3, max: 3, noNaN: true }), fc.integer({ min: 1, max: 9 }), (c, tau) => {
        const r = evaluateErrors(
          map((v) => v + c),
          map((v) => v),
          { tau, samples: 5, seed: 1 },
        );
        expect(r.l1.mean).toBeCloseTo(tau * Math.abs(c), 12);
        expect(r.mse.mean).toBeCloseTo(c * c, 12);
        expect(r.l1.stderr).toBeLessThan(1e-12);
      }),
      { seed: 1, numRuns: 30 },
    );
  });

  it('Ĥ = 0 against H = x: L¹ = τ/2, MSE = 1/3, inside the 95% interval; the interval covers ~95% of seeds', () => {
    let covered = 0;
    for (let seed = 0; seed < 100; seed++) {
      const r = evaluateErrors(
        map(() => 0),
        { evaluate: map((v) => v) },
        { tau: 4, samples: 64, seed, batchSize: 7 },
      );
      if (r.l1.ciLow <= 2 && 2 <= r.l1.ciHigh) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(88); // binomial(100, 0.95): P(< 88) ≈ 0.1%
    const big = evaluateErrors(
      { forward: map(() => 0) },
      map((v) => v),
      { tau: 4, samples: 4000, seed: 3 },
    );
    expect(Math.abs(big.mse.mean - 1 / 3)).toBeLessThan(4 * big.mse.stderr);
    expect(big.z).toBeCloseTo(1.959964, 6);
  });

  it('typed errors: shapes, non-finite outputs, bad options', () => {
    const wide = (x: Tensor): Tensor => ({ data: new Float64Array(x.shape[0]! * 5), shape: [x.shape[0]!, 5] });
    expect(() =>
      evaluateErrors(
        wide,
        map((v) => v),
        { tau: 4, samples: 4, seed: 0 },
      ),
    ).toThrow(ShapeError);
    expect(() =>
      evaluateErrors(
        wide,
        map((v) => v),
        { tau: 4, samples: 4, seed: 0 },
      ),
    ).toThrow(/model .* \(4, 5\)/);
    expect(() =>
      evaluateErrors(
        map(() => Number.NaN),
        map((v) => v),
        { tau: 4, samples: 4, seed: 0 },
      ),
    ).toThrow(NonFiniteError);
    expect(() =>
      evaluateErrors(
        map((v) => v),
        map((v) => v),
        { tau: 4, samples: 1, seed: 0 },
      ),
    ).toThrow(ValueError);
    expect(() =>
      evaluateErrors(
        map((v) => v),
        map((v) => v),
        { tau: 4, samples: 4, seed: 0, confidence: 1 },
      ),
    ).toThrow(/confidence/);
    expect(() =>
      evaluateErrors(
        {} as never,
        map((v) => v),
        { tau: 4, samples: 4, seed: 0 },
      ),
    ).toThrow(/forward/);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 8);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306, 7);
  });
});
