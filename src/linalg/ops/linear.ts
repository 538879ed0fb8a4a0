/**
 * Differentiable matrix products: the `matmul` primitive with `transA`/`transB` flags and leading
 * batch dimensions (numpy semantics), and the `dense` primitive (affine layer with optional ReLU). The VJP never materialises a transpose: it calls the kernel
 * with flipped flags.
 *
 * Derivation, with `C = op(A)·op(B)` and `Ḡ = ∂L/∂C`: `∂L/∂op(A) = Ḡ·op(B)ᵀ`,
 * `∂L/∂op(B) = op(A)ᵀ·Ḡ`; undoing `op` (a transpose when its flag is set) gives
 *   Ā = transA ? op(B)·Ḡᵀ : Ḡ·op(B)ᵀ,    B̄ = transB ? Ḡᵀ·op(A) : op(A)ᵀ·Ḡ,
 * each one kernel call below. Broadcast batch axes are summed back with `sumToShape`.
 */
import { applyPrimitive } from '../autodiff/tape.js';
import { definePrimitive } from '../autodiff/primitive.js';
import * as K from '../kernels/index.js';
import { checkTensor, type Tensor } from '../tensor.js';
import { reshape } from './movement.js';
import { add } from './arith.js';
import { relu as reluOp } from './unary.js';

/** Attributes of the matmul primitive: use the transpose of `a` / `b`. */
interface Flags {
  transA: boolean;
  transB: boolean;
}

function gradA(g: Tensor, b: Tensor, { transA, transB }: Flags): Tensor {
  if (!transA) return transB ? K.matmul(g, b) : K.matmul(g, b, { transB: true }); // Ḡ·op(B)ᵀ
  return transB ? K.matmul(b, g, { transA: true, transB: true }) : K.matmul(b, g, { transB: true }); // op(B)·Ḡᵀ
}

function gradB(g: Tensor, a: Tensor, { transA, transB }: Flags): Tensor {
  if (!transB) return transA ? K.matmul(a, g) : K.matmul(a, g, { transA: true }); // op(A)ᵀ·Ḡ
  return transA ? K.matmul(g, a, { transA: true, transB: true }) : K.matmul(g, a, { transA: true }); // Ḡᵀ·op(A)
}

export const matmulP = definePrimitive<'matmul', Flags>({
  name: 'matmul',
  forward: ([a, b], flags) => K.matmul(a!, b!, flags),
  vjp: (g, [a, b], _c, flags, needs) => [
    needs[0] ? K.sumToShape(gradA(g, b!, flags), a!.shape) : null,
    needs[1] ? K.sumToShape(gradB(g, a!, flags), b!.shape) : null,
  ],
});

/**
 * The dense primitive `z = act(x·w + b)`, x (M, k), w (k, n), b (n), act ReLU or identity: the
 * bias and the ReLU are applied in place on the product's fresh buffer, which saves two M×n
 * temporaries per layer against the composite, with exactly its roundings (one rounding for the
 * sum; NaN passes through ReLU).
 *
 * VJP, with ȳ = z̄ ⊙ [y > 0] (read from the output: z > 0 ⇔ y > 0, NaN gives 0 in both) for
 * ReLU and ȳ = z̄ otherwise: x̄ = ȳ·wᵀ, w̄ = xᵀ·ȳ, b̄ = Σ_rows ȳ.
 */
export const denseP = definePrimitive<'dense', { relu: boolean }>({
  name: 'dense',
  forward: ([x, w, b], { relu }) => {
    const y = K.matmul(x!, w!);
    const o = y.data,
      bd = b!.data,
      n = bd.length;
    for (let i = 0; i < o.length; i += n) for (let j = 0; j < n; j++) o[i + j] = o[i + j]! + bd[j]!;
    if (relu)
      for (let i = 0; i < o.length; i++) {
        const v = o[i]!;
        if (!(v > 0 || v !== v)) o[i] = 0;
      }
    return y;
  },
  vjp: (g, [x, w], z, { relu }, needs) => {
    const gy = relu ? reluMask(g, z) : g;
    return [
      needs[0] ? K.matmul(gy, w!, { transB: true }) : null,
      needs[1] ? K.matmul(x!, gy, { transA: true }) : null,
      needs[2] ? K.sumToShape(gy, [gy.shape[1]!]) : null,
    ];
  },
});

