import { describe, expect, test } from 'vitest';
import { qr, svd, svdvals } from '../../../src/linalg/decomp/index.js';
import { tensor } from '../../../src/linalg/tensor.js';

describe('decomp smoke (hand-checked values)', () => {
  test('svd of [[3,0],[4,5]]: σ = √45, √5', () => {
    const { u, s, vt } = svd(
      tensor([
        [3, 0],
        [4, 5],
      ]),
    );
    expect(s).toBeAllclose(tensor([Math.sqrt(45), Math.sqrt(5)]), { rtol: 1e-15 });
    expect(
      svdvals(
        tensor([
          [3, 0],
          [4, 5],
        ]),
      ),
    ).toBeAllclose(s, { rtol: 1e-15 });
    const rec = [0, 1].map((i) =>
      [0, 1].map((j) => u.data[i * 2]! * s.data[0]! * vt.data[j]! + u.data[i * 2 + 1]! * s.data[1]! * vt.data[2 + j]!),
    );
    expect(tensor(rec)).toBeAllclose(
      tensor([
        [3, 0],
        [4, 5],
      ]),
      { atol: 1e-14 },
    );
  });
  test('qr shapes and R upper triangular', () => {
    const a = tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const { q, r } = qr(a);
    expect(q.shape).toEqual([3, 2]);
    expect(r.shape).toEqual([2, 2]);
    expect(r.data[2]).toBe(0);
    const c = qr(a, { mode: 'complete' });
    expect(c.q.shape).toEqual([3, 3]);
    expect(c.r.shape).toEqual([3, 2]);
  });
});
