import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  couplingTarget,
  cyclicShift,
  isCausal,
  kernelSpectrum,
  linearMemoryTarget,
  mixedCRnnBound,
  mixedMemory,
  mixTime,
  permuteTime,
  powerLawSpectrum,
  randomFilter,
  rnnBound,
  rnnComplexity,
  swapEnds,
} from '../../src/theory/index.js';
import { createRng } from '../../src/linalg/random.js';
import { rand, type Tensor } from '../../src/linalg/tensor.js';
import { ShapeError, ValueError } from '../../src/linalg/errors.js';

const permArb = (n: number) =>
  fc
    .constant(null)
    .chain(() => fc.integer({ min: 0, max: 1e9 }))
    .map((seed) => Array.from(createRng(seed).permutation(n)));
const expMemory = (L: number, lam = 1, amp = 1): Float64Array =>
  Float64Array.from({ length: L }, (_, s) => amp * Math.exp(-lam * s));

describe('permuteTime', () => {
  it("the paper's permutations: swap the first/last 10 of 32, cyclic shift by 10", () => {
    const p = swapEnds(32, 10);
    expect(Array.from(p.subarray(0, 10))).toEqual(Array.from({ length: 10 }, (_, i) => 22 + i));
    expect(Array.from(p.subarray(22))).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(Array.from(p.subarray(10, 22))).toEqual(Array.from({ length: 12 }, (_, i) => 10 + i));
    expect(Array.from(cyclicShift(5, 2))).toEqual([2, 3, 4, 0, 1]);
    expect(Array.from(cyclicShift(5, -1))).toEqual([4, 0, 1, 2, 3]);
    expect(() => swapEnds(10, 6)).toThrow(ValueError);
    expect(() => permuteTime([0, 0, 1])).toThrow(/not a permutation/);
    expect(() => permuteTime([])).toThrow(ValueError);
  });

  it('apply gathers x∘p and the altered target satisfies H̃(x∘p) = H(x)', () => {
    fc.assert(
      fc.property(permArb(6), fc.integer({ min: 0, max: 1e6 }), (p, seed) => {
        const P = permuteTime(p);
        const x = rand(createRng(seed), [2, 6, 1]);
        const xp = P.apply(x);
        for (let b = 0; b < 2; b++) for (let t = 0; t < 6; t++) expect(xp.data[b * 6 + t]).toBe(x.data[b * 6 + p[t]!]);
        const H = linearMemoryTarget(expMemory(6));
        expect(P.target(H).evaluate(xp)).toBeAllclose(H.evaluate(x), { rtol: 0, atol: 0 });
      }),
      { numRuns: 30 },
    );
    expect(() => permuteTime([1, 0]).apply(rand(createRng(0), [1, 3, 1]))).toThrow(ShapeError);
  });

  it("breaks an RNN target's causality whenever some p(t) > t, and only then", () => {
    fc.assert(
      fc.property(permArb(5), fc.boolean(), (p0, identity) => {
        const p = identity ? [0, 1, 2, 3, 4] : p0;
        const some = p.some((v, t) => v > t);
        const H = linearMemoryTarget(expMemory(5, 0.5));
        expect(isCausal(H, { tau: 5 }).causal).toBe(true);
        expect(isCausal(permuteTime(p).target(H), { tau: 5, seed: 1 }).causal).toBe(!some);
      }),
      { numRuns: 40 },
    );
    const r = isCausal(permuteTime(swapEnds(32, 10)).target(linearMemoryTarget(expMemory(32))), { tau: 32, trials: 1 });
    expect(r.causal).toBe(false);
    expect(r.violations[0]!.tPrime).toBeGreaterThan(r.violations[0]!.t);
  });

  /*
   * With a position encoding the coupling acts on (token, position) pieces. For H̃(y) = H(y∘p⁻¹):
   * H̃_t(y) = G_{p⁻¹(t)}(y), where G is the same coupling target with positions relabelled,
   * ρ̃((u,a),(v,b)) = ρ((u,p(a)),(v,p(b))). A relabelling of the pieces is unitary on L², so the
   * POD spectrum is unchanged: the Transformer's complexity does not see the permutation.
   */
  it("keeps a Transformer target's spectrum: the altered target is the position-relabelled coupling target", () => {
    const tau = 4,
      p = [2, 0, 3, 1];
    const enc = (t: number, u: number): Float64Array => Float64Array.of((u + t) / tau); // disjoint position ranges
    const spec = { spectrum: powerLawSpectrum(1, 3), tau, basis: 'sine' as const };
    const H = couplingTarget({ ...spec, positionEncoding: (t, u) => enc(t, u[0]!) });
    const G = couplingTarget({ ...spec, positionEncoding: (t, u) => enc(p[t]!, u[0]!) });
    const P = permuteTime(p);
    const y = rand(createRng(9), [3, tau, 1]);
    const Ht = P.target(H).evaluate(y).data,
      Gy = G.evaluate(y).data;
    for (let b = 0; b < 3; b++)
      for (let t = 0; t < tau; t++) expect(Ht[b * tau + t]).toBeCloseTo(Gy[b * tau + P.inverse[t]!]!, 13);
    // spectra of the augmented couplings on the union of position pieces w ∈ [0, τ), w = t + u
    const aug =
      (perm: readonly number[]) =>
      (w: number, v: number): number => {
        const a = Math.min(Math.floor(w), tau - 1),
          b = Math.min(Math.floor(v), tau - 1);
        return H.coupling(enc(perm[a]!, w - a), enc(perm[b]!, v - b));
      };
    const s0 = kernelSpectrum(aug([0, 1, 2, 3]), { domain: [0, tau], grid: 64, rank: 3, errorEstimate: false }).sigma;
    const s1 = kernelSpectrum(aug(p), { domain: [0, tau], grid: 64, rank: 3, errorEstimate: false }).sigma;
    expect(s1).toBeAllclose(s0, { rtol: 1e-12 });
    expect(s0[0]!).toBeGreaterThan(0.1);
  });
});

