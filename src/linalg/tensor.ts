/**
 * The Tensor: a contiguous row-major Float64Array with a shape. Immutable by convention once
 * created: no function of seqrate writes into a tensor it did not just allocate.
 *
 * Legend: `data` flat values in C order; `shape` dimensions, `[]` for a scalar.
 */
import { NonFiniteError, ShapeError, ValueError } from './errors.js';
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
  if (data instanceof Float64Array || isFlat(data)) {
    const flat = data instanceof Float64Array ? data : Float64Array.from(data as ArrayLike<number>);
    const s = shape ?? [flat.length];
    checkShape('tensor', s);
    if (sizeOf(s) !== flat.length) {
      throw new ShapeError('tensor', `data has ${flat.length} elements but the shape holds ${sizeOf(s)}`, [s]);
    }
    return { data: flat, shape: [...s] };
  }
  const inferred = inferShape(data as readonly NestedArray[]);
  const out = new Float64Array(sizeOf(inferred));
  let k = 0;
  const walk = (x: NestedArray, depth: number): void => {
    if (typeof x === 'number') {
      out[k++] = x;
      return;
    }
    if (x.length !== inferred[depth]) {
      throw new ShapeError('tensor', `ragged nested array: length ${x.length} at depth ${depth}, expected ${inferred[depth]}`, [inferred]);
    }
    for (const y of x) walk(y, depth + 1);
  };
  walk(data as NestedArray, 0);
  const s = shape ?? inferred;
  if (sizeOf(s) !== out.length) throw new ShapeError('tensor', `nested data of shape (${inferred.join(', ')}) does not fit the shape`, [s]);
  return { data: out, shape: [...s] };
}

function isFlat(data: ArrayLike<number> | readonly NestedArray[]): boolean {
  if (ArrayBuffer.isView(data)) return true;
  const a = data as readonly unknown[];
  for (let i = 0; i < a.length; i++) if (typeof a[i] !== 'number') return false;
  return true;
}

function inferShape(data: readonly NestedArray[]): number[] {
  const s: number[] = [];
  let x: NestedArray = data;
  while (typeof x !== 'number') {
    s.push(x.length);
    if (x.length === 0) break;
    x = x[0]!;
  }
  return s;
}

/** A tensor of the given shape filled with `value`. */
export function full(shape: Shape, value: number): Tensor {
  checkShape('full', shape);
  return { data: new Float64Array(sizeOf(shape)).fill(value), shape: [...shape] };
}

export function zeros(shape: Shape): Tensor {
  checkShape('zeros', shape);
  return { data: new Float64Array(sizeOf(shape)), shape: [...shape] };
}

export function ones(shape: Shape): Tensor {
  return full(shape, 1);
}

/** Identity matrix n×n (or n×m). */
export function eye(n: number, m: number = n): Tensor {
  checkShape('eye', [n, m]);
  const t = zeros([n, m]);
  for (let i = 0; i < Math.min(n, m); i++) t.data[i * m + i] = 1;
  return t;
}

/** A scalar tensor. */
export function scalar(v: number): Tensor {
  return { data: Float64Array.of(v), shape: [] };
}

/** Evenly spaced values in [start, stop) with step (numpy `arange`). */
export function arange(start: number, stop?: number, step = 1): Tensor {
  if (stop === undefined) { stop = start; start = 0; }
  if (step === 0 || !Number.isFinite(step)) throw new ValueError('arange', `step must be finite and non-zero, got ${step}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = start + i * step;
  return { data: d, shape: [n] };
}

/** Standard normal entries from the seeded generator. */
export function randn(rng: Rng, shape: Shape): Tensor {
  checkShape('randn', shape);
  const d = new Float64Array(sizeOf(shape));
  for (let i = 0; i < d.length; i++) d[i] = rng.normal();
  return { data: d, shape: [...shape] };
}

/** Uniform entries in [lo, hi) from the seeded generator. */
export function rand(rng: Rng, shape: Shape, lo = 0, hi = 1): Tensor {
  checkShape('rand', shape);
  const d = new Float64Array(sizeOf(shape));
  for (let i = 0; i < d.length; i++) d[i] = lo + (hi - lo) * rng.uniform();
  return { data: d, shape: [...shape] };
}

/** A copy with its own buffer. */
export function clone(t: Tensor): Tensor {
  return { data: t.data.slice(), shape: [...t.shape] };
}

/** Value of a size-1 tensor. */
export function item(t: Tensor): number {
  if (t.data.length !== 1) throw new ShapeError('item', 'only a size-1 tensor converts to a number', [t.shape]);
  return t.data[0]!;
}

/** Nested JS arrays (numpy `tolist`). */
export function toArray(t: Tensor): NestedArray {
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

/** Element [i, j] of a 2-D tensor (convenience for tests and examples). */
export function at(t: Tensor, ...idx: number[]): number {
  if (idx.length !== t.shape.length) throw new ShapeError('at', `${idx.length} indices for a ${t.shape.length}-D tensor`, [t.shape]);
  let off = 0;
  for (let i = 0; i < idx.length; i++) {
    const d = t.shape[i]!;
    const j = idx[i]! < 0 ? idx[i]! + d : idx[i]!;
    if (!Number.isInteger(j) || j < 0 || j >= d) throw new ShapeError('at', `index ${idx[i]} out of range on axis ${i}`, [t.shape]);
    off = off * d + j;
  }
  return t.data[off]!;
}

/** Throws a NonFiniteError naming `op` at the first NaN/Inf. */
export function assertFinite(op: string, what: string, t: Tensor | Float64Array): void {
  const d = t instanceof Float64Array ? t : t.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (v - v !== 0) throw new NonFiniteError(op, what, i, v);
  }
}

/** True when `t` is a Tensor-shaped object (Float64Array data whose size matches the shape). */
export function isTensor(t: unknown): t is Tensor {
  if (typeof t !== 'object' || t === null) return false;
  const o = t as { data?: unknown; shape?: unknown };
  return o.data instanceof Float64Array && Array.isArray(o.shape) && sizeOf(o.shape as number[]) === o.data.length;
}

/** Throws a ShapeError unless `t` is a 2-D tensor. Returns [rows, cols]. */
export function dims2(op: string, t: Tensor): [number, number] {
  if (t.shape.length !== 2) throw new ShapeError(op, `expected a 2-D matrix, got ${t.shape.length}-D`, [t.shape]);
  return [t.shape[0]!, t.shape[1]!];
}
