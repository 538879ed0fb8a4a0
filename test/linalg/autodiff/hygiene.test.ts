/**
 * Tape hygiene: 10,000 training steps of a small MLP do not grow the heap. The garbage collector
 * is exposed at run time (v8 flag + a fresh vm context), so the measurement is exact enough for a
 * bound that fails: a control run that merely keeps each step's gradients alive (what a leaking
 * tape would do) must exceed the same bound.
 */
import { describe, expect, it } from 'vitest';
import v8 from 'node:v8';
import vm from 'node:vm';
import { valueAndGrad } from '../../../src/linalg/autodiff/index.js';
import * as O from '../../../src/linalg/ops/index.js';
import type { Tensor } from '../../../src/linalg/tensor.js';
import { seeded } from '../../helpers/gradcheck-cases.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

type P = Record<string, Tensor>;
const x = seeded([16, 4], 1),
  y = seeded([16, 1], 2);
const loss = (p: P): Tensor => O.mse(O.add(O.matmul(O.tanh(O.add(O.matmul(x, p.w1!), p.b1!)), p.w2!), p.b2!), y);
const step = valueAndGrad(loss);

function train(params: P, steps: number, keep?: unknown[]): P {
  let p = params;
  for (let s = 0; s < steps; s++) {
    const { grads } = step(p);
    if (keep) keep.push(grads);
    const next: P = {};
    for (const k of Object.keys(p)) next[k] = O.sub(p[k]!, O.mul(grads[k]!, 0.05));
    p = next;
  }
  return p;
}

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('tape hygiene', () => {
  it('10,000 SGD steps of a small MLP: heap growth stays under 2 MB, loss decreases; a leak would exceed it', () => {
    let p: P = {
      w1: seeded([4, 8], 3, 0.5),
      b1: seeded([8], 4, 0.1),
      w2: seeded([8, 1], 5, 0.5),
      b2: seeded([1], 6, 0.1),
    };
    const l0 = loss(p).data[0]!;
    p = train(p, 1000); // warm-up: JIT, caches
    const h0 = heapAfterGc();
    p = train(p, 9000);
    const h1 = heapAfterGc();
    expect(h1 - h0).toBeLessThan(2e6);
    expect(loss(p).data[0]!).toBeLessThan(l0 / 2);

    // Control: retaining each step's gradients (≈ 0.4 KB of data per step) exceeds the bound.
    const keep: unknown[] = [];
    const c0 = heapAfterGc();
    train(p, 9000, keep);
    const c1 = heapAfterGc();
    expect(keep.length).toBe(9000);
    expect(c1 - c0).toBeGreaterThan(2e6);
  });
});
