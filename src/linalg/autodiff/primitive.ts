/**
 * The primitive contract of the reverse-mode autodiff: every differentiable operation that is not
 * composed from others is a `Primitive` with its forward (on raw tensors, through the kernels) and
 * its vector–Jacobian product written next to it, in `src/linalg/ops/<family>.ts`.
 *
 * `OpName` lists every primitive. The registry in `ops/registry.ts` is typed
 * `{ [K in OpName]: Primitive<K> }` and the gradcheck test enumerates `OpName` with a
 * `Record<OpName, …>` case table, so adding a name here without a rule or a test case is a compile
 * error (and a failing test).
 */
import type { Tensor } from '../tensor.js';

/** Names of the primitives (about 20); everything else is composed from them. */
export type OpName =
  | 'add' | 'mul' | 'neg' | 'reciprocal' | 'maximum' | 'where'
  | 'exp' | 'log' | 'tanh' | 'relu' | 'abs' | 'pow'
  | 'sum' | 'max'
  | 'matmul'
  | 'reshape' | 'transpose' | 'broadcastTo' | 'slice' | 'concat' | 'gather';

/** Every `OpName`, for tests and docs (kept in sync with the union by the `satisfies` below). */
export const OP_NAMES = [
  'add', 'mul', 'neg', 'reciprocal', 'maximum', 'where',
  'exp', 'log', 'tanh', 'relu', 'abs', 'pow',
  'sum', 'max',
  'matmul',
  'reshape', 'transpose', 'broadcastTo', 'slice', 'concat', 'gather',
] as const satisfies readonly OpName[];

// Compile-time check that OP_NAMES covers the whole union.
type Missing = Exclude<OpName, (typeof OP_NAMES)[number]>;
const _complete: Missing extends never ? true : never = true;
void _complete;

/**
 * A primitive: `forward(inputs, attrs)` computes the output from raw tensors; `vjp(g, …)` returns,
 * for each input `i` with `needs[i]`, the cotangent `Jᵢᵀ g` of the input's exact shape (entries
 * for inputs not needed may be `null`). `attrs` are the non-differentiable arguments (axes,
 * exponents, index arrays) and are saved on the tape with the node.
 */
export interface Primitive<K extends OpName = OpName, A = any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly name: K;
  readonly forward: (inputs: readonly Tensor[], attrs: A) => Tensor;
  readonly vjp: (g: Tensor, inputs: readonly Tensor[], out: Tensor, attrs: A, needs: readonly boolean[]) => readonly (Tensor | null)[];
}

/** Identity helper that checks a primitive literal against the contract. */
export function definePrimitive<K extends OpName, A>(p: Primitive<K, A>): Primitive<K, A> {
  return p;
}
