/**
 * Differentiable arithmetic: primitives `add`, `mul`, `neg`, `reciprocal`, `maximum`, `where`
 * (forward and VJP side by side) and the composites `sub`, `div`, `square`.
 *
 * Broadcasting rule for every binary VJP: if `z = f(a, b)` broadcasts `a` from shape `sa` to the
 * output shape, each element of `a` feeds every output along the broadcast axes, so
 * `∂L/∂a = sumToShape(∂L/∂z ⊙ ∂f/∂a, sa)` (one reduction, no copy when shapes already agree).
 */
import { applyPrimitive } from '../autodiff/tape.js';
import { definePrimitive } from '../autodiff/primitive.js';
import * as K from '../kernels/index.js';
import { checkTensor, toTensor, type Tensor } from '../tensor.js';

// z = a + b  ⇒  ā = Σ_bcast z̄,  b̄ = Σ_bcast z̄.
export const addP = definePrimitive<'add', null>({
  name: 'add',
  forward: ([a, b]) => K.add(a!, b!),
  vjp: (g, [a, b], _o, _at, needs) => [
    needs[0] ? K.sumToShape(g, a!.shape) : null,
    needs[1] ? K.sumToShape(g, b!.shape) : null,
  ],
});

// z = a ⊙ b  ⇒  ā = Σ_bcast z̄ ⊙ b,  b̄ = Σ_bcast z̄ ⊙ a.
export const mulP = definePrimitive<'mul', null>({
  name: 'mul',
  forward: ([a, b]) => K.mul(a!, b!),
  vjp: (g, [a, b], _o, _at, needs) => [
    needs[0] ? K.sumToShape(K.mul(g, b!), a!.shape) : null,
    needs[1] ? K.sumToShape(K.mul(g, a!), b!.shape) : null,
  ],
});

// z = −x  ⇒  x̄ = −z̄.
export const negP = definePrimitive<'neg', null>({
  name: 'neg',
  forward: ([x]) => K.neg(x!),
  vjp: (g) => [K.neg(g)],
});

// z = 1/x  ⇒  dz/dx = −1/x² = −z²  ⇒  x̄ = −z̄ z².
export const reciprocalP = definePrimitive<'reciprocal', null>({
  name: 'reciprocal',
  forward: ([x]) => K.reciprocal(x!),
  vjp: (g, _in, z) => {
    const o = new Float64Array(g.data.length),
      gd = g.data,
      zd = z.data;
    for (let i = 0; i < o.length; i++) {
      const v = zd[i]!;
      o[i] = -gd[i]! * v * v;
    }
    return [{ data: o, shape: z.shape }];
  },
});

// z = max(a, b): ∂z/∂a = 1 where a > b, 0 where a < b, and ½ on ties (the average of the two
// one-sided derivatives, so that max(x, x) has derivative 1 split evenly); b̄ symmetric.
export const maximumP = definePrimitive<'maximum', null>({
  name: 'maximum',
  forward: ([a, b]) => K.maximum(a!, b!),
  vjp: (g, [a, b], _o, _at, needs) => {
    const wa = K.binary('maximum', a!, b!, (x, y) => (x > y ? 1 : x < y ? 0 : 0.5));
    return [
      needs[0] ? K.sumToShape(K.mul(g, wa), a!.shape) : null,
      needs[1] ? K.sumToShape(K.mul(g, K.sub(1, wa)), b!.shape) : null,
    ];
  },
});

// z = cond ? a : b (cond is a constant attribute)  ⇒  ā = Σ_bcast [cond] z̄,  b̄ = Σ_bcast [¬cond] z̄.
export const whereP = definePrimitive<'where', { cond: Tensor }>({
  name: 'where',
  forward: ([a, b], { cond }) => K.where(cond, a!, b!),
  vjp: (g, [a, b], _o, { cond }, needs) => [
    needs[0] ? K.sumToShape(K.where(cond, g, 0), a!.shape) : null,
    needs[1] ? K.sumToShape(K.where(cond, 0, g), b!.shape) : null,
  ],
});

/**
 * `a + b` with numpy broadcasting (differentiable).
 *
 * @example
 * ```ts
 * toArray(add(tensor([1, 2]), tensor([10, 20]))); // → [11, 22]
 * toArray(add(tensor([[1], [2]]), tensor([10, 20, 30]))); // → [[11, 21, 31], [12, 22, 32]] (broadcast)
 * toArray(add(tensor([1, 2]), 0.5)); // → [1.5, 2.5]
 * ```
 */
