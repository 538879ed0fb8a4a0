/**
 * One computation through linalg, models and theory, run both in Node and (bundled) in headless
 * Chromium by test/browser/browser.test.ts: an SVD, a rate bound in both variants, a tiny
 * Transformer trained a few Adam steps, and a saveParams → JSON → loadParams round trip. Every
 * float64 is returned as the hex of its 8 bytes, so the comparison is to the last bit.
 * Portable: imports nothing from Node (the bundle is built for the browser platform).
 */
import { createRng, randn, svd, type Tensor } from '../../src/linalg/index.js';
import { Adam, Transformer, loadParams, saveParams, train } from '../../src/models/index.js';
import { couplingTarget, measures, powerLawSpectrum, transformerBound } from '../../src/theory/index.js';

/** Hex of the IEEE-754 bytes of each value (little-endian). */
export function bits(values: ArrayLike<number>): string[] {
  const view = new DataView(new ArrayBuffer(8));
  return Array.from({ length: values.length }, (_, i) => {
    view.setFloat64(0, values[i]!, true);
    let s = '';
    for (let k = 0; k < 8; k++) s += view.getUint8(k).toString(16).padStart(2, '0');
    return s;
  });
}

/** Every number of the computation, by name, as bit strings. */
export function compute(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const a = randn(createRng(11), [9, 6]);
  const { u, s, vt } = svd(a);
  out['svd.u'] = bits(u.data);
  out['svd.s'] = bits(s.data);
  out['svd.vt'] = bits(vt.data);

  const m = measures(couplingTarget({ spectrum: powerLawSpectrum(1.5, 32) }), { alpha: 1.5, beta: 0.5 });
  for (const variant of ['printed', 'proof', 'corrected'] as const) {
    const b = transformerBound(m, { tau: 8, mh: 3, mff: 1e6, variant });
    out[`bound.${variant}`] = bits([b.attention, b.ffn, b.total]);
  }

  const cfg = { d: 1, n: 6, mh: 2, mv: 3, ffnWidth: 8, ffnDepth: 1, positionEncoding: 'sinusoidal' as const, tau: 5 };
  const model = new Transformer(cfg, { seed: 5 });
  const x: Tensor = randn(createRng(6), [32, 5, 1]);
  const y: Tensor = randn(createRng(7), [32, 5]);
  const fit = train(model, { x, y }, { optimizer: new Adam({ lr: 1e-2 }), batchSize: 8, maxSteps: 6, seed: 8 });
  out['train.history'] = bits(fit.history);
  out['train.final'] = bits([fit.finalLoss, fit.gradNorm]);
  for (const name of Object.keys(model.params).sort()) out[`param.${name}`] = bits(model.params[name]!.data);

  const text = JSON.stringify(saveParams(model));
  const copy = loadParams(new Transformer(cfg, { seed: 99 }), JSON.parse(text));
  out['roundtrip.equal'] = [
    String(
      Object.keys(model.params).every((k) => bits(copy.params[k]!.data).join() === bits(model.params[k]!.data).join()),
    ),
  ];
  out['roundtrip.length'] = [String(text.length)];
  return out;
}

/** Math functions the library calls, on 500 fixed arguments each, as bit strings. */
export function mathProbe(): Record<string, string[]> {
  const unary = [
    'exp',
    'log',
    'tanh',
    'sin',
    'cos',
    'sqrt',
    'expm1',
    'log1p',
    'atan',
    'cosh',
    'sinh',
    'log2',
    'log10',
  ] as const;
  const xs = Array.from({ length: 500 }, (_, i) => ((i * 7919) % 1000) / 50 - 10 + i * 1e-7);
  const out: Record<string, string[]> = {};
  for (const f of unary) {
    const pos = f.startsWith('log') || f === 'sqrt';
    out[f] = bits(xs.map((x) => (Math[f] as (v: number) => number)(pos ? Math.abs(x) + 1e-3 : x)));
  }
  out.pow = bits(xs.map((x, i) => Math.pow(Math.abs(x) + 1e-3, (i % 7) / 3 - 1)));
  out.atan2 = bits(xs.map((x, i) => Math.atan2(x, (i % 13) - 6)));
  out.hypot = bits(xs.map((x, i) => Math.hypot(x, (i % 13) - 6)));
  return out;
}
