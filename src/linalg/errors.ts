/**
 * Typed errors of seqrate. Every message names the operation and, where shapes are involved,
 * every shape, so a user can find the offending call without a debugger.
 */

/** Text of an op name that is not a string (never throws: error messages must not fail). */
function safeText(v: unknown): string {
  try {
    return String(v);
  } catch {
    return `(${typeof v})`;
  }
}

/**
 * Base class: `instanceof SeqrateError` catches every error this library throws on purpose.
 *
 * @example
 * ```ts
 * try {
 *   matmul(ones([2, 3]), ones([2, 3]));
 * } catch (e) {
 *   e instanceof SeqrateError; // → true (every error seqrate throws on purpose)
 *   (e as SeqrateError).op; // → 'matmul'
 * }
 * ```
 */
export class SeqrateError extends Error {
  /** The operation that raised the error, e.g. `'matmul'`. */
  readonly op: string;
  constructor(op: string, message: string) {
    super(`${typeof op === 'string' ? op : safeText(op)}: ${message}`);
    this.name = 'SeqrateError';
    this.op = op;
  }
}

/**
 * Formats a shape like numpy: `(2, 3)`, `(5,)`, `()`.
 *
 * @example
 * ```ts
 * fmtShape([2, 3]); // → '(2, 3)'
 * fmtShape([5]); // → '(5,)'
 * fmtShape([]); // → '()'
 * ```
 */
export function fmtShape(shape: readonly number[]): string {
  if (!Array.isArray(shape)) return safeText(shape);
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/**
 * Incompatible or invalid shapes. `shapes` lists every shape involved, in argument order.
 *
 * @example
 * ```ts
 * try {
 *   add(ones([2, 3]), ones([4]));
 * } catch (e) {
 *   const err = e as ShapeError;
 *   err.shapes; // → [[2, 3], [4]]
 *   err.message; // → 'add: cannot broadcast axis 1 (3 vs 4) [shapes (2, 3) and (4,)]'
 * }
 * ```
 */
export class ShapeError extends SeqrateError {
  readonly shapes: readonly (readonly number[])[];
  constructor(op: string, message: string, shapes: readonly (readonly number[])[] = []) {
    const suffix = shapes.length > 0 ? ` [shapes ${shapes.map(fmtShape).join(' and ')}]` : '';
    super(op, message + suffix);
    this.name = 'ShapeError';
    this.shapes = shapes;
  }
}

/**
 * A NaN or ±Inf where a finite number is required. `index` is the flat index of the first one;
 * `note` (optional) says what it means, e.g. which of data or parameters went non-finite.
 *
 * @example
 * ```ts
 * try {
 *   svdvals(tensor([[1, 2], [Number.POSITIVE_INFINITY, 4]]));
 * } catch (e) {
 *   const err = e as NonFiniteError;
 *   [err.index, err.value]; // → [2, Infinity]
 *   err.message; // → 'svdvals: a contains a non-finite value Infinity at flat index 2'
 * }
 * ```
 */
export class NonFiniteError extends SeqrateError {
  readonly index: number;
  readonly value: number;
  constructor(op: string, what: string, index: number, value: number, note = '') {
    super(
      op,
      `${typeof what === 'string' ? what : safeText(what)} contains a non-finite value ${value} at flat ` +
        `index ${index}${note ? `; ${note}` : ''}`,
    );
    this.name = 'NonFiniteError';
    this.index = index;
    this.value = value;
  }
}

/**
 * A capped iteration did not converge.
 *
 * @example
 * ```ts
 * const err = new NonConvergenceError('myIteration', 100, 3.2e-5, 'try a smaller step');
 * err.message;
 * // → 'myIteration: did not converge after 100 iterations (residual 3.200e-5); try a smaller step'
 * err instanceof SeqrateError; // → true
 * [err.iterations, err.residual]; // → [100, 0.000032]
 * ```
 */
export class NonConvergenceError extends SeqrateError {
  readonly iterations: number;
  readonly residual: number;
  constructor(op: string, iterations: number, residual: number, detail = '') {
    super(
      op,
      `did not converge after ${iterations} iterations (residual ${residual.toExponential(3)})${detail ? `; ${detail}` : ''}`,
    );
    this.name = 'NonConvergenceError';
    this.iterations = iterations;
    this.residual = residual;
  }
}

/**
 * An argument outside its documented domain (negative size, alpha <= 1/2, unknown option...).
 *
 * @example
 * ```ts
 * try {
 *   createRng(0.5);
 * } catch (e) {
 *   e instanceof ValueError; // → true
 *   (e as ValueError).message; // → 'createRng: seed must be a safe integer, got 0.5'
 * }
 * ```
 */
export class ValueError extends SeqrateError {
  constructor(op: string, message: string) {
    super(op, message);
    this.name = 'ValueError';
  }
}
