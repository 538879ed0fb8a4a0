import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  NonFiniteError,
  ShapeError,
  ValueError,
  createRng,
  mse,
  rand,
  sum,
  tensor,
  type Tensor,
} from '../../src/linalg/index.js';
import {
  Transformer,
  constructiveTransformer,
  fittedConstructiveTransformer,
  loadParams,
  saveParams,
  type TransformerConfig,
} from '../../src/models/index.js';
import { checkModelGradient } from './helpers.js';

const small: TransformerConfig = {
  d: 1,
  n: 4,
  mh: 2,
  mv: 3,
  ffnWidth: 5,
  ffnDepth: 1,
  positionEncoding: 'none',
  activation: 'tanh',
};

/** x∘p along the token axis: out[b, t] = x[b, p[t]]. */
function permuteAxis1(x: Tensor, p: ArrayLike<number>): Tensor {
  const [B, T] = [x.shape[0]!, x.shape[1]!],
    d = x.data.length / (B * T);
  const out = new Float64Array(x.data.length);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++) for (let j = 0; j < d; j++) out[(b * T + t) * d + j] = x.data[(b * T + p[t]!) * d + j]!;
  return { data: out, shape: [...x.shape] };
}

describe('Transformer (paper, one layer one head)', () => {
  it('maps (B, τ, d) to (B, τ) and its logits are (B, τ, τ) = (W_Q ĥ(t))ᵀ W_K ĥ(s)', () => {
    const m = new Transformer({ ...small, d: 2 }, { seed: 1 });
    const x = rand(createRng(2), [3, 6, 2]);
    expect(m.forward(x).shape).toEqual([3, 6]);
    const l = m.attentionLogits(x);
    expect(l.shape).toEqual([3, 6, 6]);
    // recompute one logit by hand from the parameters
    const h = (u: Float64Array): number[] => {
      const W0 = m.params['ffn_in.0.weight']!,
        b0 = m.params['ffn_in.0.bias']!,
        W1 = m.params['ffn_in.1.weight']!,
        b1 = m.params['ffn_in.1.bias']!;
      const z = Array.from({ length: 5 }, (_, j) =>
        Math.tanh(u[0]! * W0.data[j]! + u[1]! * W0.data[5 + j]! + b0.data[j]!),
      );
      return Array.from({ length: 4 }, (_, o) => z.reduce((s, zj, j) => s + zj * W1.data[j * 4 + o]!, b1.data[o]!));
    };
    const proj = (v: number[], W: Tensor) =>
      Array.from({ length: 2 }, (_, a) => v.reduce((s, vi, i) => s + vi * W.data[i * 2 + a]!, 0));
    const ht = h(x.data.subarray(2 * 2, 2 * 2 + 2)),
      hs = h(x.data.subarray(5 * 2, 5 * 2 + 2)); // b = 0, t = 2, s = 5
    const q = proj(ht, m.params['attn.wq']!),
      k = proj(hs, m.params['attn.wk']!);
    expect(l.data[2 * 6 + 5]).toBeCloseTo(q[0]! * k[0]! + q[1]! * k[1]!, 12);
  });

  it('whole-model gradient is right (dot test + sampled coordinates), with learned positions', () => {
    const m = new Transformer({ ...small, positionEncoding: 'learned', tau: 5, peDim: 3, ffnDepth: 2 }, { seed: 3 });
    const rng = createRng(4);
    const x = rand(rng, [2, 5, 1]),
      y = rand(rng, [2, 5]);
    checkModelGradient((p) => mse(m.forward(x, p), y), m.params, { samples: 16 });
  });

  it('without position encoding is permutation-equivariant: Ĥ(x∘p) = Ĥ(x)∘p (property)', () => {
    const m = new Transformer({ ...small, activation: 'relu' }, { seed: 5 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 1e6 }), (T, seed) => {
        const rng = createRng(seed);
        const x = rand(rng, [2, T, 1]);
        const p = rng.permutation(T);
        expect(m.forward(permuteAxis1(x, p))).toBeAllclose(permuteAxis1(m.forward(x), p), { rtol: 1e-12, atol: 1e-13 });
      }),
      { numRuns: 40 },
    );
  });

  it('with a position encoding (sinusoidal or learned) it is not equivariant', () => {
    for (const pe of ['sinusoidal', 'learned'] as const) {
      const m = new Transformer({ ...small, positionEncoding: pe, tau: 6 }, { seed: 6 });
      const x = rand(createRng(7), [2, 6, 1]);
      const p = [5, 4, 3, 2, 1, 0];
      const a = m.forward(permuteAxis1(x, p)).data,
        b = permuteAxis1(m.forward(x), p).data;
      const diff = Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
      expect(diff).toBeGreaterThan(1e-6); // equivariant models agree to ~1e-16
    }
  });

  it('bad shapes, NaN inputs and unknown config keys are clear errors', () => {
    const m = new Transformer(small);
    expect(() => m.forward(tensor([1, 2, 3]))).toThrow(ShapeError);
    expect(() => m.forward(rand(createRng(0), [2, 3, 2]))).toThrow(/expected input x \(B, τ, d\).*\(2, 3, 2\)/);
    expect(() => m.forward(tensor([[[NaN], [0]]]))).toThrow(/non-finite value NaN/);
    expect(() => new Transformer({ ...small, ffnWidht: 3 } as never)).toThrow(/unknown config key 'ffnWidht'/);
    expect(() => new Transformer({ ...small, positionEncoding: 'learned' })).toThrow(/tau/);
    expect(() => new Transformer({ ...small, mh: 0 })).toThrow(ValueError);
    expect(() => new Transformer({ ...small, activation: 'sigmoid' as never })).toThrow(/unknown activation 'sigmoid'/);
    expect(() => m.forward(tensor([[[NaN], [0]]]))).toThrow(NonFiniteError);
    const pe = new Transformer({ ...small, positionEncoding: 'learned', tau: 4 });
    expect(() => pe.forward(rand(createRng(0), [1, 5, 1]))).toThrow(ShapeError);
  });

  it('save/load is bit-identical and restores the outputs', () => {
    const a = new Transformer({ ...small, positionEncoding: 'learned', tau: 4 }, { seed: 8 });
    const b = new Transformer({ ...small, positionEncoding: 'learned', tau: 4 }, { seed: 9 });
    const x = rand(createRng(1), [2, 4, 1]);
    loadParams(b, JSON.parse(JSON.stringify(saveParams(a))));
    for (const k of Object.keys(a.params)) expect(Array.from(b.params[k]!.data)).toEqual(Array.from(a.params[k]!.data));
    expect(Array.from(b.forward(x).data)).toEqual(Array.from(a.forward(x).data));
    const c = new Transformer({ ...small, n: 5 });
    expect(() => loadParams(c, saveParams(a))).toThrow(/config 'n'/);
    const tampered = JSON.parse(JSON.stringify(saveParams(a))) as { config: Record<string, unknown> };
    tampered.config.residual = true;
    expect(() => loadParams(b, tampered)).toThrow(/unknown config key 'residual'/);
    const explicit = new Transformer({ ...small, positionEncoding: 'learned', tau: 4, peDim: 16 }, { seed: 8 });
    expect(() => loadParams(b, saveParams(explicit))).toThrow(
      /config 'peDim' is 16 in the saved weights but unset in the model/,
    );
  });
});

