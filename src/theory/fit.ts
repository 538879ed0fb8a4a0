/**
 * Rate fits with confidence intervals: `y = a x^(−p)` (log–log OLS), `y = a x^(−p) + c`
 * (variable projection + Levenberg–Marquardt), and the exponential analogues `y = a e^(−λx) (+ c)`.
 * Confidence intervals come from a seeded residual bootstrap (Efron & Tibshirani 1993, §9.5),
 * with residuals inflated by `√(n/(n−k))` to undo the shrinkage of fitted residuals.
 *
 * Legend: `t` the regressor (`ln x` for a power law, `x` for an exponential); the model is
 * `a e^(−p t) + c`, so both families share one solver.
 */
import { ValueError } from '../linalg/errors.js';
import { createRng } from '../linalg/random.js';
import { dampedStep, quantileSorted, sameLength, smallLstsq, toFinite } from './util.js';

/** Options of {@link fitPowerLaw} / {@link fitExponential}. */
export interface FitOptions {
  /** Fit an additive floor `c` (default false). */
  offset?: boolean;
  /** Non-negative weights of the points (default 1). The bootstrap still resamples residuals as
   * exchangeable, so weights that encode very unequal noise levels make the CIs approximate. */
  weights?: ArrayLike<number>;
  /** Bootstrap resamples for the CIs (default 500; 0 disables them, CIs are then NaN). */
  bootstrap?: number;
  /** Seed of the bootstrap (default 0). */
  seed?: number;
  /** Confidence level (default 0.95). */
  level?: number;
}

/** A fitted decay law with percentile-bootstrap confidence intervals. */
export interface FitResult {
  /** `p` (power law) or `λ` (exponential): y decays like `x^(−p)` / `e^(−λx)`. */
  exponent: number;
  /** `a`. */
  prefactor: number;
  /** `c` (0 without `offset`). */
  offset: number;
  /** Intervals at `level` for each parameter (`offset` is [0, 0] without `offset`). */
  ci95: { exponent: [number, number]; prefactor: [number, number]; offset: [number, number] };
  /** Coefficient of determination in the space of the fit (log y without offset, y with it). */
  r2: number;
  /** Residuals in the space of the fit (observed − fitted). */
  residuals: Float64Array;
  /** Number of bootstrap resamples that converged and were used. */
  bootstrapUsed: number;
}

interface Core {
  a: number;
  p: number;
  c: number;
  fitted: Float64Array;
}

/** Weighted OLS of `z = ln a − p t` (no offset). */
function fitLogLinear(t: Float64Array, z: Float64Array, w: Float64Array): Core | null {
  const sol = smallLstsq([new Float64Array(t.length).fill(1), t], z, w);
  if (!sol) return null;
  const fitted = new Float64Array(t.length);
  for (let i = 0; i < t.length; i++) fitted[i] = sol[0]! + sol[1]! * t[i]!;
  return { a: Math.exp(sol[0]!), p: -sol[1]!, c: 0, fitted };
}

/** For fixed p, the best (a, c) by linear least squares and the weighted RSS. */
function project(
  t: Float64Array,
  y: Float64Array,
  w: Float64Array,
  p: number,
): { a: number; c: number; rss: number } | null {
  const e = new Float64Array(t.length);
  for (let i = 0; i < t.length; i++) e[i] = Math.exp(-p * t[i]!);
  const sol = smallLstsq([e, new Float64Array(t.length).fill(1)], y, w);
  if (!sol) return null;
  let rss = 0;
  for (let i = 0; i < t.length; i++) rss += w[i]! * (y[i]! - sol[0]! * e[i]! - sol[1]!) ** 2;
  return { a: sol[0]!, c: sol[1]!, rss };
}

/**
 * `y = a e^(−p t) + c`: variable projection on a grid of p (each point a 2-parameter linear
 * solve), then Levenberg–Marquardt on (a, p, c) from the best grid point (Marquardt 1963;
 * damping ×10 / ÷10, stop on relative RSS change 1e-14 or 200 iterations).
 */
