/**
 * Differentiable movement ops: primitives `reshape`, `transpose`, `broadcastTo`, `slice`,
 * `concat`, `gather`, and the composite `stack`. Each VJP is the adjoint linear map.
 */
import { applyPrimitive } from '../autodiff/tape.js';
import { definePrimitive } from '../autodiff/primitive.js';
import * as K from '../kernels/index.js';
import { ShapeError, ValueError } from '../errors.js';
import { checkShape, normAxis, shapesEqual, type Shape } from '../shape.js';
import { checkTensor, checkTensorList, type Tensor } from '../tensor.js';
import { checkIntList } from '../validate.js';

// Reshape is a relabelling of the same elements: x̄ = reshape(z̄, shape(x)). Shares buffers.
export const reshapeP = definePrimitive<'reshape', { shape: Shape }>({
  name: 'reshape',
  forward: ([x], { shape }) => K.reshape(x!, shape),
  vjp: (g, [x]) => [K.reshape(g, x!.shape)],
});

// z = permute(x, p), z[i] = x[i∘p⁻¹]  ⇒  x̄ = permute(z̄, p⁻¹).
export const transposeP = definePrimitive<'transpose', { perm: number[] }>({
  name: 'transpose',
  forward: ([x], { perm }) => K.transpose(x!, perm),
  vjp: (g, _in, _z, { perm }) => {
    const inv = new Array<number>(perm.length);
    perm.forEach((a, i) => {
      inv[a] = i;
    });
    return [K.transpose(g, inv)];
  },
});

// Broadcast copies each element along the new/stretched axes; its adjoint sums them back.
export const broadcastToP = definePrimitive<'broadcastTo', { shape: Shape }>({
  name: 'broadcastTo',
  forward: ([x], { shape }) => K.broadcastTo(x!, shape),
  vjp: (g, [x]) => [K.sumToShape(g, x!.shape)],
});

// Slice selects a box; its adjoint writes z̄ into that box of a zero array.
export const sliceP = definePrimitive<'slice', { lo: number[]; box: number[] }>({
  name: 'slice',
  forward: ([x], { lo, box }) =>
    K.slice(
      x!,
      lo,
      lo.map((l, i) => l + box[i]!),
    ),
  vjp: (g, [x], _z, { lo }) => [K.unslice(x!.shape, lo, g)],
});

// Concat stacks blocks along `axis`; the adjoint cuts z̄ back into the same blocks.
export const concatP = definePrimitive<'concat', { axis: number }>({
  name: 'concat',
  forward: (xs, { axis }) => K.concat(xs, axis),
  vjp: (g, xs, _z, { axis }, needs) => {
    let off = 0;
    return xs.map((x, i) => {
      const lo = off;
      off += x.shape[axis]!;
      if (!needs[i]) return null;
      const starts = x.shape.map((_, a) => (a === axis ? lo : 0));
      const ends = x.shape.map((d, a) => (a === axis ? lo + d : d));
      return K.slice(g, starts, ends);
    });
  },
});

// z = take(x, idx, axis)  ⇒  x̄ = scatterAdd of z̄ at idx (repeated indices accumulate).
export const gatherP = definePrimitive<'gather', { indices: Int32Array | readonly number[]; axis: number }>({
  name: 'gather',
  forward: ([x], { indices, axis }) => K.gather(x!, indices, axis),
  vjp: (g, [x], _z, { indices, axis }) => [K.scatterAdd(x!.shape, indices, axis, g)],
});

/**
 * Same elements, new shape (one −1 inferred); O(1), shares the buffer (differentiable).
 *
 * @example
 * ```ts
 * const x = arange(6);
 * toArray(reshape(x, [2, 3])); // → [[0, 1, 2], [3, 4, 5]]
 * reshape(x, [3, -1]).shape; // → [3, 2] (−1 is inferred)
 * reshape(x, [2, 3]).data === x.data; // → true (no copy)
 * ```
 */
export function reshape(x: Tensor, shape: Shape): Tensor {
  checkTensor('reshape', 'x', x);
  if (shapesEqual(x.shape, shape)) return x;
  return applyPrimitive(reshapeP, [x], { shape: K.reshape(x, shape).shape });
}

