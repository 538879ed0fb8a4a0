/**
 * The one validation module of seqrate: every layer (linalg, models, theory) checks its arguments
 * with these helpers, so the same mistake gets the same typed error everywhere.
 *
 * Each check names the operation (`op`) and the argument (`name`), shows the offending value with
 * its type (`describe`: `'4' (a string)` is not confused with the number 4), and returns the
 * validated value. `checkOptions` validates a whole options object from a declarative spec.
 */
import { ShapeError, ValueError } from './errors.js';

/**
 * The offending value for an error message: numbers as written (NaN, Infinity), strings quoted
 * with their type, and the kind of anything else.
 */
export function describe(v: unknown): string {
  switch (typeof v) {
    case 'number':
      return Object.is(v, -0) ? '-0' : String(v);
    case 'string':
      return `'${v.length > 40 ? `${v.slice(0, 40)}…` : v}' (a string)`;
    case 'bigint':
      return `${v}n (a bigint)`;
    case 'boolean':
      return `${v} (a boolean)`;
    case 'undefined':
      return 'undefined';
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    default:
      break;
  }
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  const o = v as { data?: unknown; shape?: unknown };
  if (o.data instanceof Float64Array && Array.isArray(o.shape)) {
    return (
      `a tensor-like object with shape [${o.shape.map((d) => describe(d)).join(', ')}] and ${o.data.length} ` + `values`
    );
  }
  return 'an object';
}

/** Bounds and kind of a number argument. Every number must be finite unless `finite: false`. */
export interface NumberSpec {
  /** Require an integer (a safe integer). */
  readonly int?: boolean;
  /** Lower bound (inclusive unless `gt`). */
  readonly min?: number;
  /** Strict lower bound. */
  readonly gt?: number;
  /** Upper bound (inclusive). */
  readonly max?: number;
  /** Strict upper bound. */
  readonly lt?: number;
  /** Allow NaN and ±Infinity (default false). */
  readonly finite?: boolean;
}

function rangeText(s: NumberSpec): string {
  const parts: string[] = [];
  if (s.gt !== undefined) parts.push(`> ${s.gt}`);
  if (s.min !== undefined) parts.push(`>= ${s.min}`);
  if (s.lt !== undefined) parts.push(`< ${s.lt}`);
  if (s.max !== undefined) parts.push(`<= ${s.max}`);
  const kind = s.int ? 'an integer' : s.finite === false ? 'a number' : 'a finite number';
  return parts.length > 0 ? `${kind} ${parts.join(' and ')}` : kind;
}

/** Throws a ValueError naming `op` and `name` unless `v` is a number satisfying `spec`; returns it. */
export function checkNumber(op: string, name: string, v: unknown, spec: NumberSpec = {}): number {
  const ok =
    typeof v === 'number' &&
    (spec.finite === false || Number.isFinite(v)) &&
    (!spec.int || Number.isSafeInteger(v)) &&
    (spec.min === undefined || v >= spec.min) &&
    (spec.gt === undefined || v > spec.gt) &&
    (spec.max === undefined || v <= spec.max) &&
    (spec.lt === undefined || v < spec.lt);
  if (!ok) throw new ValueError(op, `${name} must be ${rangeText(spec)}, got ${describe(v)}`);
  return v as number;
}

/** Throws a ValueError unless `v` is a safe integer ≥ `min` (default 1); returns it. */
export function checkInt(op: string, name: string, v: unknown, min = 1): number {
  return checkNumber(op, name, v, { int: true, min });
}

/** Throws a ValueError unless `v` is an array (or typed array) of safe integers; returns it. */
export function checkIntList(op: string, name: string, v: unknown): readonly number[] {
  if (!Array.isArray(v) && !(ArrayBuffer.isView(v) && !(v instanceof DataView))) {
    throw new ValueError(op, `${name} must be an array of integers, got ${describe(v)}`);
  }
  const a = v as unknown as ArrayLike<unknown>;
  for (let i = 0; i < a.length; i++) {
    if (typeof a[i] !== 'number' || !Number.isSafeInteger(a[i]))
      throw new ValueError(op, `${name}[${i}] must be ` + `an integer, got ${describe(a[i])}`);
  }
  return v as readonly number[];
}

