/**
 * The primitive contract of the reverse-mode autodiff: every differentiable operation that is not
 * composed from others is a `Primitive` with its forward (on raw tensors, through the kernels) and
 * its vector–Jacobian product written next to it, in `src/linalg/ops/<family>.ts`.
 *
 * `OP_NAMES` lists every primitive (`OpName` is its element type). The registry in `ops/registry.ts` is typed
 * `{ [K in OpName]: Primitive<K> }` and the gradcheck test enumerates `OpName` with a
 * `Record<OpName, …>` case table, so adding a name here without a rule or a test case is a compile
 * error (and a failing test).
 */
import type { Tensor } from '../tensor.js';

/** Every primitive's name, written once; everything else is composed from them. */
export const OP_NAMES = [
  'add',
  'mul',
  'neg',
  'reciprocal',
  'maximum',
  'where',
  'exp',
  'log',
  'tanh',
  'relu',
  'abs',
  'pow',
  'sum',
  'max',
  'matmul',
  'dense',
  'reshape',
  'transpose',
  'broadcastTo',
  'slice',
  'concat',
  'gather',
] as const;

/** Names of the primitives (the entries of `OP_NAMES`). */
export type OpName = (typeof OP_NAMES)[number];

/**
 * A primitive: `forward(inputs, attrs)` computes the output from raw tensors; `vjp(g, …)` returns,
 * for each input `i` with `needs[i]`, the cotangent `Jᵢᵀ g` of the input's exact shape (entries
 * for inputs not needed may be `null`). `attrs` are the non-differentiable arguments (axes,
 * exponents, index arrays) and are saved on the tape with the node.
 */
export interface Primitive<K extends OpName = OpName, A = any> {
  // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly name: K;
  readonly forward: (inputs: readonly Tensor[], attrs: A) => Tensor;
  readonly vjp: (
    g: Tensor,
    inputs: readonly Tensor[],
    out: Tensor,
    attrs: A,
    needs: readonly boolean[],
  ) => readonly (Tensor | null)[];
}

/**
 * Identity helper that checks a primitive literal against the contract.
 *
 * @example
 * ```ts
 * // A primitive literal checked against the contract at compile time (name one of OP_NAMES, forward
 * // and vjp typed). The registry PRIMITIVES is fixed: this is how the op files write their rules,
 * // and how a rule can be read and tested on its own, not a way to add ops to `grad`.
 * const negP = definePrimitive<'neg', null>({
 *   name: 'neg',
 *   forward: ([x]) => ({ data: x!.data.map((v) => -v), shape: [...x!.shape] }),
 *   vjp: (g) => [{ data: g.data.map((v) => -v), shape: [...g.shape] }],
 * });
 * const x = tensor([1, -2]);
 * toArray(negP.forward([x], null)); // → [-1, 2]
 * toArray(negP.vjp(tensor([1, 1]), [x], negP.forward([x], null), null, [true])[0]!); // → [-1, -1]
 * ```
 */
export function definePrimitive<K extends OpName, A>(p: Primitive<K, A>): Primitive<K, A> {
  return p;
}
