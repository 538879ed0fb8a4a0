/**
 * Elementwise kernels with numpy broadcasting (non-differentiable, raw).
 *
 * Algorithm of the broadcasting driver `broadcastApply`: both operands get strides over the output
 * shape (0 on broadcast axes); adjacent axes that are contiguous for *both* operands are merged and
 * size-1 axes dropped, so the common patterns collapse to few loops: same shape → one flat loop;
 * scalar operand → one flat loop with stride 0; row-vector bias `(…, n) + (n)` → rows × n with
 * the bias stride 1 inside and 0 outside; column `(…, n) − (…, 1)` → stride 0 inside. The innermost
 * loop is a per-operation function (`Inner`) so no closure is called per element.
 *
 * Legend: `a`, `b` operand buffers, `ia`, `ib` start offsets, `sa`, `sb` inner strides (0 or 1 or
 * more), `o` output buffer, `io` output offset, `n` inner length.
 */
import { ShapeError } from '../errors.js';
import { broadcastShapes, broadcastStrides, shapesEqual, sizeOf, type Shape } from '../shape.js';
import { toTensor, type Tensor } from '../tensor.js';

/** Inner loop of a binary op: `o[io + j] = f(a[ia + j·sa], b[ib + j·sb])` for j < n. */
export type Inner = (
  a: Float64Array,
  ia: number,
  sa: number,
  b: Float64Array,
  ib: number,
  sb: number,
  o: Float64Array,
  io: number,
  n: number,
) => void;

/**
 * Collapses a broadcast of shapes to the fewest loops: returns merged dims and per-operand strides
 * (all over the output shape), dropping size-1 axes and merging axes contiguous in every operand.
 */
export function collapseBroadcast(out: Shape, strides: number[][]): { dims: number[]; st: number[][] } {
  const dims: number[] = [];
  const st: number[][] = strides.map(() => []);
  for (let ax = 0; ax < out.length; ax++) {
    const d = out[ax]!;
    if (d === 1) continue;
    const last = dims.length - 1;
    let merge = last >= 0;
    for (let k = 0; merge && k < strides.length; k++) {
      if (st[k]![last]! !== strides[k]![ax]! * d) merge = false;
    }
    if (merge) {
      dims[last] = dims[last]! * d;
      for (let k = 0; k < strides.length; k++) st[k]![last] = strides[k]![ax]!;
    } else {
      dims.push(d);
      for (let k = 0; k < strides.length; k++) st[k]!.push(strides[k]![ax]!);
    }
  }
  return { dims, st };
}

/**
 * Applies a binary inner loop with numpy broadcasting; `op` names the operation in errors.
 * Throws a ShapeError naming `op` and both shapes when the shapes do not broadcast.
 */
export function broadcastApply(op: string, x: Tensor | number, y: Tensor | number, inner: Inner): Tensor {
  const a = toTensor(op, 'a', x),
    b = toTensor(op, 'b', y);
  // Phase 1: fast paths (same shape, scalar operand).
  if (shapesEqual(a.shape, b.shape)) {
    const o = new Float64Array(a.data.length);
    inner(a.data, 0, 1, b.data, 0, 1, o, 0, o.length);
    return { data: o, shape: [...a.shape] };
  }
  const shape = broadcastShapes(op, a.shape, b.shape);
  const size = sizeOf(shape);
  const o = new Float64Array(size);
  if (size === 0) return { data: o, shape };
  if (b.data.length === 1 && a.data.length === size) {
    inner(a.data, 0, 1, b.data, 0, 0, o, 0, size);
    return { data: o, shape };
  }
  if (a.data.length === 1 && b.data.length === size) {
    inner(a.data, 0, 0, b.data, 0, 1, o, 0, size);
    return { data: o, shape };
  }
  // Phase 2: general case, collapsed to few axes; odometer over all but the innermost axis.
  const { dims, st } = collapseBroadcast(shape, [broadcastStrides(a.shape, shape), broadcastStrides(b.shape, shape)]);
  const nd = dims.length;
  const sA = st[0]!,
    sB = st[1]!;
  const n = dims[nd - 1]!,
    ia = sA[nd - 1]!,
    ib = sB[nd - 1]!;
  const idx = new Array<number>(nd).fill(0);
  let offA = 0,
    offB = 0;
  for (let io = 0; io < size; io += n) {
    inner(a.data, offA, ia, b.data, offB, ib, o, io, n);
    for (let ax = nd - 2; ax >= 0; ax--) {
      offA += sA[ax]!;
      offB += sB[ax]!;
      if (++idx[ax]! < dims[ax]!) break;
      idx[ax] = 0;
      offA -= sA[ax]! * dims[ax]!;
      offB -= sB[ax]! * dims[ax]!;
    }
  }
  return { data: o, shape };
}