/** Throws a ValueError unless `v` is finite and > 0 (≥ 0 with `allowZero`); returns it. */
export function checkPositive(op: string, name: string, v: unknown, allowZero = false): number {
  return checkNumber(op, name, v, allowZero ? { min: 0 } : { gt: 0 });
}

/** Throws a ValueError unless `v` is one of `allowed`; returns it. */
export function checkOneOf<T extends string>(op: string, name: string, v: unknown, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new ValueError(op, `${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describe(v)}`);
  }
  return v as T;
}

/** Throws a ValueError naming `op` when `obj` has a key outside `known` (a misspelt option). */
export function checkKeys(op: string, obj: object, known: readonly string[], what = 'option'): void {
  const ok = new Set(known);
  for (const k of Object.keys(obj)) {
    if (!ok.has(k)) throw new ValueError(op, `unknown ${what} '${k}' (known: ${known.join(', ')})`);
  }
}

/** One entry of an options spec: a number spec, a list of allowed strings, or a kind. */
export type OptionSpec = NumberSpec | readonly string[] | 'boolean' | 'function' | 'object';

/**
 * Validates an options object from a declarative spec: it must be a plain object, every key must
 * appear in `spec`, and every present (non-undefined) value must match its entry.
 *
 * ```ts
 * checkOptions('Adam', opts, { lr: { gt: 0 }, eps: { gt: 0 }, decoupled: 'boolean' });
 * ```
 */
export function checkOptions(
  op: string,
  opts: unknown,
  spec: Readonly<Record<string, OptionSpec>>,
  what = 'option',
): void {
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) {
    throw new ValueError(op, `the ${what}s must be an object, got ${describe(opts)}`);
  }
  checkKeys(op, opts, Object.keys(spec), what);
  for (const [k, s] of Object.entries(spec)) {
    const v = (opts as Record<string, unknown>)[k];
    if (v === undefined) continue;
    if (Array.isArray(s)) checkOneOf(op, k, v, s as readonly string[]);
    else if (s === 'boolean' || s === 'function' || s === 'object') {
      const ok = s === 'object' ? typeof v === 'object' && v !== null : typeof v === s;
      if (!ok) throw new ValueError(op, `${k} must be ${s === 'object' ? 'an object' : `a ${s}`}, got ${describe(v)}`);
    } else checkNumber(op, k, v, s as NumberSpec);
  }
}

/**
 * Default cap on the number of elements of one tensor: 2^28 float64 values (2 GiB). Above it a
 * request is refused with a ShapeError naming the operation and the element count, instead of a
 * raw RangeError from the engine or an allocation that exhausts the machine.
 */
export const DEFAULT_MAX_ELEMENTS = 2 ** 28;
let maxElements = DEFAULT_MAX_ELEMENTS;

/**
 * The current cap on the elements of one tensor (see `setMaxElements`).
 *
 * @example
 * ```ts
 * getMaxElements(); // → 268435456 (2^28 float64 values, 2 GiB) unless raised
 * ```
 */
export function getMaxElements(): number {
  return maxElements;
}

/**
 * Raises (or lowers) the cap on the elements of one tensor; returns the previous cap. The engine
 * itself refuses typed arrays above 2^32 elements, so larger caps are clamped there.
 *
 * @example
 * ```ts
 * const previous = setMaxElements(1000);
 * try {
 *   zeros([100, 100]); // 10000 elements: refused before any allocation
 * } catch (e) {
 *   (e as ShapeError).message;
 *   // → 'zeros: the result would hold 10000 elements (0.0000745 GiB), above the limit of 1000 elements;
 *   //    setMaxElements(n) raises the limit [shapes (100, 100)]'
 * } finally {
 *   setMaxElements(previous); // restore the default
 * }
 * ```
 */
export function setMaxElements(n: number): number {
  checkInt('setMaxElements', 'n', n, 1);
  const prev = maxElements;
  maxElements = Math.min(n, 2 ** 32);
  return prev;
}

/** Throws a ShapeError naming `op` when `count` elements exceed the cap; returns `count`. */
export function checkElements(op: string, count: number, shape?: readonly number[]): number {
  if (count > maxElements) {
    throw new ShapeError(
      op,
      `the result would hold ${count} elements (${((count * 8) / 2 ** 30).toPrecision(3)} GiB), ` +
        `above the limit of ${maxElements} elements; setMaxElements(n) raises the limit`,
      shape ? [shape] : [],
    );
  }
  return count;
}
