/**
 * Full-batch L-BFGS (Nocedal & Wright, Numerical Optimization, 2nd ed., Algorithm 7.4/7.5:
 * two-loop recursion with H0 = γI, γ = sᵀy / yᵀy) with a line search satisfying the strong Wolfe
 * conditions (Algorithm 3.5, with `zoom` = Algorithm 3.6 using the safeguarded cubic interpolation
 * of eq. 3.59), on flat Float64Arrays.
 *
 * Legend: x iterate, f value, g gradient, p search direction, α step length,
 * φ(α) = f(x + αp), φ'(α) = g(x + αp)ᵀp, c1/c2 the Wolfe constants (1e-4 / 0.9).
 *
 * In float64 this is what drives a smooth training loss to its true minimum (gradient norms of
 * 1e-8 and below), which first-order methods cannot do in reasonable time.
 */
import { NonFiniteError, ShapeError, ValueError } from '../../linalg/index.js';
import { checkOptions, describe, type OptionSpec } from '../../linalg/validate.js';

/** Objective: value and gradient at `x` (the gradient array may be fresh or reused by the caller). */
export type ValueGradFn = (x: Float64Array) => { f: number; g: Float64Array };

/** L-BFGS options. */
export interface LbfgsOptions {
  /** Maximum number of iterations (line searches), default 100. */
  maxIter?: number;
  /** Stop when ‖g‖₂ ≤ gtol (default 1e-8). */
  gtol?: number;
  /** Stop when the relative decrease (f_prev − f) / max(|f_prev|, |f|, 1) ≤ ftol (default 0: off). */
  ftol?: number;
  /**
   * Stop on a plateau: after iteration k ≥ `window`, when the decrease over the last `window` iterations is at most
   * `rtol` times the current value, `f_{k−window} − f_k ≤ rtol·|f_k|` (reason `'plateau'`). Scale-free, so it suits
   * losses that end far below 1, where `ftol`'s denominator max(…, 1) makes it an absolute test. Default: off.
   */
  plateau?: { window: number; rtol: number };
  /** Number of (s, y) pairs kept (default 10). */
  history?: number;
  /** Maximum function evaluations per line search (default 25). */
  maxLineSearch?: number;
  /** Called after every iteration with the iteration number, value and gradient norm. */
  onIter?: (info: { iteration: number; f: number; gradNorm: number; evaluations: number }) => void;
}

/** Result of `lbfgs`. */
export interface LbfgsResult {
  x: Float64Array;
  f: number;
  g: Float64Array;
  gradNorm: number;
  iterations: number;
  evaluations: number;
  reason: 'gtol' | 'ftol' | 'plateau' | 'maxIter' | 'lineSearchFailed';
}

const C1 = 1e-4,
  C2 = 0.9;

const LBFGS_SPEC: Readonly<Record<keyof LbfgsOptions, OptionSpec>> = {
  maxIter: { int: true, min: 0 },
  gtol: { min: 0 },
  ftol: { min: 0 },
  plateau: 'object',
  history: { int: true, min: 1 },
  maxLineSearch: { int: true, min: 1 },
  onIter: 'function',
};

/** The plateau option checked: `window` a positive integer, `rtol` a finite number ≥ 0 (ValueError otherwise). */
function checkPlateau(p: LbfgsOptions['plateau']): { window: number; rtol: number } | undefined {
  if (p === undefined) return undefined;
  const { window, rtol } = p as { window?: unknown; rtol?: unknown };
  if (typeof window !== 'number' || !Number.isInteger(window) || window < 1)
    throw new ValueError('lbfgs', `plateau.window must be an integer ≥ 1, got ${describe(window)}`);
  if (typeof rtol !== 'number' || !Number.isFinite(rtol) || rtol < 0)
    throw new ValueError('lbfgs', `plateau.rtol must be a finite number ≥ 0, got ${describe(rtol)}`);
  return { window, rtol };
}

