/**
 * Runs the worked example of docs/THEORY.md. The code between the EXAMPLE markers below must be
 * identical to the docs' ```ts block (imports aside), and the table printed in the docs must
 * match what the code computes: the docs cannot rot.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  bestMh,
  checkBound,
  couplingTarget,
  kernelSpectrum,
  measures,
  powerLawSpectrum,
  transformerBound,
} from '../../src/theory/index.js';
import { constructiveTransformer, evaluateErrors } from '../../src/models/index.js';

function example() {
  // EXAMPLE START
  // 1. A spectrum: σ_k = k^(−α) with α = 2, rank 256 (the App. B.2 family, a faster decay).
  const alpha = 2;
  const spectrum = powerLawSpectrum(alpha, 256);

  // 2. The target H_t(x) = Σ_s softmax_s[ρ(x(t), x(s))]·x(s), ρ = Σ_k σ_k √2 sin(2kπu) √2 sin(2kπv).
  const target = couplingTarget({ spectrum });

  // 3. The POD recomputed from ρ alone by quadrature + SVD (first 4 terms: 1, 1/4, 1/9, 1/16).
  const rho4 = couplingTarget({ spectrum: spectrum.slice(0, 4) }).coupling;
  const pod = kernelSpectrum((u, v) => rho4(Float64Array.of(u), Float64Array.of(v)), { grid: 32, rank: 4 });

  // 4. Measures: C_0 = 2√2, C_1^(2) = 1, the sup norms, C_FF plug-ins of the sine basis.
  const m = measures(target, { alpha, beta: 0.5 });

  // 5. The exact rank-m_h POD truncation as a Transformer; its L¹ error E Σ_t |H_t − Ĥ_t| (95% CI)
  //    beside the three variants of the bound (exact FFNs: m_FF = ∞), at τ = 16.
  const truncation = (mh: number) =>
    constructiveTransformer({
      phi: Array.from({ length: mh }, (_, k) => (u: Float64Array) => spectrum[k]! * target.basis.phi[k]!(u)),
      psi: Array.from({ length: mh }, (_, k) => (u: Float64Array) => target.basis.psi[k]!(u)),
      f: (u) => u[0]!,
      F: (v) => v[0]!,
    });
  const rows = [2, 4, 8, 16, 32, 64].map((mh) => {
    const l1 = evaluateErrors(truncation(mh), target, { tau: 16, samples: 256, seed: 1 }).l1;
    const bound = (variant: 'corrected' | 'printed' | 'proof') =>
      transformerBound(m, { tau: 16, mh, mff: Infinity, variant }).total;
    return {
      mh,
      error: l1.mean,
      ciHigh: l1.ciHigh,
      corrected: bound('corrected'),
      printed: bound('printed'),
      proof: bound('proof'),
    };
  });

  // 6. Check the theory on these numbers: does the corrected bound hold, and at which rate do the errors fall?
  const check = checkBound(rows, m, { tau: 16, measure: 'l1' });

  // 7. The m_h minimising the corrected bound at m_FF = 10^8 (attention term falls, FFN term rises).
  const best = bestMh(m, { tau: 16, mff: 1e8, mhMax: 256 });
  // EXAMPLE END
  return { pod, m, rows, check, best };
}

const here = fileURLToPath(import.meta.url);
const docs = readFileSync(new URL('../../docs/THEORY.md', import.meta.url), 'utf8');

describe('docs/THEORY.md worked example', () => {
  it('the docs show exactly this code', () => {
    const src = readFileSync(here, 'utf8');
    const body = src
      .slice(src.indexOf('// EXAMPLE START\n') + 17, src.indexOf('  // EXAMPLE END'))
      .split('\n')
      .map((l) => l.replace(/^ {2}/, ''))
      .join('\n')
      .trim();
    const block = /```ts\n([\s\S]*?)```/.exec(docs)![1]!;
    const code = block
      .split('\n')
      .filter((l) => !l.startsWith('import '))
      .join('\n')
      .trim();
    expect(code).toBe(body);
    expect(block).toContain("from 'seqrate/theory'");
  });

  it('computes the numbers the docs print', () => {
    const { pod, m, rows, check, best } = example();
    expect(pod.sigma).toBeAllclose([1, 1 / 4, 1 / 9, 1 / 16], { rtol: 1e-12 });
    expect(m.c0).toBeCloseTo(2 * Math.SQRT2, 14);
    expect(m.c1).toBeCloseTo(1, 14);
    // the table in the docs: | m_h | L¹ error | upper 95% | corrected | printed | proof |
    const table = docs
      .split('\n')
      .filter((l) => /^\| \d+ \|/.test(l))
      .map((l) =>
        l
          .split('|')
          .slice(1, -1)
          .map((c) => Number(c.trim())),
      );
    expect(table.length).toBe(rows.length);
    rows.forEach((r, i) => {
      const got = [r.mh, r.error, r.ciHigh, r.corrected, r.printed, r.proof];
      expect(table[i]!).toBeAllclose(
        got.map((v) => Number(v.toPrecision(3))),
        { rtol: 1e-12 },
      );
    });
    expect(check.allHold).toBe(true);
    expect(docs).toContain(`smallest slack ${check.minSlack.toFixed(1)}`);
    const fit = check.measured!;
    expect(docs).toContain(
      `exponent ${fit.exponent.toFixed(2)} (95% CI [${fit.ci95.exponent[0].toFixed(2)}, ${fit.ci95.exponent[1].toFixed(2)}])`,
    );
    expect(docs).toContain(`predicts ${check.predictedExponent} (${check.predictedBy} term)`);
    expect(docs).toContain(`m_h = ${best.mh}`);
  });
});
