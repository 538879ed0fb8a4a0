/**
 * Shared test setup: the `toBeAllclose` matcher.
 *
 * `expect(actual).toBeAllclose(expected, { rtol, atol })` passes when, elementwise,
 * `|a − e| ≤ atol + rtol·|e|` (numpy's allclose) and the shapes agree. On failure it reports the
 * max absolute and relative error and the flat index of the worst entry.
 */
import { expect } from 'vitest';

type Numeric = number | ArrayLike<number> | { data: Float64Array; shape: readonly number[] };

interface AllcloseOptions {
  rtol?: number;
  atol?: number;
}

function flatten(x: Numeric): { data: ArrayLike<number>; shape: readonly number[] } {
  if (typeof x === 'number') return { data: [x], shape: [] };
  if ('data' in x && (x as { data: unknown }).data instanceof Float64Array && 'shape' in x) {
    return { data: x.data, shape: (x as { shape: readonly number[] }).shape };
  }
  const a = x as ArrayLike<number>;
  return { data: a, shape: [a.length] };
}

expect.extend({
  toBeAllclose(received: Numeric, expected: Numeric, opts: AllcloseOptions = {}) {
    const rtol = opts.rtol ?? 1e-10;
    const atol = opts.atol ?? 1e-12;
    const a = flatten(received);
    const e = flatten(expected);
    const shapeOk =
      typeof received === 'number' ||
      typeof expected === 'number' ||
      !('shape' in Object(received)) ||
      !('shape' in Object(expected))
        ? a.data.length === e.data.length
        : a.shape.length === e.shape.length && a.shape.every((d, i) => d === e.shape[i]);
    if (!shapeOk) {
      return { pass: false, message: () => `shapes differ: (${a.shape.join(', ')}) vs (${e.shape.join(', ')})` };
    }
    let worst = -1,
      worstExcess = -Infinity,
      maxAbs = 0,
      maxRel = 0;
    for (let i = 0; i < e.data.length; i++) {
      const av = a.data[i]!,
        ev = e.data[i]!;
      const d = Math.abs(av - ev);
      const bad = Number.isNaN(av) !== Number.isNaN(ev) || (!(av === ev) && !(d <= atol + rtol * Math.abs(ev)));
      const excess = Number.isNaN(d) ? Infinity : d - (atol + rtol * Math.abs(ev));
      if (d > maxAbs || Number.isNaN(d)) maxAbs = d;
      const rel = d / Math.max(Math.abs(ev), Number.MIN_VALUE);
      if (rel > maxRel) maxRel = rel;
      if (bad && excess > worstExcess) {
        worstExcess = excess;
        worst = i;
      }
    }
    const pass = worst < 0;
    return {
      pass,
      message: () =>
        pass
          ? `expected arrays not to be allclose (rtol ${rtol}, atol ${atol})`
          : `not allclose (rtol ${rtol}, atol ${atol}): max abs err ${maxAbs.toExponential(3)}, max rel err ${maxRel.toExponential(3)}; worst at flat index ${worst}: got ${a.data[worst]}, expected ${e.data[worst]}`,
    };
  },
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare module 'vitest' {
  interface Matchers<T = any> {
    toBeAllclose(expected: Numeric, opts?: AllcloseOptions): T;
  }
}