// ---- inner loops (one per operation; strides are usually 1 or 0) ----
const addInner: Inner = (a, ia, sa, b, ib, sb, o, io, n) => {
  if (sa === 1 && sb === 1) for (let j = 0; j < n; j++) o[io + j] = a[ia + j]! + b[ib + j]!;
  else if (sa === 1 && sb === 0) {
    const c = b[ib]!;
    for (let j = 0; j < n; j++) o[io + j] = a[ia + j]! + c;
  } else for (let j = 0; j < n; j++) o[io + j] = a[ia + j * sa]! + b[ib + j * sb]!;
};
const subInner: Inner = (a, ia, sa, b, ib, sb, o, io, n) => {
  if (sa === 1 && sb === 1) for (let j = 0; j < n; j++) o[io + j] = a[ia + j]! - b[ib + j]!;
  else if (sa === 1 && sb === 0) {
    const c = b[ib]!;
    for (let j = 0; j < n; j++) o[io + j] = a[ia + j]! - c;
  } else for (let j = 0; j < n; j++) o[io + j] = a[ia + j * sa]! - b[ib + j * sb]!;
};
const mulInner: Inner = (a, ia, sa, b, ib, sb, o, io, n) => {
  if (sa === 1 && sb === 1) for (let j = 0; j < n; j++) o[io + j] = a[ia + j]! * b[ib + j]!;
  else if (sa === 1 && sb === 0) {
    const c = b[ib]!;
    for (let j = 0; j < n; j++) o[io + j] = a[ia + j]! * c;
  } else for (let j = 0; j < n; j++) o[io + j] = a[ia + j * sa]! * b[ib + j * sb]!;
};
const divInner: Inner = (a, ia, sa, b, ib, sb, o, io, n) => {
  if (sa === 1 && sb === 1) for (let j = 0; j < n; j++) o[io + j] = a[ia + j]! / b[ib + j]!;
  else for (let j = 0; j < n; j++) o[io + j] = a[ia + j * sa]! / b[ib + j * sb]!;
};
const maxInner: Inner = (a, ia, sa, b, ib, sb, o, io, n) => {
  for (let j = 0; j < n; j++) {
    const u = a[ia + j * sa]!,
      v = b[ib + j * sb]!;
    o[io + j] = u > v || u !== u ? u : v; // NaN propagates (numpy maximum)
  }
};

/** `a + b` with broadcasting. */
export function add(a: Tensor | number, b: Tensor | number): Tensor {
  return broadcastApply('add', a, b, addInner);
}
/** `a − b` with broadcasting. */
export function sub(a: Tensor | number, b: Tensor | number): Tensor {
  return broadcastApply('sub', a, b, subInner);
}
/** `a · b` (elementwise) with broadcasting. */
export function mul(a: Tensor | number, b: Tensor | number): Tensor {
  return broadcastApply('mul', a, b, mulInner);
}
/** `a / b` with broadcasting (IEEE semantics: x/0 = ±Inf). */
export function div(a: Tensor | number, b: Tensor | number): Tensor {
  return broadcastApply('div', a, b, divInner);
}
/** Elementwise maximum with broadcasting; NaN propagates like numpy's `maximum`. */
export function maximum(a: Tensor | number, b: Tensor | number): Tensor {
  return broadcastApply('maximum', a, b, maxInner);
}

