/**
 * The tape of the reverse-mode autodiff.
 *
 * Design: tensors stay plain `{ data, shape }` objects. While `grad`/`valueAndGrad` runs a
 * function, a `Tape` sits on a module-level stack; it holds the set of *tracked* tensors (the
 * function's arguments and every output recorded so far) and the list of recorded nodes in
 * creation order. A primitive records a node only when one of its inputs is tracked by an active
 * tape, so code on constants pays one array-length check. Creation order is already a topological
 * order, so the backward pass is one iterative reverse sweep (no recursion: a 1,000-step RNN unroll
 * cannot overflow the stack); nodes whose output received no cotangent are skipped (pruning to what
 * the output depends on); cotangents accumulate with `+=` into a buffer owned by the tape (copied
 * once on the second contribution, never written into a caller's tensor). Intermediate cotangents
 * are released as soon as their node has been processed.
 *
 * The tape is garbage once `grad` returns: nothing global refers to it, so long training loops do
 * not grow memory. First-order only: the VJPs run on raw kernels and are not themselves recorded.
 */
import { ShapeError, ValueError } from '../errors.js';
import { shapesEqual } from '../shape.js';
import { checkTensor, type Tensor } from '../tensor.js';
import { describe } from '../validate.js';
import type { OpName, Primitive } from './primitive.js';

/** One recorded application of a primitive. */
export interface TapeNode {
  readonly prim: Primitive<OpName, unknown>;
  readonly inputs: readonly Tensor[];
  readonly attrs: unknown;
  readonly out: Tensor;
  readonly needs: readonly boolean[];
}

/** A recording: the tracked tensors and the nodes in creation (topological) order. */
export class Tape {
  readonly tracked = new Set<Tensor>();
  readonly nodes: TapeNode[] = [];
}

let active: Tape[] = [];

/** Starts recording on `tape` (pushed on the stack of active tapes). */
export function pushTape(tape: Tape): void {
  active.push(tape);
}

/** Stops recording on `tape`; it must be the innermost active tape. */
export function popTape(tape: Tape): void {
  const top = active.pop();
  if (top !== tape) throw new Error('autodiff: tape stack corrupted (popTape of a tape that is not on top)');
}

/**
 * Throws if a node of `tape` (an inner `grad` that has finished tracing) reads a tensor that an
 * enclosing, still-active tape tracks: its gradient would silently be treated as a constant by the
 * outer tape (this autodiff is first-order). `noGrad(() => grad(f)(…))` makes that explicit.
 */
export function assertNotNested(op: string, tape: Tape): void {
  if (active.length === 0) return;
  for (const node of tape.nodes) {
    for (let i = 0; i < node.inputs.length; i++) {
      const x = node.inputs[i]!;
      if (active.some((t) => t.tracked.has(x))) {
        throw new ValueError(
          op,
          `nested differentiation: input ${i} of '${node.prim.name}' depends on a value traced by an enclosing grad; ` +
            'higher-order derivatives are not supported — wrap the inner call in noGrad(() => ...) to use its result as a constant',
        );
      }
    }
  }
}

/**
 * Throws when `x`, an argument of a `grad`/`valueAndGrad` called inside another one, is traced by
 * an enclosing tape: the inner derivative would be computed on raw kernels, so the outer tape
 * would see a constant and silently return 0 instead of the second derivative. Together with
 * `assertNotNested` (closures) every nesting that reaches a traced value is an error.
 */
export function assertNotTracedArg(op: string, x: Tensor, what: string): void {
  if (active.some((t) => t.tracked.has(x))) {
    throw new ValueError(
      op,
      `nested differentiation: ${what} is traced by an enclosing grad; ` +
        'higher-order derivatives are not supported (first-order autodiff) — wrap the inner call in ' +
        'noGrad(() => ...) to use its result as a constant',
    );
  }
}

/**
 * True while some tape is recording (outside `noGrad`).
 *
 * @example
 * ```ts
 * isRecording(); // → false
 * let inside = false;
 * let insideNoGrad = true;
 * grad((x: Tensor) => {
 *   inside = isRecording();
 *   insideNoGrad = noGrad(() => isRecording());
 *   return sum(x);
 * })(tensor([1, 2]));
 * [inside, insideNoGrad]; // → [true, false]
 * ```
 */
export function isRecording(): boolean {
  return active.length !== 0;
}

