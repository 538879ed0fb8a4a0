import { describe, expect, it } from 'vitest';
import { grad, gradcheck, noGrad, valueAndGrad, isRecording } from '../../../src/linalg/autodiff/index.js';
import {
  add,
  concat,
  crossEntropy,
  exp,
  gather,
  layerNorm,
  log,
  matmul,
  mean,
  mse,
  mul,
  reshape,
  slice,
  square,
  sub,
  sum,
  tanh,
} from '../../../src/linalg/ops/index.js';
import { NonFiniteError, ShapeError, ValueError } from '../../../src/linalg/errors.js';
import { tensor, type Tensor } from '../../../src/linalg/tensor.js';
import { seeded } from '../../helpers/gradcheck-cases.js';
import { applyPrimitive } from '../../../src/linalg/autodiff/tape.js';
import { definePrimitive } from '../../../src/linalg/autodiff/primitive.js';
import * as K from '../../../src/linalg/kernels/index.js';

describe('grad / valueAndGrad', () => {
  it('d/dx Σx² = 2x, and the value is returned', () => {
    const x = tensor([1, -2, 3]);
    const { value, grads } = valueAndGrad((t: Tensor) => sum(square(t)))(x);
    expect(value.data[0]).toBe(14);
    expect(grads[0]).toBeAllclose(tensor([2, -4, 6]));
  });

  it('several positional arguments, and the same tensor passed twice gets separate gradients', () => {
    const a = tensor([
        [1, 2],
        [3, 4],
      ]),
      b = tensor([
        [0.5, -1],
        [2, 1],
      ]);
    const [ga, gb] = grad((p: Tensor, q: Tensor) => sum(mul(p, q)))(a, b);
    expect(ga).toBeAllclose(b);
    expect(gb).toBeAllclose(a);
    const [g1, g2] = grad((p: Tensor, q: Tensor) => sum(mul(p, mul(q, q))))(a, a);
    expect(g1).toBeAllclose(mul(a, a));
    expect(g2).toBeAllclose(mul(mul(a, a), 2));
  });

  it('a parameter record gives a record of gradients with the same keys', () => {
    const params = { w: seeded([3, 2], 1), b: seeded([2], 2) };
    const x = seeded([5, 3], 3),
      y = seeded([5, 2], 4);
    const g = grad((p: Record<string, Tensor>) => mse(add(matmul(x, p.w!), p.b!), y))(params);
    expect(Object.keys(g).sort()).toEqual(['b', 'w']);
    expect(g.w!.shape).toEqual([3, 2]);
    // closed form: dL/dW = 2/N · xᵀ(xW + b − y)
    const r = sub(add(matmul(x, params.w), params.b), y);
    expect(g.w).toBeAllclose(mul(matmul(x, r, { transA: true }), 2 / 10), { rtol: 1e-12 });
    expect(g.b).toBeAllclose(mul(sum(r, 0), 2 / 10), { rtol: 1e-12 });
  });

  it('gradients of unused inputs are zeros of the right shape; a constant function gives zeros', () => {
    const [ga, gb] = grad((p: Tensor, _q: Tensor) => sum(exp(p)))(seeded([2], 1), seeded([3, 4], 2));
    expect(ga!.shape).toEqual([2]);
    expect(gb).toEqual({ data: new Float64Array(12), shape: [3, 4] });
    const [gc] = grad((_p: Tensor) => tensor([5], []))(seeded([2, 2], 3));
    expect(gc!.data).toEqual(new Float64Array(4));
  });

  it('calling grad twice gives identical answers and leaves the inputs untouched', () => {
    const x = seeded([4, 3], 5),
      w = seeded([3, 3], 6);
    const before = x.data.slice();
    const f = grad((a: Tensor, b: Tensor) => sum(tanh(matmul(add(a, a), b))));
    const r1 = f(x, w),
      r2 = f(x, w);
    expect(r1[0]!.data).toEqual(r2[0]!.data);
    expect(r1[1]!.data).toEqual(r2[1]!.data);
    expect(x.data).toEqual(before);
    expect(isRecording()).toBe(false);
  });

  it('accumulation: a value used many times sums all contributions (fan-out)', () => {
    const [g] = grad((x: Tensor) => {
      let s = x;
      for (let i = 0; i < 5; i++) s = add(s, x);
      return sum(s);
    })(seeded([3], 1));
    expect(g).toBeAllclose(tensor([6, 6, 6]));
  });

  it('a 1000-step recurrence (RNN-like unroll) does not overflow the stack and is correct', () => {
    const T = 1000;
    const [g] = grad((a: Tensor) => {
      let h = tensor([1], [1, 1]);
      for (let t = 0; t < T; t++) h = tanh(add(mul(h, a), 0.1));
      return sum(h);
    })(tensor([0.5], [1, 1]));
    // forward-mode reference: h' = (1 − h²)(h_{t−1} + a·h'_{t−1})
    let h = 1,
      dh = 0;
    for (let t = 0; t < T; t++) {
      const hn = Math.tanh(h * 0.5 + 0.1);
      dh = (1 - hn * hn) * (h + 0.5 * dh);
      h = hn;
    }
    expect(g!.data[0]).toBeCloseTo(dh, 12);
  });

  it('a 10,000-node chain also works (iterative backward)', () => {
    const [g] = grad((x: Tensor) => {
      let s = x;
      for (let i = 0; i < 10_000; i++) s = mul(s, 1.0001);
      return sum(s);
    })(tensor([1, 2]));
    expect(g!.data[0]).toBeCloseTo(Math.pow(1.0001, 10_000), 9);
  });

  it('noGrad records nothing: the gradient through it is zero', () => {
    const [g] = grad((x: Tensor) =>
      add(
        sum(x),
        noGrad(() => sum(mul(x, x))),
      ),
    )(tensor([1, 2]));
    expect(g).toBeAllclose(tensor([1, 1]));
  });

  it('a grad inside noGrad still works, and nested grad calls do not disturb the outer tape', () => {
    const inner = grad((y: Tensor) => sum(square(y)));
    const got = noGrad(() => inner(tensor([3])));
    expect(got[0]!.data[0]).toBe(6);
    const [g] = grad((x: Tensor) => {
      const c = inner(tensor([2]))[0]!; // a constant 4 for the outer tape
      return sum(mul(x, c));
    })(tensor([1]));
    expect(g!.data[0]).toBe(4);
  });

  it('nested differentiation through an outer-traced value is a ValueError, unless made explicit with noGrad', () => {
    const outer = (x: Tensor): Tensor => {
      const [g] = grad((y: Tensor) => sum(mul(y, x)))(tensor([1]));
      return sum(mul(g!, x));
    };
    expect(() => grad(outer)(tensor([3]))).toThrow(ValueError);
    expect(() => grad(outer)(tensor([3]))).toThrow(/nested differentiation: input 1 of 'mul'/);
    const explicit = (x: Tensor): Tensor =>
      sum(mul(noGrad(() => grad((y: Tensor) => sum(mul(y, x)))(tensor([1])))[0]!, x));
    expect(grad(explicit)(tensor([3]))[0]!.data[0]).toBe(3);
  });

  it('two leaves never share a gradient buffer', () => {
    const [ga, gb] = grad((a: Tensor, b: Tensor) => sum(add(a, b)))(tensor([1, 2]), tensor([3, 4]));
    expect(ga).toBeAllclose(tensor([1, 1]));
    expect(gb).toBeAllclose(tensor([1, 1]));
    expect(ga!.data).not.toBe(gb!.data);
  });

  it('slices/reshape/concat round trip gives the identity gradient', () => {
    const x = seeded([4, 3], 9);
    const [g] = grad((t: Tensor) => {
      const parts = [slice(t, [0], [1]), slice(t, [1], [4])];
      return sum(mul(reshape(concat(parts, 0), [12]), reshape(x, [12])));
    })(x);
    expect(g).toBeAllclose(x);
  });
});

