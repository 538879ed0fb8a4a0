/**
 * `gradcheck`: compares the tape's derivatives of a user function with central finite differences.
 *
 * - `mode: 'dot'` (default): the dot-product test of HIPS/autograd and JAX
 *   (`jax.test_util.check_vjp`): for random directions `u` (output-shaped) and `v` (per input),
 *   `⟨Jᵀu, v⟩` from one reverse sweep against the derivative of `φ(h) = ⟨u, f(x + hv)⟩` at 0 by
 *   central differences. Cost: one backward and four forwards per input and direction; a wrong
 *   VJP entry is caught with probability 1 over the random directions.
 * - `mode: 'full'`: for tiny inputs, every Jacobian entry: rows from one reverse sweep per output
 *   element, columns from central differences per input element; reports the worst entry.
 *
 * Central differences use the fourth-order five-point stencil
 * `φ'(0) ≈ (8(φ(ε) − φ(−ε)) − (φ(2ε) − φ(−2ε))) / 12ε` (Abramowitz & Stegun 25.3.6): truncation
 * error `O(ε⁴ φ⁽⁵⁾)`, rounding error `≈ 1.5 δ/ε` with `δ` the evaluation noise of φ (a few ulps
 * of |φ|, more for long compositions). The default `ε = 1e-5` puts the rounding term near 1e-10
 * for O(1) functions and keeps the truncation term negligible even for strongly curved ones
 * (layerNorm on nearly constant rows). Why not the two-point stencil: at `ε = 1e-6` its rounding
 * term is near 1e-9, as large as the default `atol`, so directions with a small derivative would
 * fail at random with no error in the VJP.
 *
 * An entry passes when `|analytic − numeric| ≤ atol + rtol·max(|analytic|, |numeric|)`.
 * Exceptions thrown by `f` propagate.
 */
import { NonFiniteError, ValueError } from '../errors.js';
import { createRng, type Rng } from '../random.js';
import { checkTensorList, isTensor, type Tensor } from '../tensor.js';
import { describe } from '../validate.js';
import { vjpOf } from './grad.js';
import { noGrad } from './tape.js';

/** Options of {@link gradcheck}; every field has a default. */
export interface GradcheckOptions {
  /** Finite-difference step ε of the five-point stencil (default 1e-5). */
  readonly eps?: number;
  /** Relative tolerance (default 1e-6). */
  readonly rtol?: number;
  /** Absolute tolerance (default 1e-9). */
  readonly atol?: number;
  /** `'dot'` (random directions, default) or `'full'` (every Jacobian entry; tiny inputs only). */
  readonly mode?: 'dot' | 'full';
  /** Seed of the random directions (default 0). */
  readonly seed?: number;
  /** Random directions per input in `'dot'` mode (default 2). */
  readonly directions?: number;
}

/** Outcome of {@link gradcheck}: `ok` plus the largest errors and the worst comparison. */
export interface GradcheckResult {
  readonly ok: boolean;
  readonly maxAbsErr: number;
  readonly maxRelErr: number;
  /** The worst comparison: input position, and in `'full'` mode the output and input flat indices. */
  readonly worst?: { input: number; analytic: number; numeric: number; outIndex?: number; inIndex?: number };
}

