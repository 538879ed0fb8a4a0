/**
 * Parameter records and their flat-vector views, shared by the optimisers and by `train`.
 *
 * A model's parameters are a flat record of named tensors (`Params`). The first-order optimisers
 * work on the record directly; L-BFGS works on one flat `Float64Array`, so `flattenParams` lays the
 * tensors end to end in a stated order (sorted names unless an order is given) and
 * `unflattenParams` is its exact inverse.
 */
import { NonFiniteError, ShapeError, ValueError, fmtShape, sizeOf, type Tensor } from '../../linalg/index.js';

/** Named parameter tensors, e.g. `{ 'ffn.0.weight': (1, 64), ... }`. */
export type Params = Record<string, Tensor>;

/** Where each named tensor lives inside a flat vector. */
export interface ParamLayout {
  readonly entries: readonly {
    readonly name: string;
    readonly shape: readonly number[];
    readonly offset: number;
    readonly size: number;
  }[];
  readonly size: number;
}

/**
 * Lays the tensors of `params` end to end in one new Float64Array.
 * `order` fixes the name order (default: sorted names, so the layout is deterministic).
 *
 * @example
 * ```ts
 * const { x, layout } = flattenParams({ b: tensor([[3]]), a: tensor([1, 2]) });
 * Array.from(x);                                  // → [1, 2, 3] (sorted names: a, then b)
 * layout.entries.map((e) => [e.name, e.offset]); // → [['a', 0], ['b', 2]]
 * Array.from(flattenParams({ b: tensor([[3]]), a: tensor([1, 2]) }, ['b', 'a']).x); // → [3, 1, 2]
 * ```
 */
export function flattenParams(params: Params, order?: readonly string[]): { x: Float64Array; layout: ParamLayout } {
  const names = order ? [...order] : Object.keys(params).sort();
  const entries: { name: string; shape: readonly number[]; offset: number; size: number }[] = [];
  let offset = 0;
  for (const name of names) {
    const t = params[name];
    if (!t) throw new ValueError('flattenParams', `no parameter named '${name}'`);
    entries.push({ name, shape: [...t.shape], offset, size: t.data.length });
    offset += t.data.length;
  }
  if (order && names.length !== Object.keys(params).length) {
    throw new ValueError(
      'flattenParams',
      `order names ${names.length} parameters but the record has ${Object.keys(params).length}`,
    );
  }
  const x = new Float64Array(offset);
  for (const e of entries) x.set(params[e.name]!.data, e.offset);
  return { x, layout: { entries, size: offset } };
}

/**
 * The inverse of `flattenParams`: new tensors (copies) cut from `x` by `layout`.
 *
 * @example
 * ```ts
 * const { x, layout } = flattenParams({ w: tensor([[1, 2], [3, 4]]), b: tensor([5]) });
 * const p = unflattenParams(x.map((v) => 10 * v), layout); // e.g. a step of a flat-vector optimiser
 * p.w!.shape;           // → [2, 2]
 * Array.from(p.w!.data); // → [10, 20, 30, 40]
 * Array.from(p.b!.data); // → [50] (layout order: b, then w)
 * ```
 */
export function unflattenParams(x: Float64Array, layout: ParamLayout): Params {
  if (x.length !== layout.size) {
    throw new ShapeError('unflattenParams', `vector has ${x.length} entries but the layout holds ${layout.size}`, [
      [x.length],
      [layout.size],
    ]);
  }
  const out: Params = {};
  for (const e of layout.entries) out[e.name] = { data: x.slice(e.offset, e.offset + e.size), shape: [...e.shape] };
  return out;
}

