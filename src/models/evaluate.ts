/**
 * Error measures of a sequence model against a target, in the norm the theory states them
 * (Jiang & Li 2024, Thm. 4.2; PAPER.md §3): the L¹ error `E_x Σ_t |H_t(x) − Ĥ_t(x)|` with x ~ U([0,1]^{τ×d})
 * i.i.d. tokens, estimated by seeded Monte Carlo with a normal-approximation confidence interval,
 * and the MSE `E_x (1/τ) Σ_t (H_t − Ĥ_t)²` beside it. Takes plain callables (anything with
 * `forward` or `evaluate`, or a function), so models never import theory.
 *
 * Shape legend: B batch, T = τ tokens, d token width.
 */
import { createRng, noGrad, NonFiniteError, ShapeError, ValueError, fmtShape, type Tensor } from '../linalg/index.js';

/** A sequence map `x (B, τ, d) → y (B, τ)`: a model (`forward`), a target (`evaluate`) or a function. */
export type SequenceMap = ((x: Tensor) => Tensor) | { forward(x: Tensor): Tensor } | { evaluate(x: Tensor): Tensor };

/** Options of {@link evaluateErrors}. */
export interface EvaluateErrorsOptions {
  /** Sequence length τ. */
  tau: number;
  /** Token dimension (default 1). */
  d?: number;
  /** Monte-Carlo sequences (≥ 2, for a standard error). */
  samples: number;
  /** Seed of the inputs. */
  seed: number;
  /** Sequences per forward call (default 256). */
  batchSize?: number;
  /** Confidence level of the interval (default 0.95). */
  confidence?: number;
}

/** A Monte-Carlo estimate of a mean with its standard error and confidence interval. */
export interface ErrorEstimate {
  mean: number;
  /** `sd / √samples` (sample standard deviation). */
  stderr: number;
  /** `mean − z·stderr` (normal approximation, z the two-sided quantile of `confidence`). */
  ciLow: number;
  /** `mean + z·stderr`: compare a bound with this (bound ≥ ciHigh). */
  ciHigh: number;
}

/** Result of {@link evaluateErrors}: every setting it used and both error measures. */
export interface EvaluateErrorsResult {
  /** `E_x Σ_t |H_t − Ĥ_t|`, the theorem's left-hand side. */
  l1: ErrorEstimate;
  /** `E_x (1/τ) Σ_t (H_t − Ĥ_t)²`. */
  mse: ErrorEstimate;
  tau: number;
  d: number;
  samples: number;
  seed: number;
  batchSize: number;
  confidence: number;
  /** The z value used for the intervals. */
  z: number;
}

// Acklam's coefficients: central region numerator a, denominator b; tails numerator c, denominator e
const A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
  2.506628277459239,
];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const E = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/** Horner evaluation of `Σ_i c_i x^(n−1−i)`, highest degree first. */
const horner = (c: readonly number[], x: number): number => c.reduce((acc, v) => acc * x + v, 0);

/**
 * `Φ⁻¹(p)` by Acklam's rational approximation (relative error < 1.2e-9), p ∈ (0, 1).
 *
 * @example
 * ```ts
 * normalQuantile(0.975); // ≈ 1.959964: the z of a two-sided 95% interval
 * normalQuantile(0.5);   // → 0
 * normalQuantile(0.001); // ≈ -3.090232
 * ```
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new ValueError('normalQuantile', `p must lie in (0, 1), got ${p}`);
  const tail = (q: number): number => horner(C, q) / (horner(E, q) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5,
    r = q * q;
  return (horner(A, r) * q) / (horner(B, r) * r + 1);
}

function apply(op: string, what: string, fn: SequenceMap, x: Tensor): Tensor {
  if (typeof fn === 'function') return fn(x);
  if ('forward' in fn && typeof fn.forward === 'function') return fn.forward(x);
  if ('evaluate' in fn && typeof fn.evaluate === 'function') return fn.evaluate(x);
  throw new ValueError(op, `${what} must be a function or have a forward(x) or evaluate(x) method`);
}

function checkPositiveInt(op: string, what: string, v: number, min: number): number {
  if (!Number.isSafeInteger(v) || v < min) throw new ValueError(op, `${what} must be an integer >= ${min}, got ${v}`);
  return v;
}

/** Mean, stderr and normal-approximation CI of per-sequence values (Welford's running moments). */
function estimate(sum: { n: number; mean: number; m2: number }, z: number): ErrorEstimate {
  const stderr = Math.sqrt(sum.m2 / (sum.n - 1) / sum.n);
  return { mean: sum.mean, stderr, ciLow: sum.mean - z * stderr, ciHigh: sum.mean + z * stderr };
}