/**
 * Permutes axes (default reverses them); `perm[i]` is the input axis of output axis i (differentiable).
 *
 * @example
 * ```ts
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * toArray(transpose(x)); // → [[1, 4], [2, 5], [3, 6]]
 * transpose(zeros([2, 3, 4]), [0, 2, 1]).shape; // → [2, 4, 3]
 * ```
 */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  checkTensor('transpose', 'x', x);
  if (perm !== undefined) checkIntList('transpose', 'perm', perm);
  return applyPrimitive(transposeP, [x], { perm: K.normPerm('transpose', perm, x.shape.length) });
}

/**
 * numpy broadcast to `shape`, materialised (differentiable; the VJP sums back).
 *
 * @example
 * ```ts
 * toArray(broadcastTo(tensor([1, 2]), [3, 2])); // → [[1, 2], [1, 2], [1, 2]]
 * toArray(grad((x: Tensor) => sum(broadcastTo(x, [3, 2])))(tensor([1, 2]))[0]!); // → [3, 3] (sums back)
 * ```
 */
export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  checkTensor('broadcastTo', 'x', x);
  checkShape('broadcastTo', shape);
  return applyPrimitive(broadcastToP, [x], { shape: [...shape] });
}

/**
 * `x[starts:ends]` per axis (ends exclusive, negative from the end, clamped) (differentiable).
 *
 * @example
 * ```ts
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * toArray(slice(x, [0, 1], [2, 3])); // → [[2, 3], [5, 6]]
 * toArray(slice(x, [-1, 0], [2, -1])); // → [[4, 5]] (negative from the end)
 * toArray(slice(x, [0, 0], [1, 100])); // → [[1, 2, 3]] (clamped)
 * ```
 */
export function slice(x: Tensor, starts: readonly number[], ends: readonly number[]): Tensor {
  checkTensor('slice', 'x', x);
  checkIntList('slice', 'starts', starts);
  checkIntList('slice', 'ends', ends);
  const { lo, shape } = K.sliceBounds(x.shape, starts, ends);
  return applyPrimitive(sliceP, [x], { lo, box: shape });
}

/**
 * Joins tensors along an existing axis (differentiable).
 *
 * @example
 * ```ts
 * const a = tensor([[1, 2]]);
 * const b = tensor([[3, 4], [5, 6]]);
 * toArray(concat([a, b], 0)); // → [[1, 2], [3, 4], [5, 6]]
 * concat([b, b], 1).shape; // → [2, 4]
 * ```
 */
export function concat(xs: readonly Tensor[], axis: number): Tensor {
  checkTensorList('concat', xs);
  if (xs.length === 0) throw new ValueError('concat', 'needs at least one tensor');
  if (xs[0]!.shape.length === 0)
    throw new ShapeError(
      'concat',
      'cannot concatenate scalars (use stack)',
      xs.map((x) => x.shape),
    );
  return applyPrimitive(concatP, xs, { axis: normAxis('concat', axis, xs[0]!.shape.length) });
}

/**
 * Takes slices `indices` along `axis` (numpy `take`; embedding lookup) (differentiable).
 *
 * @example
 * ```ts
 * const table = tensor([[0, 0], [1, 1], [2, 2]]); // an embedding table: 3 tokens, width 2
 * toArray(gather(table, [2, 0, 2], 0)); // → [[2, 2], [0, 0], [2, 2]]
 * toArray(gather(tensor([[1, 2, 3], [4, 5, 6]]), [2], 1)); // → [[3], [6]]
 * toArray(grad((t: Tensor) => sum(gather(t, [2, 0, 2], 0)))(table)[0]!); // → [[1, 1], [0, 0], [2, 2]]
 * ```
 */
export function gather(x: Tensor, indices: Int32Array | readonly number[], axis: number): Tensor {
  checkTensor('gather', 'x', x);
  if (!(indices instanceof Int32Array) && !Array.isArray(indices)) checkIntList('gather', 'indices', indices);
  return applyPrimitive(gatherP, [x], { indices, axis: normAxis('gather', axis, x.shape.length) });
}

/**
 * Joins same-shape tensors along a new axis: reshape each, then concat (composite).
 *
 * @example
 * ```ts
 * const a = tensor([1, 2]);
 * const b = tensor([3, 4]);
 * toArray(stack([a, b])); // → [[1, 2], [3, 4]]
 * toArray(stack([a, b], 1)); // → [[1, 3], [2, 4]]
 * ```
 */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  checkTensorList('stack', xs);
  const { ax, shape } = K.stackShape(xs, axis);
  return concat(
    xs.map((x) => reshape(x, shape)),
    ax,
  );
}
