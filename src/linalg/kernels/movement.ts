/**
 * Movement kernels (non-differentiable, raw): reshape, transpose, broadcastTo, slice, concat,
 * stack, gather and its adjoint scatterAdd.
 *
 * `reshape` shares the input's buffer (tensors are immutable); every other kernel returns a fresh
 * contiguous tensor. Index-heavy kernels copy whole contiguous runs with `TypedArray.set`.
 *
 * Legend: `outer` product of the axes before `axis`, `inner` product of the axes after it.
 */
import { ShapeError, ValueError } from '../errors.js';
import {
  broadcastShapes,
  broadcastStrides,
  checkShape,
  normAxis,
  shapesEqual,
  sizeOf,
  stridesOf,
  type Shape,
} from '../shape.js';
import type { Tensor } from '../tensor.js';
import { collapseBroadcast } from './elementwise.js';

/**
 * Same data, new shape (one dimension may be −1 and is inferred). Shares the buffer: O(1).
 * Example: `reshape(x, [-1, 4])`.
 */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const neg = shape.filter((d) => d === -1).length;
  if (neg > 1) throw new ShapeError('reshape', 'at most one dimension may be -1', [x.shape, shape]);
  let s = [...shape];
  if (neg === 1) {
    const known = sizeOf(shape.filter((d) => d !== -1));
    if (known === 0 || x.data.length % known !== 0)
      throw new ShapeError('reshape', `cannot infer -1 for ${x.data.length} elements`, [x.shape, shape]);
    s = s.map((d) => (d === -1 ? x.data.length / known : d));
  }
  checkShape('reshape', s);
  if (sizeOf(s) !== x.data.length)
    throw new ShapeError('reshape', `cannot reshape ${x.data.length} elements`, [x.shape, shape]);
  return { data: x.data, shape: s };
}

/** Validates a permutation of `0..n-1`; the default reverses the axes. */
export function normPerm(op: string, perm: readonly number[] | undefined, n: number): number[] {
  if (perm === undefined) return Array.from({ length: n }, (_, i) => n - 1 - i);
  const p = perm.map((a) => normAxis(op, a, n));
  if (p.length !== n || new Set(p).size !== n)
    throw new ValueError(op, `[${perm.join(', ')}] is not a permutation of ${n} axes`);
  return p;
}

/** Cache-blocked transpose of `batch` stacked r×c matrices. */
function transpose2(d: Float64Array, batch: number, r: number, c: number, o: Float64Array): void {
  const B = 32;
  for (let b = 0; b < batch; b++) {
    const base = b * r * c;
    for (let i0 = 0; i0 < r; i0 += B) {
      const i1 = Math.min(r, i0 + B);
      for (let j0 = 0; j0 < c; j0 += B) {
        const j1 = Math.min(c, j0 + B);
        for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) o[base + j * r + i] = d[base + i * c + j]!;
      }
    }
  }
}

/**
 * Permutes the axes (`perm[i]` = input axis that becomes output axis i); default reverses them.
 * Swapping the last two axes (with any leading batch) uses a cache-blocked loop.
 */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  const n = x.shape.length;
  const p = normPerm('transpose', perm, n);
  const shape = p.map((a) => x.shape[a]!);
  const o = new Float64Array(x.data.length);
  if (p.every((a, i) => a === i)) {
    o.set(x.data);
    return { data: o, shape };
  }
  if (o.length <= 1) {
    o.set(x.data);
    return { data: o, shape };
  }
  if (p.slice(0, n - 2).every((a, i) => a === i) && p[n - 2] === n - 1 && p[n - 1] === n - 2) {
    const r = x.shape[n - 2]!,
      c = x.shape[n - 1]!;
    transpose2(x.data, x.data.length / (r * c), r, c, o);
    return { data: o, shape };
  }
  // General: odometer over the output, strides of the input permuted.
  const st = stridesOf(x.shape);
  const { dims, st: cs } = collapseBroadcast(shape, [p.map((a) => st[a]!)]);
  const s = cs[0]!,
    nd = dims.length,
    m = dims[nd - 1]!,
    si = s[nd - 1]!;
  const idx = new Array<number>(nd).fill(0);
  const d = x.data;
  let off = 0;
  for (let io = 0; io < o.length; io += m) {
    for (let j = 0; j < m; j++) o[io + j] = d[off + j * si]!;
    for (let ax = nd - 2; ax >= 0; ax--) {
      off += s[ax]!;
      if (++idx[ax]! < dims[ax]!) break;
      idx[ax] = 0;
      off -= s[ax]! * dims[ax]!;
    }
  }
  return { data: o, shape };
}

