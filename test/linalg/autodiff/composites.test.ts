/**
 * Composite functions (no gradient code of their own) gradchecked end to end, and closed-form
 * gradients of softmax, logSumExp, crossEntropy and the MLP/MSE loss.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { grad, gradcheck } from '../../../src/linalg/autodiff/index.js';
import * as O from '../../../src/linalg/ops/index.js';
import * as K from '../../../src/linalg/kernels/index.js';
import { tensor, type Tensor } from '../../../src/linalg/tensor.js';
import { seeded, shapeArb } from '../../helpers/gradcheck-cases.js';

const tol = { rtol: 1e-6, atol: 1e-9 };
const seedArb = fc.integer({ min: 1, max: 1_000_000 });

/** The ReLU's input in {@link attentionBlock}: `(x + softmax(q kᵀ/√m_h) v) W1`, (B, T, 5). */
function reluInput([x, wq, wk, wv, w1]: readonly Tensor[]): Tensor {
  const mh = wq!.shape[1]!;
  const q = O.matmul(x!, wq!),
    k = O.matmul(x!, wk!),
    v = O.matmul(x!, wv!); // (B, T, mh), (B, T, n)
  const a = O.softmax(O.mul(O.matmul(q, k, { transB: true }), 1 / Math.sqrt(mh)), -1); // (B, T, T)
  const h = O.add(x!, O.matmul(a, v)); // (B, T, n)
  return O.matmul(h, w1!); // (B, T, 5)
}

/** One softmax-attention block with a residual and a ReLU feed-forward, as in the paper's model. */
function attentionBlock(x: Tensor, wq: Tensor, wk: Tensor, wv: Tensor, w1: Tensor, w2: Tensor): Tensor {
  return O.matmul(O.relu(reluInput([x, wq, wk, wv, w1])), w2); // (B, T, 1)
}

describe('composites gradchecked end to end', () => {
  it('softmax-attention block (all six inputs)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        seedArb,
        (B, T, mh, seed) => {
          const n = 3;
          const ins = [
            seeded([B, T, n], seed),
            seeded([n, mh], seed + 1),
            seeded([n, mh], seed + 2),
            seeded([n, n], seed + 3),
            seeded([n, 5], seed + 4),
            seeded([5, 1], seed + 5),
          ];
          // a domain away from the ReLU kink: the ±2ε stencil must not cross it (about 1 draw in 1,000
          // had a pre-activation within 1e-4 of 0, and finite differences across a kink are meaningless)
          fc.pre(Math.min(...Array.from(reluInput(ins).data, Math.abs)) > 1e-3);
          const r = gradcheck(attentionBlock, ins, { ...tol, seed });
          expect(r.ok, JSON.stringify(r)).toBe(true);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('MLP with MSE (tanh and gelu hidden layers, biases broadcast)', () => {
    const x = seeded([6, 3], 1),
      y = seeded([6, 2], 2);
    const mlp = (w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor): Tensor =>
      O.mse(O.add(O.matmul(O.gelu(O.tanh(O.add(O.matmul(x, w1), b1))), w2), b2), y);
    const r = gradcheck(mlp, [seeded([3, 4], 3), seeded([4], 4), seeded([4, 2], 5), seeded([2], 6)], tol);
    expect(r.ok, JSON.stringify(r)).toBe(true);
  });

  const unaryComposites: [string, (x: Tensor) => Tensor, boolean][] = [
    ['sigmoid', O.sigmoid, false],
    ['gelu', O.gelu, false],
    ['square', O.square, false],
    ['sqrt', O.sqrt, true],
    ['softmax(-1)', (x) => O.softmax(x, -1), false],
    ['softmax(0)', (x) => O.softmax(x, 0), false],
    ['logSoftmax', (x) => O.logSoftmax(x), false],
    ['logSumExp', (x) => O.logSumExp(x, -1), false],
    ['logSumExp keepdims', (x) => O.logSumExp(x, 0, true), false],
    ['mean(axis 0)', (x) => O.mean(x, 0), false],
    ['mean(all)', (x) => O.mean(x), false],
    ['layerNorm', (x) => O.layerNorm(x, tensor([1.5, -0.5, 2]), tensor([0.1, 0.2, 0.3])), false],
    ['stack', (x) => O.stack([x, O.exp(x)], 1), false],
    ['sub/div', (x) => O.div(O.sub(x, 3), O.add(O.square(x), 1)), false],
  ];
  for (const [name, f, positive] of unaryComposites) {
    it(name, () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 4 }), seedArb, (rows, seed) => {
          const x = seeded([rows, 3], seed);
          if (positive) for (let i = 0; i < x.data.length; i++) x.data[i] = 0.2 + Math.abs(x.data[i]!);
          const r = gradcheck(f, [x], { ...tol, seed });
          expect(r.ok, JSON.stringify(r)).toBe(true);
        }),
        { numRuns: 10 },
      );
    });
  }

  it('layerNorm with respect to gamma and beta as well', () => {
    const r = gradcheck((x, g, b) => O.layerNorm(x, g, b), [seeded([2, 3, 4], 1), seeded([4], 2), seeded([4], 3)], tol);
    expect(r.ok, JSON.stringify(r)).toBe(true);
  });

  it('crossEntropy', () => {
    const labels = Int32Array.from([0, 2, 1, 2]);
    const r = gradcheck((z) => O.crossEntropy(z, labels), [seeded([4, 3], 1, 3)], { ...tol, mode: 'full' });
    expect(r.ok, JSON.stringify(r)).toBe(true);
  });
});

