/**
 * Relative accuracy on graded matrices (B·D, D·B, D·B·D, D spanning 1…1e-12) against
 * singular values computed with mpmath at 60 digits (test/fixtures/graded-svd.json, generator in
 * test/fixtures/README.md). Target: every σ_i to relative error ≤ 1e-12.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { createRng } from '../../../src/linalg/random.js';
import { gaussian, grade, logspace } from '../../helpers/matrices.js';
import { svd, svdvals } from '../../../src/linalg/decomp/index.js';
import type { Tensor } from '../../../src/linalg/tensor.js';
import { tr } from './residuals.js';

interface Fixture {
  name: string;
  note: string;
  shape: [number, number];
  a: number[];
  s: number[];
}
const fixtures = (
  JSON.parse(readFileSync(new URL('../../fixtures/graded-svd.json', import.meta.url), 'utf8')) as { cases: Fixture[] }
).cases;

function maxRelErr(got: Float64Array, ref: number[]): number {
  let w = 0;
  for (let i = 0; i < ref.length; i++) w = Math.max(w, Math.abs(got[i]! - ref[i]!) / ref[i]!);
  return w;
}

describe('graded matrices: every σ_i to relative error ≤ 1e-12 (mpmath references)', () => {
  test('the fixture file holds the four gradings', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(16);
    for (const p of ['BD-', 'DB-', 'DBD-', 'BDperm-']) expect(fixtures.some((f) => f.name.startsWith(p))).toBe(true);
  });
  for (const f of fixtures) {
    test(`${f.name} (${f.note})`, () => {
      const a: Tensor = { data: Float64Array.from(f.a), shape: f.shape };
      expect(maxRelErr(svdvals(a).data, f.s)).toBeLessThanOrEqual(1e-12);
      expect(maxRelErr(svd(a).s.data, f.s)).toBeLessThanOrEqual(1e-12);
      expect(maxRelErr(svdvals(tr(a)).data, f.s)).toBeLessThanOrEqual(1e-12);
    });
  }
});

describe('why the dispatch: Golub–Kahan forced on graded input', () => {
  test('loses relative accuracy on some D·B·D fixture (so auto must pick Jacobi there)', () => {
    let worst = 0;
    for (const f of fixtures) {
      const a: Tensor = { data: Float64Array.from(f.a), shape: f.shape };
      worst = Math.max(worst, maxRelErr(svdvals(a, { method: 'golub-kahan' }).data, f.s));
    }
    expect(worst).toBeGreaterThan(1e-10);
  });
});

describe('relative-accuracy invariants on random graded matrices (fast-check)', () => {
  const arbGraded = fc
    .tuple(fc.integer({ min: 2, max: 9 }), fc.integer({ min: 0, max: 4 }), fc.nat(), fc.constantFrom('BD', 'DB', 'DBD'))
    .map(([n, extra, seed, kind]) => {
      const rng = createRng(seed);
      const m = n + extra;
      const b = gaussian(rng, m, n);
      const dc = logspace(1, 1e-12, n),
        dr = logspace(1, 1e-12, m);
      const perm = rng.permutation(n);
      const dcp = Float64Array.from(perm, (p) => dc[p]!);
      return kind === 'BD' ? grade(b, null, dcp) : kind === 'DB' ? grade(b, dr, null) : grade(b, dr, dcp);
    });
  test('σ(Aᵀ) and σ(P·A·Q) (row/column permutations) agree with σ(A) to relative error 1e-12', () => {
    fc.assert(
      fc.property(arbGraded, fc.nat(), (a, ps) => {
        const [m, n] = a.shape as [number, number];
        const s = svdvals(a).data;
        const st = svdvals(tr(a)).data;
        const rng = createRng(ps);
        const pr = rng.permutation(m),
          pc = rng.permutation(n);
        const pa: Tensor = { data: new Float64Array(m * n), shape: [m, n] };
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) pa.data[i * n + j] = a.data[pr[i]! * n + pc[j]!]!;
        const sp = svdvals(pa).data;
        for (let i = 0; i < s.length; i++) {
          expect(Math.abs(st[i]! - s[i]!) / s[i]!).toBeLessThanOrEqual(1e-12);
          expect(Math.abs(sp[i]! - s[i]!) / s[i]!).toBeLessThanOrEqual(1e-12);
        }
      }),
      { numRuns: 40, seed: 3 },
    );
  });
});
