import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  couplingTarget,
  linearMemoryTarget,
  powerLawSpectrum,
  randomKernelTarget,
  sineBasis,
} from '../../src/theory/index.js';
import { createRng } from '../../src/linalg/random.js';
import { rand, type Tensor } from '../../src/linalg/tensor.js';
import { NonFiniteError, ShapeError, ValueError } from '../../src/linalg/errors.js';

/** Direct, unbatched evaluation of the paper's target for d = 1, F = f = id. */
function reference(sigma: ArrayLike<number>, x: number[], hard = false): number[] {
  const rho = (u: number, v: number): number => {
    let s = 0;
    for (let k = 1; k <= sigma.length; k++)
      s += sigma[k - 1]! * 2 * Math.sin(2 * k * Math.PI * u) * Math.sin(2 * k * Math.PI * v);
    return s;
  };
  return x.map((xt) => {
    const l = x.map((xs) => rho(xt, xs));
    if (hard) return x[l.indexOf(Math.max(...l))]!;
    const w = l.map(Math.exp);
    const z = w.reduce((a, b) => a + b, 0);
    return x.reduce((acc, xs, s) => acc + (w[s]! / z) * xs, 0);
  });
}

describe('couplingTarget', () => {
  it('matches a direct evaluation of F(Σ softmax ρ f) with the sine basis (soft and hard max)', () => {
    fc.assert(
      fc.property(
        // σ = 0 or ≥ 0.01: subnormal σ makes hard-max ties depend on rounding, not on the target
        fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 2, noNaN: true })), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.integer({ min: 0, max: 1000 }),
        (sigma, seed) => {
          const x = rand(createRng(seed), [3, 7, 1]);
          for (const hardMax of [false, true]) {
            const y = couplingTarget({ spectrum: sigma, hardMax }).evaluate(x);
            expect(y.shape).toEqual([3, 7]);
            for (let b = 0; b < 3; b++) {
              const ref = reference(sigma, Array.from(x.data.subarray(b * 7, b * 7 + 7)), hardMax);
              expect(y.data.subarray(b * 7, b * 7 + 7)).toBeAllclose(ref, { rtol: 1e-12, atol: 1e-14 });
            }
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('the fast sine recurrence matches direct Math.sin evaluation at high rank (r = 1024)', () => {
    const spectrum = powerLawSpectrum(0.55, 1024);
    const x = rand(createRng(4), [2, 8, 1]);
    const fast = couplingTarget({ spectrum }).evaluate(x);
    const direct = couplingTarget({ spectrum, basis: sineBasis(1024) }).evaluate(x);
    expect(fast).toBeAllclose(direct, { rtol: 1e-11, atol: 1e-12 });
    const H = couplingTarget({ spectrum }),
      G = couplingTarget({ spectrum, basis: sineBasis(1024) });
    for (const [u, v] of [
      [0.1, 0.7],
      [0.33, 0.33],
      [0.999, 0.001],
    ] as const) {
      expect(H.coupling(Float64Array.of(u), Float64Array.of(v))).toBeAllclose(
        G.coupling(Float64Array.of(u), Float64Array.of(v)),
        { rtol: 1e-10, atol: 1e-11 },
      );
    }
  });

  it('is permutation-equivariant without position encoding, and not with it', () => {
    const H = couplingTarget({ spectrum: powerLawSpectrum(1, 4) });
    const Hp = couplingTarget({ spectrum: powerLawSpectrum(1, 4), tau: 6, positionEncoding: 'sinusoidal' });
    const x = rand(createRng(3), [2, 6, 1]);
    const p = [5, 0, 3, 1, 4, 2];
    const xp: Tensor = {
      data: Float64Array.from({ length: 12 }, (_, i) => x.data[Math.floor(i / 6) * 6 + p[i % 6]!]!),
      shape: [2, 6, 1],
    };
    const y = H.evaluate(x).data,
      yp = H.evaluate(xp).data;
    for (let i = 0; i < 12; i++) expect(yp[i]!).toBeCloseTo(y[Math.floor(i / 6) * 6 + p[i % 6]!]!, 13);
    const z = Hp.evaluate(x).data,
      zp = Hp.evaluate(xp).data;
    let maxDiff = 0;
    for (let i = 0; i < 12; i++) maxDiff = Math.max(maxDiff, Math.abs(zp[i]! - z[Math.floor(i / 6) * 6 + p[i % 6]!]!));
    expect(maxDiff).toBeGreaterThan(1e-3);
  });

  it('supports custom bases, maps, d > 1 and a custom position encoding', () => {
    const H = couplingTarget({
      spectrum: [1],
      d: 2,
      tau: 3,
      basis: { phi: [(u) => u[0]!], psi: [(u) => u[1]!] },
      f: (u) => [u[0]!, u[1]!],
      F: (z) => z[0]! * z[1]!,
      positionEncoding: (t, u) => Float64Array.of(u[0]! + t, u[1]!),
    });
    const x: Tensor = { data: Float64Array.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6), shape: [1, 3, 2] };
    const tok = [
      [0.1, 0.2],
      [1.3, 0.4],
      [2.5, 0.6],
    ];
    const expected = tok.map((q) => {
      const w = tok.map((k) => Math.exp(q[0]! * k[1]!));
      const Z = w.reduce((a, b) => a + b, 0);
      const z0 = tok.reduce((a, k, s) => a + (w[s]! / Z) * k[0]!, 0),
        z1 = tok.reduce((a, k, s) => a + (w[s]! / Z) * k[1]!, 0);
      return z0 * z1;
    });
    expect(H.evaluate(x)).toBeAllclose({ data: Float64Array.from(expected), shape: [1, 3] }, { rtol: 1e-13 });
    expect(H.coupling(Float64Array.of(2, 0), Float64Array.of(0, 3))).toBe(6);
  });

  it('the sine basis is orthonormal on [0,1] (midpoint quadrature, exact for these frequencies)', () => {
    const B = sineBasis(4),
      N = 64;
    for (let a = 0; a < 4; a++)
      for (let b = 0; b < 4; b++) {
        let g = 0;
        for (let i = 0; i < N; i++)
          g += (B.phi[a]!(Float64Array.of((i + 0.5) / N)) * B.phi[b]!(Float64Array.of((i + 0.5) / N))) / N;
        expect(g).toBeCloseTo(a === b ? 1 : 0, 13);
      }
  });

  it('rejects bad specs and inputs', () => {
    expect(() => couplingTarget({ spectrum: [] })).toThrow(ValueError);
    expect(() => couplingTarget({ spectrum: [1, Number.NaN] })).toThrow(NonFiniteError);
    expect(() => couplingTarget({ spectrum: [1], d: 2 })).toThrow(/sine basis/);
    expect(() => couplingTarget({ spectrum: [1], positionEncoding: 'sinusoidal' })).toThrow(/tau/);
    expect(() => couplingTarget({ spectrum: [1, 1], basis: { phi: [() => 1], psi: [() => 1] } })).toThrow(/rank 2/);
    const H = couplingTarget({ spectrum: [1] });
    expect(() => H.evaluate({ data: new Float64Array(4), shape: [2, 2] })).toThrow(ShapeError);
    expect(() => H.evaluate({ data: new Float64Array(8), shape: [2, 2, 2] })).toThrow(ShapeError);
    const Ht = couplingTarget({ spectrum: [1], tau: 2, positionEncoding: 'sinusoidal' });
    expect(() => Ht.evaluate({ data: new Float64Array(3), shape: [1, 3, 1] })).toThrow(/exceeds/);
  });
});

describe('linearMemoryTarget and randomKernelTarget', () => {
  it('computes Σ_{s≤t} ρ(s) x(t−s) (array, function and (L, d) tensor memories)', () => {
    const x: Tensor = { data: Float64Array.of(1, 2, 3, 4), shape: [1, 4, 1] };
    expect(linearMemoryTarget([1, 10, 100]).evaluate(x).data).toEqual(Float64Array.of(1, 12, 123, 234));
    const e = linearMemoryTarget((s) => 2 ** -s).evaluate(x).data;
    expect(e).toBeAllclose([1, 2.5, 4.25, 6.125], { rtol: 1e-15 });
    const H2 = linearMemoryTarget({ data: Float64Array.of(1, 0, 0, 1), shape: [2, 2] });
    const x2: Tensor = { data: Float64Array.of(1, 2, 3, 4), shape: [1, 2, 2] };
    expect(H2.evaluate(x2).data).toEqual(Float64Array.of(1, 3 + 2));
    expect(linearMemoryTarget([1], { anticausal: [5] }).evaluate(x).data).toEqual(Float64Array.of(11, 17, 23, 4));
  });

  it('randomKernelTarget draws ρ ~ U[0,1] from its seed', () => {
    const a = randomKernelTarget({ tau: 32, seed: 7 }),
      b = randomKernelTarget({ tau: 32, seed: 7 }),
      c = randomKernelTarget({ tau: 32, seed: 8 });
    expect(a.rho).toEqual(b.rho);
    expect(a.rho).not.toEqual(c.rho);
    expect(Math.min(...a.rho)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a.rho)).toBeLessThan(1);
    expect(a.memory(32)).toEqual(a.rho);
    expect(a.tau).toBe(32);
  });

  it('rejects bad memories and inputs', () => {
    expect(() => linearMemoryTarget([])).toThrow(ValueError);
    expect(() => linearMemoryTarget([1, Infinity])).toThrow(NonFiniteError);
    expect(() => linearMemoryTarget((s) => (s > 1 ? Number.NaN : 1)).evaluate(rand(createRng(0), [1, 4, 1]))).toThrow(
      NonFiniteError,
    );
    expect(() => linearMemoryTarget([1]).evaluate(rand(createRng(0), [1, 4, 2]))).toThrow(ShapeError);
    expect(() => randomKernelTarget({ tau: 0, seed: 1 })).toThrow(ValueError);
  });
});