/**
 * Generic broadcasting binary op with a per-element callback (slower than the named ops; use it
 * for rare operations). Example: `binary('hypot', a, b, Math.hypot)`.
 */
export function binary(
  op: string,
  a: Tensor | number,
  b: Tensor | number,
  fn: (x: number, y: number) => number,
): Tensor {
  return broadcastApply(op, a, b, (xa, ia, sa, xb, ib, sb, o, io, n) => {
    for (let j = 0; j < n; j++) o[io + j] = fn(xa[ia + j * sa]!, xb[ib + j * sb]!);
  });
}

// ---- unary ----
function out(x: Tensor): { o: Float64Array; d: Float64Array; n: number } {
  return { o: new Float64Array(x.data.length), d: x.data, n: x.data.length };
}

/** Applies `fn` to every element (generic, callback per element). */
export function map(x: Tensor, fn: (v: number) => number): Tensor {
  const { o, d, n } = out(x);
  for (let i = 0; i < n; i++) o[i] = fn(d[i]!);
  return { data: o, shape: [...x.shape] };
}
/** `−x`. */
export function neg(x: Tensor): Tensor {
  const { o, d, n } = out(x);
  for (let i = 0; i < n; i++) o[i] = -d[i]!;
  return { data: o, shape: [...x.shape] };
}
/** `eˣ`. */
export function exp(x: Tensor): Tensor {
  const { o, d, n } = out(x);
  for (let i = 0; i < n; i++) o[i] = Math.exp(d[i]!);
  return { data: o, shape: [...x.shape] };
}
/** Natural logarithm (NaN for negative input, −Inf at 0, as IEEE). */
export function log(x: Tensor): Tensor {
  const { o, d, n } = out(x);
  for (let i = 0; i < n; i++) o[i] = Math.log(d[i]!);
  return { data: o, shape: [...x.shape] };
}
/** Hyperbolic tangent. */
export function tanh(x: Tensor): Tensor {
  const { o, d, n } = out(x);
  for (let i = 0; i < n; i++) o[i] = Math.tanh(d[i]!);
  return { data: o, shape: [...x.shape] };
}
/** `max(x, 0)` (NaN propagates). */
export function relu(x: Tensor): Tensor {
  const { o, d, n } = out(x);
  for (let i = 0; i < n; i++) {
    const v = d[i]!;
    o[i] = v > 0 || v !== v ? v : 0;
  }
  return { data: o, shape: [...x.shape] };
}
/** `|x|`. */
export function abs(x: Tensor): Tensor {
  const { o, d, n } = out(x);
  for (let i = 0; i < n; i++) o[i] = Math.abs(d[i]!);
  return { data: o, shape: [...x.shape] };
}
/** `√x`. */
export function sqrt(x: Tensor): Tensor {
  const { o, d, n } = out(x);
  for (let i = 0; i < n; i++) o[i] = Math.sqrt(d[i]!);
  return { data: o, shape: [...x.shape] };
}
/** `x²`. */
export function square(x: Tensor): Tensor {
  const { o, d, n } = out(x);
  for (let i = 0; i < n; i++) {
    const v = d[i]!;
    o[i] = v * v;
  }
  return { data: o, shape: [...x.shape] };
}
/** `1/x`. */
export function reciprocal(x: Tensor): Tensor {
  const { o, d, n } = out(x);
  for (let i = 0; i < n; i++) o[i] = 1 / d[i]!;
  return { data: o, shape: [...x.shape] };
}
/**
 * Logistic sigmoid `1/(1+e^(−x))`, evaluated stably as `e^x/(1+e^x)` for negative x so neither
 * branch overflows.
 */