describe('bad input gives typed errors that name the op and shapes', () => {
  it('non-scalar output', () => {
    const f = grad((x: Tensor) => mul(x, 2));
    expect(() => f(seeded([3], 1))).toThrow(ShapeError);
    expect(() => f(seeded([3], 1))).toThrow(/grad: .*scalar.*\(3,\)/);
  });

  it('NaN or infinite loss', () => {
    expect(() => grad((x: Tensor) => sum(log(x)))(tensor([-1, 1]))).toThrow(NonFiniteError);
    expect(() => valueAndGrad((x: Tensor) => sum(log(x)))(tensor([0, 1]))).toThrow(
      /valueAndGrad: the loss contains a non-finite value -Infinity/,
    );
  });

  it('wrong shapes inside the function name the op and both shapes', () => {
    const f = grad((x: Tensor) => sum(matmul(x, seeded([4, 2], 1))));
    expect(() => f(seeded([2, 3], 2))).toThrow(ShapeError);
    expect(() => f(seeded([2, 3], 2))).toThrow(/matmul.*\(2, 3\).*\(4, 2\)/);
    expect(() => grad((x: Tensor) => mse(x, seeded([3], 1)))(seeded([2], 1))).toThrow(/mse.*\(2,\) and \(3,\)/);
  });

  it('crossEntropy: labels out of range, fractional or of the wrong count, and an empty batch', () => {
    const z = seeded([2, 3], 1);
    expect(() => crossEntropy(z, [0, 3])).toThrow(ValueError);
    expect(() => crossEntropy(z, [0, 3])).toThrow(/^crossEntropy: label 3 at position 1 is outside \[0, 3\)/);
    expect(() => crossEntropy(z, [-1, 0])).toThrow(/^crossEntropy: label -1 at position 0/);
    expect(() => crossEntropy(z, [0, 1.5])).toThrow(/^crossEntropy: label 1.5/);
    expect(() => crossEntropy(z, [0])).toThrow(/^crossEntropy: 1 labels for a batch of 2.*\(2, 3\) and \(1,\)/);
    expect(() => crossEntropy({ data: new Float64Array(0), shape: [0, 3] }, [])).toThrow(
      /^crossEntropy: the mean over an empty batch.*\(0, 3\)/,
    );
  });

  it('layerNorm: a negative, NaN or infinite eps is a ValueError (it would make constant rows NaN)', () => {
    const x = tensor([[3, 3, 3]]),
      g = tensor([1, 1, 1]),
      b = tensor([0, 0, 0]);
    expect(Array.from(layerNorm(x, g, b, 0.1).data)).toEqual([0, 0, 0]);
    for (const eps of [-1, 0, Number.NaN, Infinity])
      expect(() => layerNorm(x, g, b, eps)).toThrow(/^layerNorm: eps must be a finite number > 0/);
    expect(() => layerNorm({ data: new Float64Array(0), shape: [2, 0] }, g, b)).toThrow(
      /^layerNorm: needs a non-empty last axis.*\(2, 0\)/,
    );
  });

  it('gather: negative indices count from the end; out-of-range and fractional ones are ShapeErrors naming gather', () => {
    const x = tensor([1, 2, 3]);
    expect(Array.from(gather(x, [-1, 0], 0).data)).toEqual([3, 1]);
    expect(() => gather(x, [3], 0)).toThrow(/^gather: index 3 out of range for an axis of length 3/);
    expect(() => gather(x, [-4], 0)).toThrow(/^gather: index -4 out of range/);
    expect(() => gather(x, [0.5], 0)).toThrow(/^gather: index 0.5 is not an integer/);
    expect(() => gather(x, [Number.NaN], 0)).toThrow(/^gather: index NaN is not an integer/);
  });

  it('non-tensor arguments and non-tensor results are ValueErrors', () => {
    expect(() => (grad((x: Tensor) => sum(x)) as (...a: unknown[]) => unknown)(3)).toThrow(ValueError);
    expect(() => grad((x: Tensor) => 3 as unknown as Tensor)(seeded([1], 1))).toThrow(ValueError);
    expect(() =>
      grad((p: Record<string, Tensor>) => sum(p.a!))({ a: seeded([1], 1), b: 'x' as unknown as Tensor }),
    ).toThrow(/parameter 'b'/);
  });

  it('an exception inside f leaves no tape active', () => {
    expect(() =>
      grad((_x: Tensor): Tensor => {
        throw new Error('boom');
      })(seeded([1], 1)),
    ).toThrow('boom');
    expect(isRecording()).toBe(false);
  });
});