/**
 * Measures `E_x Σ_t |H_t(x) − Ĥ_t(x)|` (L¹, the left-hand side of Thm. 4.2) and the MSE of `model`
 * against `target` on `samples` seeded sequences x ~ U([0,1]^{τ×d}), in batches. Both must map
 * `(B, τ, d)` to `(B, τ)`; a different output shape is a ShapeError naming both, a NaN/Inf output a
 * NonFiniteError. The interval is `mean ± z·stderr` (central limit theorem; the per-sequence errors
 * are bounded for bounded targets, so it is accurate for a few hundred samples).
 *
 * @example
 * ```ts
 * // target H_t(x) = x(t), model Ĥ_t = ½: exactly E Σ_t |x(t) − ½| = τ/4 and E (x(t) − ½)² = 1/12
 * const target = (x: Tensor) => reshape(x, [x.shape[0]!, x.shape[1]!]); // (B, τ, 1) → (B, τ)
 * const model = (x: Tensor) => full([x.shape[0]!, x.shape[1]!], 0.5);
 * const r = evaluateErrors(model, target, { tau: 8, samples: 1000, seed: 0 });
 * r.l1.mean;                 // ≈ 2.0127 (exactly τ/4 = 2)
 * [r.l1.ciLow, r.l1.ciHigh]; // ≈ [1.9881, 2.0373]: the 95% interval holds 2
 * r.mse.mean;                // ≈ 0.0842 (exactly 1/12 ≈ 0.0833)
 * // any model with forward(x) works, e.g. an untrained Transformer
 * const m = new Transformer({ d: 1, n: 4, mh: 1, mv: 2, ffnWidth: 4, ffnDepth: 1, positionEncoding: 'none' });
 * evaluateErrors(m, target, { tau: 8, samples: 64, seed: 0 }).l1.mean; // ≈ 2.3643
 * ```
 */
export function evaluateErrors(
  model: SequenceMap,
  target: SequenceMap,
  opts: EvaluateErrorsOptions,
): EvaluateErrorsResult {
  const op = 'evaluateErrors';
  const tau = checkPositiveInt(op, 'tau', opts.tau, 1),
    d = checkPositiveInt(op, 'd', opts.d ?? 1, 1);
  const samples = checkPositiveInt(op, 'samples', opts.samples, 2);
  const batchSize = checkPositiveInt(op, 'batchSize', opts.batchSize ?? 256, 1);
  if (!Number.isSafeInteger(opts.seed)) throw new ValueError(op, `seed must be an integer, got ${opts.seed}`);
  const confidence = opts.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) throw new ValueError(op, `confidence must lie in (0, 1), got ${confidence}`);
  const z = normalQuantile((1 + confidence) / 2);
  const rng = createRng(opts.seed);
  const l1 = { n: 0, mean: 0, m2: 0 },
    sq = { n: 0, mean: 0, m2: 0 };
  const push = (acc: typeof l1, v: number): void => {
    acc.n++;
    const dv = v - acc.mean;
    acc.mean += dv / acc.n;
    acc.m2 += dv * (v - acc.mean);
  };
  noGrad(() => {
    for (let done = 0; done < samples; done += batchSize) {
      const B = Math.min(batchSize, samples - done);
      const x: Tensor = { data: new Float64Array(B * tau * d), shape: [B, tau, d] };
      for (let i = 0; i < x.data.length; i++) x.data[i] = rng.uniform();
      const y = apply(op, 'target', target, x),
        yh = apply(op, 'model', model, x);
      for (const [name, t] of [
        ['target', y],
        ['model', yh],
      ] as const) {
        if (t.shape.length !== 2 || t.shape[0] !== B || t.shape[1] !== tau) {
          throw new ShapeError(
            op,
            `the ${name} must map x ${fmtShape(x.shape)} to (B, τ) = ${fmtShape([B, tau])}, ` +
              `got ${fmtShape(t.shape)} (target ${fmtShape(y.shape)}, model ${fmtShape(yh.shape)})`,
            [y.shape, yh.shape],
          );
        }
      }
      for (let b = 0; b < B; b++) {
        let a = 0,
          s = 0;
        for (let t = 0; t < tau; t++) {
          const i = b * tau + t,
            e = y.data[i]! - yh.data[i]!;
          if (!Number.isFinite(e)) {
            const modelBad = Number.isFinite(y.data[i]!);
            const bad = modelBad
              ? (['the model output', yh.data[i]!] as const)
              : (['the target output', y.data[i]!] as const);
            throw new NonFiniteError(op, bad[0], i, bad[1]);
          }
          a += Math.abs(e);
          s += e * e;
        }
        push(l1, a);
        push(sq, s / tau);
      }
    }
  });
  return { l1: estimate(l1, z), mse: estimate(sq, z), tau, d, samples, seed: opts.seed, batchSize, confidence, z };
}
