/**
 * Issue 14, items 3 and 5: kernelSpectrum refuses requests above a documented memory cap (naming
 * the size it would need; the caller may raise the cap), and bestMh is linear in mhMax (running
 * sums) and refuses absurd sizes.
 */
import { describe, expect, it } from 'vitest';
import { ValueError } from '../../src/linalg/index.js';
import {
  BEST_MH_MAX,
  KERNEL_SPECTRUM_MAX_BYTES,
  bestMh,
  couplingTarget,
  kernelSpectrum,
  measures,
  powerLawSpectrum,
  transformerBound,
  type Measures,
} from '../../src/theory/index.js';

describe('kernelSpectrum memory cap', () => {
  it.each([
    ['d = 2, grid 200 (was 21.5 GB resident)', { d: 2, grid: 200 }, /N = 40000 .* 47\.7 GiB/],
    ['grid 4000 (was > 20 s)', { grid: 4000 }, /N = 4000 .* 0\.477 GiB/],
    ['grid 1e6 (was a RangeError)', { grid: 1e6 }, /N = 1000000 /],
    [
      'd = 3, 1e5 Monte-Carlo points (was a RangeError)',
      { d: 3, points: 1e5 },
      /N = 100000 quadrature points \(d = 3\)/,
    ],
  ])('refuses %s with the size it would need', (_name, opts, msg) => {
    let calls = 0;
    const rho = (): number => {
      calls++;
      return 1;
    };
    expect(() => kernelSpectrum(rho as never, opts as never)).toThrow(ValueError);
    expect(() => kernelSpectrum(rho as never, opts as never)).toThrow(msg);
    expect(calls).toBe(0); // refused before sampling anything
  });

  it('the cap is documented, explicit and raisable', () => {
    expect(KERNEL_SPECTRUM_MAX_BYTES).toBe(256 * 2 ** 20);
    const rho = (u: number, v: number): number => Math.min(u, v);
    expect(() => kernelSpectrum(rho, { grid: 120, maxBytes: 2 ** 18 })).toThrow(
      /N = 120 .* above the cap of 262144 bytes.*maxBytes/,
    );
    const ok = kernelSpectrum(rho, { grid: 120, maxBytes: 2 ** 20, rank: 1, errorEstimate: false });
    expect(ok.sigma[0]).toBeCloseTo(4 / Math.PI ** 2, 3);
    expect(() => kernelSpectrum(rho, { grid: 8, maxBytes: Number.NaN })).toThrow(/maxBytes/);
  });
});

describe('bestMh is linear in mhMax', () => {
  const m = measures(couplingTarget({ spectrum: powerLawSpectrum(1.5, 64) }), { alpha: 1.5, beta: 0.5 });

  it('calls the per-k measures a constant number of times (running sums, not O(k) per m_h)', () => {
    let c2Calls = 0,
      tailCalls = 0;
    const counted: Measures = {
      ...m,
      c2: (k) => {
        c2Calls++;
        return m.c2(k);
      },
      tail: (k) => {
        tailCalls++;
        return m.tail(k);
      },
    };
    for (const variant of ['printed', 'proof', 'corrected'] as const) {
      c2Calls = 0;
      tailCalls = 0;
      const best = bestMh(counted, { tau: 8, mff: 1e6, mhMax: 5000, variant });
      expect(best.curve.length).toBe(5000);
      expect(c2Calls + tailCalls).toBeLessThanOrEqual(6);
      // the curve is the bound (to rounding) at spot checks across the range, beyond the rank too
      for (const mh of [1, 7, 64, 65, 4999]) {
        const direct = transformerBound(m, { tau: 8, mh, mff: 1e6, variant }).total;
        expect(Math.abs(best.curve[mh - 1]! / direct - 1)).toBeLessThan(1e-12);
      }
    }
  });

  it('refuses absurd sizes with the memory they would need', () => {
    expect(() => bestMh(m, { tau: 8, mff: 10, mhMax: 1e9 })).toThrow(/exceeds the cap 10000000 .* 7629 MiB/);
    expect(() => bestMh(m, { tau: 8, mff: 10, mhMax: BEST_MH_MAX + 1 })).toThrow(ValueError);
    expect(bestMh(m, { tau: 8, mff: 10, mhMax: 3 }).bound.variant).toBe('corrected'); // the default is a bound
  });
});
