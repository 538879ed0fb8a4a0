/**
 * Reductions along axes (non-differentiable, raw): sum, mean, max, min, argmax, logSumExp,
 * softmax, logSoftmax, sumToShape.
 *
 * Every reduction over a contiguous block of axes views the input as `[outer, R, inner]`
 * (`R` = product of the reduced axes) and runs one specialised loop; a non-contiguous axis set is
 * reduced block by block from the last block to the first. Sums are pairwise (numpy's scheme:
 * blocks of 128 with 4 accumulators, then a binary tree), so the rounding error grows like
 * `O(ε log R)` instead of `O(ε R)` (Higham, *Accuracy and Stability of Numerical Algorithms*,
 * 2nd ed., §4.2). logSumExp/softmax subtract the running maximum (no overflow for any finite
 * input). NaN propagates through max/min/sum.
 *
 * Legend: `d` input buffer, `R` reduced length, `inner` trailing (kept) length, `o` output.
 */
import { ShapeError, ValueError } from '../errors.js';
import { describe } from '../validate.js';
import { normAxis, sizeOf, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';

/** Sorted, de-duplicated, normalised axes; `undefined` means every axis. */
export function normAxes(op: string, axis: number | readonly number[] | undefined, ndim: number): number[] {
  if (axis === undefined) return Array.from({ length: ndim }, (_, i) => i);
  if (typeof axis !== 'number' && !Array.isArray(axis))
    throw new ValueError(op, `axis must be an integer or an ` + `array of integers, got ${describe(axis)}`);
  const list = typeof axis === 'number' ? [axis] : axis;
  const out = [...new Set(list.map((a) => normAxis(op, a, ndim)))].sort((p, q) => p - q);
  if (out.length !== list.length) throw new ValueError(op, `repeated axis in [${list.join(', ')}]`);
  return out;
}

type Block = (d: Float64Array, outer: number, R: number, inner: number) => Float64Array;

/**
 * Runs `block` over each maximal run of consecutive reduced axes, last run first, then drops the
 * reduced axes unless `keepdims`.
 */
function reduceAxes(
  op: string,
  x: Tensor,
  axis: number | readonly number[] | undefined,
  keepdims: boolean,
  block: Block,
): Tensor {
  const axes = normAxes(op, axis, x.shape.length);
  let shape = [...x.shape];
  let data = x.data;
  let k = axes.length - 1;
  if (axes.length === 0) data = data.slice();
  while (k >= 0) {
    const hi = axes[k]!;
    let lo = hi;
    while (k > 0 && axes[k - 1] === lo - 1) {
      k--;
      lo--;
    }
    k--;
    const outer = sizeOf(shape.slice(0, lo)),
      R = sizeOf(shape.slice(lo, hi + 1)),
      inner = sizeOf(shape.slice(hi + 1));
    data = block(data, outer, R, inner);
    for (let a = lo; a <= hi; a++) shape[a] = 1;
  }
  if (!keepdims) shape = shape.filter((_, i) => !axes.includes(i));
  return { data, shape };
}

// ---- sum ----
/** Pairwise sum of `n` contiguous values starting at `off`. */
function pairwise(d: Float64Array, off: number, n: number): number {
  if (n <= 128) {
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0,
      i = 0;
    for (; i + 4 <= n; i += 4) {
      s0 += d[off + i]!;
      s1 += d[off + i + 1]!;
      s2 += d[off + i + 2]!;
      s3 += d[off + i + 3]!;
    }
    for (; i < n; i++) s0 += d[off + i]!;
    return s0 + s1 + (s2 + s3);
  }
  const h = (n >> 1) & ~7;
  return pairwise(d, off, h) + pairwise(d, off + h, n - h);
}

/**
 * `dst[j] = Σ_{r0 ≤ r < r1} d[base + r·inner + j]`, pairwise over r (blocks of 32 rows).
 * `pool[depth]` is a scratch row per recursion level, reused across the whole tree.
 */
function sumRows(
  d: Float64Array,
  base: number,
  r0: number,
  r1: number,
  inner: number,
  dst: Float64Array,
  dOff: number,
  pool: Float64Array[],
  depth: number,
): void {
  if (r1 - r0 <= 32) {
    for (let j = 0; j < inner; j++) dst[dOff + j] = 0;
    for (let r = r0; r < r1; r++) {
      const row = base + r * inner;
      for (let j = 0; j < inner; j++) dst[dOff + j] = dst[dOff + j]! + d[row + j]!;
    }
    return;
  }
  const mid = (r0 + r1) >> 1;
  sumRows(d, base, r0, mid, inner, dst, dOff, pool, depth + 1);
  const tmp = (pool[depth] ??= new Float64Array(inner));
  sumRows(d, base, mid, r1, inner, tmp, 0, pool, depth + 1);
  for (let j = 0; j < inner; j++) dst[dOff + j] = dst[dOff + j]! + tmp[j]!;
}

const sumBlock: Block = (d, outer, R, inner) => {
  const o = new Float64Array(outer * inner);
  if (inner === 1) {
    for (let i = 0; i < outer; i++) o[i] = pairwise(d, i * R, R);
  } else {
    const pool: Float64Array[] = [];
    for (let i = 0; i < outer; i++) sumRows(d, i * R * inner, 0, R, inner, o, i * inner, pool, 0);
  }
  return o;
};

/**
 * Sum over `axis` (a number, a list, or all axes when omitted), pairwise for accuracy.
 * Example: `sum(x, -1, true)` keeps a size-1 last axis. Empty reductions give 0.
 */
export function sum(x: Tensor, axis?: number | readonly number[], keepdims = false): Tensor {
  return reduceAxes('sum', x, axis, keepdims, sumBlock);
}

/** Arithmetic mean over `axis` (all axes when omitted). Throws a ValueError for an empty reduction. */
export function mean(x: Tensor, axis?: number | readonly number[], keepdims = false): Tensor {
  const axes = normAxes('mean', axis, x.shape.length);
  const count = axes.reduce((p, a) => p * x.shape[a]!, 1);
  if (count === 0) throw new ValueError('mean', `mean over an empty axis set of shape (${x.shape.join(', ')})`);
  const s = sum(x, axes, keepdims);
  const inv = 1 / count;
  for (let i = 0; i < s.data.length; i++) s.data[i] = s.data[i]! * inv;
  return s;
}

// ---- max / min / argmax ----
function extremumBlock(op: string, sign: 1 | -1): Block {
  return (d, outer, R, inner) => {
    if (R === 0) throw new ValueError(op, 'zero-size reduction has no identity');
    const o = new Float64Array(outer * inner);
    if (inner === 1) {
      // Contiguous rows: a running extremum in a local (NaN sticks: v !== v wins once).
      for (let i = 0; i < outer; i++) {
        const base = i * R;
        let m = d[base]!;
        if (sign === 1)
          for (let r = 1; r < R; r++) {
            const v = d[base + r]!;
            if (v > m || v !== v) m = v;
            if (m !== m) break;
          }
        else
          for (let r = 1; r < R; r++) {
            const v = d[base + r]!;
            if (v < m || v !== v) m = v;
            if (m !== m) break;
          }
        o[i] = m;
      }
      return o;
    }
    for (let i = 0; i < outer; i++) {
      const base = i * R * inner,
        ob = i * inner;
      for (let j = 0; j < inner; j++) o[ob + j] = d[base + j]!;
      for (let r = 1; r < R; r++) {
        const row = base + r * inner;
        for (let j = 0; j < inner; j++) {
          const v = d[row + j]!,
            m = o[ob + j]!;
          if (sign * (v - m) > 0 || v !== v) o[ob + j] = v;
        }
      }
    }
    return o;
  };
}
const maxBlock = extremumBlock('max', 1);
const minBlock = extremumBlock('min', -1);

/** Maximum over `axis` (all when omitted); NaN propagates; a ValueError for an empty reduction. */
export function max(x: Tensor, axis?: number | readonly number[], keepdims = false): Tensor {
  return reduceAxes('max', x, axis, keepdims, maxBlock);
}
/** Minimum over `axis` (all when omitted); NaN propagates; a ValueError for an empty reduction. */
export function min(x: Tensor, axis?: number | readonly number[], keepdims = false): Tensor {
  return reduceAxes('min', x, axis, keepdims, minBlock);
}

/** Index of the first maximum along `axis` (the first NaN wins, like numpy), as a float tensor. */
export function argmax(x: Tensor, axis: number): Tensor {
  const ax = normAxis('argmax', axis, x.shape.length);
  const R = x.shape[ax]!,
    inner = sizeOf(x.shape.slice(ax + 1)),
    outer = sizeOf(x.shape.slice(0, ax));
  if (R === 0) throw new ValueError('argmax', 'zero-size axis');
  const o = new Float64Array(outer * inner);
  const d = x.data;
  for (let i = 0; i < outer; i++) {
    for (let j = 0; j < inner; j++) {
      let best = d[i * R * inner + j]!,
        bi = 0;
      for (let r = 1; r < R && best === best; r++) {
        const v = d[(i * R + r) * inner + j]!;
        if (v > best || v !== v) {
          best = v;
          bi = r;
        }
      }
      o[i * inner + j] = bi;
    }
  }
  return { data: o, shape: x.shape.filter((_, i) => i !== ax) };
}

// ---- logSumExp / softmax ----
/**
 * Shared phase for the stable exponentials along one axis: per (outer, inner) position the max `m`
 * and `s = Σ exp(x − m)`. Positions whose max is ±Inf get s = 1 so that `m + log s` = m.
 */
function maxAndSumExp(d: Float64Array, outer: number, R: number, inner: number): { m: Float64Array; s: Float64Array } {
  const m = new Float64Array(outer * inner).fill(-Infinity);
  const s = new Float64Array(outer * inner);
  for (let i = 0; i < outer; i++) {
    const base = i * R * inner,
      ob = i * inner;
    for (let r = 0; r < R; r++) {
      const row = base + r * inner;
      for (let j = 0; j < inner; j++) {
        const v = d[row + j]!;
        if (v > m[ob + j]! || v !== v) m[ob + j] = v;
      }
    }
    for (let j = 0; j < inner; j++) if (m[ob + j] === Infinity || m[ob + j] === -Infinity) s[ob + j] = 1;
    for (let r = 0; r < R; r++) {
      const row = base + r * inner;
      for (let j = 0; j < inner; j++) {
        const mj = m[ob + j]!;
        if (mj - mj === 0) s[ob + j] = s[ob + j]! + Math.exp(d[row + j]! - mj);
      }
    }
  }
  return { m, s };
}

function axisDims(op: string, x: Tensor, axis: number): { ax: number; outer: number; R: number; inner: number } {
  const ax = normAxis(op, axis, x.shape.length);
  return { ax, outer: sizeOf(x.shape.slice(0, ax)), R: x.shape[ax]!, inner: sizeOf(x.shape.slice(ax + 1)) };
}

/**
 * `log Σ exp(x)` along `axis`, stable: `m + log Σ exp(x − m)` with `m` the maximum.
 * Empty axis → −Inf (log 0). Example: `logSumExp(tensor([1000, 1000]), 0)` = 1000 + log 2.
 */
export function logSumExp(x: Tensor, axis: number, keepdims = false): Tensor {
  const { ax, outer, R, inner } = axisDims('logSumExp', x, axis);
  const { m, s } = maxAndSumExp(x.data, outer, R, inner);
  for (let i = 0; i < m.length; i++) m[i] = R === 0 ? -Infinity : m[i]! + Math.log(s[i]!);
  const shape = [...x.shape];
  if (keepdims) shape[ax] = 1;
  else shape.splice(ax, 1);
  return { data: m, shape };
}

/** Softmax along `axis` (default last), stable by max subtraction; rows sum to 1. */
export function softmax(x: Tensor, axis = -1): Tensor {
  const { outer, R, inner } = axisDims('softmax', x, axis);
  if (inner === 1) return softmaxRows(x, outer, R);
  const { m, s } = maxAndSumExp(x.data, outer, R, inner);
  const o = new Float64Array(x.data.length),
    d = x.data;
  for (let i = 0; i < outer; i++) {
    const ob = i * inner;
    for (let j = 0; j < inner; j++) s[ob + j] = 1 / s[ob + j]!;
    for (let r = 0; r < R; r++) {
      const row = (i * R + r) * inner;
      for (let j = 0; j < inner; j++) o[row + j] = Math.exp(d[row + j]! - m[ob + j]!) * s[ob + j]!;
    }
  }
  return { data: o, shape: [...x.shape] };
}

/** Softmax of contiguous rows: one exp per element, stored, then scaled by 1/Σ. */
function softmaxRows(x: Tensor, outer: number, R: number): Tensor {
  const d = x.data,
    o = new Float64Array(d.length);
  for (let i = 0; i < outer; i++) {
    const base = i * R;
    let m = -Infinity;
    for (let r = 0; r < R; r++) {
      const v = d[base + r]!;
      if (v > m || v !== v) m = v;
    }
    if (m === Infinity || m === -Infinity) m = 0; // exp(x − 0) then gives NaN/0 exactly like the general path
    let s = 0;
    for (let r = 0; r < R; r++) {
      const e = Math.exp(d[base + r]! - m);
      o[base + r] = e;
      s += e;
    }
    const inv = 1 / s;
    for (let r = 0; r < R; r++) o[base + r] = o[base + r]! * inv;
  }
  return { data: o, shape: [...x.shape] };
}

/** `x − logSumExp(x)` along `axis` (default last), stable. */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  const { outer, R, inner } = axisDims('logSoftmax', x, axis);
  const { m, s } = maxAndSumExp(x.data, outer, R, inner);
  for (let i = 0; i < m.length; i++) m[i] = m[i]! + Math.log(s[i]!);
  const o = new Float64Array(x.data.length),
    d = x.data;
  for (let i = 0; i < outer; i++) {
    for (let r = 0; r < R; r++) {
      const row = (i * R + r) * inner,
        ob = i * inner;
      for (let j = 0; j < inner; j++) o[row + j] = d[row + j]! - m[ob + j]!;
    }
  }
  return { data: o, shape: [...x.shape] };
}

/**
 * Reduces a broadcast result `x` back to `shape` by summing over the axes that broadcasting added
 * or stretched (the adjoint of `broadcastTo`). Returns `x` itself when the shapes already agree.
 * Throws a ShapeError naming both shapes when `shape` does not broadcast to `x.shape`.
 */
export function sumToShape(x: Tensor, shape: Shape): Tensor {
  const nx = x.shape.length,
    ns = shape.length;
  if (ns === nx && shape.every((d, i) => d === x.shape[i])) return x;
  if (ns > nx) throw new ShapeError('sumToShape', 'target has more dimensions than the array', [x.shape, shape]);
  const axes: number[] = [];
  for (let i = 0; i < nx; i++) {
    const j = i - (nx - ns);
    const t = j >= 0 ? shape[j]! : 1;
    if (j < 0 || (t === 1 && x.shape[i] !== 1)) axes.push(i);
    else if (t !== x.shape[i])
      throw new ShapeError('sumToShape', `axis ${i} (${x.shape[i]}) cannot reduce to ${t}`, [x.shape, shape]);
  }
  const r = sum(x, axes, true);
  return { data: r.data, shape: [...shape] };
}