/** `fg` with its answer checked: a number f and a gradient of x's length (ShapeError otherwise). */
function checkedObjective(fg: ValueGradFn, n: number): ValueGradFn {
  return (x) => {
    const r = fg(x);
    if (r === null || typeof r !== 'object' || typeof r.f !== 'number') {
      throw new ValueError(
        'lbfgs',
        `the objective must return { f: number, g: Float64Array }, got f = ` + `${describe(r?.f)}`,
      );
    }
    const len = (r.g as { length?: unknown } | undefined)?.length;
    if (len !== n) {
      const shapes = typeof len === 'number' ? [[len], [n]] : [[n]];
      throw new ShapeError('lbfgs', `the gradient has ${describe(len)} entries but x has ${n}`, shapes);
    }
    return r;
  };
}

/** ‖v‖₂ without overflow for entries up to the float64 range (scaled sum of squares). */
function norm2(v: Float64Array): number {
  let scale = 0,
    ssq = 1;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]!);
    if (a === 0 || a !== a) {
      if (a !== a) return NaN;
      continue;
    }
    if (scale < a) {
      ssq = 1 + ssq * (scale / a) ** 2;
      scale = a;
    } else ssq += (a / scale) ** 2;
  }
  return scale * Math.sqrt(ssq);
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

interface Trial {
  alpha: number;
  f: number;
  g: Float64Array;
  dphi: number;
}

/**
 * Minimiser of the cubic interpolating φ and φ' at a and b (N&W eq. 3.59), or NaN if it does
 * not exist (then the caller bisects).
 */
export function cubicMin(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - da * db;
  if (!(disc >= 0)) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - (b - a) * ((db + d2 - d1) / (db - da + 2 * d2));
}

/**
 * Strong-Wolfe line search along p from x (N&W Algorithm 3.5 + 3.6): finds α with
 * φ(α) ≤ φ(0) + c1·α·φ'(0) and |φ'(α)| ≤ c2·|φ'(0)| (c1 = 1e-4, c2 = 0.9), trying `alpha1` first and
 * doubling while bracketing. Returns the accepted trial `{ alpha, f, g, dphi }`, or the best
 * sufficient-decrease point found within `maxEvals`, or null when none was found.
 * A non-finite φ(α) is treated as "too large" (the bracket shrinks towards 0). Requires φ'(0) < 0
 * and a finite `alpha1 > 0` (ValueError otherwise: an ascent direction would "succeed" vacuously).
 */
