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

/** Base class: `instanceof SeqrateError` catches every error this library throws on purpose. */
export class SeqrateError extends Error {
  /** The operation that raised the error, e.g. `'matmul'`. */
  readonly op: string;
  constructor(op: string, message: string) {
    super(`${typeof op === 'string' ? op : safeText(op)}: ${message}`);
    this.name = 'SeqrateError';
    this.op = op;
  }
}

/** Formats a shape like numpy: `(2, 3)`, `(5,)`, `()`. */
export function fmtShape(shape: readonly number[]): string {
  if (!Array.isArray(shape)) return safeText(shape);
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** Incompatible or invalid shapes. `shapes` lists every shape involved, in argument order. */
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

/** A capped iteration did not converge. */
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

/** An argument outside its documented domain (negative size, alpha <= 1/2, unknown option...). */
export class ValueError extends SeqrateError {
  constructor(op: string, message: string) {
    super(op, message);
    this.name = 'ValueError';
  }
}
