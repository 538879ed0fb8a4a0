/**
 * Adversarial probes of the corrected bound's assumption flags (`isUpperBound`, `caveat`): targets
 * outside the class the derivation covers must not be reported as bounded. Each case measures the
 * L¹ error the bound claims to dominate (evaluateErrors, exact POD truncation) and shows the bound
 * fails there, so the flag is what stands between the user and a false claim; a baseline inside
 * the class shows the same measurement passes.
 */
import { describe, expect, it } from 'vitest';
import { evaluateErrors } from '../../src/models/index.js';
import {
  couplingTarget,
  lipschitzEstimate,
  measures,
  orthonormalityDefect,
  transformerBound,
  type CouplingTarget,
  type TokenFn,
} from '../../src/theory/index.js';
import { podTruncation } from './bound-helpers.js';

const CFF = { F: 1, f: 1, phi: () => 1, psi: () => 1 };

/** Bound and measured L¹ error (upper/lower 95% limits) of the rank-m_h truncation. */
function boundVsError(H: CouplingTarget, mh: number, tau: number, samples = 1000) {
  const m = measures(H, { alpha: 1, beta: 0.5, cFF: CFF });
  const b = transformerBound(m, { tau, mh, mff: Infinity });
  const e = evaluateErrors(podTruncation(H, mh), H, { tau, d: H.d, samples, seed: 5 });
  return { b, e: e.l1 };
}

describe('corrected bound: assumptions a target can violate are flagged', () => {
  it('a hard-max target is not softmax-Lipschitz: error > 0 = bound at m_h = R, so isUpperBound is false', () => {
    const soft = boundVsError(couplingTarget({ spectrum: [1, 0.5] }), 2, 4);
    expect(soft.b.isUpperBound).toBe(true); // baseline: softmax, exact logits, error is rounding only
    expect(soft.e.ciHigh).toBeLessThan(1e-12);
    const hard = boundVsError(couplingTarget({ spectrum: [1, 0.5], hardMax: true }), 2, 4);
    expect(hard.b.total).toBe(0);
    expect(hard.e.ciLow).toBeGreaterThan(0.1); // the softmax model cannot match the hard max
    expect(hard.b.isUpperBound).toBe(false);
    expect(hard.b.caveat).toMatch(/hard max/);
  });

  it('a non-orthonormal basis that agrees with the sine basis on the midpoint grid is caught', () => {
    // √2 sin(2kπu) + 10 cos(1024πu): ‖g_k‖² = 51, but cos(1024πu) vanishes at every (i + ½)/1024
    const alias =
      (k: number): TokenFn =>
      (u) =>
        Math.SQRT2 * Math.sin(2 * Math.PI * k * u[0]!) + 10 * Math.cos(1024 * Math.PI * u[0]!);
    const basis = { phi: [alias(1), alias(2)], psi: [alias(1), alias(2)] };
    const { b, e } = boundVsError(couplingTarget({ spectrum: [1e-3, 1e-3], basis }), 1, 4);
    expect(e.ciLow).toBeGreaterThan(b.total); // the bound fails on it ...
    expect(b.isUpperBound).toBe(false); // ... so it must not be called an upper bound
    expect(b.caveat).toMatch(/basisDefect/);
  });

  it('an orthonormal Legendre basis is not flagged (midpoint rule alone: defect ~5e-6), and the bound holds', () => {
    const leg: TokenFn[] = [
      (u) => Math.sqrt(3) * (2 * u[0]! - 1),
      (u) => Math.sqrt(5) * (6 * u[0]! ** 2 - 6 * u[0]! + 1),
      (u) => Math.sqrt(7) * (20 * u[0]! ** 3 - 30 * u[0]! ** 2 + 12 * u[0]! - 1),
    ];
    expect(orthonormalityDefect(leg)).toBeLessThan(1e-10);
    expect(orthonormalityDefect([leg[0]!, (u) => 2 * leg[1]!(u)])).toBeCloseTo(3, 8); // still detects a wrong norm
    const { b, e } = boundVsError(couplingTarget({ spectrum: [0.1, 0.1, 0.1], basis: { phi: leg, psi: leg } }), 1, 4);
    expect(b.isUpperBound).toBe(true);
    expect(b.total).toBeGreaterThanOrEqual(e.ciHigh);
  });
});

describe('corrected bound: K_F is the Euclidean Lipschitz constant the derivation uses (step 1)', () => {
  const box = { lo: [-1, -1], hi: [1, 1] };
  it('lipschitzEstimate on R² sees gradients between the axes, and never exceeds the true constant', () => {
    const cases: [string, (z: Float64Array) => number | number[], number][] = [
      ['z0 + z1', (z) => z[0]! + z[1]!, Math.SQRT2],
      ['z0 − z1', (z) => z[0]! - z[1]!, Math.SQRT2],
      ['3 sin(z0 + 2 z1)', (z) => 3 * Math.sin(z[0]! + 2 * z[1]!), 3 * Math.sqrt(5)],
      ['(z0 + z1, z0 − z1)', (z) => [z[0]! + z[1]!, z[0]! - z[1]!], Math.SQRT2],
    ];
    for (const [, fn, L] of cases) {
      const est = lipschitzEstimate(fn, box);
      expect(est).toBeLessThanOrEqual(L * (1 + 1e-9));
      expect(est).toBeGreaterThan(0.999 * L);
    }
  });

  it('a sum readout of a two-component value map gets K_F = √2 (was 1: the bound lost a factor √2)', () => {
    const w = (u: Float64Array): number => (u[0]! < 0.5 ? 1 : -1);
    const H = couplingTarget({ spectrum: [1e-3, 1e-3], basis: 'sine', f: (u) => [w(u), w(u)] });
    const m = measures(H, { alpha: 1, beta: 0.5, cFF: CFF });
    expect(m.parts.lipschitzF).toBeCloseTo(Math.SQRT2, 6);
  });
});
