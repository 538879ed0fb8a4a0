/**
 * Runs the worked example of docs/THEORY.md. The code between the EXAMPLE markers below must be
 * identical to the docs' ```ts block (imports aside), and the table printed in the docs must
 * match what the code computes: the docs cannot rot.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bestMh, couplingTarget, fitPowerLaw, kernelSpectrum, measures, powerLawSpectrum, transformerBound } from '../../src/theory/index.js';

function example() {
  // EXAMPLE START
  // 1. A spectrum: σ_k = k^(−α) with α = 1, infinite rank truncated at 1024 terms (App. B.2).
  const alpha = 1;
  const spectrum = powerLawSpectrum(alpha, Infinity);

  // 2. The target H_t(x) = Σ_s softmax_s[ρ(x(t), x(s))]·x(s), ρ = Σ_k σ_k √2 sin(2kπu) √2 sin(2kπv).
  const target = couplingTarget({ spectrum });

  // 3. The POD recomputed from ρ alone by quadrature + SVD (first 4 terms: 1, 1/2, 1/3, 1/4).
  const rho4 = couplingTarget({ spectrum: spectrum.slice(0, 4) }).coupling;
  const pod = kernelSpectrum((u, v) => rho4(Float64Array.of(u), Float64Array.of(v)), { grid: 32, rank: 4 });

  // 4. Measures: C_0 = 2√2, C_1^(1) = 1, C_2^(1/2)(H, k) from the default sine-basis plug-ins.
  const m = measures(target, { alpha, beta: 0.5 });

  // 5. The bound as a function of m_h, both variants, at τ = 16 and m_FF = 10^8.
  const rows = [1, 2, 4, 8, 16].map((mh) => {
    const printed = transformerBound(m, { tau: 16, mh, mff: 1e8, variant: 'printed' });
    const proof = transformerBound(m, { tau: 16, mh, mff: 1e8, variant: 'proof' });
    return { mh, printedAttention: printed.attention, proofAttention: proof.attention, ffn: proof.ffn, printed: printed.total, proof: proof.total };
  });

  // 6. The exact tail decays like m_h^−(2α−1): fit its exponent; find the m_h minimising the bound.
  const fit = fitPowerLaw(rows.map((r) => r.mh), rows.map((r) => r.proofAttention), { seed: 1 });
  const best = bestMh(m, { tau: 16, mff: 1e8, mhMax: 64, variant: 'proof' });
  // EXAMPLE END
  return { pod, m, rows, fit, best };
}

const here = fileURLToPath(import.meta.url);
const docs = readFileSync(new URL('../../docs/THEORY.md', import.meta.url), 'utf8');

describe('docs/THEORY.md worked example', () => {
  it('the docs show exactly this code', () => {
    const src = readFileSync(here, 'utf8');
    const body = src.slice(src.indexOf('// EXAMPLE START\n') + 17, src.indexOf('  // EXAMPLE END')).split('\n').map((l) => l.replace(/^ {2}/, '')).join('\n').trim();
    const block = /```ts\n([\s\S]*?)```/.exec(docs)![1]!;
    const code = block.split('\n').filter((l) => !l.startsWith('import ')).join('\n').trim();
    expect(code).toBe(body);
    expect(block).toContain("from 'seqrate/theory'");
  });

  it('computes the numbers the docs print', () => {
    const { pod, m, rows, fit, best } = example();
    expect(pod.sigma).toBeAllclose([1, 1 / 2, 1 / 3, 1 / 4], { rtol: 1e-12 });
    expect(m.c0).toBeCloseTo(2 * Math.SQRT2, 14);
    expect(m.c1).toBe(1);
    // the table in the docs: | m_h | printed attention | proof attention | ffn | printed | proof |
    const table = docs.split('\n').filter((l) => /^\| \d+ \|/.test(l)).map((l) => l.split('|').slice(1, -1).map((c) => Number(c.trim())));
    expect(table.length).toBe(rows.length);
    rows.forEach((r, i) => {
      const got = [r.mh, r.printedAttention, r.proofAttention, r.ffn, r.printed, r.proof];
      expect(table[i]!).toBeAllclose(got.map((v) => Number(v.toPrecision(4))), { rtol: 1e-12 });
    });
    expect(docs).toContain(`exponent ${fit.exponent.toFixed(3)}`);
    expect(docs).toContain(`[${fit.ci95.exponent[0].toFixed(3)}, ${fit.ci95.exponent[1].toFixed(3)}]`);
    expect(docs).toContain(`m_h = ${best.mh}`);
  });
});