describe('tape internals', () => {
  it('a VJP returning a wrongly shaped cotangent: ShapeError naming the op, the input position and both shapes', () => {
    const bad = definePrimitive<'mul', null>({ name: 'mul', forward: ([a]) => K.mul(a!, 2), vjp: (g) => [K.sum(g)] });
    const f = grad((x: Tensor) => sum(applyPrimitive(bad, [x], null)));
    expect(() => f(seeded([2, 3], 1))).toThrow(ShapeError);
    expect(() => f(seeded([2, 3], 1))).toThrow(/mul \(backward\): cotangent of input 0 .*\(\) and \(2, 3\)/);
  });

  it('prunes: VJPs of nodes the output does not depend on, and of constant inputs, are never run', () => {
    let calls = 0;
    const spy = definePrimitive<'neg', null>({
      name: 'neg',
      forward: ([a]) => K.neg(a!),
      vjp: (g) => {
        calls++;
        return [K.neg(g)];
      },
    });
    const [g] = grad((x: Tensor) => {
      applyPrimitive(spy, [x], null); // dead branch
      return sum(mul(x, applyPrimitive(spy, [tensor([1, 1])], null))); // constant input: not recorded
    })(tensor([1, 2]));
    expect(g).toBeAllclose(tensor([-1, -1]));
    expect(calls).toBe(0);
    grad((x: Tensor) => sum(applyPrimitive(spy, [x], null)))(tensor([1, 2]));
    expect(calls).toBe(1);
  });
});

