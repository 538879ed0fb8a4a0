/**
 * Shared machinery of the linear-memory experiments (Tables 2 and 3 of Jiang & Li 2024): the
 * RNN and Transformer fitted to a (possibly altered) target `H_t(x) = Σ_{s≤t} ρ(s) x(t−s)` on
 * x ~ U[0,1]^τ, and the exact shift-register RNN (PAPER.md §6: a linear RNN with hidden ≥ τ
 * represents any causal convolution of length τ exactly).
 */
import { createRng, rand, type Tensor } from '../linalg/index.js';
import { LinearRNN, Transformer } from '../models/index.js';
import type { Target } from '../theory/index.js';
import { fitRegression, testMse, type FitBudget } from './fit.js';
import { pointSeed, type Config } from './types.js';

/** Config fields shared by Tables 2 and 3. */
/**
 * The quick presets' Transformer for Tables 2 and 3: FFN width 16 depth 1 with an L-BFGS-heavy
 * budget — measured 3–4× cheaper per point than width 32 / depth 2 with Adam, at equal or lower error.
 */
export const QUICK_TRANSFORMER = {
  n: 16,
  mh: 8,
  mv: 16,
  ffnWidth: 16,
  ffnDepth: 1,
  positionEncoding: 'learned',
  peDim: 8,
  activation: 'tanh',
} as const;

/** The tiny presets' shared sizes and budgets for Tables 2 and 3 (a smoke test: seconds). */
export const TINY_MEMORY = {
  tau: 12,
  trainSize: 16,
  testSize: 32,
  seeds: 1,
  rnn: { hidden: 12, initRadius: 0.9 },
  transformer: { ...QUICK_TRANSFORMER, n: 8, mh: 4, mv: 8, ffnWidth: 8, ffnDepth: 1, peDim: 4 },
  fitRnn: { adamSteps: 5, lr: 1e-2, lbfgsIter: 10, gtol: 1e-12 },
  fitTransformer: { adamSteps: 5, lr: 3e-3, lbfgsIter: 5, gtol: 1e-10 },
} as const;

/** The quick presets' shared sizes and budgets for Tables 2 and 3. */
export const QUICK_MEMORY = {
  tau: 32,
  trainSize: 32,
  testSize: 128,
  seeds: 3,
  rnn: { hidden: 32, initRadius: 0.9 },
  transformer: QUICK_TRANSFORMER,
  fitRnn: { adamSteps: 40, lr: 1e-2, lbfgsIter: 120, gtol: 1e-12 },
  fitTransformer: { adamSteps: 10, lr: 5e-3, lbfgsIter: 250, gtol: 1e-10 },
} as const;

/**
 * The standard presets' Transformer for Tables 2 and 3: quick's sizes with the fixed sinusoidal encoding, which the
 * optimiser uses far better than a learned one on these relative-position memories (see the standard presets).
 */
export const STANDARD_TRANSFORMER = { ...QUICK_TRANSFORMER, positionEncoding: 'sinusoidal', peDim: 16 } as const;

/** The standard presets' L-BFGS stop: the training loss fell by less than 5% over the last 200 iterations. */
export const STANDARD_PLATEAU = { window: 200, rtol: 0.05 } as const;

/**
 * The full presets' shared sizes and budgets for Tables 2 and 3: the paper's Transformer
 * (n = m_v = m_h = 32, FFN width 64 depth 2), a 64-unit linear RNN, 5 seeds.
 */
export const FULL_MEMORY = {
  trainSize: 256,
  testSize: 1024,
  seeds: 5,
  rnn: { hidden: 64, initRadius: 0.9 },
  transformer: {
    n: 32,
    mh: 32,
    mv: 32,
    ffnWidth: 64,
    ffnDepth: 2,
    positionEncoding: 'learned',
    peDim: 16,
    activation: 'tanh',
  },
  fitRnn: { adamSteps: 500, lr: 3e-3, lbfgsIter: 1000, gtol: 1e-12 },
  fitTransformer: { adamSteps: 500, lr: 3e-3, lbfgsIter: 500, gtol: 1e-10 },
} as const;

export type MemoryConfig = Config & {
  tau: number;
  trainSize: number;
  testSize: number;
  /** Replicate seeds: seed … seed+seeds−1. */
  seeds: number;
  rnn: { hidden: number; initRadius: number };
  transformer: {
    n: number;
    mh: number;
    mv: number;
    ffnWidth: number;
    ffnDepth: number;
    positionEncoding: string;
    peDim: number;
    activation: string;
  };
  fitRnn: FitBudget;
  fitTransformer: FitBudget;
};

/**
 * An upper bound on the rank of the Transformer's τ×τ attention logits q_tᵀk_s, whatever its weights:
 * q = W_Q ĥ and k = W_K ĥ have no bias, and ĥ_t ∈ R^n is the FFN's affine output of a hidden layer of
 * `ffnWidth` units (of the d + peDim inputs when ffnDepth = 0), so the logits have rank at most
 * min(m_h, n, ffnWidth + 1). Below τ the attention cannot take every τ×τ logit pattern.
 *
 * @example
 * ```ts
 * logitRankBound({ n: 16, mh: 8, ffnWidth: 16, ffnDepth: 1, peDim: 16 }); // → 8
 * logitRankBound({ n: 32, mh: 32, ffnWidth: 16, ffnDepth: 1, peDim: 16 }); // → 17 (the FFN's width limits it)
 * logitRankBound({ n: 32, mh: 32, ffnWidth: 32, ffnDepth: 1, peDim: 16 }); // → 32
 * ```
 */