/**
 * Runs `fn` with recording switched off (inside, ops on traced tensors produce constants).
 * A `grad` called inside still records on its own fresh tape.
 *
 * @example
 * ```ts
 * const [dw] = grad((w: Tensor) => {
 *   const c = noGrad(() => square(w)); // w², used as a constant
 *   return sum(mul(c, w));
 * })(tensor([1, 2]));
 * toArray(dw!); // → [1, 4]: c, not 3w² = [3, 12] as without noGrad
 * ```
 */
export function noGrad<T>(fn: () => T): T {
  if (typeof fn !== 'function') throw new ValueError('noGrad', `fn must be a function, got ${describe(fn)}`);
  const saved = active;
  active = [];
  try {
    return fn();
  } finally {
    active = saved;
  }
}

/**
 * Applies primitive `p` to `inputs` and records the node on every active tape that tracks one of
 * the inputs. This is the only entry point of the ops into the tape.
 */
export function applyPrimitive<A>(p: Primitive<OpName, A>, inputs: readonly Tensor[], attrs: A): Tensor {
  // a malformed input (plain array, data shorter than its shape) would read undefined → silent NaN
  for (let i = 0; i < inputs.length; i++) checkTensor(p.name, `input ${i}`, inputs[i]);
  let out = p.forward(inputs, attrs);
  if (active.length === 0) return out;
  // The tape keys on object identity: an output must be a distinct object from its inputs.
  if (inputs.includes(out)) out = { data: out.data, shape: out.shape };
  for (const tape of active) {
    let any = false;
    const needs = new Array<boolean>(inputs.length);
    for (let i = 0; i < inputs.length; i++) {
      const t = tape.tracked.has(inputs[i]!);
      needs[i] = t;
      any ||= t;
    }
    if (!any) continue;
    tape.nodes.push({ prim: p as Primitive<OpName, unknown>, inputs, attrs, out, needs });
    tape.tracked.add(out);
  }
  return out;
}

interface Acc {
  t: Tensor;
  owned: boolean;
}

function accumulate(grads: Map<Tensor, Acc>, x: Tensor, g: Tensor): void {
  const acc = grads.get(x);
  if (acc === undefined) {
    grads.set(x, { t: g, owned: false });
    return;
  }
  if (!acc.owned) {
    const d = new Float64Array(g.data.length),
      a = acc.t.data,
      b = g.data;
    for (let i = 0; i < d.length; i++) d[i] = a[i]! + b[i]!;
    acc.t = { data: d, shape: x.shape };
    acc.owned = true;
    return;
  }
  const d = acc.t.data,
    b = g.data;
  for (let i = 0; i < d.length; i++) d[i] = d[i]! + b[i]!;
}

/**
 * Reverse sweep: cotangents of `wrt` for the output `out` seeded with `seed` (same shape as
 * `out`). Inputs that the output does not depend on get zeros of their shape. Throws a ShapeError
 * naming the op, the input position and both shapes if a VJP returns a wrongly shaped cotangent.
 */
export function backward(tape: Tape, out: Tensor, seed: Tensor, wrt: readonly Tensor[]): Tensor[] {
  const grads = new Map<Tensor, Acc>();
  grads.set(out, { t: seed, owned: false });
  const keep = new Set(wrt);
  for (let n = tape.nodes.length - 1; n >= 0; n--) {
    const node = tape.nodes[n]!;
    const acc = grads.get(node.out);
    if (acc === undefined) continue;
    if (!keep.has(node.out)) grads.delete(node.out);
    const gs = node.prim.vjp(acc.t, node.inputs, node.out, node.attrs, node.needs);
    for (let i = 0; i < node.inputs.length; i++) {
      if (!node.needs[i]) continue;
      const g = gs[i];
      const x = node.inputs[i]!;
      if (g === null || g === undefined) continue;
      if (!shapesEqual(g.shape, x.shape)) {
        throw new ShapeError(
          `${node.prim.name} (backward)`,
          `cotangent of input ${i} has the wrong shape (cotangent, input)`,
          [g.shape, x.shape],
        );
      }
      accumulate(grads, x, g);
    }
  }
  // Distinct leaves never share a gradient buffer (a VJP may pass one cotangent to two inputs).
  const seen = new Set<Float64Array>();
  return wrt.map((w) => {
    const acc = grads.get(w);
    if (acc === undefined) return { data: new Float64Array(w.data.length), shape: [...w.shape] };
    const t = seen.has(acc.t.data) ? { data: acc.t.data.slice(), shape: acc.t.shape } : acc.t;
    seen.add(t.data);
    return t;
  });
}