/** Materialises numpy broadcasting of `x` to `shape`; a ShapeError names both shapes if impossible. */
export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  checkShape('broadcastTo', shape);
  let ok = x.shape.length <= shape.length;
  if (ok) {
    try {
      ok = shapesEqual(broadcastShapes('broadcastTo', x.shape, shape), shape);
    } catch {
      ok = false;
    }
  }
  if (!ok) throw new ShapeError('broadcastTo', 'cannot broadcast', [x.shape, shape]);
  const size = sizeOf(shape);
  const o = new Float64Array(size);
  if (size === 0) return { data: o, shape: [...shape] };
  if (x.data.length === 1) {
    o.fill(x.data[0]!);
    return { data: o, shape: [...shape] };
  }
  const { dims, st } = collapseBroadcast(shape, [broadcastStrides(x.shape, shape)]);
  const s = st[0]!,
    nd = dims.length,
    m = dims[nd - 1]!,
    si = s[nd - 1]!;
  const idx = new Array<number>(nd).fill(0);
  const d = x.data;
  let off = 0;
  for (let io = 0; io < size; io += m) {
    if (si === 1) o.set(d.subarray(off, off + m), io);
    else {
      const v = d[off]!;
      for (let j = 0; j < m; j++) o[io + j] = si === 0 ? v : d[off + j * si]!;
    }
    for (let ax = nd - 2; ax >= 0; ax--) {
      off += s[ax]!;
      if (++idx[ax]! < dims[ax]!) break;
      idx[ax] = 0;
      off -= s[ax]! * dims[ax]!;
    }
  }
  return { data: o, shape: [...shape] };
}

/** Python-style clamped slice bounds of one axis. */
function clampBound(v: number, d: number): number {
  if (!Number.isInteger(v)) throw new ValueError('slice', `slice bound ${v} is not an integer`);
  const w = v < 0 ? v + d : v;
  return Math.min(Math.max(w, 0), d);
}

/**
 * Normalised bounds of `slice(x, starts, ends)` on an array of `shape`: the first index `lo` and
 * the extent `shape` of the result on every axis (Python clamping, negative counts from the end).
 */
export function sliceBounds(
  shape: Shape,
  starts: readonly number[],
  ends: readonly number[],
): { lo: number[]; shape: number[] } {
  const n = shape.length;
  if (starts.length > n || ends.length > n)
    throw new ShapeError('slice', `${Math.max(starts.length, ends.length)} bounds for a ${n}-D array`, [shape]);
  const lo = shape.map((d, i) => (i < starts.length ? clampBound(starts[i]!, d) : 0));
  return { lo, shape: shape.map((d, i) => Math.max(0, (i < ends.length ? clampBound(ends[i]!, d) : d) - lo[i]!)) };
}

/** Copies the box `[lo, lo + box)` between a big array (`shape`) and a contiguous small one. */
function copyBox(
  big: Float64Array,
  shape: Shape,
  lo: readonly number[],
  box: readonly number[],
  small: Float64Array,
  toSmall: boolean,
): void {
  const n = shape.length,
    size = sizeOf(box);
  if (size === 0) return;
  if (n === 0) {
    if (toSmall) small[0] = big[0]!;
    else big[0] = small[0]!;
    return;
  }
  const st = stridesOf(shape);
  let off = 0;
  for (let i = 0; i < n; i++) off += lo[i]! * st[i]!;
  const m = box[n - 1]!;
  const idx = new Array<number>(n).fill(0);
  for (let io = 0; io < size; io += m) {
    if (toSmall) small.set(big.subarray(off, off + m), io);
    else big.set(small.subarray(io, io + m), off);
    for (let ax = n - 2; ax >= 0; ax--) {
      off += st[ax]!;
      if (++idx[ax]! < box[ax]!) break;
      idx[ax] = 0;
      off -= st[ax]! * box[ax]!;
    }
  }
}

/**
 * `x[starts[0]:ends[0], starts[1]:ends[1], …]` (ends exclusive, negative bounds count from the end,
 * out-of-range bounds clamp like Python). Axes beyond the given lists are kept whole.
 */
export function slice(x: Tensor, starts: readonly number[], ends: readonly number[]): Tensor {
  const { lo, shape } = sliceBounds(x.shape, starts, ends);
  const o = new Float64Array(sizeOf(shape));
  copyBox(x.data, x.shape, lo, shape, o, true);
  return { data: o, shape };
}

/**
 * Adjoint of `slice`: a zero tensor of `shape` with `values` written at the box starting at the
 * (already normalised, non-negative) corner `lo`.
 */
export function unslice(shape: Shape, lo: readonly number[], values: Tensor): Tensor {
  checkShape('unslice', shape);
  if (values.shape.length !== shape.length || values.shape.some((d, i) => lo[i]! + d > shape[i]!)) {
    throw new ShapeError('unslice', `values do not fit at [${lo.join(', ')}]`, [shape, values.shape]);
  }
  const o = new Float64Array(sizeOf(shape));
  copyBox(o, shape, lo, values.shape, values.data, false);
  return { data: o, shape: [...shape] };
}