export function logitRankBound(
  t: Pick<MemoryConfig['transformer'], 'n' | 'mh' | 'ffnWidth' | 'ffnDepth' | 'peDim'>,
  d = 1,
): number {
  return Math.min(t.mh, t.n, (t.ffnDepth >= 1 ? t.ffnWidth : d + t.peDim) + 1);
}

/**
 * Result of one trained model on one target: training and test MSE, the test target's variance,
 * and fitRegression's diagnostics (losses at start and after Adam, gradient norm, L-BFGS iterations
 * and stop reason); an RNN also records the spectral radius of its trained W.
 */
export type MemoryFitResult = {
  trainMse: number;
  testMse: number;
  targetVariance: number;
  initialLoss: number;
  adamLoss: number;
  gradNorm: number;
  lbfgsIterations: number;
  lbfgsReason: string;
  /** RNN points only. */
  spectralRadius?: number;
};

/** Result of the exact shift-register RNN (no training): its test MSE. */
export type ShiftRegisterResult = { testMse: number };

/** U[0,1] sequences (n, τ, 1) from a labelled seed. */
export function memoryInputs(seed: number, n: number, tau: number, label: string): Tensor {
  return rand(createRng(pointSeed(seed, 'inputs', label)), [n, tau, 1]);
}

/** Variance of all entries of y. */
export function variance(y: Tensor): number {
  let m = 0,
    v = 0;
  for (const a of y.data) m += a / y.data.length;
  for (const a of y.data) v += (a - m) ** 2 / y.data.length;
  return v;
}

/**
 * Fits the named model to `target` on seeded data; returns train/test MSE, the target variance
 * and optimiser diagnostics. The data depend on (seed, dataLabel) only, so both models and
 * every alteration of one seed see the same input sequences.
 */
export function fitMemoryModel(
  c: MemoryConfig,
  model: 'rnn' | 'transformer',
  target: Target,
  seed: number,
  dataLabel: string,
): MemoryFitResult {
  const x = memoryInputs(seed, c.trainSize, c.tau, `train-${dataLabel}`);
  const xt = memoryInputs(seed, c.testSize, c.tau, `test-${dataLabel}`);
  const y = target.evaluate(x),
    yt = target.evaluate(xt);
  const init = pointSeed(seed, 'init', model, dataLabel);
  const t = c.transformer;
  const m =
    model === 'rnn'
      ? new LinearRNN({ d: 1, hidden: c.rnn.hidden, initRadius: c.rnn.initRadius }, { seed: init })
      : new Transformer(
          {
            d: 1,
            n: t.n,
            mh: t.mh,
            mv: t.mv,
            ffnWidth: t.ffnWidth,
            ffnDepth: t.ffnDepth,
            positionEncoding: t.positionEncoding as 'learned' | 'sinusoidal',
            tau: c.tau,
            peDim: t.peDim,
            activation: t.activation as 'tanh',
          },
          { seed: init },
        );
  const rep = fitRegression(m, x, y, model === 'rnn' ? c.fitRnn : c.fitTransformer);
  const out: MemoryFitResult = {
    trainMse: rep.finalLoss,
    testMse: testMse(m, xt, yt),
    targetVariance: variance(yt),
    initialLoss: rep.initialLoss,
    adamLoss: rep.adamLoss,
    gradNorm: rep.gradNorm,
    lbfgsIterations: rep.lbfgsIterations,
    lbfgsReason: rep.lbfgsReason,
  };
  if (m instanceof LinearRNN) out.spectralRadius = m.spectralRadius();
  return out;
}

/**
 * The exact shift-register linear RNN for the causal memory `rho` (length ≤ hidden):
 * `W` = down-shift, `U = e_1`, `c = ρ`, so `h(t) = (x(t), x(t−1), …)` and `cᵀh(t) = Σ_s ρ(s) x(t−s)`.
 *
 * @example
 * ```ts
 * const rnn = shiftRegisterRnn([1, 0.5, 0.25], 4);
 * rnn.forward(tensor([[[1], [0], [0], [0], [0]]])).data; // → [1, 0.5, 0.25, 0, 0] (the impulse response is ρ)
 * rnn.spectralRadius(); // → 0 (nilpotent: the memory ends after `hidden` steps)
 * ```
 */
export function shiftRegisterRnn(rho: ArrayLike<number>, hidden: number): LinearRNN {
  const m = new LinearRNN({ d: 1, hidden }, { seed: 0 });
  const W = new Float64Array(hidden * hidden),
    U = new Float64Array(hidden),
    cv = new Float64Array(hidden);
  for (let i = 1; i < hidden; i++) W[i * hidden + (i - 1)] = 1;
  U[0] = 1;
  for (let s = 0; s < Math.min(rho.length, hidden); s++) cv[s] = rho[s]!;
  m.params = {
    ...m.params,
    W: { data: W, shape: [hidden, hidden] },
    U: { data: U, shape: [hidden, 1] },
    c: { data: cv, shape: [hidden, 1] },
  };
  return m;
}

/** Test MSE of the exact shift-register RNN on `target` (seeded test data). */
export function shiftRegisterMse(
  c: MemoryConfig,
  rho: ArrayLike<number>,
  target: Target,
  seed: number,
  dataLabel: string,
): number {
  const xt = memoryInputs(seed, c.testSize, c.tau, `test-${dataLabel}`);
  return testMse(shiftRegisterRnn(rho, Math.max(c.rnn.hidden, rho.length)), xt, target.evaluate(xt));
}

/** Replicate seeds of a config. */
export function replicateSeeds(c: { seed: number; seeds: number }): number[] {
  return Array.from({ length: c.seeds }, (_, i) => c.seed + i);
}
