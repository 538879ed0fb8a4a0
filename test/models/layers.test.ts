import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRng, mse, rand, randn, slice, ShapeError, type Tensor } from '../../src/linalg/index.js';
import { Attention, LayerNorm, Linear, MLP, sinusoidalEncoding, type Params } from '../../src/models/index.js';
import { checkModelGradient } from './helpers.js';

/** Reference attention for one head with plain loops: out[b,t] = Σ_s softmax_s(c·q_t·k_s) v_s. */
function refHead(
  x: Tensor,
  p: Params,
  prefix: string,
  h: number,
  H: number,
  mh: number,
  mv: number,
  scale: boolean,
  causal: boolean,
): number[][][] {
  const [B, T, n] = [x.shape[0]!, x.shape[1]!, x.shape[2]!];
  const proj = (w: Tensor, b: number, t: number, col: number, width: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += x.data[(b * T + t) * n + i]! * w.data[i * H * width + h * width + col]!;
    return s;
  };
  const out: number[][][] = [];
  for (let b = 0; b < B; b++) {
    out.push([]);
    for (let t = 0; t < T; t++) {
      const l = Array.from({ length: T }, (_, s) => {
        if (causal && s > t) return -Infinity;
        let v = 0;
        for (let a = 0; a < mh; a++) v += proj(p[`${prefix}wq`]!, b, t, a, mh) * proj(p[`${prefix}wk`]!, b, s, a, mh);
        return scale ? v / Math.sqrt(mh) : v;
      });
      const mx = Math.max(...l),
        w = l.map((v) => Math.exp(v - mx)),
        z = w.reduce((a, c) => a + c, 0);
      out[b]!.push(
        Array.from({ length: mv }, (_, j) =>
          w.reduce((acc, c, s) => acc + (c / z) * proj(p[`${prefix}wv`]!, b, s, j, mv), 0),
        ),
      );
    }
  }
  return out;
}

describe('Attention', () => {
  it('multi-head, scaled and causal variants match a plain-loop reference (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 0, max: 1e6 }),
        (H, mh, scale, causal, seed) => {
          const mv = 2,
            n = 4,
            T = 5;
          const att = new Attention('a.', { dim: n, mh, mv, heads: H, scale, causal });
          const p = att.init(createRng(seed));
          const x = randn(createRng(seed + 1), [2, T, n]);
          const y = att.apply(x, p);
          expect(y.shape).toEqual([2, T, H * mv]);
          const ref: number[] = [];
          const heads = Array.from({ length: H }, (_, h) => refHead(x, p, 'a.', h, H, mh, mv, scale, causal));
          for (let b = 0; b < 2; b++)
            for (let t = 0; t < T; t++) for (let h = 0; h < H; h++) ref.push(...heads[h]![b]![t]!);
          expect(y.data).toBeAllclose(ref, { rtol: 1e-11, atol: 1e-12 });
        },
      ),
      { numRuns: 30 },
    );
  });

  it('causal attention: outputs before t′ do not depend on x(t′)', () => {
    const att = new Attention('', { dim: 3, mh: 2, mv: 2, heads: 2, causal: true, outDim: 3 });
    const p = att.init(createRng(1));
    const x = randn(createRng(2), [1, 6, 3]);
    const x2 = { data: x.data.slice(), shape: x.shape };
    x2.data[4 * 3]! += 1; // token 4
    const a = att.apply(x, p).data,
      b = att.apply(x2, p).data;
    expect(a.subarray(0, 12)).toEqual(b.subarray(0, 12));
    expect(a[12]).not.toBe(b[12]);
  });

  it('gradient of a projected multi-head block is right', () => {
    const att = new Attention('att.', { dim: 4, mh: 2, mv: 3, heads: 2, scale: true, outDim: 4 });
    const x = randn(createRng(3), [2, 5, 4]),
      y = randn(createRng(4), [2, 5, 4]);
    checkModelGradient((p) => mse(att.apply(x, p), y), att.init(createRng(5)));
  });

  it('rejects tokens of the wrong width', () => {
    const att = new Attention('', { dim: 3, mh: 1, mv: 1 });
    expect(() => att.apply(randn(createRng(0), [1, 2, 4]), att.init(createRng(0)))).toThrow(ShapeError);
  });
});

describe('Linear, MLP, LayerNorm, sinusoidal encoding', () => {
  it('Linear is x W + b on the last axis of any rank', () => {
    const lin = new Linear('l.', 3, 2);
    const p = lin.init(createRng(0));
    p['l.bias'] = { data: Float64Array.of(0.5, -1), shape: [2] };
    const x = rand(createRng(1), [2, 2, 3]);
    const y = lin.apply(x, p);
    expect(y.shape).toEqual([2, 2, 2]);
    const W = p['l.weight']!.data;
    for (let r = 0; r < 4; r++)
      for (let o = 0; o < 2; o++) {
        expect(y.data[r * 2 + o]).toBeCloseTo(
          x.data[r * 3]! * W[o]! +
            x.data[r * 3 + 1]! * W[2 + o]! +
            x.data[r * 3 + 2]! * W[4 + o]! +
            p['l.bias']!.data[o]!,
          14,
        );
      }
    expect(() => lin.apply(rand(createRng(0), [2, 4]), p)).toThrow(/expects inputs \(…, 3\)/);
  });

  it('MLP gradients are right for every activation; depth 0 is affine', () => {
    for (const activation of ['relu', 'tanh', 'gelu'] as const) {
      const net = new MLP({ inDim: 2, width: 5, depth: 2, outDim: 3, activation }, { seed: 1 });
      const x = randn(createRng(2), [7, 2]),
        y = randn(createRng(3), [7, 3]);
      checkModelGradient((p) => mse(net.forward(x, p), y), net.params, { samples: 6 });
    }
    expect(Object.keys(new MLP({ inDim: 2, width: 5, depth: 0, outDim: 1 }).params).sort()).toEqual([
      '0.bias',
      '0.weight',
    ]);
  });

  it('LayerNorm normalises the last axis (mean 0, variance 1 with γ = 1, β = 0)', () => {
    const ln = new LayerNorm('', 6);
    const y = ln.apply(rand(createRng(4), [3, 6], -5, 5), ln.init());
    for (let r = 0; r < 3; r++) {
      const row = Array.from(slice(y, [r, 0], [r + 1, 6]).data);
      const m = row.reduce((a, b) => a + b, 0) / 6;
      expect(Math.abs(m)).toBeLessThan(1e-12);
      expect(row.reduce((a, b) => a + (b - m) ** 2, 0) / 6).toBeCloseTo(1, 4);
    }
  });

  it('sinusoidal encoding follows Vaswani et al. §3.5', () => {
    const e = sinusoidalEncoding(5, 4);
    expect(e.data[3 * 4 + 0]).toBeCloseTo(Math.sin(3), 15);
    expect(e.data[3 * 4 + 1]).toBeCloseTo(Math.cos(3), 15);
    expect(e.data[3 * 4 + 2]).toBeCloseTo(Math.sin(3 / 100), 15);
    expect(e.data[3 * 4 + 3]).toBeCloseTo(Math.cos(3 / 100), 15);
  });
});
