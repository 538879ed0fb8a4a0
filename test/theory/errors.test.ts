/**
 * Bad inputs give typed errors whose `op` names the function and whose message says what is
 * wrong (α ≤ 1/2, empty spectra, non-finite data, x ≤ 0 in a log–log fit, mismatched lengths,
 * shapes).
 */
import { describe, expect, it } from 'vitest';
import {
  c1,
  couplingTarget,
  fitExponential,
  fitPowerLaw,
  isCausal,
  kernelSpectrum,
  linearMemoryTarget,
  logitSpectrum,
  measures,
  mixedMemory,
  permuteTime,
  powerLawTailEnergy,
  rnnComplexity,
  tailEnergy,
  transformerBound,
} from '../../src/theory/index.js';
import { NonFiniteError, SeqrateError, ShapeError, ValueError } from '../../src/linalg/errors.js';

type Case = [string, () => unknown, new (...a: never[]) => SeqrateError, string, RegExp];
const H = couplingTarget({ spectrum: [1, 0.5] });
const cases: Case[] = [
  ['alpha = 1/2', () => c1([1], 0.5), ValueError, 'c1', /alpha must be a finite number > 1\/2/],
  ['alpha < 1/2 in measures', () => measures(H, { alpha: 0.3, beta: 0.5 }), ValueError, 'measures', /alpha/],
  ['alpha in the zeta tail', () => powerLawTailEnergy(0.5, 1), ValueError, 'powerLawTailEnergy', /alpha/],
  ['empty spectrum', () => c1([], 1), ValueError, 'c1', /spectrum is empty/],
  ['empty spectrum (tail)', () => tailEnergy([], 0), ValueError, 'tailEnergy', /empty/],
  [
    'NaN spectrum',
    () => couplingTarget({ spectrum: [1, Number.NaN] }),
    NonFiniteError,
    'couplingTarget',
    /non-finite value NaN at flat index 1/,
  ],
  [
    'x <= 0 in log-log',
    () => fitPowerLaw([1, 0, 2], [1, 1, 1]),
    ValueError,
    'fitPowerLaw',
    /x must be > 0.*got 0 at index 1/,
  ],
  ['mismatched lengths', () => fitPowerLaw([1, 2, 3], [1, 2]), ValueError, 'fitPowerLaw', /same length, got 3 and 2/],
  ['mismatched lengths (exp)', () => fitExponential([1, 2, 3], [1, 2]), ValueError, 'fitExponential', /same length/],
  [
    'non-finite y',
    () => fitPowerLaw([1, 2, 3], [1, Infinity, 2]),
    NonFiniteError,
    'fitPowerLaw',
    /y contains a non-finite value/,
  ],
  [
    'bad input rank',
    () => H.evaluate({ data: new Float64Array(4), shape: [4] }),
    ShapeError,
    'couplingTarget.evaluate',
    /\(B, tau, d\).*\(4,\)/,
  ],
  [
    'bad input d',
    () => linearMemoryTarget([1]).evaluate({ data: new Float64Array(4), shape: [1, 2, 2] }),
    ShapeError,
    'linearMemoryTarget.evaluate',
    /d = 1.*\(1, 2, 2\)/,
  ],
  [
    'permutation length',
    () => permuteTime([1, 0]).apply({ data: new Float64Array(3), shape: [1, 3, 1] }),
    ShapeError,
    'permuteTime.apply',
    /length 2.*3 time steps/,
  ],
  ['kernel NaN', () => kernelSpectrum(() => Number.NaN, { grid: 3 }), NonFiniteError, 'kernelSpectrum', /kernel/],
  [
    'bound m_h',
    () => transformerBound(measures(H, { alpha: 1, beta: 0.5 }), { tau: 2, mh: 1.5, mff: 1 }),
    ValueError,
    'transformerBound',
    /mh must be an integer/,
  ],
  ['empty memory', () => rnnComplexity([]), ValueError, 'rnnComplexity', /rho is empty/],
  ['non-finite filter', () => mixedMemory([1], [Number.NaN]), NonFiniteError, 'mixedMemory', /theta/],
  [
    'NaN input to a coupling target (was a silent NaN output)',
    () => H.evaluate({ data: Float64Array.of(0.1, Number.NaN), shape: [1, 2, 1] }),
    NonFiniteError,
    'couplingTarget.evaluate',
    /the input contains a non-finite value NaN at flat index 1/,
  ],
  [
    'Inf input to a linear target',
    () => linearMemoryTarget([1, 0.5]).evaluate({ data: Float64Array.of(Infinity, 0), shape: [1, 2, 1] }),
    NonFiniteError,
    'linearMemoryTarget.evaluate',
    /non-finite value Infinity at flat index 0/,
  ],
  [
    'logitSpectrum normalize (a misspelt mode silently meant none)',
    () => logitSpectrum([{ data: Float64Array.of(1, 0, 0, 1), shape: [2, 2] }], { normalize: 'Max' as never }),
    ValueError,
    'logitSpectrum',
    /normalize must be 'none', 'max' or 'fro', got 'Max'/,
  ],
  [
    'kernelSpectrum method',
    () => kernelSpectrum((u, v) => u * v, { method: 'Grid' as never }),
    ValueError,
    'kernelSpectrum',
    /method must be 'grid' or 'montecarlo', got 'Grid'/,
  ],
  [
    'rnnComplexity NaN decay rate (was C_1 = Infinity silently)',
    () => rnnComplexity([1, 0.5], { decayRate: Number.NaN }),
    ValueError,
    'rnnComplexity',
    /decayRate must be a number/,
  ],
  [
    'fit with zero weights (was blamed on coinciding x values)',
    () => fitPowerLaw([1, 2, 3, 4], [1, 0.5, 0.3, 0.25], { weights: [1, 1, 0, 0] }),
    ValueError,
    'fitPowerLaw',
    /need at least 3 points with a positive weight for a 2-parameter fit, got 2/,
  ],
  [
    'fit bootstrap count (NaN used to give NaN CIs silently)',
    () => fitPowerLaw([1, 2, 3, 4], [1, 0.5, 0.3, 0.25], { bootstrap: Number.NaN }),
    ValueError,
    'fitPowerLaw',
    /bootstrap must be a non-negative integer, got NaN/,
  ],
  ['causality: tau', () => isCausal(H, { tau: 0 }), ValueError, 'isCausal', /tau/],
  [
    'causality: NaN output (was a silent "not causal")',
    () =>
      isCausal(
        (x) => ({
          data: new Float64Array(x.shape[0]! * x.shape[1]!).fill(Number.NaN),
          shape: [x.shape[0]!, x.shape[1]!],
        }),
        { tau: 3 },
      ),
    NonFiniteError,
    'isCausal',
    /the target output contains a non-finite value NaN at flat index 0/,
  ],
  [
    'causality: tol',
    () => isCausal(H, { tau: 3, tol: -1 }),
    ValueError,
    'isCausal',
    /tol must be a finite number >= 0/,
  ],
];

describe('typed errors', () => {
  it.each(cases)('%s', (_name, fn, Cls, op, msg) => {
    let err: unknown;
    try {
      fn();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Cls);
    expect((err as SeqrateError).op).toBe(op);
    expect((err as Error).message.startsWith(`${op}: `)).toBe(true);
    expect((err as Error).message).toMatch(msg);
  });
});

describe('empty sequences', () => {
  it('a coupling target on tau = 0 gives an empty (B, 0) output (it used to crash on vals[0])', () => {
    const y = H.evaluate({ data: new Float64Array(0), shape: [2, 0, 1] });
    expect(y.shape).toEqual([2, 0]);
    expect(y.data.length).toBe(0);
  });
});