export function sigmoid(x: Tensor): Tensor {
  const { o, d, n } = out(x);
  for (let i = 0; i < n; i++) {
    const v = d[i]!;
    if (v >= 0) o[i] = 1 / (1 + Math.exp(-v));
    else {
      const e = Math.exp(v);
      o[i] = e / (1 + e);
    }
  }
  return { data: o, shape: [...x.shape] };
}
/** `xᵖ` for a constant exponent, with exact fast paths for p ∈ {0, 1, 2, 3, −1, 0.5, −0.5}. */
export function powScalar(x: Tensor, p: number): Tensor {
  const { o, d, n } = out(x);
  if (p === 2)
    for (let i = 0; i < n; i++) {
      const v = d[i]!;
      o[i] = v * v;
    }
  else if (p === 1) o.set(d);
  else if (p === 0) o.fill(1);
  else if (p === 3)
    for (let i = 0; i < n; i++) {
      const v = d[i]!;
      o[i] = v * v * v;
    }
  else if (p === -1) for (let i = 0; i < n; i++) o[i] = 1 / d[i]!;
  else if (p === 0.5) for (let i = 0; i < n; i++) o[i] = Math.sqrt(d[i]!);
  else if (p === -0.5) for (let i = 0; i < n; i++) o[i] = 1 / Math.sqrt(d[i]!);
  else for (let i = 0; i < n; i++) o[i] = Math.pow(d[i]!, p);
  return { data: o, shape: [...x.shape] };
}

/**
 * `cond ? a : b` elementwise with three-way broadcasting (cond nonzero = true; NaN counts as true,
 * like numpy's truthiness). Throws a ShapeError naming all three shapes when they do not broadcast.
 */
export function where(cond: Tensor, a: Tensor | number, b: Tensor | number): Tensor {
  const A = toTensor('where', 'a', a),
    B = toTensor('where', 'b', b);
  let shape: number[];
  try {
    shape = broadcastShapes('where', broadcastShapes('where', cond.shape, A.shape), B.shape);
  } catch (e) {
    if (!(e instanceof ShapeError) || !e.message.includes('cannot broadcast')) throw e;
    throw new ShapeError('where', 'condition and branches do not broadcast', [cond.shape, A.shape, B.shape]);
  }
  const size = sizeOf(shape);
  const o = new Float64Array(size);
  if (size === 0) return { data: o, shape };
  const { dims, st } = collapseBroadcast(shape, [
    broadcastStrides(cond.shape, shape),
    broadcastStrides(A.shape, shape),
    broadcastStrides(B.shape, shape),
  ]);
  const nd = dims.length;
  if (nd === 0) {
    o[0] = cond.data[0]! !== 0 ? A.data[0]! : B.data[0]!;
    return { data: o, shape };
  }
  const idx = new Array<number>(nd).fill(0);
  const off = [0, 0, 0];
  const c = cond.data,
    x = A.data,
    y = B.data,
    n = dims[nd - 1]!;
  const sc = st[0]![nd - 1]!,
    sx = st[1]![nd - 1]!,
    sy = st[2]![nd - 1]!;
  for (let io = 0; io < size; io += n) {
    const oc = off[0]!,
      ox = off[1]!,
      oy = off[2]!;
    for (let j = 0; j < n; j++) o[io + j] = c[oc + j * sc]! !== 0 ? x[ox + j * sx]! : y[oy + j * sy]!;
    for (let ax = nd - 2; ax >= 0; ax--) {
      for (let k = 0; k < 3; k++) off[k] = off[k]! + st[k]![ax]!;
      if (++idx[ax]! < dims[ax]!) break;
      idx[ax] = 0;
      for (let k = 0; k < 3; k++) off[k] = off[k]! - st[k]![ax]! * dims[ax]!;
    }
  }
  return { data: o, shape };
}
