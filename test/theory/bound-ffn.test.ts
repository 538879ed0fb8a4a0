/**
 * Issue 9, family 4: the full corrected bound, FFN term included, against the fitted constructive
 * Transformer (fittedConstructiveTransformer) at several FFN widths on a finite-rank target
 * (r = m_h = 2, so the attention-rank term is 0 and everything measured is FFN error). The FFN
 * term is fed the fitted maps' measured sup errors (ffn-helpers.ts); the C_FF plug-ins are checked
 * to dominate those errors, so the plug-in bound holds a fortiori. Baselines that must fail: the
 * same bound with the fit errors set to 0 (pretending exact maps).
 */
import { describe, expect, it } from 'vitest';
import { Transformer, evaluateErrors, fittedConstructiveTransformer } from '../../src/models/index.js';
import { couplingTarget, measures, transformerBound } from '../../src/theory/index.js';
import { fittedErrors } from './ffn-helpers.js';

const sigma = [1, 0.5],
  tau = 8,
  mh = 2,
  beta = 0.5;
const H = couplingTarget({ spectrum: sigma });
const m = measures(H, { alpha: 1, beta });
const phi = sigma.map((s, k) => (u: number) => s * Math.SQRT2 * Math.sin(2 * (k + 1) * Math.PI * u));
const psi = sigma.map((_, k) => (u: number) => Math.SQRT2 * Math.sin(2 * (k + 1) * Math.PI * u));
const spec = {
  phi: phi.map((g) => (u: Float64Array) => g(u[0]!)),
  psi: psi.map((g) => (u: Float64Array) => g(u[0]!)),
  f: (u: Float64Array) => u[0]!,
  F: (v: Float64Array) => v[0]!,
};

describe('family 4: the corrected bound with its FFN term vs the fitted Transformer', () => {
  const rows = [4, 8, 16].map((width) => {
    const { model } = fittedConstructiveTransformer(spec, {
      d: 1,
      width,
      depth: 1,
      seed: 3,
      maxIter: 300,
      samples: 256,
    });
    const eps = fittedErrors(model, phi, psi);
    const err = evaluateErrors(model, H, { tau, samples: 128, seed: 2 }).l1;
    return {
      width,
      eps,
      err,
      bound: transformerBound(m, { tau, mh, mff: width, ffnErrors: eps }),
      plugin: transformerBound(m, { tau, mh, mff: width }),
    };
  });

  it('measured L¹ error ≤ corrected total (measured sup errors) ≤ corrected total (C_FF plug-ins)', () => {
    for (const r of rows) {
      expect(r.bound.attentionTotal).toBe(0); // r = m_h: the attention-rank term vanishes
      expect(r.bound.total).toBeGreaterThanOrEqual(r.err.ciHigh);
      // the plug-ins ε = C_FF/m_FF^β (σ_k C_FF(φ_k) on the query side) dominate the fitted errors …
      const scale = r.width ** -beta;
      Array.from(r.eps.phi).forEach((e, k) =>
        expect(e).toBeLessThanOrEqual(sigma[k]! * 2 * Math.SQRT2 * Math.PI * (k + 1) * scale),
      );
      Array.from(r.eps.psi).forEach((e, k) =>
        expect(e).toBeLessThanOrEqual(2 * Math.SQRT2 * Math.PI * (k + 1) * scale),
      );
      expect(Math.max(r.eps.f, r.eps.F)).toBeLessThanOrEqual(scale);
      // … so the plug-in bound is the larger one
      expect(r.plugin.total).toBeGreaterThanOrEqual(r.bound.total);
    }
  });

  it('the error changes with width by no more than the two FFN terms (|err_w − err_exact| ≤ ffnTotal_w, err_exact = 0)', () => {
    for (const a of rows)
      for (const b of rows) expect(b.err.mean).toBeLessThanOrEqual(a.err.mean + a.bound.ffnTotal + b.bound.ffnTotal);
  });

  it('the bound holds for an untrained f̂ and F̂ too (random weights, the same selector W_Q, W_K, W_V)', () => {
    const fitted = fittedConstructiveTransformer(spec, {
      d: 1,
      width: 8,
      depth: 1,
      seed: 3,
      maxIter: 5,
      samples: 64,
    }).model;
    const model = new Transformer({ ...fitted.config }, { seed: 11 });
    model.params = {
      ...model.params,
      'attn.wq': fitted.params['attn.wq']!,
      'attn.wk': fitted.params['attn.wk']!,
      'attn.wv': fitted.params['attn.wv']!,
    };
    const eps = fittedErrors(model, phi, psi);
    const err = evaluateErrors(model, H, { tau, samples: 128, seed: 2 }).l1;
    expect(err.mean).toBeGreaterThan(Math.max(...rows.map((r) => r.err.mean))); // worse than every fitted model
    expect(transformerBound(m, { tau, mh, mff: 8, ffnErrors: eps }).total).toBeGreaterThanOrEqual(err.ciHigh);
  });

  it('baseline: the same bound with the fit errors set to 0 is violated (the FFN term is what holds)', () => {
    const zero = { F: 0, f: 0, phi: [0, 0], psi: [0, 0] };
    for (const r of rows) {
      expect(r.err.ciLow).toBeGreaterThan(0);
      expect(transformerBound(m, { tau, mh, mff: r.width, ffnErrors: zero }).total).toBeLessThan(r.err.ciLow);
    }
  });
});