function fitWithOffset(t: Float64Array, y: Float64Array, w: Float64Array, start?: Core): Core | null {
  const n = t.length;
  let tmin = Infinity,
    tmax = -Infinity;
  for (const v of t) {
    tmin = Math.min(tmin, v);
    tmax = Math.max(tmax, v);
  }
  const span = Math.max(tmax - tmin, 1e-12);
  // phase 1: initial guess by a grid in p (scaled to the data's t range)
  let best: { a: number; c: number; rss: number; p: number } | null = null;
  if (start) best = { a: start.a, c: start.c, p: start.p, rss: Infinity };
  else {
    for (let g = -40; g <= 120; g++) {
      const p = (g * 0.1) / span;
      const pr = project(t, y, w, p);
      if (pr && (best === null || pr.rss < best.rss)) best = { ...pr, p };
    }
  }
  if (!best) return null;
  // phase 2: Levenberg–Marquardt on θ = (a, p, c) with t centred at tmin for conditioning
  let a = best.a * Math.exp(-best.p * tmin),
    p = best.p,
    c = best.c,
    lambda = 1e-3;
  const resid = (A: number, P: number, C: number): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += w[i]! * (y[i]! - A * Math.exp(-P * (t[i]! - tmin)) - C) ** 2;
    return s;
  };
  let rss = resid(a, p, c);
  const J = new Float64Array(n * 3),
    r = new Float64Array(n);
  let converged = false;
  for (let it = 0; it < 200 && !converged; it++) {
    // the linearised problem at the current θ: Jacobian rows (∂/∂a, ∂/∂p, ∂/∂c) and residuals
    for (let i = 0; i < n; i++) {
      const e = Math.exp(-p * (t[i]! - tmin));
      J[3 * i] = e;
      J[3 * i + 1] = -a * (t[i]! - tmin) * e;
      J[3 * i + 2] = 1;
      r[i] = y[i]! - a * e - c;
    }
    // damped step (Marquardt scaling of the diagonal, solved by QR); raise the damping until the RSS does not grow
    let accepted = false;
    for (let tries = 0; tries < 20 && !accepted; tries++) {
      const step = dampedStep(J, r, w, 3, lambda);
      const r2 = step ? resid(a + step[0]!, p + step[1]!, c + step[2]!) : Infinity;
      if (step && r2 <= rss) {
        converged = rss - r2 <= 1e-14 * Math.max(rss, 1e-300);
        a += step[0]!;
        p += step[1]!;
        c += step[2]!;
        rss = r2;
        lambda = Math.max(lambda / 10, 1e-12);
        accepted = true;
      } else lambda *= 10;
    }
    if (!accepted) break; // no descent direction left: at a minimum to working precision
  }
  if (!Number.isFinite(rss)) return null;
  const fitted = new Float64Array(n);
  for (let i = 0; i < n; i++) fitted[i] = a * Math.exp(-p * (t[i]! - tmin)) + c;
  return { a: a * Math.exp(p * tmin), p, c, fitted };
}

function r2Of(obs: Float64Array, fitted: Float64Array, w: Float64Array): number {
  let sw = 0,
    mean = 0;
  for (let i = 0; i < obs.length; i++) {
    sw += w[i]!;
    mean += w[i]! * obs[i]!;
  }
  mean /= sw;
  let ssr = 0,
    sst = 0;
  for (let i = 0; i < obs.length; i++) {
    ssr += w[i]! * (obs[i]! - fitted[i]!) ** 2;
    sst += w[i]! * (obs[i]! - mean) ** 2;
  }
  return sst > 0 ? 1 - ssr / sst : ssr === 0 ? 1 : 0;
}

/** True when the fitted curve varies by at most 1e-12·max|y| over the data (the decay term is invisible). */
function flatFit(fitted: Float64Array, y: Float64Array): boolean {
  let lo = Infinity,
    hi = -Infinity,
    big = 0;
  for (let i = 0; i < y.length; i++) {
    lo = Math.min(lo, fitted[i]!);
    hi = Math.max(hi, fitted[i]!);
    big = Math.max(big, Math.abs(y[i]!));
  }
  return !(hi - lo > 1e-12 * big);
}

