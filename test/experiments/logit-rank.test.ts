/**
 * logitRankBound is a claim about every Transformer of a config: the measured numerical rank of its
 * τ×τ attention logits (random weights, random inputs, learned or sinusoidal encodings, FFN depth 0–2)
 * never exceeds it, and a bound one too small is caught by the same measurement. With m_h = n = τ a
 * narrow FFN still limits the rank: min(m_h, n), the bound Table 2 used before, overstated it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng, rand, randn } from '../../src/linalg/index.js';
import { svdvals } from '../../src/linalg/decomp/index.js';
import { Transformer } from '../../src/models/index.js';
import { logitRankBound } from '../../src/experiments/memory-common.js';

type T = { n: number; mh: number; ffnWidth: number; ffnDepth: number; peDim: number };

const cfg = fc.record({
  tau: fc.integer({ min: 3, max: 14 }),
  n: fc.integer({ min: 1, max: 14 }),
  mh: fc.integer({ min: 1, max: 14 }),
  ffnWidth: fc.integer({ min: 1, max: 14 }),
  ffnDepth: fc.integer({ min: 0, max: 2 }),
  peDim: fc.integer({ min: 1, max: 6 }),
  pe: fc.constantFrom('learned' as const, 'sinusoidal' as const),
  activation: fc.constantFrom('tanh' as const, 'relu' as const),
  seed: fc.integer({ min: 0, max: 1000 }),
});

/** Numerical rank of the logits of one random input: singular values above 1e-9·σ₁. */
function measuredRank(c: Parameters<typeof build>[0]): number {
  const m = build(c);
  // every parameter random, biases included (the initialisation's zero biases would hide the bias's +1)
  const rng = createRng(c.seed + 2);
  m.params = Object.fromEntries(Object.entries(m.params).map(([k, v]) => [k, randn(rng, v.shape)]));
  const x = rand(createRng(c.seed + 1), [1, c.tau, 1]);
  const L = m.attentionLogits(x);
  const s = svdvals({ data: L.data, shape: [c.tau, c.tau] }).data;
  const tol = 1e-9 * (s[0] ?? 0);
  return s.filter((v) => v > tol).length;
}
function build(c: T & { tau: number; pe: 'learned' | 'sinusoidal'; activation: 'tanh' | 'relu'; seed: number }) {
  return new Transformer(
    {
      d: 1,
      n: c.n,
      mh: c.mh,
      mv: 2,
      ffnWidth: c.ffnWidth,
      ffnDepth: c.ffnDepth,
      positionEncoding: c.pe,
      tau: c.tau,
      peDim: c.peDim,
      activation: c.activation,
    },
    { seed: c.seed },
  );
}

describe('logitRankBound', () => {
  it('bounds the measured rank of the attention logits of random Transformers', () => {
    fc.assert(
      fc.property(cfg, (c) => {
        expect(measuredRank(c)).toBeLessThanOrEqual(logitRankBound(c));
      }),
      { numRuns: 150 },
    );
  });
  it('a bound one too small (the FFN width without its bias, min(m_h, n, width)) is caught by the same measurement', () => {
    const broken = (t: T): number => Math.min(t.mh, t.n, t.ffnDepth >= 1 ? t.ffnWidth : 1 + t.peDim);
    const r = fc.check(
      fc.property(cfg, (c) => measuredRank(c) <= broken(c)),
      { numRuns: 150 },
    );
    expect(r.failed).toBe(true);
  });
  it('the FFN width limits the rank even when m_h = n = τ (what min(m_h, n) alone misses)', () => {
    for (const seed of [1, 2, 3]) {
      const c = { tau: 12, n: 12, mh: 12, ffnWidth: 4, ffnDepth: 1, peDim: 6, seed } as const;
      const r = measuredRank({ ...c, pe: 'learned', activation: 'tanh' });
      expect(r).toBe(5);
      expect(r).toBeLessThan(Math.min(c.mh, c.n));
    }
  });
});
