/**
 * The Tensor: a contiguous row-major Float64Array with a shape. Immutable by convention once
 * created: no function of seqrate writes into a tensor it did not just allocate.
 *
 * Legend: `data` flat values in C order; `shape` dimensions, `[]` for a scalar.
 */
import { NonFiniteError, ShapeError, ValueError, fmtShape } from './errors.js';
import { checkElements, checkNumber, describe } from './validate.js';
import { checkShape, sizeOf, type Shape } from './shape.js';
import type { Rng } from './random.js';

export interface Tensor {
  readonly data: Float64Array;
  readonly shape: Shape;
}

/** Nested number arrays accepted by `tensor` (any depth, rectangular). */
export type NestedArray = number | readonly NestedArray[];

/**
 * Creates a tensor. `data` is a flat array (then `shape` is required, or taken as `[length]`) or
 * a rectangular nested array (shape inferred). Flat Float64Array input is *not* copied.
 * Throws a ValueError naming the first entry that is not a number (string, null, boolean, bigint,
 * object…) and its index, and a ShapeError naming the path of the first ragged sub-array.
 *
 * ```ts
 * const a = tensor([[1, 2], [3, 4]]);          // shape [2, 2]
 * const b = tensor([1, 2, 3, 4, 5, 6], [2, 3]); // shape [2, 3]
 * ```
 */
export function tensor(data: NestedArray | ArrayLike<number>, shape?: Shape): Tensor {
  if (typeof data === 'number') {
    const s = shape ?? [];
    checkShape('tensor', s);
    if (sizeOf(s) !== 1) throw new ShapeError('tensor', 'a scalar needs a shape of size 1', [s]);
    return { data: Float64Array.of(data), shape: [...s] };
  }
  const flat = flatData(data);
  if (flat) {
    const s = shape ?? [flat.length];
    checkShape('tensor', s);
    if (sizeOf(s) !== flat.length) {
      throw new ShapeError('tensor', `data has ${flat.length} elements but the shape holds ${sizeOf(s)}`, [s]);
    }
    return { data: flat, shape: [...s] };
  }
  const nested = data as readonly NestedArray[];
  const inferred = inferShape(nested);
  checkShape('tensor', inferred);
  const out = new Float64Array(sizeOf(inferred));
  fillNested(nested, inferred, out);
  const s = shape ?? inferred;
  checkShape('tensor', s);
  if (sizeOf(s) !== out.length)
    throw new ShapeError('tensor', `nested data of shape ${fmtShape(inferred)} does ` + `not fit the shape`, [s]);
  return { data: out, shape: [...s] };
}

/**
 * The data as a Float64Array when it is flat (a typed array or an array of numbers only), else
 * null. Throws a ValueError for anything that is neither an array nor a numeric typed array.
 */
function flatData(data: unknown): Float64Array | null {
  if (data instanceof Float64Array) return data;
  if (ArrayBuffer.isView(data)) {
    if (data instanceof BigInt64Array || data instanceof BigUint64Array || data instanceof DataView) {
      throw new ValueError('tensor', `data must hold numbers, got ${describe(data)}`);
    }
    return Float64Array.from(data as unknown as ArrayLike<number>);
  }
  if (!Array.isArray(data)) {
    throw new ValueError(
      'tensor',
      `data must be a number, an array of numbers, a nested array or a typed array, ` + `got ${describe(data)}`,
    );
  }
  for (let i = 0; i < data.length; i++) if (typeof data[i] !== 'number') return null;
  return Float64Array.from(data as number[]);
}

/** Deepest nesting accepted (numpy allows 32 or 64 dimensions); also stops self-containing arrays. */
const MAX_DEPTH = 64;

/** The shape along the first entry of every level (checked against the rest by `fillNested`). */
function inferShape(data: readonly NestedArray[]): number[] {
  const s: number[] = [];
  let x: unknown = data;
  while (Array.isArray(x)) {
    if (s.length === MAX_DEPTH)
      throw new ShapeError(
        'tensor',
        `nested arrays deeper than ${MAX_DEPTH} levels (or ` + `an array that contains itself)`,
      );
    s.push(x.length);
    if (x.length === 0) break;
    x = x[0];
  }
  return s;
}

const fmtPath = (path: readonly number[]): string => `[${path.join(', ')}]`;