/** The shared driver: validation, the point fit, and the residual bootstrap. */
function fitDecay(op: string, t: Float64Array, y: Float64Array, opts: FitOptions): FitResult {
  const n = t.length;
  const offset = opts.offset ?? false;
  const k = offset ? 3 : 2;
  if (n < k + 1) throw new ValueError(op, `need at least ${k + 1} points for a ${k}-parameter fit, got ${n}`);
  const w = opts.weights === undefined ? new Float64Array(n).fill(1) : toFinite(op, 'weights', opts.weights);
  sameLength(op, t, w, 'x', 'weights');
  for (let i = 0; i < n; i++)
    if (w[i]! < 0) throw new ValueError(op, `weights must be >= 0, got ${w[i]} at index ${i}`);
  let positive = 0;
  for (let i = 0; i < n; i++) if (w[i]! > 0) positive++;
  if (positive < k + 1)
    throw new ValueError(
      op,
      `need at least ${k + 1} points with a positive weight for a ${k}-parameter fit, got ${positive}`,
    );
  if (!offset)
    for (let i = 0; i < n; i++)
      if (!(y[i]! > 0))
        throw new ValueError(
          op,
          `y must be > 0 for a fit in log space (use offset: true for data with a floor), got ${y[i]} at index ${i}`,
        );
  const obs = offset ? y : y.map(Math.log);
  const fitOnce = (yy: Float64Array, start?: Core): Core | null =>
    offset ? fitWithOffset(t, yy, w, start) : fitLogLinear(t, yy, w);
  const core = fitOnce(obs);
  if (!core) throw new ValueError(op, 'the fit is singular: the x values must not all coincide');
  if (offset && flatFit(core.fitted, obs)) {
    throw new ValueError(
      op,
      'the data are flat: with offset: true, a = 0 fits and any exponent does equally well ' + '(not identifiable)',
    );
  }
  const residuals = new Float64Array(n);
  for (let i = 0; i < n; i++) residuals[i] = obs[i]! - core.fitted[i]!;
  // residual bootstrap: y* = fitted + inflated residual drawn with replacement; refit; percentile CIs
  const B = opts.bootstrap ?? 500;
  if (!Number.isSafeInteger(B) || B < 0) throw new ValueError(op, `bootstrap must be a non-negative integer, got ${B}`);
  const level = opts.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new ValueError(op, `level must lie in (0, 1), got ${level}`);
  const rng = createRng(opts.seed ?? 0);
  const infl = Math.sqrt(n / (n - k));
  const ps: number[] = [],
    as: number[] = [],
    cs: number[] = [];
  const yb = new Float64Array(n);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < n; i++) yb[i] = core.fitted[i]! + infl * residuals[rng.int(n)]!;
    const cb = fitOnce(yb, core);
    if (!cb || !Number.isFinite(cb.p) || !Number.isFinite(cb.a)) continue;
    ps.push(cb.p);
    as.push(cb.a);
    cs.push(cb.c);
  }
  const ci = (v: number[]): [number, number] => {
    if (v.length === 0) return [NaN, NaN];
    const s = Float64Array.from(v).sort();
    return [quantileSorted(s, (1 - level) / 2), quantileSorted(s, (1 + level) / 2)];
  };
  return {
    exponent: core.p,
    prefactor: core.a,
    offset: core.c,
    ci95: { exponent: ci(ps), prefactor: ci(as), offset: offset ? ci(cs) : [0, 0] },
    r2: r2Of(obs, core.fitted, w),
    residuals,
    bootstrapUsed: ps.length,
  };
}

/**
 * Fits `y = a x^(−p)` (OLS of `ln y` on `ln x`) or, with `offset`, `y = a x^(−p) + c` (variable
 * projection + Levenberg–Marquardt in linear space), with seeded residual-bootstrap CIs. Used to
 * compare measured error-vs-`m_h` slopes with the theory's `2α − 1` (PAPER.md §3, §6).
 * Needs `x > 0` and, without offset, `y > 0` (ValueError); finite data (NonFiniteError).
 *
 * @example
 * ```ts
 * const fit = fitPowerLaw([1, 2, 4, 8], [1, 0.5, 0.25, 0.125]);   // exponent ≈ 1
 * ```
 */
export function fitPowerLaw(x: ArrayLike<number>, y: ArrayLike<number>, opts: FitOptions = {}): FitResult {
  const op = 'fitPowerLaw';
  const xs = toFinite(op, 'x', x),
    ys = toFinite(op, 'y', y);
  sameLength(op, xs, ys);
  for (let i = 0; i < xs.length; i++)
    if (!(xs[i]! > 0)) throw new ValueError(op, `x must be > 0 for a log–log fit, got ${xs[i]} at index ${i}`);
  return fitDecay(op, xs.map(Math.log), ys, opts);
}

/**
 * Fits `y = a e^(−λx)` (OLS of `ln y` on `x`) or `y = a e^(−λx) + c` (LM), with seeded
 * residual-bootstrap CIs; `exponent` is λ. For exponentially decaying spectra and memories.
 *
 * @example
 * ```ts
 * const x = [0, 1, 2, 3, 4, 5];
 * const y = x.map((t) => 2 * Math.exp(-0.5 * t) * (1 + 0.01 * (-1) ** t)); // ±1 % noise
 * const fit = fitExponential(x, y, { bootstrap: 100 });
 * [fit.exponent, fit.prefactor]; // ≈ [0.5017, 2.008]
 * fit.ci95.exponent; // ≈ [0.4961, 0.5065]
 * // with a floor: y = e^(−x) + 0.1
 * const floor = fitExponential(x, x.map((t) => Math.exp(-t) + 0.1), { offset: true, bootstrap: 0 });
 * [floor.exponent, floor.offset]; // ≈ [1, 0.1]
 * ```
 */
export function fitExponential(x: ArrayLike<number>, y: ArrayLike<number>, opts: FitOptions = {}): FitResult {
  const op = 'fitExponential';
  const xs = toFinite(op, 'x', x),
    ys = toFinite(op, 'y', y);
  sameLength(op, xs, ys);
  return fitDecay(op, xs, ys, opts);
}
