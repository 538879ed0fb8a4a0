/**
 * Issue 9, family 5 (RNN side): for memories `ρ(s) = Σ_{j≤K} a_j e^{−λ_j s}` the exact diagonal
 * linear RNN (m ≥ K) reproduces the target to round-off; for m < K a reduced RNN — **[ours]** the m
 * slowest rates kept on the diagonal of W, the readout c fitted by least squares (Householder QR)
 * to the kernel on s = 0..τ−1 — has sup error ≤ rnnBound; memories without exponential decay get
 * C_RNN = ∞ with a reason.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng, lstsq, type Tensor } from '../../src/linalg/index.js';
import { LinearRNN, evaluateErrors } from '../../src/models/index.js';
import { linearMemoryTarget, rnnBound, rnnComplexity } from '../../src/theory/index.js';

const expSum =
  (a: readonly number[], lam: readonly number[]) =>
  (s: number): number =>
    a.reduce((acc, aj, j) => acc + aj * Math.exp(-lam[j]! * s), 0);

/** The diagonal linear RNN with W = diag(e^{−μ_i}), U = 1, readout c: kernel Σ_i c_i e^{−μ_i s}. */
function diagonalRnn(mu: readonly number[], c: ArrayLike<number>): LinearRNN {
  const m = mu.length,
    net = new LinearRNN({ d: 1, hidden: m }, { seed: 0 });
  const W: Tensor = { data: new Float64Array(m * m), shape: [m, m] };
  mu.forEach((v, i) => {
    W.data[i * m + i] = Math.exp(-v);
  });
  net.params = {
    W,
    U: { data: new Float64Array(m).fill(1), shape: [m, 1] },
    c: { data: Float64Array.from(c), shape: [m, 1] },
  };
  return net;
}

/** The reduced RNN: the m slowest rates, c by least squares on the kernel at s = 0..τ−1. */
function reducedRnn(rho: (s: number) => number, lam: readonly number[], m: number, tau: number): LinearRNN {
  const mu = [...lam].sort((x, y) => x - y).slice(0, m);
  const A = new Float64Array(tau * m),
    b = new Float64Array(tau);
  for (let s = 0; s < tau; s++) {
    b[s] = rho(s);
    mu.forEach((v, i) => {
      A[s * m + i] = Math.exp(-v * s);
    });
  }
  return diagonalRnn(mu, lstsq({ data: A, shape: [tau, m] }, { data: b, shape: [tau] }).x.data);
}

/** `sup_{x ∈ [0,1]^τ} max_t |H_t − Ĥ_t|` of two causal convolutions: max_t max(Σ_{s≤t} Δ⁺, Σ_{s≤t} Δ⁻). */
function supError(rho: (s: number) => number, net: LinearRNN, tau: number): number {
  const k = net.kernels(tau).data;
  let pos = 0,
    neg = 0;
  for (let s = 0; s < tau; s++) {
    const d = rho(s) - k[s]!;
    if (d > 0) pos += d;
    else neg -= d;
  }
  return Math.max(pos, neg); // the partial sums grow with t: t = τ − 1 is the worst
}

const memoryArb = fc.integer({ min: 2, max: 6 }).chain((K) =>
  fc.record({
    a: fc.array(fc.double({ min: 0.05, max: 2, noNaN: true }), { minLength: K, maxLength: K }),
    lam: fc.uniqueArray(fc.double({ min: 0.1, max: 2, noNaN: true }), {
      minLength: K,
      maxLength: K,
      comparator: (x, y) => Math.abs(x - y) < 0.05,
    }),
  }),
);

describe('linear RNNs on sums of exponentials', () => {
  it('m ≥ K: the exact diagonal RNN reproduces the target to round-off', () => {
    fc.assert(
      fc.property(memoryArb, fc.integer({ min: 0, max: 3 }), ({ a, lam }, extra) => {
        const rho = expSum(a, lam);
        const net = diagonalRnn(
          [...lam, ...Array.from({ length: extra }, (_, i) => 0.5 + i)],
          [...a, ...new Array<number>(extra).fill(0)],
        );
        const r = evaluateErrors(net, linearMemoryTarget(rho), { tau: 32, samples: 8, seed: 3 });
        const scale = a.reduce((s, v) => s + v, 0) / (1 - Math.exp(-Math.min(...lam)));
        expect(r.l1.mean).toBeLessThan(1e-13 * 32 * scale);
      }),
      { seed: 5, numRuns: 20 },
    );
  });

  it('m < K: the reduced RNN has sup error ≤ rnnBound (d C_RNN / m), and a bound 20× smaller is caught', () => {
    let caught = false;
    fc.assert(
      fc.property(memoryArb, fc.integer({ min: 1, max: 5 }), ({ a, lam }, m0) => {
        const K = a.length,
          m = Math.min(m0, K - 1),
          tau = 32,
          rho = expSum(a, lam);
        const net = reducedRnn(rho, lam, m, tau);
        const sup = supError(rho, net, tau);
        const c = rnnComplexity(Float64Array.from({ length: 256 }, (_, s) => rho(s)));
        expect(c.decayModel).toBe('exponential');
        const bound = rnnBound(c, { d: 1, m }).jiangLi;
        expect(sup).toBeLessThanOrEqual(bound);
        // the measured error on random inputs never exceeds the sup (consistency of the two measures)
        const e = evaluateErrors(net, linearMemoryTarget(rho), { tau, samples: 8, seed: 1 });
        expect(e.l1.mean / tau).toBeLessThanOrEqual(sup * (1 + 1e-12));
        if (sup > bound / 20) caught = true;
      }),
      { seed: 9, numRuns: 30 },
    );
    expect(caught).toBe(true);
  });
});

describe('rnnComplexity without exponential decay', () => {
  it.each([32, 128])('(1 + s)^-1.5 over a window of %s: C_RNN = ∞ with the reason (was 17 at 32, 64 at 128)', (L) => {
    const c = rnnComplexity(Float64Array.from({ length: L }, (_, s) => (1 + s) ** -1.5));
    expect(c.decayModel).toBe('polynomial');
    expect(c.cRnn).toBe(Infinity);
    expect(c.c1).toBe(Infinity);
    expect(c.reason).toMatch(/no exponential decay/);
    expect(rnnBound(c, { d: 1, m: 8 }).jiangLi).toBe(Infinity);
  });

  it('exponential memories stay finite and window-independent; polynomial ones are caught at every exponent', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 2, noNaN: true }),
        fc.double({ min: 0.5, max: 3, noNaN: true }),
        fc.integer({ min: 16, max: 256 }),
        (lam, p, L) => {
          const e = rnnComplexity(Float64Array.from({ length: L }, (_, s) => 2 * Math.exp(-lam * s)));
          expect(e.decayModel).toBe('exponential');
          expect(e.c1).toBeCloseTo(1 + 1 / lam, 8);
          expect(rnnComplexity(Float64Array.from({ length: L }, (_, s) => (1 + s) ** -p)).cRnn).toBe(Infinity);
        },
      ),
      { seed: 4, numRuns: 40 },
    );
    const rng = createRng(2);
    expect(rnnComplexity(Float64Array.from({ length: 64 }, () => rng.uniform())).cRnn).toBeGreaterThan(5);
  });
});