/**
 * Checks that `grads` has exactly the names and shapes of `params`, and that every gradient
 * (and `loss`, when given) is finite. Throws ShapeError / ValueError / NonFiniteError naming
 * `op` and the parameter. Used by every optimiser before it touches its state.
 *
 * @example
 * ```ts
 * const params = { w: tensor([1, 2]) };
 * checkStepInputs('opt', params, { w: tensor([0.5, -1]) }, 0.25); // passes
 * try {
 *   checkStepInputs('opt', params, { w: tensor([0.5]) });
 * } catch (e) {
 *   (e as ShapeError).shapes; // → [[2], [1]] (parameter, gradient)
 *   (e as Error).message;    // → "opt: gradient of 'w' has shape (1,) but the parameter has (2,) [shapes …]"
 * }
 * ```
 */
export function checkStepInputs(op: string, params: Params, grads: Params, loss?: number): void {
  if (loss !== undefined && !Number.isFinite(loss)) throw new NonFiniteError(op, 'the loss', 0, loss);
  for (const name of Object.keys(params)) {
    const p = params[name]!;
    const g = grads[name];
    if (!g) throw new ValueError(op, `no gradient for parameter '${name}'`);
    if (
      g.data.length !== p.data.length ||
      sizeOf(g.shape) !== sizeOf(p.shape) ||
      g.shape.length !== p.shape.length ||
      g.shape.some((d, i) => d !== p.shape[i])
    ) {
      throw new ShapeError(
        op,
        `gradient of '${name}' has shape ${fmtShape(g.shape)} but the parameter has ${fmtShape(p.shape)}`,
        [p.shape, g.shape],
      );
    }
    const d = g.data;
    for (let i = 0; i < d.length; i++) {
      const v = d[i]!;
      if (v - v !== 0) throw new NonFiniteError(op, `gradient of parameter '${name}'`, i, v);
    }
  }
  for (const name of Object.keys(grads)) {
    if (!(name in params)) throw new ValueError(op, `gradient for unknown parameter '${name}'`);
  }
}

/**
 * Euclidean norm of all gradients together (the "global norm" used for clipping).
 *
 * @example
 * ```ts
 * globalNorm({ a: tensor([3]), b: tensor([[0, 4]]) }); // → 5
 * globalNorm({ big: tensor([3e200, 4e200]) });         // ≈ 5e200 (no overflow)
 * ```
 */
export function globalNorm(grads: Params): number {
  let scale = 0,
    ssq = 1; // scaled sum of squares (LAPACK dnrm2 style): no overflow
  for (const name of Object.keys(grads)) {
    for (const v of grads[name]!.data) {
      if (v === 0) continue;
      const a = Math.abs(v);
      if (scale < a) {
        ssq = 1 + ssq * (scale / a) ** 2;
        scale = a;
      } else ssq += (a / scale) ** 2;
    }
  }
  return scale * Math.sqrt(ssq);
}

/**
 * Throws a NonFiniteError naming the parameter if any new parameter value is non-finite.
 *
 * @example
 * ```ts
 * checkFiniteParams('opt', { w: tensor([1, 2]) }); // passes
 * try {
 *   checkFiniteParams('opt', { w: tensor([1, Infinity]) });
 * } catch (e) {
 *   (e as NonFiniteError).index; // → 1
 *   (e as Error).message; // → "opt: updated parameter 'w' contains a non-finite value Infinity at flat index 1"
 * }
 * ```
 */
export function checkFiniteParams(op: string, params: Params): void {
  for (const name of Object.keys(params)) {
    const d = params[name]!.data;
    for (let i = 0; i < d.length; i++) {
      const v = d[i]!;
      if (v - v !== 0) throw new NonFiniteError(op, `updated parameter '${name}'`, i, v);
    }
  }
}

/** The interface `train` drives: one update from the current parameters and their gradients. */
export interface Optimizer {
  /** A short name for logs, e.g. `'adam'`. */
  readonly name: string;
  /**
   * Returns new parameters (fresh tensors; the inputs are not mutated). Throws NonFiniteError
   * naming the parameter, with the optimiser state unchanged, when `loss` or a gradient is NaN/Inf.
   */
  step(params: Params, grads: Params, loss?: number): Params;
}
