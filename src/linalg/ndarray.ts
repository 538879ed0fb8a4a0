/**
 * Interop with the scijs `ndarray` package (https://github.com/scijs/ndarray): strided views with
 * `data`, `shape`, `stride`, `offset`.
 *
 * `fromNdarray` walks any view (transposed, stepped with negative strides, sliced, offset) in
 * row-major order of its shape and writes a contiguous Float64Array; `toNdarray` wraps a tensor
 * as a row-major ndarray. Both copy by default because ndarrays are mutable and tensors are not;
 * `{ copy: false }` shares the buffer when the layout allows it (the caller promises not to write).
 */
import ndarray from 'ndarray';
import { ShapeError, ValueError } from './errors.js';
import { checkShape, sizeOf, stridesOf } from './shape.js';
import { checkTensor, type Tensor } from './tensor.js';
import { checkIntList, checkNumber, describe } from './validate.js';

/** Options of the conversions. */
export interface NdarrayOptions {
  /** Copy the data (default true). With false, share the buffer when the layout is contiguous. */
  readonly copy?: boolean;
}

type AnyNdarray = ndarray.NdArray<ndarray.Data<number>>;

/** Element accessor of ndarray storage: typed array, plain array, or a `get/set` object. */
function reader(data: ndarray.Data<number>): (k: number) => number {
  if (Array.isArray(data) || ArrayBuffer.isView(data)) {
    const a = data as ArrayLike<number>;
    return (k) => a[k]!;
  }
  const g = data as ndarray.GenericArray<number>;
  if (typeof g.get !== 'function') throw new ValueError('fromNdarray', 'unsupported ndarray storage');
  return (k) => g.get(k);
}

function isContiguous(nd: AnyNdarray): boolean {
  const st = stridesOf(nd.shape);
  return nd.shape.every((d, i) => d <= 1 || nd.stride[i] === st[i]);
}

/**
 * Throws a ShapeError when the view reaches outside its storage (e.g. `ndarray(new Float64Array(3), [2, 2])`):
 * reads there would give `undefined`, i.e. silent NaN entries. Storage without a `length` is not checked.
 */
function checkBounds(nd: AnyNdarray, shape: readonly number[], n: number): void {
  const len = (nd.data as { length?: unknown }).length;
  if (n === 0 || typeof len !== 'number') return;
  let lo = nd.offset,
    hi = nd.offset;
  for (let i = 0; i < shape.length; i++) {
    const span = (shape[i]! - 1) * nd.stride[i]!;
    if (span < 0) lo += span;
    else hi += span;
  }
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi >= len) {
    throw new ShapeError(
      'fromNdarray',
      `the view (offset ${nd.offset}, strides [${nd.stride.join(', ')}]) reads indices ${lo}..${hi} of a storage of length ${len}`,
      [shape],
    );
  }
}

/**
 * A tensor with the values of the ndarray view `nd` (any strides, offset and numeric dtype),
 * in row-major order of `nd.shape`. Example:
 * ```ts
 * import ndarray from 'ndarray';
 * import { fromNdarray, toArray } from 'seqrate/linalg';
 *
 * const t = fromNdarray(ndarray(new Float64Array([1, 2, 3, 4]), [2, 2]).transpose(1, 0)); // [[1, 3], [2, 4]]
 * toArray(t); // → [[1, 3], [2, 4]]
 * ```
 */
export function fromNdarray(nd: AnyNdarray, opts: NdarrayOptions = {}): Tensor {
  if (nd === null || typeof nd !== 'object')
    throw new ValueError('fromNdarray', `nd must be an ndarray view, got ` + `${describe(nd)}`);
  checkShape('fromNdarray', nd.shape);
  const shape = [...nd.shape];
  checkIntList('fromNdarray', 'stride', nd.stride);
  checkNumber('fromNdarray', 'offset', nd.offset, { int: true, min: 0 });
  if (nd.data === null || typeof nd.data !== 'object')
    throw new ValueError(
      'fromNdarray',
      `nd.data must be an ` + `array, a typed array or a get/set storage, got ${describe(nd.data)}`,
    );
  if (nd.stride.length !== shape.length)
    throw new ShapeError('fromNdarray', `${nd.stride.length} strides for ${shape.length} dimensions`, [shape]);
  const n = sizeOf(shape);
  checkBounds(nd, shape, n);
  if (opts.copy === false && nd.data instanceof Float64Array && isContiguous(nd)) {
    return { data: nd.data.subarray(nd.offset, nd.offset + n), shape };
  }
  const get = reader(nd.data);
  const o = new Float64Array(n);
  if (n === 0) return { data: o, shape };
  const nd0 = shape.length;
  if (nd0 === 0) {
    o[0] = Number(get(nd.offset));
    return { data: o, shape };
  }
  // Odometer over all but the last axis; the last axis is a strided inner loop.
  const m = shape[nd0 - 1]!,
    sm = nd.stride[nd0 - 1]!;
  const idx = new Array<number>(nd0).fill(0);
  let off = nd.offset;
  for (let io = 0; io < n; io += m) {
    for (let j = 0; j < m; j++) o[io + j] = Number(get(off + j * sm));
    for (let ax = nd0 - 2; ax >= 0; ax--) {
      off += nd.stride[ax]!;
      if (++idx[ax]! < shape[ax]!) break;
      idx[ax] = 0;
      off -= nd.stride[ax]! * shape[ax]!;
    }
  }
  return { data: o, shape };
}

/**
 * A row-major `ndarray` (Float64Array storage) holding the tensor's values; a copy unless
 * `{ copy: false }`. Example: `toNdarray(t).get(1, 0)`.
 *
 * @example
 * ```ts
 * const t = tensor([[1, 2, 3], [4, 5, 6]]);
 * const nd = toNdarray(t);
 * nd.shape; // → [2, 3]
 * nd.get(1, 0); // → 4
 * toNdarray(t, { copy: false }).data === t.data; // → true (a view of t's buffer, no copy)
 * toArray(fromNdarray(nd.transpose(1, 0))); // → [[1, 4], [2, 5], [3, 6]]
 * ```
 */
export function toNdarray(t: Tensor, opts: NdarrayOptions = {}): ndarray.NdArray<Float64Array> {
  checkTensor('toNdarray', 't', t);
  const data = opts.copy === false ? t.data : t.data.slice();
  return ndarray(data, [...t.shape]);
}