describe('constructiveTransformer', () => {
  /** Target of PAPER.md §1 with F = f = id and ρ(u, v) = Σ_{k≤r} σ_k √2 sin(2kπu) √2 sin(2kπv), by plain loops. */
  function target(x: Tensor, sigma: number[]): Float64Array {
    const [B, T] = [x.shape[0]!, x.shape[1]!],
      y = new Float64Array(B * T);
    const rho = (u: number, v: number) =>
      sigma.reduce(
        (s, sg, k) => s + sg * 2 * Math.sin(2 * (k + 1) * Math.PI * u) * Math.sin(2 * (k + 1) * Math.PI * v),
        0,
      );
    for (let b = 0; b < B; b++)
      for (let t = 0; t < T; t++) {
        const u = x.data[b * T + t]!;
        const l = Array.from({ length: T }, (_, s) => rho(u, x.data[b * T + s]!));
        const mx = Math.max(...l);
        const w = l.map((v) => Math.exp(v - mx));
        const z = w.reduce((a, c) => a + c, 0);
        y[b * T + t] = w.reduce((a, c, s) => a + (c / z) * x.data[b * T + s]!, 0);
      }
    return y;
  }
  const build = (sigma: number[], mh: number) =>
    constructiveTransformer({
      phi: Array.from(
        { length: mh },
        (_, k) => (u: Float64Array) => (sigma[k] ?? 0) * Math.SQRT2 * Math.sin(2 * (k + 1) * Math.PI * u[0]!),
      ),
      psi: Array.from(
        { length: mh },
        (_, k) => (v: Float64Array) => Math.SQRT2 * Math.sin(2 * (k + 1) * Math.PI * v[0]!),
      ),
      f: (u) => u[0]!,
      F: (v) => v[0]!,
    });

  it('reproduces a rank-r target to 1e-10 once m_h ≥ r, and not below (property over r and σ)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 1e6 }), (r, seed) => {
        const rng = createRng(seed);
        const sigma = Array.from({ length: r }, (_, k) => (1 + rng.uniform()) / (k + 1) ** 0.55);
        const x = rand(rng, [3, 16, 1]);
        const y = target(x, sigma);
        for (const mh of [r, r + 2]) expect(build(sigma, mh).forward(x).data).toBeAllclose(y, { rtol: 0, atol: 1e-10 });
        if (r > 1) {
          const lo = build(sigma, r - 1).forward(x).data;
          expect(Math.max(...lo.map((v, i) => Math.abs(v - y[i]!)))).toBeGreaterThan(1e-4);
        }
      }),
      { numRuns: 20 },
    );
  });

  it('its logits are the rank-m_h sum Σ_k φ_k(x(t)) ψ_k(x(s))', () => {
    const m = build([1, 0.5], 2);
    const x = tensor([[[0.1], [0.7], [0.3]]]);
    const l = m.attentionLogits(x);
    const rho = (u: number, v: number) =>
      2 * Math.sin(2 * Math.PI * u) * Math.sin(2 * Math.PI * v) + Math.sin(4 * Math.PI * u) * Math.sin(4 * Math.PI * v);
    expect(l.data[1 * 3 + 2]).toBeCloseTo(rho(0.7, 0.3), 14);
    expect(sum(l).shape).toEqual([]);
    expect(() => constructiveTransformer({ phi: [() => 1], psi: [], f: () => 0, F: () => 0 })).toThrow(ValueError);
    // an empty batch or τ = 0 gives an empty output (it used to crash reading vals[0])
    expect(m.forward({ data: new Float64Array(0), shape: [0, 3, 1] }).shape).toEqual([0, 3]);
    expect(m.forward({ data: new Float64Array(0), shape: [2, 0, 1] }).shape).toEqual([2, 0]);
  });
});

