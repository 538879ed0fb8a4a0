import { describe, expect, it } from 'vitest';
import { createRng, mul64 } from '../../src/linalg/random.js';

// Reference xoshiro256** + splitmix64 written on BigInt, straight from the published recipe.
const M = (1n << 64n) - 1n;
function refStream(seed: bigint, count: number): number[] {
  let x = seed;
  const s: bigint[] = [];
  for (let i = 0; i < 4; i++) {
    x = (x + 0x9e3779b97f4a7c15n) & M;
    let z = x;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M;
    s.push(z ^ (z >> 31n));
  }
  const rotl = (v: bigint, k: bigint) => ((v << k) | (v >> (64n - k))) & M;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const r = (rotl((s[1]! * 5n) & M, 7n) * 9n) & M;
    const t = (s[1]! << 17n) & M;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 45n);
    out.push(Number(r >> 11n) / 2 ** 53);
  }
  return out;
}

describe('createRng', () => {
  it('matches a BigInt reference of xoshiro256** seeded by splitmix64', () => {
    for (const seed of [0, 1, 42, 123456789, 2 ** 40 + 17]) {
      const r = createRng(seed);
      const ref = refStream(BigInt(seed), 200);
      for (const v of ref) expect(r.uniform()).toBe(v);
    }
  });

  it('mul64 equals BigInt wrapping multiplication', () => {
    const r = createRng(7);
    for (let i = 0; i < 2000; i++) {
      const w = () => Math.floor(r.uniform() * 2 ** 32);
      const ah = w(),
        al = w(),
        bh = w(),
        bl = w();
      const [h, l] = mul64(ah, al, bh, bl);
      const ref = (((BigInt(ah) << 32n) | BigInt(al)) * ((BigInt(bh) << 32n) | BigInt(bl))) & M;
      expect((BigInt(h) << 32n) | BigInt(l)).toBe(ref);
    }
  });

  it('normal draws have mean ≈ 0 and variance ≈ 1', () => {
    const r = createRng(3);
    const n = 100000;
    let s = 0,
      s2 = 0;
    for (let i = 0; i < n; i++) {
      const v = r.normal();
      s += v;
      s2 += v * v;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.02);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.03);
  });

  it('same seed gives the same stream; forks differ from the parent', () => {
    const a = createRng(9),
      b = createRng(9);
    for (let i = 0; i < 10; i++) expect(a.uniform()).toBe(b.uniform());
    const f1 = createRng(9).fork(1),
      f2 = createRng(9).fork(2);
    expect(f1.uniform()).not.toBe(f2.uniform());
  });

  it('permutation is a permutation', () => {
    const p = Array.from(createRng(5).permutation(50)).sort((x, y) => x - y);
    expect(p).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('rejects a non-finite or fractional seed (0.3 would otherwise alias seed 0)', () => {
    expect(() => createRng(Number.NaN)).toThrow(/createRng/);
    expect(() => createRng(Infinity)).toThrow(/createRng: seed must be a safe integer, got Infinity/);
    expect(() => createRng(0.3)).toThrow(/createRng: seed must be a safe integer, got 0.3/);
    expect(() => createRng(-7)).not.toThrow();
  });
});
