/** Shared helpers of the model tests: whole-model gradient checks. */
import { expect } from 'vitest';
import { createRng, gradcheck, item, valueAndGrad, type Tensor } from '../../src/linalg/index.js';
import type { Params } from '../../src/models/index.js';

/**
 * Checks the tape gradient of `loss(params)` (a) with the public dot-product gradcheck over every
 * parameter tensor and (b) entry by entry on `samples` randomly chosen parameter coordinates
 * against central differences.
 */
export function checkModelGradient(
  loss: (p: Params) => Tensor,
  params: Params,
  opts: { samples?: number; seed?: number; rtol?: number } = {},
): void {
  const names = Object.keys(params);
  const r = gradcheck(
    (...ts: Tensor[]) => loss(Object.fromEntries(names.map((n, i) => [n, ts[i]!]))),
    names.map((n) => params[n]!),
    { seed: opts.seed ?? 0 },
  );
  expect(r.ok, `gradcheck failed: ${JSON.stringify(r)}`).toBe(true);
  const { grads } = valueAndGrad(loss)(params);
  const rng = createRng(opts.seed ?? 1),
    eps = 1e-6,
    rtol = opts.rtol ?? 1e-6;
  for (let k = 0; k < (opts.samples ?? 12); k++) {
    const name = names[rng.int(names.length)]!;
    const p = params[name]!,
      i = rng.int(p.data.length);
    const at = (h: number): number => {
      const d = p.data.slice();
      d[i]! += h;
      return item(loss({ ...params, [name]: { data: d, shape: p.shape } }));
    };
    const numeric = (at(eps) - at(-eps)) / (2 * eps);
    const analytic = (grads as Params)[name]!.data[i]!;
    expect(
      Math.abs(analytic - numeric),
      `${name}[${i}]: tape ${analytic} vs central difference ${numeric}`,
    ).toBeLessThanOrEqual(1e-8 + rtol * Math.max(Math.abs(analytic), Math.abs(numeric)));
  }
}