export function add(a: Tensor | number, b: Tensor | number): Tensor {
  return applyPrimitive(addP, [toTensor('add', 'a', a), toTensor('add', 'b', b)], null);
}
/**
 * `a ⊙ b` elementwise with broadcasting (differentiable).
 *
 * @example
 * ```ts
 * toArray(mul(tensor([[1, 2], [3, 4]]), tensor([10, 100]))); // → [[10, 200], [30, 400]]
 * const [da, db] = grad((a: Tensor, b: Tensor) => sum(mul(a, b)))(tensor([1, 2]), tensor([3, 4]));
 * [toArray(da!), toArray(db!)]; // → [[3, 4], [1, 2]]
 * ```
 */
export function mul(a: Tensor | number, b: Tensor | number): Tensor {
  return applyPrimitive(mulP, [toTensor('mul', 'a', a), toTensor('mul', 'b', b)], null);
}
/**
 * `−x` (differentiable).
 *
 * @example
 * ```ts
 * toArray(neg(tensor([1, -2]))); // → [-1, 2]
 * ```
 */
export function neg(x: Tensor): Tensor {
  return applyPrimitive(negP, [x], null);
}
/**
 * `1/x` (differentiable).
 *
 * @example
 * ```ts
 * toArray(reciprocal(tensor([2, 4, -0.5]))); // → [0.5, 0.25, -2]
 * const [dx] = grad((x: Tensor) => sum(reciprocal(x)))(tensor([2])); // −1/x²
 * toArray(dx!); // → [-0.25]
 * ```
 */
export function reciprocal(x: Tensor): Tensor {
  return applyPrimitive(reciprocalP, [x], null);
}
/**
 * Elementwise maximum with broadcasting; ties split the gradient evenly (differentiable).
 *
 * @example
 * ```ts
 * toArray(maximum(tensor([1, 5, 3]), tensor([4, 2, 3]))); // → [4, 5, 3]
 * toArray(maximum(tensor([-1, 2]), 0)); // → [0, 2] (a relu)
 * const [da, db] = grad((a: Tensor, b: Tensor) => sum(maximum(a, b)))(tensor([1, 3]), tensor([2, 3]));
 * [toArray(da!), toArray(db!)]; // → [[0, 0.5], [1, 0.5]]: the tie at 3 splits the gradient
 * ```
 */
export function maximum(a: Tensor | number, b: Tensor | number): Tensor {
  return applyPrimitive(maximumP, [toTensor('maximum', 'a', a), toTensor('maximum', 'b', b)], null);
}
/**
 * `cond ? a : b` elementwise with broadcasting; `cond` (nonzero = true) is not differentiated.
 * Masked branches still run their VJP (as in PyTorch and JAX): `where(m, log(x), 0)` has gradient
 * NaN at a masked x = 0 (0 · 1/0). Mask the input as well — a safe log is
 * `where(gt0, log(where(gt0, x, 1)), 0)`, whose gradient is exactly 0 on the masked entries.
 *
 * @example
 * ```ts
 * const x = tensor([-1, 0, 2]);
 * toArray(where(tensor([1, 0, 1]), x, 10)); // → [-1, 10, 2]
 * // a log that is safe at x ≤ 0: mask the input too, so the masked gradient is 0, not NaN
 * const safeLog = (t: Tensor): Tensor => {
 *   const pos = tensor(Array.from(t.data, (v) => (v > 0 ? 1 : 0)));
 *   return where(pos, log(where(pos, t, 1)), 0);
 * };
 * toArray(grad((t: Tensor) => sum(safeLog(t)))(x)[0]!); // → [0, 0, 0.5]
 * ```
 */
export function where(cond: Tensor, a: Tensor | number, b: Tensor | number): Tensor {
  const c = checkTensor('where', 'cond', cond);
  return applyPrimitive(whereP, [toTensor('where', 'a', a), toTensor('where', 'b', b)], { cond: c });
}

/**
 * `a − b` = `a + (−b)` (composite).
 *
 * @example
 * ```ts
 * toArray(sub(tensor([5, 7]), tensor([1, 2]))); // → [4, 5]
 * toArray(sub(1, tensor([0.25, 1]))); // → [0.75, 0]
 * ```
 */
export function sub(a: Tensor | number, b: Tensor | number): Tensor {
  return typeof b === 'number' ? add(a, -b) : add(a, neg(b));
}
/**
 * `a / b` = `a · (1/b)` (composite).
 *
 * @example
 * ```ts
 * toArray(div(tensor([1, 2, 3]), 2)); // → [0.5, 1, 1.5]
 * toArray(div(tensor([[2, 4], [6, 8]]), tensor([[2], [4]]))); // → [[1, 2], [1.5, 2]]
 * ```
 */
export function div(a: Tensor | number, b: Tensor | number): Tensor {
  return typeof b === 'number' ? mul(a, 1 / b) : mul(a, reciprocal(b));
}
