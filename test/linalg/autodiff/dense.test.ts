/**
 * `dense(x, w, b, relu)` — the fused affine layer — must give the same numbers (bit for bit) and
 * the same gradients as the composite `relu(add(matmul(x, w), b))` it replaces, on the fused path
 * and on the fallback path, and pass the dot-product gradcheck away from the ReLU kink.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grad, gradcheck } from '../../../src/linalg/autodiff/index.js';
import * as O from '../../../src/linalg/ops/index.js';
import { createRng } from '../../../src/linalg/random.js';
import { randn, type Tensor } from '../../../src/linalg/tensor.js';

const composite = (x: Tensor, w: Tensor, b: Tensor | null, relu: boolean): Tensor => {
  let y = O.matmul(x, w);
  if (b !== null) y = O.add(y, b);
  return relu ? O.relu(y) : y;
};

const dims = fc.record({
  m: fc.integer({ min: 1, max: 9 }),
  k: fc.integer({ min: 1, max: 9 }),
  n: fc.integer({ min: 1, max: 9 }),
  bias: fc.boolean(),
  relu: fc.boolean(),
  seed: fc.integer({ min: 0, max: 1e6 }),
  batched: fc.boolean(),
});

describe('dense (fused matmul + bias + ReLU)', () => {
  it('equals relu(add(matmul(x, w), b)) bit for bit, values and gradients, fused and fallback paths (property)', () => {
    fc.assert(
      fc.property(dims, ({ m, k, n, bias, relu, seed, batched }) => {
        const rng = createRng(seed);
        const x = randn(rng, batched ? [2, m, k] : [m, k]),
          w = randn(rng, [k, n]);
        const b = bias ? randn(rng, [n]) : null;
        const u = randn(rng, batched ? [2, m, n] : [m, n]);
        expect(O.dense(x, w, b, relu).data).toEqual(composite(x, w, b, relu).data);
        const loss = (f: typeof composite) => (xx: Tensor, ww: Tensor, bb: Tensor) =>
          O.sum(O.mul(f(xx, ww, bias ? bb : null, relu), u));
        const bb = b ?? randn(rng, [n]);
        const g1 = grad(loss(O.dense))(x, w, bb),
          g2 = grad(loss(composite))(x, w, bb);
        for (let i = 0; i < 3; i++) expect(g1[i]!.data).toEqual(g2[i]!.data);
      }),
      { numRuns: 60, seed: 20261128 },
    );
  });

  it('passes the dot-product gradcheck with inputs kept away from the ReLU kink', () => {
    const rng = createRng(4);
    const x = randn(rng, [6, 4]),
      w = randn(rng, [4, 5]),
      b = randn(rng, [5]);
    const pre = O.add(O.matmul(x, w), b).data;
    expect(Math.min(...Array.from(pre, Math.abs))).toBeGreaterThan(1e-3);
    const r = gradcheck((xx: Tensor, ww: Tensor, bb: Tensor) => O.sum(O.square(O.dense(xx, ww, bb, true))), [x, w, b], {
      seed: 1,
    });
    expect(r.ok).toBe(true);
  });

  it('reports shape errors from matmul on the fallback path', () => {
    const rng = createRng(5);
    expect(() => O.dense(randn(rng, [3, 4]), randn(rng, [5, 2]), null, true)).toThrow(/matmul/);
  });
});