/** Writes the nested entries in C order into `out`, checking every entry and every length. */
function fillNested(data: readonly NestedArray[], shape: readonly number[], out: Float64Array): void {
  let k = 0;
  const path: number[] = [];
  const walk = (x: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (typeof x === 'number') {
        out[k++] = x;
        return;
      }
      if (Array.isArray(x))
        throw new ShapeError(
          'tensor',
          `ragged nested array: an array at ${fmtPath(path)} ` +
            `where a number was expected (shape ${fmtShape(shape)} from the first entries)`,
        );
      throw new ValueError('tensor', `entry ${describe(x)} at index ${fmtPath(path)} is not a number`);
    }
    if (!Array.isArray(x)) {
      if (typeof x !== 'number')
        throw new ValueError('tensor', `entry ${describe(x)} at index ${fmtPath(path)} ` + `is not a number`);
      throw new ShapeError(
        'tensor',
        `ragged nested array: the number ${x} at ${fmtPath(path)} where an array of ` +
          `length ${shape[depth]} was expected`,
      );
    }
    if (x.length !== shape[depth]) {
      throw new ShapeError(
        'tensor',
        `ragged nested array: length ${x.length} at ${fmtPath(path)} but ` +
          `${shape[depth]} at ${fmtPath(path.map(() => 0))}`,
      );
    }
    for (let i = 0; i < x.length; i++) {
      path.push(i);
      walk(x[i], depth + 1);
      path.pop();
    }
  };
  walk(data, 0);
}

/**
 * A tensor of the given shape filled with `value`.
 *
 * @example
 * ```ts
 * full([2, 3], 0.5).data; // → Float64Array [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
 * full([], 7).shape; // → [] (a scalar)
 * ```
 */
export function full(shape: Shape, value: number): Tensor {
  checkNumber('full', 'value', value, { finite: false });
  checkShape('full', shape);
  return { data: new Float64Array(sizeOf(shape)).fill(value), shape: [...shape] };
}

/**
 * A tensor of zeros of the given shape.
 *
 * @example
 * ```ts
 * const z = zeros([2, 3]);
 * z.shape; // → [2, 3]
 * toArray(z); // → [[0, 0, 0], [0, 0, 0]]
 * ```
 */
export function zeros(shape: Shape): Tensor {
  checkShape('zeros', shape);
  return { data: new Float64Array(sizeOf(shape)), shape: [...shape] };
}

/**
 * A tensor of ones of the given shape.
 *
 * @example
 * ```ts
 * toArray(ones([3])); // → [1, 1, 1]
 * ```
 */
export function ones(shape: Shape): Tensor {
  return full(shape, 1);
}

/**
 * Identity matrix n×n (or n×m).
 *
 * @example
 * ```ts
 * toArray(eye(2)); // → [[1, 0], [0, 1]]
 * toArray(eye(2, 3)); // → [[1, 0, 0], [0, 1, 0]]
 * ```
 */
export function eye(n: number, m: number = n): Tensor {
  checkShape('eye', [n, m]);
  const t = zeros([n, m]);
  for (let i = 0; i < Math.min(n, m); i++) t.data[i * m + i] = 1;
  return t;
}

/**
 * A scalar tensor.
 *
 * @example
 * ```ts
 * const s = scalar(2.5);
 * s.shape; // → []
 * item(s); // → 2.5
 * ```
 */
export function scalar(v: number): Tensor {
  checkNumber('scalar', 'v', v, { finite: false });
  return { data: Float64Array.of(v), shape: [] };
}

/**
 * Evenly spaced values in [start, stop) with step (numpy `arange`). Every argument must be a
 * finite number (ValueError otherwise), and the length within the element cap (ShapeError).
 *
 * @example
 * ```ts
 * toArray(arange(4)); // → [0, 1, 2, 3]
 * toArray(arange(1, 2, 0.25)); // → [1, 1.25, 1.5, 1.75]
 * toArray(arange(3, 0, -1)); // → [3, 2, 1]
 * ```
 */