export function strongWolfe(
  fg: ValueGradFn,
  x: Float64Array,
  p: Float64Array,
  f0: number,
  d0: number,
  alpha1: number,
  maxEvals: number,
): { trial: Trial | null; evals: number } {
  if (!(d0 < 0)) throw new ValueError('strongWolfe', `p is not a descent direction: φ'(0) = ${d0} must be < 0`);
  if (!(alpha1 > 0 && alpha1 < Infinity))
    throw new ValueError('strongWolfe', `the first trial step must be a finite number > 0, got ${alpha1}`);
  let evals = 0;
  const xt = new Float64Array(x.length);
  const evalAt = (alpha: number): Trial => {
    for (let i = 0; i < x.length; i++) xt[i] = x[i]! + alpha * p[i]!;
    const { f, g } = fg(xt);
    evals++;
    const gc = Float64Array.from(g);
    return { alpha, f, g: gc, dphi: dot(gc, p) };
  };
  // Near a minimum, f stops being resolvable in float64 long before g does: within epsF of f0 the
  // sufficient-decrease test uses Hager & Zhang's approximate Wolfe condition (SIAM J. Optim. 2005,
  // eq. 4.1: φ'(α) ≤ (1 − 2c1)|φ'(0)|), and f-comparisons inside the bracket defer to φ'.
  const epsF = 1e-12 * Math.abs(f0);
  const armijoFails = (t: Trial): boolean => {
    if (!Number.isFinite(t.f) || !Number.isFinite(t.dphi)) return true;
    if (t.f <= f0 + C1 * t.alpha * d0) return false;
    return !(Math.abs(t.f - f0) <= epsF && t.dphi <= (1 - 2 * C1) * -d0);
  };
  const noBetter = (t: Trial, ref: Trial): boolean => t.f >= ref.f && !(Math.abs(t.f - ref.f) <= epsF);
  // zoom (Algorithm 3.6): lo satisfies sufficient decrease and has the lowest f so far
  const zoom = (lo: Trial, hi: Trial): Trial | null => {
    while (evals < maxEvals) {
      const a = Math.min(lo.alpha, hi.alpha),
        b = Math.max(lo.alpha, hi.alpha),
        w = b - a;
      let alpha =
        Number.isFinite(hi.f) && Number.isFinite(hi.dphi)
          ? cubicMin(lo.alpha, lo.f, lo.dphi, hi.alpha, hi.f, hi.dphi)
          : NaN;
      if (!(alpha > a + 0.1 * w && alpha < b - 0.1 * w)) alpha = (lo.alpha + hi.alpha) / 2; // safeguard: bisect
      if (w <= 1e-16 * Math.max(1, b)) break;
      const t = evalAt(alpha);
      if (armijoFails(t) || noBetter(t, lo)) {
        hi = t;
      } else {
        if (Math.abs(t.dphi) <= -C2 * d0) return t;
        if (t.dphi * (hi.alpha - lo.alpha) >= 0) hi = lo;
        lo = t;
      }
    }
    return lo.alpha > 0 ? lo : null;
  };
  // bracketing phase (Algorithm 3.5)
  let prev: Trial = { alpha: 0, f: f0, g: new Float64Array(0), dphi: d0 };
  let alpha = alpha1;
  for (let i = 1; evals < maxEvals; i++) {
    const t = evalAt(alpha);
    if (armijoFails(t) || (i > 1 && noBetter(t, prev))) return { trial: zoom(prev, t), evals };
    if (Math.abs(t.dphi) <= -C2 * d0) return { trial: t, evals };
    if (t.dphi >= 0) return { trial: zoom(t, prev), evals };
    prev = t;
    alpha *= 2;
  }
  return { trial: prev.alpha > 0 ? prev : null, evals };
}

/**
 * Minimises a smooth function with L-BFGS and a strong-Wolfe line search.
 *
 * Throws NonFiniteError when f or g at `x0` is not finite, ValueError for invalid options. Returns the last accepted iterate with
 * the reason it stopped. Each iteration is one line search; the first tries α = min(1, 1/‖g‖),
 * later ones α = 1 (the quasi-Newton step).
 *
 * ```ts
 * const rosen = ([a = 0, b = 0]: Float64Array) => ({
 *   f: (1 - a) ** 2 + 100 * (b - a * a) ** 2,
 *   g: Float64Array.of(-2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a)),
 * });
 * const r = lbfgs(rosen, Float64Array.of(-1.2, 1), { gtol: 1e-8 }); // r.x ≈ [1, 1]
 * ```
 */
