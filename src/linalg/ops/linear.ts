/**
 * Differentiable matrix product: the `matmul` primitive with `transA`/`transB` flags and leading
 * batch dimensions (numpy semantics). The VJP never materialises a transpose: it calls the kernel
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
import type { Tensor } from '../tensor.js';
import { reshape } from './movement.js';

interface Flags { transA: boolean; transB: boolean }

function gradA(g: Tensor, b: Tensor, { transA, transB }: Flags): Tensor {
  if (!transA) return transB ? K.matmul(g, b) : K.matmul(g, b, { transB: true });   // Ḡ·op(B)ᵀ
  return transB ? K.matmul(b, g, { transA: true, transB: true }) : K.matmul(b, g, { transB: true }); // op(B)·Ḡᵀ
}

function gradB(g: Tensor, a: Tensor, { transA, transB }: Flags): Tensor {
  if (!transB) return transA ? K.matmul(a, g) : K.matmul(a, g, { transA: true });   // op(A)ᵀ·Ḡ
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
 * Matrix product `op(a)·op(b)` over the last two axes, leading axes broadcast (differentiable).
 * A batched `a` (…, m, k) times a 2-D `b` is computed as one (…·m, k)·(k, n) product, so the
 * weight gradient is one large product instead of a batch reduced afterwards.
 *
 * ```ts
 * matmul(x, w);                     // (B, T, n)·(n, m) → (B, T, m)
 * matmul(q, k, { transB: true });   // (B, T, d)·(B, T, d)ᵀ → (B, T, T)
 * ```
 */
export function matmul(a: Tensor, b: Tensor, opts: { transA?: boolean; transB?: boolean } = {}): Tensor {
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