export function arange(start: number, stop?: number, step = 1): Tensor {
  if (stop === undefined) {
    stop = start;
    start = 0;
  }
  checkNumber('arange', 'start', start);
  checkNumber('arange', 'stop', stop);
  if (step === 0 || !Number.isFinite(step))
    throw new ValueError('arange', `step must be finite and non-zero, got ` + `${describe(step)}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  checkElements('arange', n, [n]);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = start + i * step;
  return { data: d, shape: [n] };
}

function checkRng(op: string, rng: unknown): void {
  const r = rng as Partial<Rng> | null;
  if (typeof r !== 'object' || r === null || typeof r.normal !== 'function' || typeof r.uniform !== 'function') {
    throw new ValueError(op, `rng must be a generator from createRng(seed), got ${describe(rng)}`);
  }
}

/**
 * Standard normal entries from the seeded generator.
 *
 * @example
 * ```ts
 * const a = randn(createRng(0), [2, 3]);
 * const b = randn(createRng(0), [2, 3]);
 * a.data.every((v, i) => v === b.data[i]); // → true: the same seed gives the same draws
 * a.data[0]; // ≈ -0.014107
 * ```
 */
export function randn(rng: Rng, shape: Shape): Tensor {
  checkRng('randn', rng);
  checkShape('randn', shape);
  const d = new Float64Array(sizeOf(shape));
  for (let i = 0; i < d.length; i++) d[i] = rng.normal();
  return { data: d, shape: [...shape] };
}

/**
 * Uniform entries in [lo, hi) from the seeded generator.
 *
 * @example
 * ```ts
 * const u = rand(createRng(1), [1000], -1, 1);
 * u.data.every((v) => v >= -1 && v < 1); // → true
 * item(mean(u)); // ≈ -0.0014 (near 0, the mean of U[-1, 1))
 * ```
 */
export function rand(rng: Rng, shape: Shape, lo = 0, hi = 1): Tensor {
  checkRng('rand', rng);
  checkNumber('rand', 'lo', lo);
  checkNumber('rand', 'hi', hi);
  checkShape('rand', shape);
  const d = new Float64Array(sizeOf(shape));
  for (let i = 0; i < d.length; i++) d[i] = lo + (hi - lo) * rng.uniform();
  return { data: d, shape: [...shape] };
}

/**
 * A copy with its own buffer.
 *
 * @example
 * ```ts
 * const a = tensor([1, 2, 3]);
 * const b = clone(a);
 * b.data[0] = 10; // the copy owns its buffer
 * a.data[0]; // → 1
 * ```
 */
export function clone(t: Tensor): Tensor {
  checkTensor('clone', 't', t);
  return { data: t.data.slice(), shape: [...t.shape] };
}

/**
 * Value of a size-1 tensor.
 *
 * @example
 * ```ts
 * item(sum(tensor([1, 2, 3]))); // → 6
 * item(tensor([[4]])); // → 4 (any size-1 shape)
 * // item(tensor([1, 2])) throws a ShapeError: only a size-1 tensor converts to a number
 * ```
 */
export function item(t: Tensor): number {
  checkTensor('item', 't', t);
  if (t.data.length !== 1) throw new ShapeError('item', 'only a size-1 tensor converts to a number', [t.shape]);
  return t.data[0]!;
}

/**
 * Nested JS arrays (numpy `tolist`).
 *
 * @example
 * ```ts
 * toArray(tensor([1, 2, 3, 4, 5, 6], [2, 3])); // → [[1, 2, 3], [4, 5, 6]]
 * toArray(scalar(5)); // → 5
 * ```
 */
export function toArray(t: Tensor): NestedArray {
  checkTensor('toArray', 't', t);
  if (t.shape.length === 0) return t.data[0]!;
  let k = 0;
  const build = (depth: number): NestedArray[] => {
    const n = t.shape[depth]!;
    const out: NestedArray[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = depth === t.shape.length - 1 ? t.data[k++]! : build(depth + 1);
    return out;
  };
  return build(0);
}

/**
 * Element [i, j] of a 2-D tensor (convenience for tests and examples).
 *
 * @example
 * ```ts
 * const t = tensor([[1, 2, 3], [4, 5, 6]]);
 * at(t, 1, 2); // → 6
 * at(t, -1, 0); // → 4 (negative indices count from the end)
 * ```
 */
export function at(t: Tensor, ...idx: number[]): number {
  checkTensor('at', 't', t);
  if (idx.length !== t.shape.length)
    throw new ShapeError('at', `${idx.length} indices for a ${t.shape.length}-D tensor`, [t.shape]);
  const bad = idx.findIndex((v) => typeof v !== 'number');
  if (bad >= 0) throw new ValueError('at', `index ${bad} must be a number, got ${describe(idx[bad])}`);
  let off = 0;
  for (let i = 0; i < idx.length; i++) {
    const d = t.shape[i]!;
    const j = idx[i]! < 0 ? idx[i]! + d : idx[i]!;
    if (!Number.isInteger(j) || j < 0 || j >= d)
      throw new ShapeError('at', `index ${idx[i]} out of range on axis ${i}`, [t.shape]);
    off = off * d + j;
  }
  return t.data[off]!;
}

/**
 * Throws a NonFiniteError naming `op` at the first NaN/Inf.
 *
 * @example
 * ```ts
 * assertFinite('myOp', 'x', tensor([1, 2])); // passes
 * try {
 *   assertFinite('myOp', 'x', tensor([1, Number.NaN]));
 * } catch (e) {
 *   (e as NonFiniteError).message; // → 'myOp: x contains a non-finite value NaN at flat index 1'
 * }
 * ```
 */
export function assertFinite(op: string, what: string, t: Tensor | Float64Array): void {
  if (!(t instanceof Float64Array)) checkTensor(op, what, t);
  const d = t instanceof Float64Array ? t : t.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (v - v !== 0) throw new NonFiniteError(op, what, i, v);
  }
}

/**
 * True when `t` is a Tensor-shaped object (Float64Array data whose size matches the shape).
 *
 * @example
 * ```ts
 * isTensor(tensor([1, 2])); // → true
 * isTensor({ data: new Float64Array(3), shape: [3] }); // → true (a plain object is a tensor)
 * isTensor({ data: [1, 2], shape: [2] }); // → false (data must be a Float64Array)
 * isTensor({ data: new Float64Array(3), shape: [2] }); // → false (size mismatch)
 * ```
 */
export function isTensor(t: unknown): t is Tensor {
  if (typeof t !== 'object' || t === null) return false;
  const o = t as { data?: unknown; shape?: unknown };
  if (!(o.data instanceof Float64Array) || !Array.isArray(o.shape)) return false;
  let n = 1;
  for (const d of o.shape as unknown[]) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) return false;
    n *= d;
  }
  return n === o.data.length;
}

/**
 * Returns `t` after checking that it is a well-formed tensor: Float64Array data, a shape of
 * non-negative integers, and as many values as the shape holds. Otherwise a ValueError (not a
 * tensor at all: names what it is and how to make one) or a ShapeError (data and shape disagree).
 */
export function checkTensor(op: string, what: string, t: unknown): Tensor {
  if (isTensor(t)) return t;
  if (typeof what !== 'string') what = describe(what);
  const o = t as { data?: unknown; shape?: unknown } | null;
  if (typeof o === 'object' && o !== null && o.data instanceof Float64Array && Array.isArray(o.shape)) {
    checkShape(op, o.shape as number[]);
    throw new ShapeError(
      op,
      `${what} is malformed: its shape holds ${sizeOf(o.shape as number[])} values but its ` +
        `data has ${o.data.length}`,
      [o.shape as number[]],
    );
  }
  throw new ValueError(
    op,
    `${what} must be a Tensor ({ data: Float64Array, shape }), got ${describe(t)}; ` + `tensor(...) makes one`,
  );
}

/** Throws unless `xs` is an array of well-formed tensors (`checkTensor` on each); returns it. */
export function checkTensorList(op: string, xs: unknown): readonly Tensor[] {
  if (!Array.isArray(xs)) throw new ValueError(op, `expected an array of tensors, got ${describe(xs)}`);
  xs.forEach((x, i) => checkTensor(op, `tensor ${i}`, x));
  return xs as Tensor[];
}

/** A number becomes an (untracked) scalar tensor; a tensor is checked (`checkTensor`) and returned. */
export function toTensor(op: string, what: string, x: unknown): Tensor {
  return typeof x === 'number' ? { data: Float64Array.of(x), shape: [] } : checkTensor(op, what, x);
}

/** Throws a ShapeError unless `t` is a 2-D tensor. Returns [rows, cols]. */
export function dims2(op: string, t: Tensor): [number, number] {
  checkTensor(op, 't', t);
  if (t.shape.length !== 2) throw new ShapeError(op, `expected a 2-D matrix, got ${t.shape.length}-D`, [t.shape]);
  return [t.shape[0]!, t.shape[1]!];
}
