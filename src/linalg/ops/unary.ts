/**
 * Differentiable elementwise functions: primitives `exp`, `log`, `tanh`, `relu`, `abs`, `pow`
 * (each VJP a single fused loop over the cotangent) and the composites `square`, `sqrt`,
 * `sigmoid`, `gelu`.
 */
import { applyPrimitive } from '../autodiff/tape.js';
import { definePrimitive } from '../autodiff/primitive.js';
import * as K from '../kernels/index.js';
import type { Tensor } from '../tensor.js';
import { checkNumber } from '../validate.js';
import { add, mul } from './arith.js';

function like(t: Tensor): { o: Float64Array; n: number } {
  return { o: new Float64Array(t.data.length), n: t.data.length };
}

// z = eˣ  ⇒  x̄ = z̄ z.
export const expP = definePrimitive<'exp', null>({
  name: 'exp',
  forward: ([x]) => K.exp(x!),
  vjp: (g, _in, z) => [K.mul(g, z)],
});

// z = log x  ⇒  x̄ = z̄ / x.
export const logP = definePrimitive<'log', null>({
  name: 'log',
  forward: ([x]) => K.log(x!),
  vjp: (g, [x]) => [K.div(g, x!)],
});

// z = tanh x  ⇒  dz/dx = 1 − z²  ⇒  x̄ = z̄ (1 − z²).
export const tanhP = definePrimitive<'tanh', null>({
  name: 'tanh',
  forward: ([x]) => K.tanh(x!),
  vjp: (g, _in, z) => {
    const { o, n } = like(z),
      gd = g.data,
      zd = z.data;
    for (let i = 0; i < n; i++) {
      const v = zd[i]!;
      o[i] = gd[i]! * (1 - v * v);
    }
    return [{ data: o, shape: z.shape }];
  },
});

// z = max(x, 0)  ⇒  x̄ = z̄ [x > 0] (the subgradient 0 is taken at the kink x = 0).
export const reluP = definePrimitive<'relu', null>({
  name: 'relu',
  forward: ([x]) => K.relu(x!),
  vjp: (g, [x]) => {
    const { o, n } = like(x!),
      gd = g.data,
      xd = x!.data;
    for (let i = 0; i < n; i++) o[i] = xd[i]! > 0 ? gd[i]! : 0;
    return [{ data: o, shape: x!.shape }];
  },
});

// z = |x|  ⇒  x̄ = z̄ sign(x) (0 at x = 0).
export const absP = definePrimitive<'abs', null>({
  name: 'abs',
  forward: ([x]) => K.abs(x!),
  vjp: (g, [x]) => {
    const { o, n } = like(x!),
      gd = g.data,
      xd = x!.data;
    for (let i = 0; i < n; i++) {
      const v = xd[i]!;
      o[i] = v > 0 ? gd[i]! : v < 0 ? -gd[i]! : 0;
    }
    return [{ data: o, shape: x!.shape }];
  },
});

// z = xᶜ (c constant)  ⇒  x̄ = z̄ c xᶜ⁻¹. Fast paths: c = 2 → 2x z̄; c = ½ → z̄ / (2z); c = 1 → z̄.
export const powP = definePrimitive<'pow', { c: number }>({
  name: 'pow',
  forward: ([x], { c }) => K.powScalar(x!, c),
  vjp: (g, [x], z, { c }) => {
    const { o, n } = like(x!),
      gd = g.data,
      xd = x!.data,
      zd = z.data;
    if (c === 2) for (let i = 0; i < n; i++) o[i] = 2 * xd[i]! * gd[i]!;
    else if (c === 1) o.set(gd);
    else if (c === 0.5) for (let i = 0; i < n; i++) o[i] = (0.5 * gd[i]!) / zd[i]!;
    else if (c !== 0) for (let i = 0; i < n; i++) o[i] = c * Math.pow(xd[i]!, c - 1) * gd[i]!;
    return [{ data: o, shape: x!.shape }];
  },
});

/**
 * `eˣ` (differentiable).
 *
 * @example
 * ```ts
 * toArray(exp(tensor([0, 1]))); // ≈ [1, 2.718282]
 * ```
 */