describe('closed-form gradients', () => {
  it('∂/∂x logSumExp(x) = softmax(x), also for huge inputs', () => {
    fc.assert(
      fc.property(shapeArb(1, 3, 1, 4), seedArb, fc.constantFrom(0, 800, -800), (s, seed, shift) => {
        const x = seeded(s, seed, 3, shift);
        const [g] = grad((t: Tensor) => O.sum(O.logSumExp(t, -1)))(x);
        expect(g).toBeAllclose(K.softmax(x, -1), { rtol: 1e-12, atol: 1e-15 });
      }),
      { numRuns: 30 },
    );
  });

  it('vᵀ J_softmax = s ⊙ (v − ⟨v, s⟩)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), seedArb, (r, c, seed) => {
        const x = seeded([r, c], seed, 2),
          v = seeded([r, c], seed + 1);
        const [g] = grad((t: Tensor) => O.sum(O.mul(O.softmax(t, -1), v)))(x);
        const s = K.softmax(x, -1);
        const expected = K.mul(s, K.sub(v, K.sum(K.mul(v, s), -1, true)));
        expect(g).toBeAllclose(expected, { rtol: 1e-11, atol: 1e-14 });
      }),
      { numRuns: 30 },
    );
  });

  it('crossEntropy gradient = (softmax − onehot)/B', () => {
    const z = seeded([3, 4], 5),
      labels = [3, 0, 1];
    const [g] = grad((t: Tensor) => O.crossEntropy(t, labels))(z);
    const s = K.softmax(z, -1);
    labels.forEach((l, b) => {
      s.data[b * 4 + l] = s.data[b * 4 + l]! - 1;
    });
    expect(g).toBeAllclose(K.mul(s, 1 / 3), { rtol: 1e-12, atol: 1e-15 });
  });

  it('softmax rows sum to 1 and match the kernel', () => {
    const x = seeded([3, 5], 2, 10);
    expect(O.softmax(x)).toBeAllclose(K.softmax(x), { rtol: 1e-13 });
  });
});

describe('softmax with masks, non-finite and empty inputs', () => {
  it('−Infinity entries get probability 0 and gradient 0; the rest is the softmax of the unmasked entries', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), seedArb, (n, seed) => {
        const x = seeded([n], seed),
          masked = K.add(x, 0),
          keep = n - 1;
        masked.data[0] = -Infinity; // mask the first entry
        const s = O.softmax(masked);
        expect(s.data[0]).toBe(0);
        const ref = K.softmax({ data: x.data.slice(1), shape: [keep] });
        expect({ data: s.data.slice(1), shape: [keep] }).toBeAllclose(ref, { rtol: 1e-14, atol: 0 });
        const w = seeded([n], seed + 1);
        const [g] = grad((z: Tensor) => O.sum(O.mul(O.softmax(z), w)))(masked);
        expect(g!.data[0] === 0).toBe(true); // ±0
        for (const v of g!.data) expect(Number.isFinite(v)).toBe(true);
      }),
      { seed: 11, numRuns: 30 },
    );
  });
  it('a row that is −Infinity throughout throws a ValueError naming softmax (not a silent NaN row)', () => {
    expect(() =>
      O.softmax(
        tensor([
          [1, 2],
          [-Infinity, -Infinity],
        ]),
      ),
    ).toThrow(/^softmax: every entry along axis 1 at flat index 2 .*fully masked/);
  });
  it('NaN or +Infinity in the input throws a NonFiniteError naming softmax and the first offending entry', () => {
    expect(() =>
      O.softmax(
        tensor([
          [1, 2],
          [3, Number.NaN],
        ]),
      ),
    ).toThrow(/^softmax: input of shape \(2, 2\) contains a non-finite value NaN at flat index 3/);
    expect(() =>
      O.softmax(
        tensor([
          [1, Infinity],
          [3, 4],
        ]),
        0,
      ),
    ).toThrow(/^softmax: input of shape \(2, 2\) contains a non-finite value Infinity at flat index 1/);
  });
  it('logSoftmax: −Infinity entries stay −Infinity; NaN, +Infinity and fully masked rows throw naming logSoftmax (were NaN)', () => {
    const l = O.logSoftmax(tensor([-Infinity, 0, 0]));
    expect(l.data[0]).toBe(-Infinity);
    expect(l.data[1]).toBeCloseTo(-Math.log(2), 15);
    expect(() =>
      O.logSoftmax(
        tensor([
          [0, 1],
          [-Infinity, -Infinity],
        ]),
      ),
    ).toThrow(/^logSoftmax: every entry along axis 1 at flat index 2 .*fully masked row has no logSoftmax/);
    expect(() => O.logSoftmax(tensor([0, Infinity]))).toThrow(
      /^logSoftmax: input of shape \(2,\) contains a non-finite value Infinity at flat index 1/,
    );
    expect(() => O.crossEntropy(tensor([[0, Number.NaN]]), [0])).toThrow(/^logSoftmax: .*NaN at flat index 1/);
    expect(O.logSoftmax({ data: new Float64Array(0), shape: [3, 0] }).shape).toEqual([3, 0]);
  });
  it('an empty axis gives an empty softmax and a −Infinity logSumExp, like numpy/scipy', () => {
    const e: Tensor = { data: new Float64Array(0), shape: [2, 0] };
    expect(O.softmax(e).shape).toEqual([2, 0]);
    const l = O.logSumExp(e, 1);
    expect(l.shape).toEqual([2]);
    expect(Array.from(l.data)).toEqual([-Infinity, -Infinity]);
  });
});