/** ȳ = z̄ ⊙ [z > 0], a fresh tensor. */
function reluMask(g: Tensor, z: Tensor): Tensor {
  const gd = g.data,
    zd = z.data,
    o = new Float64Array(gd.length);
  for (let i = 0; i < o.length; i++) o[i] = zd[i]! > 0 ? gd[i]! : 0;
  return { data: o, shape: g.shape };
}

/**
 * Affine layer `act(x·w + b)` on a 2-D `x` (M, k), `w` (k, n), `b` (n) or null, act 'relu' or
 * none (differentiable): the `dense` primitive, the same numbers as `relu(add(matmul(x, w), b))`.
 * Falls back to that composite when the shapes are not exactly these (so errors come from
 * `matmul`/`add`).
 *
 * ```ts
 * const h = tensor([[1, -1]]); // (M, k) = (1, 2)
 * const w = tensor([[1, 2, 3], [4, 5, 6]]); // (k, n) = (2, 3)
 * const b = tensor([0.5, 0, 10]); // (n)
 * toArray(dense(h, w, b, false)); // → [[-2.5, -3, 7]]: h·w + b
 * toArray(dense(h, w, b, true)); // → [[0, 0, 7]]: relu(h·w + b)
 * ```
 */
export function dense(x: Tensor, w: Tensor, b: Tensor | null, relu: boolean): Tensor {
  checkTensor('dense', 'x', x);
  checkTensor('dense', 'w', w);
  if (b !== null) checkTensor('dense', 'b', b);
  const n = w.shape[1];
  if (
    b === null ||
    x.shape.length !== 2 ||
    w.shape.length !== 2 ||
    x.shape[1] !== w.shape[0] ||
    b.shape.length !== 1 ||
    b.shape[0] !== n ||
    n === 0
  ) {
    let y = matmul(x, w);
    if (b !== null) y = add(y, b);
    return relu ? reluOp(y) : y;
  }
  return applyPrimitive(denseP, [x, w, b], { relu });
}

/**
 * Matrix product `op(a)·op(b)` over the last two axes, leading axes broadcast (differentiable).
 * A batched `a` (…, m, k) times a 2-D `b` is computed as one (…·m, k)·(k, n) product, so the
 * weight gradient is one large product instead of a batch reduced afterwards.
 *
 * ```ts
 * const a = tensor([[1, 2], [3, 4]]);
 * const b = tensor([[5, 6], [7, 8]]);
 * toArray(matmul(a, b)); // → [[19, 22], [43, 50]]
 * toArray(matmul(a, b, { transB: true })); // → [[17, 23], [39, 53]]: a·bᵀ
 * const x = randn(createRng(0), [2, 3, 4]); // (B, T, n) = (2, 3, 4)
 * matmul(x, ones([4, 5])).shape; // → [2, 3, 5]: (B, T, n)·(n, m) → (B, T, m)
 * matmul(x, x, { transB: true }).shape; // → [2, 3, 3]: (B, T, d)·(B, T, d)ᵀ → (B, T, T)
 * ```
 */
export function matmul(a: Tensor, b: Tensor, opts: { transA?: boolean; transB?: boolean } = {}): Tensor {
  checkTensor('matmul', 'a', a);
  checkTensor('matmul', 'b', b);
  const flags: Flags = { transA: opts.transA ?? false, transB: opts.transB ?? false };
  const na = a.shape.length;
  if (na > 2 && b.shape.length === 2 && !flags.transA) {
    const lead = a.shape.slice(0, na - 1);
    const rows = lead.reduce((p, d) => p * d, 1);
    const c = applyPrimitive(matmulP, [reshape(a, [rows, a.shape[na - 1]!]), b], flags);
    return reshape(c, [...lead, c.shape[1]!]);
  }
  return applyPrimitive(matmulP, [a, b], flags);
}