export function lbfgs(fg: ValueGradFn, x0: Float64Array, opts: LbfgsOptions = {}): LbfgsResult {
  checkOptions('lbfgs', opts, LBFGS_SPEC);
  const maxIter = opts.maxIter ?? 100,
    gtol = opts.gtol ?? 1e-8,
    ftol = opts.ftol ?? 0;
  const m = opts.history ?? 10,
    maxLs = opts.maxLineSearch ?? 25;
  const plateau = checkPlateau(opts.plateau);
  if (typeof fg !== 'function')
    throw new ValueError('lbfgs', `fg must be a function x → { f, g }, got ` + `${describe(fg)}`);
  if (!(x0 instanceof Float64Array)) throw new ValueError('lbfgs', `x0 must be a Float64Array, got ${describe(x0)}`);
  let x: Float64Array = Float64Array.from(x0);
  const checked = checkedObjective(fg, x.length);
  const first = checked(x);
  let f = first.f;
  let g: Float64Array = Float64Array.from(first.g);
  if (!Number.isFinite(f)) throw new NonFiniteError('lbfgs', 'the objective at x0', 0, f);
  for (let i = 0; i < g.length; i++)
    if (!Number.isFinite(g[i]!)) throw new NonFiniteError('lbfgs', 'the gradient at x0', i, g[i]!);
  const S: Float64Array[] = [],
    Y: Float64Array[] = [],
    RHO: number[] = [];
  let evaluations = 1,
    gnorm = norm2(g);
  const result = (iterations: number, reason: LbfgsResult['reason']): LbfgsResult => ({
    x,
    f,
    g,
    gradNorm: gnorm,
    iterations,
    evaluations,
    reason,
  });
  if (gnorm <= gtol) return result(0, 'gtol');
  // f after each of the last window + 1 iterations (index it mod window + 1), f_0 at 0
  const recent = new Float64Array(plateau ? plateau.window + 1 : 0);
  if (plateau) recent[0] = f;
  const p = new Float64Array(x.length),
    alphas = new Float64Array(m);
  for (let it = 1; it <= maxIter; it++) {
    // two-loop recursion (Algorithm 7.4): p = −H g
    p.set(g);
    for (let j = S.length - 1; j >= 0; j--) {
      const a = RHO[j]! * dot(S[j]!, p);
      alphas[j] = a;
      const y = Y[j]!;
      for (let i = 0; i < p.length; i++) p[i]! -= a * y[i]!;
    }
    const k = S.length - 1;
    const gamma = k >= 0 ? dot(S[k]!, Y[k]!) / dot(Y[k]!, Y[k]!) : 1;
    for (let i = 0; i < p.length; i++) p[i]! *= gamma;
    for (let j = 0; j < S.length; j++) {
      const b = RHO[j]! * dot(Y[j]!, p);
      const s = S[j]!,
        a = alphas[j]!;
      for (let i = 0; i < p.length; i++) p[i]! += (a - b) * s[i]!;
    }
    for (let i = 0; i < p.length; i++) p[i] = -p[i]!;
    let d0 = dot(g, p);
    if (!(d0 < 0)) {
      // not a descent direction (numerical breakdown): restart with steepest descent
      S.length = 0;
      Y.length = 0;
      RHO.length = 0;
      for (let i = 0; i < p.length; i++) p[i] = -g[i]!;
      d0 = -gnorm * gnorm;
    }
    const alpha1 = S.length === 0 ? Math.min(1, 1 / gnorm) : 1;
    // a gradient norm beyond the float64 range leaves no resolvable first step (f is unbounded below)
    if (!(alpha1 > 0) || !Number.isFinite(d0)) return result(it - 1, 'lineSearchFailed');
    const { trial, evals } = strongWolfe(checked, x, p, f, d0, alpha1, maxLs);
    evaluations += evals;
    if (!trial) return result(it - 1, 'lineSearchFailed');
    // curvature pair (s, y); skipped when sᵀy is not safely positive
    const s = new Float64Array(x.length),
      y = new Float64Array(x.length);
    const xn = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      s[i] = trial.alpha * p[i]!;
      xn[i] = x[i]! + s[i]!;
      y[i] = trial.g[i]! - g[i]!;
    }
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (S.length === m) {
        S.shift();
        Y.shift();
        RHO.shift();
      }
      S.push(s);
      Y.push(y);
      RHO.push(1 / sy);
    }
    const fPrev = f;
    x = xn;
    f = trial.f;
    g = trial.g;
    gnorm = norm2(g);
    opts.onIter?.({ iteration: it, f, gradNorm: gnorm, evaluations });
    if (gnorm <= gtol) return result(it, 'gtol');
    if (ftol > 0 && fPrev - f <= ftol * Math.max(Math.abs(fPrev), Math.abs(f), 1)) return result(it, 'ftol');
    if (plateau) {
      recent[it % (plateau.window + 1)] = f;
      if (
        it >= plateau.window &&
        recent[(it - plateau.window) % (plateau.window + 1)]! - f <= plateau.rtol * Math.abs(f)
      )
        return result(it, 'plateau');
    }
  }
  return result(maxIter, 'maxIter');
}