function randnLike(rng: Rng, t: Tensor): Tensor {
  const d = new Float64Array(t.data.length);
  for (let i = 0; i < d.length; i++) d[i] = rng.normal();
  return { data: d, shape: t.shape };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Five-point central difference `φ'(0)` from `φ(±ε)`, `φ(±2ε)` (fourth order). */
function fivePoint(p1: number, m1: number, p2: number, m2: number, eps: number): number {
  return (8 * (p1 - m1) - (p2 - m2)) / (12 * eps);
}

/** `inputs` with input `i` replaced by `x + h·v`. */
function shifted(inputs: readonly Tensor[], i: number, v: Float64Array, h: number): Tensor[] {
  return inputs.map((t, j) => {
    if (j !== i) return t;
    const d = new Float64Array(t.data.length);
    for (let k = 0; k < d.length; k++) d[k] = t.data[k]! + h * v[k]!;
    return { data: d, shape: t.shape };
  });
}

class Tracker {
  maxAbs = 0;
  maxRel = 0;
  ok = true;
  worstExcess = -Infinity;
  worst: GradcheckResult['worst'];
  constructor(
    private readonly rtol: number,
    private readonly atol: number,
  ) {}
  see(input: number, analytic: number, numeric: number, outIndex?: number, inIndex?: number): void {
    if (analytic - analytic !== 0)
      throw new NonFiniteError('gradcheck', `the analytic derivative of input ` + `${input}`, inIndex ?? 0, analytic);
    const err = Math.abs(analytic - numeric);
    const scale = Math.max(Math.abs(analytic), Math.abs(numeric));
    const bad = !(err <= this.atol + this.rtol * scale);
    const excess = Number.isNaN(err) ? Infinity : err - (this.atol + this.rtol * scale);
    this.maxAbs = Math.max(this.maxAbs, Number.isNaN(err) ? Infinity : err);
    if (scale > 0) this.maxRel = Math.max(this.maxRel, err / scale);
    if (bad) this.ok = false;
    if (excess > this.worstExcess) {
      this.worstExcess = excess;
      this.worst = {
        input,
        analytic,
        numeric,
        ...(outIndex === undefined ? {} : { outIndex }),
        ...(inIndex === undefined ? {} : { inIndex }),
      };
    }
  }
  result(): GradcheckResult {
    return {
      ok: this.ok,
      maxAbsErr: this.maxAbs,
      maxRelErr: this.maxRel,
      ...(this.worst ? { worst: this.worst } : {}),
    };
  }
}

/** ValueErrors for options that would make every comparison NaN or silently pick the other mode. */
function checkOptions(opts: GradcheckOptions, eps: number, rtol: number, atol: number): void {
  if (!(eps > 0 && eps < Infinity)) throw new ValueError('gradcheck', `eps must be a finite number > 0, got ${eps}`);
  if (!(rtol >= 0) || !(atol >= 0))
    throw new ValueError('gradcheck', `rtol and atol must be >= 0, got ${rtol} and ${atol}`);
  if (opts.mode !== undefined && opts.mode !== 'dot' && opts.mode !== 'full')
    throw new ValueError('gradcheck', `mode must be 'dot' or 'full', got '${String(opts.mode)}'`);
  const k = opts.directions;
  if (k !== undefined && !(Number.isSafeInteger(k) && k >= 1))
    throw new ValueError('gradcheck', `directions must be a positive integer, got ${k}`);
}

/**
 * Checks the reverse-mode derivatives of `f` at `inputs` against central finite differences.
 * Never throws on a mismatch: assert `result.ok`, and read `worst` to find the bad entry. Invalid
 * options (eps ≤ 0, negative tolerances, an unknown mode, directions < 1) are ValueErrors.
 *
 * ```ts
 * const rng = createRng(0);
 * const r = gradcheck((a, b) => matmul(a, b), [randn(rng, [3, 4]), randn(rng, [4, 2])]);
 * r.ok; // → true
 * if (!r.ok) console.log(r.worst);
 * // a deliberately wrong derivative is caught: noGrad hides half of d(x²)/dx = 2x from the tape
 * const bad = gradcheck((x) => mul(x, noGrad(() => clone(x))), [randn(rng, [3])]);
 * bad.ok; // → false
 * bad.worst?.input; // → 0
 * ```
 */
export function gradcheck(
  f: (...xs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  opts: GradcheckOptions = {},
): GradcheckResult {
  if (typeof f !== 'function') throw new ValueError('gradcheck', `f must be a function of tensors, got ${describe(f)}`);
  checkTensorList('gradcheck', inputs);
  if (opts === null || typeof opts !== 'object')
    throw new ValueError('gradcheck', `opts must be an object, got ` + `${describe(opts)}`);
  const eps = opts.eps ?? 1e-5,
    rtol = opts.rtol ?? 1e-6,
    atol = opts.atol ?? 1e-9;
  checkOptions(opts, eps, rtol, atol);
  const rng = createRng(opts.seed ?? 0);
  const tr = new Tracker(rtol, atol);
  const fx = (xs: Tensor[]): Tensor => {
    const y: unknown = noGrad(() => f(...xs));
    if (!isTensor(y)) throw new ValueError('gradcheck', `f must return a Tensor, got ${describe(y)}`);
    // a NaN/Inf within ±2·eps of the point makes every difference quotient meaningless
    for (let k = 0; k < y.data.length; k++) {
      const v = y.data[k]!;
      if (v - v !== 0) {
        const note = 'finite differences are undefined there';
        throw new NonFiniteError('gradcheck', 'f near the point (within ±2·eps)', k, v, note);
      }
    }
    return y;
  };
  if (opts.mode === 'full') {
    const y0 = fx([...inputs]);
    const rows = Array.from(
      { length: y0.data.length },
      (_, o) =>
        vjpOf(f, inputs, (out) => {
          const e = new Float64Array(out.data.length);
          e[o] = 1;
          return { data: e, shape: out.shape };
        }).vjps,
    );
    inputs.forEach((x, i) => {
      for (let k = 0; k < x.data.length; k++) {
        const e = new Float64Array(x.data.length);
        e[k] = 1;
        const at = (h: number): Float64Array => fx(shifted(inputs, i, e, h)).data;
        const p1 = at(eps),
          m1 = at(-eps),
          p2 = at(2 * eps),
          m2 = at(-2 * eps);
        for (let o = 0; o < y0.data.length; o++) {
          tr.see(i, rows[o]![i]!.data[k]!, fivePoint(p1[o]!, m1[o]!, p2[o]!, m2[o]!, eps), o, k);
        }
      }
    });
    return tr.result();
  }
  for (let r = 0; r < (opts.directions ?? 2); r++) {
    let u: Tensor | undefined;
    const { vjps } = vjpOf(f, inputs, (out) => (u = randnLike(rng, out)));
    inputs.forEach((x, i) => {
      const v = randnLike(rng, x).data;
      const analytic = dot(vjps[i]!.data, v);
      const phi = (h: number): number => dot(u!.data, fx(shifted(inputs, i, v, h)).data);
      const numeric = fivePoint(phi(eps), phi(-eps), phi(2 * eps), phi(-2 * eps), eps);
      tr.see(i, analytic, numeric);
    });
  }
  return tr.result();
}