describe('public gradcheck', () => {
  it('passes on a correct function in both modes and reports the worst entry', () => {
    const f = (a: Tensor, b: Tensor): Tensor => tanh(matmul(a, b));
    const ins = [seeded([3, 4], 1), seeded([4, 2], 2)];
    expect(gradcheck(f, ins).ok).toBe(true);
    const full = gradcheck(f, ins, { mode: 'full' });
    expect(full.ok).toBe(true);
    expect(full.maxRelErr).toBeLessThan(1e-6);
  });

  it('fails on a function whose gradient is wrong (noGrad hides a dependence)', () => {
    const bad = (x: Tensor): Tensor =>
      add(
        x,
        noGrad(() => mul(x, x)),
      );
    const r = gradcheck(bad, [seeded([3], 1)]);
    expect(r.ok).toBe(false);
    const full = gradcheck(bad, [seeded([3], 1)], { mode: 'full' });
    expect(full.ok).toBe(false);
    expect(full.worst).toMatchObject({ input: 0 });
    expect(full.worst!.outIndex).toBe(full.worst!.inIndex);
  });

  it('invalid options are ValueErrors naming gradcheck (a misspelt mode used to run the dot test silently)', () => {
    const f = (x: Tensor) => sum(square(x)),
      xs = [seeded([2], 1)];
    expect(() => gradcheck(f, xs, { eps: 0 })).toThrow(/^gradcheck: eps must be a finite number > 0/);
    expect(() => gradcheck(f, xs, { eps: Number.NaN })).toThrow(ValueError);
    expect(() => gradcheck(f, xs, { rtol: -1 })).toThrow(/^gradcheck: rtol and atol/);
    expect(() => gradcheck(f, xs, { mode: 'Full' as never })).toThrow(
      /^gradcheck: mode must be 'dot' or 'full', got 'Full'/,
    );
    expect(() => gradcheck(f, xs, { directions: 0 })).toThrow(/^gradcheck: directions/);
    expect(gradcheck(f, xs, { mode: 'full', directions: 3 }).ok).toBe(true);
  });

  it('mean of a scalar function', () => {
    expect(gradcheck((x: Tensor) => mean(exp(x)), [seeded([2, 3], 4)], { mode: 'full' }).ok).toBe(true);
  });
});
