/**
 * Shape helpers: validation, sizes, strides and numpy-style broadcasting.
 * Shapes are plain `readonly number[]`; a scalar has shape `[]`.
 */
import { ShapeError, ValueError } from './errors.js';
import { checkElements, checkNumber, describe } from './validate.js';

export type Shape = readonly number[];

/** Throws a ShapeError unless `shape` is an array of non-negative safe integers (no size cap). */
function shapeArg(op: string, shape: unknown): asserts shape is Shape {
  if (!Array.isArray(shape))
    throw new ShapeError(op, `a shape must be an array of non-negative integers, got ` + `${describe(shape)}`);
  for (let i = 0; i < shape.length; i++) {
    const d: unknown = shape[i];
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      throw new ShapeError(
        op,
        `invalid dimension ${describe(d)} at axis ${i}: dimensions must be non-negative ` + `integers`,
      );
    }
  }
}

/**
 * Throws a ShapeError unless `shape` is an array of non-negative safe integers whose product is
 * within the element cap (`setMaxElements`); the error names `op` and the element count.
 *
 * @example
 * ```ts
 * checkShape('myOp', [2, 3]); // passes
 * try {
 *   checkShape('myOp', [2, -1]);
 * } catch (e) {
 *   (e as ShapeError).message; // → 'myOp: invalid dimension -1 at axis 1: dimensions must be non-negative integers'
 * }
 * ```
 */
export function checkShape(op: string, shape: Shape): void {
  shapeArg(op, shape);
  checkElements(op, sizeOf(shape), shape);
}

/**
 * Number of elements: product of the dimensions (1 for a scalar).
 *
 * @example
 * ```ts
 * sizeOf([2, 3, 4]); // → 24
 * sizeOf([]); // → 1 (a scalar)
 * sizeOf([5, 0]); // → 0
 * ```
 */
export function sizeOf(shape: Shape): number {
  shapeArg('sizeOf', shape);
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Row-major (C order) strides in elements.
 *
 * @example
 * ```ts
 * stridesOf([2, 3, 4]); // → [12, 4, 1] (row-major, in elements)
 * ```
 */
export function stridesOf(shape: Shape): number[] {
  shapeArg('stridesOf', shape);
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/**
 * True when two shapes have the same dimensions in the same order.
 *
 * @example
 * ```ts
 * shapesEqual([2, 3], [2, 3]); // → true
 * shapesEqual([2, 3], [3, 2]); // → false
 * shapesEqual([1, 3], [3]); // → false (no broadcasting here)
 * ```
 */
export function shapesEqual(a: Shape, b: Shape): boolean {
  if (!Array.isArray(a) || !Array.isArray(b))
    throw new ShapeError('shapesEqual', `shapes must be arrays, got ` + `${describe(a)} and ${describe(b)}`);
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * numpy broadcasting of two shapes: align trailing axes; each pair must be equal or contain a 1.
 * Throws a ShapeError naming `op` and both shapes.
 *
 * @example
 * ```ts
 * broadcastShapes('myOp', [2, 1, 3], [4, 1]); // → [2, 4, 3]
 * broadcastShapes('myOp', [5], []); // → [5]
 * // broadcastShapes('myOp', [2, 3], [4]) throws a ShapeError:
 * // 'myOp: cannot broadcast axis 1 (3 vs 4) [shapes (2, 3) and (4,)]'
 * ```
 */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  shapeArg(op, a);
  shapeArg(op, b);
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(op, `cannot broadcast axis ${i} (${da} vs ${db})`, [a, b]);
    }
    out[i] = da === 1 ? db : da;
  }
  checkElements(op, sizeOf(out), out);
  return out;
}

/**
 * Strides of `shape` viewed as broadcast to `target` (0 on broadcast axes).
 * `shape` must be broadcast-compatible with `target` (checked by the caller).
 *
 * @example
 * ```ts
 * broadcastStrides([3, 1], [2, 3, 4]); // → [0, 1, 0]: read x[j, 0] for out[i, j, k]
 * ```
 */
export function broadcastStrides(shape: Shape, target: Shape): number[] {
  shapeArg('broadcastStrides', shape);
  shapeArg('broadcastStrides', target);
  const st = stridesOf(shape);
  const out = new Array<number>(target.length).fill(0);
  const off = target.length - shape.length;
  for (let i = 0; i < shape.length; i++) out[off + i] = shape[i] === 1 ? 0 : st[i]!;
  return out;
}

/**
 * Normalises a possibly negative axis against `ndim`; throws a ValueError when out of range.
 *
 * @example
 * ```ts
 * normAxis('myOp', -1, 3); // → 2
 * normAxis('myOp', 0, 3); // → 0
 * // normAxis('myOp', 3, 3) throws a ValueError: axis 3 is out of range for an array of 3 dimensions
 * ```
 */
export function normAxis(op: string, axis: number, ndim: number): number {
  checkNumber(op, 'ndim', ndim, { int: true, min: 0 });
  if (typeof axis !== 'number') throw new ValueError(op, `axis must be an integer, got ${describe(axis)}`);
  const a = axis < 0 ? axis + ndim : axis;
  if (!Number.isInteger(axis) || a < 0 || a >= ndim) {
    throw new ValueError(op, `axis ${axis} is out of range for an array of ${ndim} dimensions`);
  }
  return a;
}
