import { describe, expect, it } from 'vitest';
import { ShapeError, createRng, crossEntropy, rand, softmax, type Tensor } from '../../src/linalg/index.js';
import { ViT, loadParams, saveParams, cyclicShiftTokens, patchify } from '../../src/models/index.js';
import { checkModelGradient } from './helpers.js';

const labels = Int32Array.of(0, 2, 1);

describe('ViT', () => {
  it('whole-model gradient is right, mean-pool with head size 1 (dot test + sampled coordinates)', () => {
    const m = new ViT(
      { imageSize: 8, patch: 4, dim: 6, depth: 2, heads: 2, mh: 1, mv: 2, mlpWidth: 5, classes: 3 },
      { seed: 1 },
    );
    const x = rand(createRng(2), [3, 8, 8]);
    checkModelGradient((p) => crossEntropy(m.forward(x, p), labels), m.params, { samples: 16 });
  });

  it('whole-model gradient is right with a class token and a token shift', () => {
    const m = new ViT(
      { imageSize: 8, patch: 2, dim: 4, depth: 1, heads: 1, mh: 3, classes: 3, pool: 'cls', tokenShift: 3 },
      { seed: 3 },
    );
    const x = rand(createRng(4), [3, 8, 8]);
    checkModelGradient((p) => crossEntropy(m.forward(x, p), labels), m.params, { samples: 12 });
  });

  it('attentionLogits gives (B, H, T′, T′) per block; block 0’s are (LN(z)W_q)(LN(z)W_k)ᵀ/√m_h of z = [cls; patches·W_e + b_e] + pos', () => {
    const m = new ViT(
      { imageSize: 8, patch: 4, dim: 6, depth: 2, heads: 3, mh: 2, classes: 3, pool: 'cls' },
      { seed: 5 },
    );
    const x = rand(createRng(6), [2, 8, 8]);
    const ls = m.attentionLogits(x);
    expect(ls.map((l) => l.shape)).toEqual([
      [2, 3, 5, 5],
      [2, 3, 5, 5],
    ]);
    expect(m.forward(x).shape).toEqual([2, 3]);
    // rebuild block 0's input by hand: tokens (B, 5, 6)
    const emb = m.embed.apply(patchify(x, 4), m.params); // (2, 4, 6)
    const cls = m.params.cls!.data,
      pos = m.params.pos!.data;
    const z = new Float64Array(2 * 5 * 6);
    for (let b = 0; b < 2; b++)
      for (let t = 0; t < 5; t++)
        for (let j = 0; j < 6; j++) {
          z[(b * 5 + t) * 6 + j] = (t === 0 ? cls[j]! : emb.data[(b * 4 + t - 1) * 6 + j]!) + pos[t * 6 + j]!;
        }
    const blk = m.blocks[0]!;
    const ref = blk.attn.logits(blk.ln1.apply({ data: z, shape: [2, 5, 6] }, m.params), m.params);
    expect(ls[0]!).toBeAllclose(ref, { rtol: 1e-13, atol: 1e-14 });
    // scale: the same logits without 1/√m_h are √2 times larger
    const unscaled = new ViT(
      { imageSize: 8, patch: 4, dim: 6, depth: 2, heads: 3, mh: 2, classes: 3, pool: 'cls', scale: false },
      { seed: 5 },
    );
    expect(unscaled.attentionLogits(x)[0]!.data.map((v) => v / Math.SQRT2)).toBeAllclose(ls[0]!.data, {
      rtol: 1e-13,
      atol: 1e-14,
    });
    expect(softmax(ls[0]!, -1).shape).toEqual([2, 3, 5, 5]);
  });

  it('tokenShift equals shifting the patch tokens before the embedding (positions stay put)', () => {
    const base = { imageSize: 8, patch: 4, dim: 6, depth: 1, heads: 2, mh: 2, classes: 3 };
    const shifted = new ViT({ ...base, tokenShift: 1 }, { seed: 7 });
    const plain = new ViT(base, { seed: 7 });
    const x = rand(createRng(8), [2, 8, 8]);
    // shifting by a full cycle is the identity; by 1 changes the logits (positions are learned)
    expect(new ViT({ ...base, tokenShift: 4 }, { seed: 7 }).forward(x)).toBeAllclose(plain.forward(x), {
      rtol: 0,
      atol: 0,
    });
    const a = shifted.forward(x).data,
      b = plain.forward(x).data;
    expect(Math.max(...a.map((v, i) => Math.abs(v - b[i]!)))).toBeGreaterThan(1e-8);
    // images whose patches are the shifted patches: the plain model on them = the shifted model on x
    const sp = cyclicShiftTokens(patchify(x, 4), 1); // (2, 4, 16)
    const img = new Float64Array(2 * 64);
    for (let i = 0; i < 2; i++)
      for (let tok = 0; tok < 4; tok++)
        for (let q = 0; q < 16; q++) {
          const y = Math.floor(tok / 2) * 4 + Math.floor(q / 4),
            xx = (tok % 2) * 4 + (q % 4);
          img[i * 64 + y * 8 + xx] = sp.data[(i * 4 + tok) * 16 + q]!;
        }
    expect(plain.forward({ data: img, shape: [2, 8, 8] })).toBeAllclose(shifted.forward(x), {
      rtol: 1e-13,
      atol: 1e-14,
    });
    expect(cyclicShiftTokens(patchify(x, 4), 1).shape).toEqual([2, 4, 16]);
  });

  it('rejects wrong image sizes, NaN pixels, unknown keys; save/load bit-identical', () => {
    const m = new ViT({ imageSize: 8, patch: 4, dim: 4, depth: 1, heads: 1, mh: 1, classes: 2 });
    expect(() => m.forward(rand(createRng(0), [1, 28, 28]))).toThrow(ShapeError);
    const bad: Tensor = rand(createRng(0), [1, 8, 8]);
    bad.data[5] = NaN;
    expect(() => m.forward(bad)).toThrow(/non-finite/);
    expect(() => new ViT({ patch: 7, dim: 4, depth: 1, heads: 1, mh: 1, heads2: 1 } as never)).toThrow(
      /unknown config key 'heads2'/,
    );
    expect(() => new ViT({ patch: 5, dim: 4, depth: 1, heads: 1, mh: 1 })).toThrow(/patch 5 must divide/);
    const m2 = new ViT({ imageSize: 8, patch: 4, dim: 4, depth: 1, heads: 1, mh: 1, classes: 2 }, { seed: 9 });
    loadParams(m2, JSON.parse(JSON.stringify(saveParams(m))));
    const x = rand(createRng(1), [2, 8, 8]);
    expect(Array.from(m2.forward(x).data)).toEqual(Array.from(m.forward(x).data));
  });
});