describe('mixTime and mixed memory', () => {
  it('applies the causal (default) and the printed forward-looking filter', () => {
    const x: Tensor = { data: Float64Array.of(1, 2, 3, 4), shape: [1, 4, 1] };
    expect(mixTime([0.5, 0.25]).apply(x).data).toEqual(Float64Array.of(0.5, 1.25, 2, 2.75));
    expect(mixTime([0.5, 0.25], { boundary: 'forward' }).apply(x).data).toEqual(Float64Array.of(1, 1.75, 2.5, 2));
    expect(() => mixTime([1], { boundary: 'sideways' as 'causal' })).toThrow(ValueError);
    expect(() => mixTime([])).toThrow(ValueError);
  });

  it('randomFilter: U[0,1]^l normalised to ‖θ‖₁ = 1, seeded', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 20 }), (seed, l) => {
        const th = randomFilter(createRng(seed), l);
        expect(th.length).toBe(l);
        expect(th.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
        expect(Math.min(...th)).toBeGreaterThan(0);
        expect(randomFilter(createRng(seed), l)).toEqual(th);
      }),
      { numRuns: 30 },
    );
  });

  it('causal mixing: the mixed memory is exact and the target stays causal', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 6 }), (seed, l) => {
        const rng = createRng(seed);
        const rho = Float64Array.from({ length: 10 }, () => rng.normal());
        const th = randomFilter(rng, l);
        const H = linearMemoryTarget(rho);
        const mixed = mixTime(th).target(H);
        const x = rand(rng, [2, 10, 1]);
        expect(linearMemoryTarget(mixedMemory(rho, th).causal).evaluate(x)).toBeAllclose(mixed.evaluate(x), {
          rtol: 1e-12,
          atol: 1e-13,
        });
        expect(isCausal(mixed, { tau: 10 }).causal).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it('forward (printed) mixing is non-causal; its memory equals the exact target up to the boundary terms in x(0..l−2)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 2, max: 5 }), (seed, l) => {
        const rng = createRng(seed);
        const rho = expMemory(12, 0.3 + rng.uniform());
        const th = randomFilter(rng, l);
        const exact = mixTime(th, { boundary: 'forward' }).target(linearMemoryTarget(rho));
        expect(isCausal(exact, { tau: 12 }).causal).toBe(false);
        const mm = mixedMemory(rho, th, { boundary: 'forward' });
        expect(mm.anticausal.length).toBe(l - 1);
        const paper = linearMemoryTarget(mm.causal, { anticausal: mm.anticausal });
        const x = rand(rng, [2, 12, 1]);
        for (let b = 0; b < 2; b++) for (let t = 0; t < l - 1; t++) x.data[b * 12 + t] = 0;
        expect(paper.evaluate(x)).toBeAllclose(exact.evaluate(x), { rtol: 1e-12, atol: 1e-13 });
        // with x(0) ≠ 0 the ignored boundary terms show up
        x.data[0] = 1;
        const diff = paper.evaluate(x).data.map((v, i) => Math.abs(v - exact.evaluate(x).data[i]!));
        expect(Math.max(...diff)).toBeGreaterThan(1e-6);
      }),
      { numRuns: 20 },
    );
  });

  it('causal mixed memory obeys Young: ‖ρ̃‖₁ ≤ ‖θ‖₁ ‖ρ‖₁ and ‖ρ̃‖_∞ ≤ ‖θ‖₁ ‖ρ‖_∞', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 30 }),
        (seed, l, L) => {
          const rng = createRng(seed);
          const rho = Float64Array.from({ length: L }, () => rng.normal());
          const th = Float64Array.from({ length: l }, () => rng.normal());
          const out = mixedMemory(rho, th).causal;
          const n1 = (a: Float64Array) => a.reduce((s, v) => s + Math.abs(v), 0);
          const ninf = (a: Float64Array) => a.reduce((s, v) => Math.max(s, Math.abs(v)), 0);
          expect(n1(out)).toBeLessThanOrEqual(n1(th) * n1(rho) * (1 + 1e-12));
          expect(ninf(out)).toBeLessThanOrEqual(n1(th) * ninf(rho) * (1 + 1e-12));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('mixing with ‖θ‖₁ ≤ 1 keeps C_RNN within ‖θ‖₁ e^{(l−1)/C_1} C_RNN', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 2, noNaN: true }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        (lam, amp, l, seed, scale) => {
          const rho = expMemory(64, lam, amp);
          const th = randomFilter(createRng(seed), l).map((v, i) => (i % 2 === 0 ? 1 : -1) * v * scale); // ‖θ‖₁ = scale ≤ 1
          const c = rnnComplexity(rho);
          const cm = rnnComplexity(mixedMemory(rho, th).causal);
          expect(cm.c1).toBeCloseTo(c.c1, 8);
          expect(cm.cRnn).toBeLessThanOrEqual(mixedCRnnBound(c, th) * (1 + 1e-9));
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('rnnComplexity and rnnBound', () => {
  it('e^{−s}: λ = 1, C_1 = 2, C_2 = 1, C_RNN = 2; Li et al. β = λ/2 < λ, γ with β^(j+1)', () => {
    const c = rnnComplexity(expMemory(32));
    expect(c.decayRate).toBeCloseTo(1, 12);
    expect(c.decayModel).toBe('exponential');
    expect(c.c1).toBeCloseTo(2, 12);
    expect(c.c2).toBeCloseTo(1, 12);
    expect(c.cRnn).toBeCloseTo(2, 12);
    expect(c.beta).toBeCloseTo(0.5, 12);
    // γ = max(sup e^{t/2}e^{−t}/β, sup e^{t/2}(1 − e^{−1})e^{−t}/β²) = max(2, 4(1 − e^{−1}))
    expect(c.gamma).toBeCloseTo(4 * (1 - Math.exp(-1)), 12);
    const b = rnnBound(c, { d: 1, m: 128, cAlpha: 3 });
    expect(b.jiangLi).toBeCloseTo(2 / 128, 14);
    expect(b.liEtAl).toBeCloseTo((3 * 4 * (1 - Math.exp(-1))) / (0.5 * 128), 12);
    // their theorem needs β < λ
    expect(() => rnnComplexity(expMemory(32), { beta: 1 })).toThrow(/beta < lambda/);
    expect(Number.isNaN(rnnBound(c, { d: 1, m: 4 }).liEtAl)).toBe(true);
  });

  it('a memory without decay (Table 3, U[0,1]) has a very large C_1; finite support gives C_1 = 1', () => {
    const rng = createRng(1);
    const c = rnnComplexity(Float64Array.from({ length: 32 }, () => rng.uniform()));
    expect(c.c1).toBeGreaterThan(rnnComplexity(expMemory(32, 0.2)).c1);
    expect(c.c1).toBeGreaterThan(5);
    expect(rnnComplexity([1, 0.5, 0, 0]).c1).toBe(1);
    expect(rnnComplexity([1, 1, 1, 1]).c1).toBe(Infinity);
    expect(rnnComplexity(expMemory(20, 0.5), { decayRate: 0.25 }).c1).toBeCloseTo(5, 14);
  });

  it('rejects bad memories', () => {
    expect(() => rnnComplexity([])).toThrow(ValueError);
    expect(() => rnnComplexity([1, Number.NaN])).toThrow(/non-finite/);
    expect(() => rnnBound(rnnComplexity(expMemory(8)), { d: 1, m: 0 })).toThrow(ValueError);
  });
});

describe('isCausal', () => {
  const fn =
    (f: (x: Float64Array, t: number, T: number) => number) =>
    (x: Tensor): Tensor => {
      const [B, T] = [x.shape[0]!, x.shape[1]!];
      const y = new Float64Array(B * T);
      for (let b = 0; b < B; b++)
        for (let t = 0; t < T; t++) y[b * T + t] = f(x.data.subarray(b * T, (b + 1) * T), t, T);
      return { data: y, shape: [B, T] };
    };

  it('is right on hand-built causal and non-causal targets', () => {
    const runningMax = fn((x, t) => Math.max(...x.subarray(0, t + 1)));
    const nextStep = fn((x, t, T) => (t + 1 < T ? x[t + 1]! : 0));
    const lastOnly = fn((x, t, T) => (t === 0 ? x[T - 1]! : x[t]!));
    expect(isCausal(runningMax, { tau: 8 }).causal).toBe(true);
    expect(isCausal(nextStep, { tau: 8 }).causal).toBe(false);
    const r = isCausal(lastOnly, { tau: 8 });
    expect(r.causal).toBe(false);
    expect(r.violations.every((v) => v.t === 0 && v.tPrime === 7)).toBe(true);
    expect(isCausal(couplingTarget({ spectrum: [1, 0.5] }), { tau: 6 }).causal).toBe(false);
    expect(isCausal(linearMemoryTarget([1], { anticausal: [0.3] }), { tau: 6 }).causal).toBe(false);
    expect(
      isCausal(
        linearMemoryTarget((s) => 0.9 ** s),
        { tau: 6 },
      ).causal,
    ).toBe(true);
  });

  it('works with d > 1 tokens', () => {
    const H = linearMemoryTarget({ data: Float64Array.of(1, -1, 0.5, 0.5, 0.25, 0), shape: [3, 2] });
    expect(isCausal(H, { tau: 5 }).causal).toBe(true);
    expect(isCausal(permuteTime(cyclicShift(5, 1)).target(H), { tau: 5 }).causal).toBe(false);
    expect(isCausal(mixTime([0.5, 0.5]).target(H), { tau: 5 }).causal).toBe(true);
    expect(isCausal(mixTime([0.5, 0.5], { boundary: 'forward' }).target(H), { tau: 5 }).causal).toBe(false);
  });

  it('checks the shape the target returns', () => {
    expect(() => isCausal((x: Tensor) => x, { tau: 3 })).toThrow(ShapeError);
  });
});