describe('fittedConstructiveTransformer', () => {
  it('is a genuine Transformer whose fitted FFNs reproduce the exact constructive model closely', () => {
    const sigma = 1.5;
    const spec = {
      phi: [(u: Float64Array) => sigma * Math.SQRT2 * Math.sin(2 * Math.PI * u[0]!)],
      psi: [(v: Float64Array) => Math.SQRT2 * Math.sin(2 * Math.PI * v[0]!)],
      f: (u: Float64Array) => u[0]!,
      F: (v: Float64Array) => v[0]!,
    };
    const { model, fitMse } = fittedConstructiveTransformer(spec, {
      d: 1,
      width: 12,
      depth: 1,
      samples: 200,
      maxIter: 400,
      seed: 0,
    });
    expect(model).toBeInstanceOf(Transformer);
    expect(model.config.n).toBe(3);
    expect(fitMse.inner).toBeLessThan(1e-5);
    expect(fitMse.outer).toBeLessThan(1e-8);
    const x = rand(createRng(3), [4, 16, 1]);
    const exact = constructiveTransformer(spec);
    expect(model.forward(x)).toBeAllclose(exact.forward(x), { rtol: 0, atol: 5e-3 });
    expect(model.attentionLogits(x)).toBeAllclose(exact.attentionLogits(x), { rtol: 0, atol: 3e-2 });
  });
});