/** Joins tensors along an existing `axis`; all other dimensions must agree (ShapeError lists them). */
export function concat(xs: readonly Tensor[], axis: number): Tensor {
  if (xs.length === 0) throw new ValueError('concat', 'needs at least one tensor');
  const first = xs[0]!;
  const n = first.shape.length;
  if (n === 0)
    throw new ShapeError(
      'concat',
      'cannot concatenate scalars (use stack)',
      xs.map((x) => x.shape),
    );
  const ax = normAxis('concat', axis, n);
  for (const x of xs) {
    if (x.shape.length !== n || x.shape.some((d, i) => i !== ax && d !== first.shape[i])) {
      throw new ShapeError(
        'concat',
        `dimensions other than axis ${ax} must agree`,
        xs.map((t) => t.shape),
      );
    }
  }
  const shape = [...first.shape];
  shape[ax] = xs.reduce((p, x) => p + x.shape[ax]!, 0);
  const outer = sizeOf(first.shape.slice(0, ax)),
    inner = sizeOf(first.shape.slice(ax + 1));
  const o = new Float64Array(sizeOf(shape));
  let io = 0;
  for (let i = 0; i < outer; i++) {
    for (const x of xs) {
      const len = x.shape[ax]! * inner;
      o.set(x.data.subarray(i * len, (i + 1) * len), io);
      io += len;
    }
  }
  return { data: o, shape };
}

/**
 * Validation shared by the raw and the differentiable `stack`: at least one tensor, all of one
 * shape `s`. Returns the normalised new axis and the shape `s[:ax] + [1] + s[ax:]` each input is
 * viewed as before the concat.
 */
export function stackShape(xs: readonly Tensor[], axis: number): { ax: number; shape: number[] } {
  if (xs.length === 0) throw new ValueError('stack', 'needs at least one tensor');
  const s = xs[0]!.shape;
  for (const x of xs)
    if (!shapesEqual(x.shape, s))
      throw new ShapeError(
        'stack',
        'all tensors must have the same shape',
        xs.map((t) => t.shape),
      );
  const ax = normAxis('stack', axis, s.length + 1);
  return { ax, shape: [...s.slice(0, ax), 1, ...s.slice(ax)] };
}

/** Joins same-shape tensors along a new `axis` (numpy `stack`). */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  const { ax, shape } = stackShape(xs, axis);
  return concat(
    xs.map((x) => ({ data: x.data, shape })),
    ax,
  );
}

/** Validated indices along an axis of length `d` (negative counts from the end). */
function normIndices(op: string, indices: Int32Array | readonly number[], d: number, shape: Shape): Int32Array {
  const out = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const v = indices[k]!;
    if (!Number.isInteger(v)) throw new ShapeError(op, `index ${v} is not an integer (axis of length ${d})`, [shape]);
    const w = v < 0 ? v + d : v;
    if (w < 0 || w >= d) throw new ShapeError(op, `index ${v} out of range for an axis of length ${d}`, [shape]);
    out[k] = w;
  }
  return out;
}

/**
 * Takes the slices `indices` along `axis` (numpy `take`): output shape
 * `shape[:axis] + [indices.length] + shape[axis+1:]`. Example: embedding lookup `gather(E, ids, 0)`.
 */
export function gather(x: Tensor, indices: Int32Array | readonly number[], axis: number): Tensor {
  const ax = normAxis('gather', axis, x.shape.length);
  const d = x.shape[ax]!;
  const idx = normIndices('gather', indices, d, x.shape);
  const outer = sizeOf(x.shape.slice(0, ax)),
    inner = sizeOf(x.shape.slice(ax + 1));
  const shape = [...x.shape];
  shape[ax] = idx.length;
  const o = new Float64Array(sizeOf(shape));
  let io = 0;
  for (let i = 0; i < outer; i++) {
    for (let k = 0; k < idx.length; k++) {
      const src = (i * d + idx[k]!) * inner;
      if (inner === 1) o[io] = x.data[src]!;
      else o.set(x.data.subarray(src, src + inner), io);
      io += inner;
    }
  }
  return { data: o, shape };
}

/**
 * Adjoint of `gather`: a zero tensor of `shape` into which `values` (shaped like the gather output)
 * are added at `indices` along `axis`; repeated indices accumulate.
 */
export function scatterAdd(
  shape: Shape,
  indices: Int32Array | readonly number[],
  axis: number,
  values: Tensor,
): Tensor {
  checkShape('scatterAdd', shape);
  const ax = normAxis('scatterAdd', axis, shape.length);
  const d = shape[ax]!;
  const idx = normIndices('scatterAdd', indices, d, shape);
  const expect = [...shape];
  expect[ax] = idx.length;
  if (!shapesEqual(values.shape, expect))
    throw new ShapeError('scatterAdd', `values must have shape (${expect.join(', ')})`, [shape, values.shape]);
  const outer = sizeOf(shape.slice(0, ax)),
    inner = sizeOf(shape.slice(ax + 1));
  const o = new Float64Array(sizeOf(shape));
  const v = values.data;
  let iv = 0;
  for (let i = 0; i < outer; i++) {
    for (let k = 0; k < idx.length; k++) {
      const dst = (i * d + idx[k]!) * inner;
      for (let j = 0; j < inner; j++) o[dst + j] = o[dst + j]! + v[iv + j]!;
      iv += inner;
    }
  }
  return { data: o, shape: [...shape] };
}
