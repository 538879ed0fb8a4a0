/**
 * The user API of the autodiff: `grad`, `valueAndGrad`, and the internal `vjpOf` that
 * `gradcheck` uses for non-scalar outputs.
 */
import { NonFiniteError, ShapeError, ValueError } from '../errors.js';
import { isTensor, type Tensor } from '../tensor.js';
import { describe } from '../validate.js';
import { assertNotNested, assertNotTracedArg, backward, popTape, pushTape, Tape } from './tape.js';

/** A named parameter record, e.g. `{ 'ffn.0.weight': W, 'ffn.0.bias': b }`. */
export type TensorRecord = Record<string, Tensor>;

function checkFn(op: string, f: unknown): void {
  if (typeof f !== 'function')
    throw new ValueError(op, `f must be a function of tensors returning a scalar ` + `tensor, got ${describe(f)}`);
}

type Args = { kind: 'list'; leaves: Tensor[] } | { kind: 'record'; keys: string[]; leaves: Tensor[] };

/** Validates the arguments and wraps each in a fresh leaf object (same buffer). */
function leavesOf(op: string, args: readonly unknown[]): Args {
  if (
    args.length === 1 &&
    !isTensor(args[0]) &&
    typeof args[0] === 'object' &&
    args[0] !== null &&
    !Array.isArray(args[0])
  ) {
    const rec = args[0] as Record<string, unknown>;
    const keys = Object.keys(rec);
    const leaves = keys.map((k) => {
      const v = rec[k];
      if (!isTensor(v)) throw new ValueError(op, `parameter '${k}' is not a tensor`);
      assertNotTracedArg(op, v, `parameter '${k}'`);
      return { data: v.data, shape: v.shape };
    });
    return { kind: 'record', keys, leaves };
  }
  const leaves = args.map((v, i) => {
    if (!isTensor(v))
      throw new ValueError(
        op,
        `argument ${i} is not a tensor (close over non-tensor arguments instead of passing them)`,
      );
    assertNotTracedArg(op, v, `argument ${i}`);
    return { data: v.data, shape: v.shape };
  });
  return { kind: 'list', leaves };
}

/**
 * Runs `f` on traced leaves, checks the output and returns it with the tape.
 * `scalar`: require a size-1 finite output (the loss).
 */
export function trace(
  op: string,
  f: (...xs: never[]) => unknown,
  a: Args,
  scalar: boolean,
): { tape: Tape; out: Tensor } {
  const tape = new Tape();
  for (const l of a.leaves) tape.tracked.add(l);
  pushTape(tape);
  let out: unknown;
  try {
    out =
      a.kind === 'record'
        ? (f as (r: TensorRecord) => unknown)(Object.fromEntries(a.keys.map((k, i) => [k, a.leaves[i]!])))
        : (f as (...xs: Tensor[]) => unknown)(...a.leaves);
  } finally {
    popTape(tape);
  }
  assertNotNested(op, tape);
  if (!isTensor(out)) throw new ValueError(op, 'the function must return a Tensor');
  if (scalar) {
    if (out.data.length !== 1)
      throw new ShapeError(op, 'the function must return a scalar (a tensor of size 1)', [out.shape]);
    const v = out.data[0]!;
    if (!Number.isFinite(v)) throw new NonFiniteError(op, 'the loss', 0, v);
  }
  return { tape, out };
}

function run(
  op: string,
  f: (...xs: never[]) => Tensor,
  args: readonly unknown[],
): { value: Tensor; grads: Tensor[] | TensorRecord } {
  const a = leavesOf(op, args);
  const { tape, out } = trace(op, f, a, true);
  const seed: Tensor = { data: Float64Array.of(1), shape: out.shape };
  const g = backward(tape, out, seed, a.leaves);
  if (a.kind === 'list') return { value: out, grads: g };
  return { value: out, grads: Object.fromEntries(a.keys.map((k, i) => [k, g[i]!])) };
}

/**
 * `valueAndGrad(f)(...args)`: the value of the scalar function `f` and its gradient with respect
 * to every tensor argument, by one forward pass recorded on a fresh tape and one reverse sweep.
 * Called with a single plain-object record of tensors, the gradients come back as a record with
 * the same keys. Throws a ShapeError if `f` returns a non-scalar, a NonFiniteError if the value is
 * NaN/±Inf, a ValueError for non-tensor arguments.
 *
 * ```ts
 * const x = tensor([[1, 0], [0, 2], [1, 1]]); // 3 samples, 2 features
 * const y = tensor([[1], [2], [3]]);
 * const w0 = zeros([2, 1]);
 * const { value, grads: [gw] } = valueAndGrad((w: Tensor) => mse(matmul(x, w), y))(w0);
 * item(value); // ≈ 4.666667 = (1 + 4 + 9) / 3
 * toArray(gw!); // ≈ [[-2.666667], [-4.666667]] = (2/3)·xᵀ(x·w0 − y)
 * // a record of parameters gives a record of gradients with the same keys
 * const params = { w: w0, b: zeros([1]) };
 * const { grads } = valueAndGrad((p: typeof params) => mse(add(matmul(x, p.w), p.b), y))(params);
 * toArray(grads.b); // → [-4]
 * ```
 */
export function valueAndGrad<P extends TensorRecord>(
  f: (params: P) => Tensor,
): (params: P) => { value: Tensor; grads: { [K in keyof P]: Tensor } };
export function valueAndGrad<A extends Tensor[]>(
  f: (...args: A) => Tensor,
): (...args: A) => { value: Tensor; grads: Tensor[] };
export function valueAndGrad(
  f: (...xs: never[]) => Tensor,
): (...args: unknown[]) => { value: Tensor; grads: Tensor[] | TensorRecord } {
  checkFn('valueAndGrad', f);
  return (...args: unknown[]) => run('valueAndGrad', f, args);
}

/**
 * `grad(f)(...args)`: the gradients of the scalar function `f` (one per tensor argument, or a
 * record when called with a single record). Same rules and errors as `valueAndGrad`.
 *
 * ```ts
 * const x = tensor([1, -2, 3]);
 * const [dx] = grad((x: Tensor) => sum(square(x)))(x); // 2x
 * toArray(dx!); // → [2, -4, 6]
 * const g = grad((p: { w: Tensor; b: Tensor }) => sum(add(mul(p.w, x), p.b)))({ w: ones([3]), b: zeros([3]) });
 * toArray(g.w); // → [1, -2, 3]
 * ```
 */
export function grad<P extends TensorRecord>(f: (params: P) => Tensor): (params: P) => { [K in keyof P]: Tensor };
export function grad<A extends Tensor[]>(f: (...args: A) => Tensor): (...args: A) => Tensor[];
export function grad(f: (...xs: never[]) => Tensor): (...args: unknown[]) => Tensor[] | TensorRecord {
  checkFn('grad', f);
  return (...args: unknown[]) => run('grad', f, args).grads;
}

/**
 * Vector–Jacobian products of a (possibly non-scalar) function: `Jᵢᵀ u` for every argument `i`,
 * with `u` shaped like `f`'s output. Also returns the output. Used by `gradcheck`.
 */
export function vjpOf(
  f: (...xs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  u: (out: Tensor) => Tensor,
): { out: Tensor; vjps: Tensor[] } {
  const a = leavesOf('vjp', inputs);
  const { tape, out } = trace('vjp', f as (...xs: never[]) => unknown, a, false);
  const seed = u(out);
  if (seed.data.length !== out.data.length)
    throw new ShapeError('vjp', 'cotangent shape does not match the output', [seed.shape, out.shape]);
  return { out, vjps: backward(tape, out, seed, a.leaves) };
}