export function exp(x: Tensor): Tensor {
  return applyPrimitive(expP, [x], null);
}
/**
 * Natural logarithm (differentiable).
 *
 * @example
 * ```ts
 * toArray(log(tensor([1, Math.E, 0]))); // → [0, 1, -Infinity]
 * ```
 */
export function log(x: Tensor): Tensor {
  return applyPrimitive(logP, [x], null);
}
/**
 * Hyperbolic tangent (differentiable).
 *
 * @example
 * ```ts
 * toArray(tanh(tensor([0, 1, -20]))); // ≈ [0, 0.761594, -1]
 * const [dx] = grad((x: Tensor) => sum(tanh(x)))(tensor([0])); // 1 − tanh²
 * toArray(dx!); // → [1]
 * ```
 */
export function tanh(x: Tensor): Tensor {
  return applyPrimitive(tanhP, [x], null);
}
/**
 * `max(x, 0)`; gradient 0 at the kink (differentiable).
 *
 * @example
 * ```ts
 * toArray(relu(tensor([-2, 0, 3]))); // → [0, 0, 3]
 * toArray(grad((x: Tensor) => sum(relu(x)))(tensor([-2, 0, 3]))[0]!); // → [0, 0, 1]
 * ```
 */
export function relu(x: Tensor): Tensor {
  return applyPrimitive(reluP, [x], null);
}
/**
 * `|x|`; gradient 0 at 0 (differentiable).
 *
 * @example
 * ```ts
 * toArray(abs(tensor([-2, 0, 3]))); // → [2, 0, 3]
 * toArray(grad((x: Tensor) => sum(abs(x)))(tensor([-2, 0, 3]))[0]!); // → [-1, 0, 1]
 * ```
 */
export function abs(x: Tensor): Tensor {
  return applyPrimitive(absP, [x], null);
}
/**
 * `xᶜ` for a constant exponent `c` (differentiable in x). Example: `pow(v, -0.5)`.
 *
 * @example
 * ```ts
 * toArray(pow(tensor([4, 9]), 0.5)); // → [2, 3]
 * toArray(pow(tensor([2, 4]), -1)); // → [0.5, 0.25]
 * toArray(grad((x: Tensor) => sum(pow(x, 3)))(tensor([2]))[0]!); // → [12] (3x²)
 * ```
 */
export function pow(x: Tensor, c: number): Tensor {
  return applyPrimitive(powP, [x], { c: checkNumber('pow', 'c', c, { finite: false }) });
}

/**
 * `x²` (composite of `pow`).
 *
 * @example
 * ```ts
 * toArray(square(tensor([-3, 0.5]))); // → [9, 0.25]
 * ```
 */
export function square(x: Tensor): Tensor {
  return pow(x, 2);
}
/**
 * `√x` (composite of `pow`; the gradient is infinite at 0).
 *
 * @example
 * ```ts
 * toArray(sqrt(tensor([0, 4, 2]))); // ≈ [0, 2, 1.414214]
 * ```
 */
export function sqrt(x: Tensor): Tensor {
  return pow(x, 0.5);
}
/**
 * Logistic sigmoid, composed as `½(1 + tanh(x/2))`: exact identity, and neither branch
 * overflows for large |x|.
 *
 * @example
 * ```ts
 * toArray(sigmoid(tensor([0, 800, -800]))); // → [0.5, 1, 0] (no overflow at ±800)
 * toArray(grad((x: Tensor) => sum(sigmoid(x)))(tensor([0]))[0]!); // → [0.25] (σ(1 − σ))
 * ```
 */
export function sigmoid(x: Tensor): Tensor {
  return mul(add(tanh(mul(x, 0.5)), 1), 0.5);
}

const GELU_C = Math.sqrt(2 / Math.PI);
/**
 * GELU, tanh approximation (Hendrycks & Gimpel 2016, eq. in §2; GPT-2's `gelu_new`):
 * `½ x (1 + tanh(√(2/π)(x + 0.044715 x³)))`. Differs from the erf form by < 1e-3.
 *
 * @example
 * ```ts
 * toArray(gelu(tensor([-1, 0, 1, 3]))); // ≈ [-0.158808, 0, 0.841192, 2.996363]
 * ```
 */
export function gelu(x: Tensor): Tensor {
  const inner = mul(add(x, mul(pow(x, 3), 0.044715)), GELU_C);
  return mul(mul(x, 0.5), add(tanh(inner), 1));
}
