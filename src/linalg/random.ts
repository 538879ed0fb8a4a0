/**
 * The one seeded generator of seqrate: xoshiro256** (Blackman & Vigna 2018) seeded through
 * splitmix64, on BigInt-free 32-bit halves for speed. Nothing in seqrate calls Math.random.
 *
 * - `uniform()` returns `(x >> 11) * 2^-53` in [0, 1), x the 64-bit output (the reference recipe).
 * - `normal()` uses the Box–Muller transform (pairs cached).
 * - `fork(k)` derives an independent stream from this one (for per-worker / per-seed streams).
 */
import { ValueError } from './errors.js';

export interface Rng {
  /** The seed this generator was created with. */
  readonly seed: number;
  /** Uniform double in [0, 1). */
  uniform(): number;
  /** Standard normal draw. */
  normal(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Fisher–Yates shuffle of [0..n-1]. */
  permutation(n: number): Int32Array;
  /** An independent generator derived from this one's state and `k`. */
  fork(k: number): Rng;
}

const M32 = 0x100000000;

/** splitmix64 on two 32-bit halves; returns the next 64-bit output as [hi, lo]. */
export function splitmix(state: { hi: number; lo: number }): [number, number] {
  if (state === null || typeof state !== 'object' || typeof state.hi !== 'number' || typeof state.lo !== 'number') {
    throw new ValueError('splitmix', 'state must be { hi: number, lo: number } (32-bit halves)');
  }
  // state += 0x9E3779B97F4A7C15
  let lo = (state.lo + 0x7f4a7c15) >>> 0;
  let hi = (state.hi + 0x9e3779b9 + (lo < state.lo ? 1 : 0)) >>> 0;
  state.lo = lo;
  state.hi = hi;
  // z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9
  [hi, lo] = mul64(hi ^ (hi >>> 30), (lo ^ ((lo >>> 30) | (hi << 2))) >>> 0, 0xbf58476d, 0x1ce4e5b9);
  // z = (z ^ (z >>> 27)) * 0x94D049BB133111EB
  [hi, lo] = mul64((hi ^ (hi >>> 27)) >>> 0, (lo ^ ((lo >>> 27) | (hi << 5))) >>> 0, 0x94d049bb, 0x133111eb);
  // z ^ (z >>> 31)
  return [(hi ^ (hi >>> 31)) >>> 0, (lo ^ ((lo >>> 31) | (hi << 1))) >>> 0];
}

/** 64-bit wrapping multiply of (ah:al) by (bh:bl), on 16-bit limbs (exact in doubles). */
export function mul64(ah: number, al: number, bh: number, bl: number): [number, number] {
  const a0 = al & 0xffff,
    a1 = al >>> 16,
    b0 = bl & 0xffff,
    b1 = bl >>> 16;
  const p00 = a0 * b0,
    p01 = a0 * b1,
    p10 = a1 * b0,
    p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  const lo = (((mid & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
  const carry = p11 + Math.floor(p01 / 65536) + Math.floor(p10 / 65536) + Math.floor(mid / 65536);
  const hi = (Math.imul(ah, bl) + Math.imul(al, bh) + carry) >>> 0;
  return [hi, lo];
}

class Xoshiro implements Rng {
  readonly seed: number;
  // state: four 64-bit words as eight 32-bit halves [h0, l0, h1, l1, ...]
  private s = new Uint32Array(8);
  private spare: number | null = null;

  constructor(seed: number, stream = 0) {
    if (!Number.isSafeInteger(seed)) throw new ValueError('createRng', `seed must be a safe integer, got ${seed}`);
    this.seed = seed;
    const t = Math.trunc(Math.abs(seed));
    const st = {
      hi: ((Math.floor(t / M32) % M32) ^ Math.imul(stream, 0x9e3779b1) ^ (seed < 0 ? 0x80000000 : 0)) >>> 0,
      lo: (t % M32) >>> 0,
    };
    for (let i = 0; i < 4; i++) {
      const [h, l] = splitmix(st);
      this.s[2 * i] = h;
      this.s[2 * i + 1] = l;
    }
    if (stream !== 0) for (let i = 0; i < (stream % 7) + 1; i++) this.next32();
  }

  /** Advances the state; returns the high 32 bits of the xoshiro256** output. */
  private nextPair(): [number, number] {
    const s = this.s;
    // result = rotl(s1 * 5, 7) * 9 -- on the 64-bit word s1 = (s[2], s[3])
    let [h, l] = mul64(s[2]!, s[3]!, 0, 5);
    const rh = ((h << 7) | (l >>> 25)) >>> 0;
    const rl = ((l << 7) | (h >>> 25)) >>> 0;
    [h, l] = mul64(rh, rl, 0, 9);
    // t = s1 << 17
    const th = ((s[2]! << 17) | (s[3]! >>> 15)) >>> 0;
    const tl = (s[3]! << 17) >>> 0;
    // s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 45)
    s[4]! ^= s[0]!;
    s[5]! ^= s[1]!;
    s[6]! ^= s[2]!;
    s[7]! ^= s[3]!;
    s[2]! ^= s[4]!;
    s[3]! ^= s[5]!;
    s[0]! ^= s[6]!;
    s[1]! ^= s[7]!;
    s[4]! ^= th;
    s[5]! ^= tl;
    const h3 = s[6]!,
      l3 = s[7]!; // rotl 45 = swap halves then rotl 13
    s[6] = ((l3 << 13) | (h3 >>> 19)) >>> 0;
    s[7] = ((h3 << 13) | (l3 >>> 19)) >>> 0;
    return [h, l];
  }

  private next32(): number {
    return this.nextPair()[0];
  }

  uniform(): number {
    const [h, l] = this.nextPair();
    // the top 53 bits of the 64-bit output, (x >> 11) * 2^-53, as in the reference implementation
    return (h * 2097152 + (l >>> 11)) / 9007199254740992;
  }

  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  int(n: number): number {
    if (!Number.isSafeInteger(n) || n <= 0) throw new ValueError('Rng.int', `n must be a positive integer, got ${n}`);
    return Math.floor(this.uniform() * n);
  }

  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }

  fork(k: number): Rng {
    const base = Math.floor(this.uniform() * 2 ** 52);
    return new Xoshiro((base + k * 0x9e3779b1) % 2 ** 52, k + 1);
  }
}

/**
 * Creates the seeded generator. Same seed, same stream, on every platform.
 *
 * @example
 * ```ts
 * const rng = createRng(42);
 * rng.uniform(); // ≈ 0.083863
 * rng.int(10); // → 3
 * rng.permutation(4); // → Int32Array [0, 1, 3, 2]
 * const again = createRng(42);
 * again.uniform(); // ≈ 0.083863 (again: the stream is a function of the seed only)
 * const stream = rng.fork(1); // an independent generator, e.g. one per worker
 * ```
 */
export function createRng(seed: number): Rng {
  return new Xoshiro(seed);
}
