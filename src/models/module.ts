/**
 * The model contract of seqrate (see docs/API.md, "src/models"): a model is a config plus a flat
 * record of named parameter tensors, and a `forward` that is pure in its parameters so it can be
 * differentiated with `valueAndGrad(p => loss(model.forward(x, p)))(model.params)`.
 *
 * Building blocks (`Linear`, `MLP`, `Attention`, …) read their tensors from a shared record under
 * a name prefix (`apply(x, params, 'ffn_in.')`), so a composite model's record is the union of
 * its blocks' records with prefixed names — no nested objects, no copies per forward.
 */
import { NonFiniteError, ShapeError, ValueError, fmtShape, type Tensor } from '../linalg/index.js';
import { checkInt as checkIntV, checkKeys, describe } from '../linalg/validate.js';
import type { Params } from './optim/params.js';

export type { Params };

/** What `train`, `saveParams` and `loadParams` need from a model. */
export interface Model<C extends object = object> {
  /** Model family, e.g. `'Transformer'`; saved with the weights and checked on load. */
  readonly kind: string;
  /** The hyper-parameters the model was built with (JSON-serialisable). */
  readonly config: C;
  /** Every key the config type allows (set or not); `loadParams` rejects saved keys outside it. */
  readonly configKeys?: readonly string[];
  /** Current parameters; reassigned (never mutated) by training and `loadParams`. */
  params: Params;
  /** Model output for a batch; pure in `params` (default: `this.params`). */
  forward(x: Tensor, params?: Params): Tensor;
}

/**
 * Throws a ValueError naming `op` when `config` has a key outside `known`, so a misspelt option
 * (`ffnWidht`) is an error instead of a silently ignored default (the shared validator's `checkKeys`).
 */
export function checkConfigKeys(op: string, config: object, known: readonly string[]): void {
  if (config === null || typeof config !== 'object')
    throw new ValueError(op, `the config must be an object, got ` + `${describe(config)}`);
  checkKeys(op, config, known, 'config key');
}

/** Throws a ValueError unless `v` is a positive integer (or non-negative when `allowZero`); returns it. */
export function checkInt(op: string, name: string, v: unknown, allowZero = false): number {
  return checkIntV(op, name, v, allowZero ? 0 : 1);
}

/**
 * The tensor `params[name]`, or a ValueError naming the model and the missing parameter.
 *
 * @example
 * ```ts
 * const p = { 'fc.weight': tensor([[1, 2]]) };
 * param('MyBlock', p, 'fc.weight').shape; // → [1, 2]
 * try {
 *   param('MyBlock', p, 'fc.bias');
 * } catch (e) {
 *   (e as Error).message; // → "MyBlock: missing parameter 'fc.bias'"
 * }
 * ```
 */
export function param(op: string, params: Params, name: string): Tensor {
  const t = params[name];
  if (!t) throw new ValueError(op, `missing parameter '${name}'`);
  return t;
}

/**
 * Checks that `x` has `ndim` dimensions and the given sizes where `dims[i]` is a number
 * (`undefined` = any), e.g. `checkInput('Transformer.forward', x, [undefined, undefined, 1], 'x (B, τ, d)')`.
 * Throws a ShapeError naming `op`, the expected layout and the actual shape, or a NonFiniteError
 * at the first NaN/Inf entry of the input (no silent NaN propagation through a model).
 *
 * @example
 * ```ts
 * checkInput('MyModel.forward', zeros([4, 3]), [undefined, 3], 'x (B, 3)'); // passes: any B
 * try {
 *   checkInput('MyModel.forward', zeros([4, 2]), [undefined, 3], 'x (B, 3)');
 * } catch (e) {
 *   e instanceof ShapeError; // → true
 *   (e as Error).message;    // → 'MyModel.forward: expected input x (B, 3) with * × 3, got (4, 2) [shapes (4, 2)]'
 * }
 * ```
 */
export function checkInput(op: string, x: Tensor, dims: readonly (number | undefined)[], legend: string): void {
  const ok = x.shape.length === dims.length && dims.every((d, i) => d === undefined || x.shape[i] === d);
  if (!ok) {
    throw new ShapeError(
      op,
      `expected input ${legend} with ${dims.map((d) => d ?? '*').join(' × ')}, got ${fmtShape(x.shape)}`,
      [x.shape],
    );
  }
  const d = x.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (v - v !== 0) throw new NonFiniteError(op, 'input', i, v);
  }
}
