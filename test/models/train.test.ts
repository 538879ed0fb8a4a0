import { describe, expect, it } from 'vitest';
import { NonFiniteError, ValueError, createRng, rand, tensor, type Tensor } from '../../src/linalg/index.js';
import {
  Adam,
  LinearRNN,
  MLP,
  SGD,
  Transformer,
  ViT,
  accuracy,
  evaluateMse,
  fullBatchLossAndGrad,
  train,
} from '../../src/models/index.js';
import { loadMnist } from '../../src/node/index.js';

/** y(t) = Σ_s softmax_s[σ √2 sin(2πx(t)) √2 sin(2πx(s))] x(s): a rank-1 target of PAPER.md §1 (F = f = id). */
function rank1Target(x: Tensor, sigma: number): Tensor {
  const [B, T] = [x.shape[0]!, x.shape[1]!],
    y = new Float64Array(B * T);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++) {
      const u = x.data[b * T + t]!;
      const w = Array.from({ length: T }, (_, s) =>
        Math.exp(2 * sigma * Math.sin(2 * Math.PI * u) * Math.sin(2 * Math.PI * x.data[b * T + s]!)),
      );
      const z = w.reduce((a, c) => a + c, 0);
      y[b * T + t] = w.reduce((a, c, s) => a + (c / z) * x.data[b * T + s]!, 0);
    }
  return { data: y, shape: [B, T] };
}

/** y(t) = Σ_{s≤t} 0.5^s x(t−s): exactly a one-unit linear RNN. */
function expMemory(x: Tensor): Tensor {
  const [B, T] = [x.shape[0]!, x.shape[1]!],
    y = new Float64Array(B * T);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++) {
      let s = 0;
      for (let u = 0; u <= t; u++) s += 0.5 ** u * x.data[b * T + t - u]!;
      y[b * T + t] = s;
    }
  return { data: y, shape: [B, T] };
}

const cfg = {
  d: 1,
  n: 8,
  mh: 2,
  mv: 4,
  ffnWidth: 16,
  ffnDepth: 1,
  positionEncoding: 'none',
  activation: 'tanh',
} as const;

describe('train', () => {
  it('a fixed-seed run reproduces its stored first losses (numerics snapshot)', () => {
    const x = rand(createRng(11), [32, 8, 1]),
      y = rank1Target(x, 1);
    const r = train(
      new Transformer(cfg, { seed: 12 }),
      { x, y },
      { optimizer: new Adam({ lr: 1e-2 }), batchSize: 8, maxSteps: 5, seed: 13 },
    );
    expect(r.history).toBeAllclose(
      [0.2548982059750848, 0.12904803223042272, 0.030172620361536385, 0.07338836314184972, 0.09715262384082046],
      { rtol: 1e-11, atol: 0 },
    );
    expect(r.steps).toBe(5);
    expect(r.stopReason).toBe('maxSteps');
  });

  it('reduces the loss on a learnable rank-1 attention task (Adam, then L-BFGS polish)', () => {
    const x = rand(createRng(1), [64, 8, 1]),
      y = rank1Target(x, 1);
    const model = new Transformer(cfg, { seed: 2 });
    const before = evaluateMse(model, x, y);
    const r = train(
      model,
      { x, y },
      { optimizer: new Adam({ lr: 1e-2 }), batchSize: 16, maxSteps: 150, seed: 3, lbfgsPolish: { maxIter: 40 } },
    );
    expect(r.finalLoss).toBeLessThan(0.2 * before);
    expect(r.finalLoss).toBeCloseTo(evaluateMse(model, x, y), 12);
    expect(r.lbfgs?.iterations).toBeGreaterThan(0);
    expect(r.history.length).toBe(r.steps);
    expect(r.seconds).toBeGreaterThan(0);
  });

  it('full-batch L-BFGS drives an exactly representable RNN target to machine-precision loss', () => {
    const x = rand(createRng(4), [16, 12, 1]),
      y = expMemory(x);
    const model = new LinearRNN({ d: 1, hidden: 2 }, { seed: 5 });
    const r = train(model, { x, y }, { optimizer: 'lbfgs', batchSize: 16, maxSteps: 300, seed: 0 });
    expect(r.finalLoss).toBeLessThan(1e-18);
    expect(r.stopReason).toBe('converged');
    expect(model.kernels(4).data).toBeAllclose([1, 0.5, 0.25, 0.125], { rtol: 1e-8, atol: 1e-9 });
  });

  it('stops on a plateau, on a target loss, and passes progress to the callback', () => {
    const x = rand(createRng(6), [16, 4, 1]),
      y = expMemory(x);
    const seen: number[] = [];
    const r1 = train(
      new LinearRNN({ d: 1, hidden: 2 }),
      { x, y },
      {
        optimizer: new SGD({ lr: 1e-9 }),
        batchSize: 16,
        maxSteps: 100,
        seed: 0,
        plateau: { window: 5, rtol: 1e-3 },
        onProgress: (p) => seen.push(p.step),
      },
    );
    expect(r1.stopReason).toBe('plateau');
    expect(r1.steps).toBe(10);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const r2 = train(
      new LinearRNN({ d: 1, hidden: 2 }),
      { x, y },
      { optimizer: new Adam({ lr: 1e-2 }), batchSize: 16, maxSteps: 100, seed: 0, targetLoss: 1e9 },
    );
    expect(r2.stopReason).toBe('converged');
    expect(r2.steps).toBe(1);
  });

  it('the plateau rule does not fire while the loss still falls by more than rtol per window', () => {
    const x = rand(createRng(6), [16, 4, 1]),
      y = expMemory(x);
    const r = train(
      new LinearRNN({ d: 1, hidden: 2 }, { seed: 1 }),
      { x, y },
      { optimizer: new Adam({ lr: 1e-2 }), batchSize: 16, maxSteps: 40, seed: 0, plateau: { window: 5, rtol: 1e-3 } },
    );
    // full batch, steadily decreasing: every window's mean is more than 0.1% below the one before
    for (let i = 10; i <= r.history.length; i++) {
      const prev = r.history.slice(i - 10, i - 5).reduce((a, b) => a + b, 0),
        last = r.history.slice(i - 5, i).reduce((a, b) => a + b, 0);
      expect(prev - last).toBeGreaterThan(1e-3 * prev);
    }
    expect(r.stopReason).toBe('maxSteps');
    expect(r.steps).toBe(40);
    // the same run with a loose rtol stops exactly at the first window pair that falls by at most rtol
    const loose = train(
      new LinearRNN({ d: 1, hidden: 2 }, { seed: 1 }),
      { x, y },
      { optimizer: new Adam({ lr: 1e-2 }), batchSize: 16, maxSteps: 40, seed: 0, plateau: { window: 5, rtol: 0.9 } },
    );
    expect(loose.stopReason).toBe('plateau');
    expect(loose.steps).toBe(10);
    expect(loose.history).toEqual(r.history.slice(0, 10));
  });

  it('a diverging run throws NonFiniteError and keeps the last finite parameters', () => {
    const x = rand(createRng(7), [8, 3, 1], 0, 1e100),
      y = tensor(new Float64Array(24).fill(1e200), [8, 3]);
    const model = new MLP({ inDim: 1, width: 2, depth: 0, outDim: 1 });
    const xs = { data: x.data, shape: [24, 1] },
      ys = { data: y.data, shape: [24, 1] };
    expect(() =>
      train(model, { x: xs, y: ys }, { optimizer: new SGD({ lr: 1e10 }), batchSize: 24, maxSteps: 50, seed: 0 }),
    ).toThrow(NonFiniteError);
    for (const t of Object.values(model.params)) for (const v of t.data) expect(Number.isFinite(v)).toBe(true);
  });

  it('rejects mismatched data, unknown options and the wrong label kind', () => {
    const x = rand(createRng(0), [4, 3, 1]);
    const m = new LinearRNN({ d: 1, hidden: 2 });
    expect(() =>
      train(
        m,
        { x, y: rand(createRng(0), [5, 3]) },
        { optimizer: new Adam({ lr: 1 }), batchSize: 2, maxSteps: 1, seed: 0 },
      ),
    ).toThrow(/4 inputs but 5 targets/);
    expect(() =>
      train(m, { x, y: rand(createRng(0), [4, 3]) }, {
        optimizer: new Adam({ lr: 1 }),
        batchSize: 2,
        maxSteps: 1,
        seed: 0,
        epochs: 3,
      } as never),
    ).toThrow(/unknown config key 'epochs'/);
    expect(() =>
      train(m, { x, y: new Int32Array(4) }, { optimizer: new Adam({ lr: 1 }), batchSize: 2, maxSteps: 1, seed: 0 }),
    ).toThrow(ValueError);
    expect(() =>
      train(
        m,
        { x, y: rand(createRng(0), [4, 3]) },
        { optimizer: new Adam({ lr: 1 }), batchSize: 2, maxSteps: 1, seed: 0, plateau: { window: 0, rtol: 0.1 } },
      ),
    ).toThrow(/plateau.window must be an integer >= 1, got 0/);
    // options of the first-order phase were silently ignored with L-BFGS alone
    expect(() =>
      train(
        m,
        { x, y: rand(createRng(0), [4, 3]) },
        { optimizer: 'lbfgs', batchSize: 4, maxSteps: 1, seed: 0, plateau: { window: 5, rtol: 0.1 } },
      ),
    ).toThrow(/^train: option plateau has no effect with optimizer 'lbfgs'/);
    expect(() =>
      train(
        m,
        { x, y: rand(createRng(0), [4, 3]) },
        { optimizer: 'lbfgs', batchSize: 4, maxSteps: 1, seed: 0, targetLoss: 0, lbfgsPolish: { maxIter: 3 } },
      ),
    ).toThrow(/option targetLoss, lbfgsPolish has no effect/);
  });

  it('accuracy counts arg-max hits exactly and rejects NaN logits (they used to vote for class 0)', () => {
    const m = new MLP({ inDim: 2, width: 1, depth: 0, outDim: 2 });
    m.params = {
      '0.weight': tensor([
        [1, 0],
        [0, 1],
      ]),
      '0.bias': tensor([0, 0]),
    }; // identity: logits = inputs
    const x = tensor([
      [1, 0],
      [0, 1],
      [2, 3],
      [5, -1],
    ]);
    expect(accuracy(m, x, Int32Array.of(0, 1, 1, 1))).toBe(0.75);
    expect(accuracy(m, x, Int32Array.of(0, 1, 1, 0), 3)).toBe(1); // chunked prediction gives the same
    m.params = {
      '0.weight': tensor([
        [Number.NaN, 0],
        [0, 1],
      ]),
      '0.bias': tensor([0, 0]),
    };
    expect(() => accuracy(m, x, Int32Array.of(0, 0, 0, 0))).toThrow(
      /^accuracy: the model output contains a non-finite value NaN at flat index 0/,
    );
    // a zero or fractional chunk size used to loop forever
    expect(() => accuracy(m, x, Int32Array.of(0, 0, 0, 0), 0)).toThrow(
      /^predict: batchSize must be an integer >= 1, got 0/,
    );
    expect(() => evaluateMse(m, x, x, 1.5)).toThrow(ValueError);
    expect(() => fullBatchLossAndGrad(m, { x, y: x }, m.params, 'mse', 0)).toThrow(
      /^fullBatchLossAndGrad: chunk must be an integer >= 1/,
    );
  });

  it('trains a small ViT on MNIST digits with cross-entropy and reports accuracy', () => {
    const { train: tr, test } = loadMnist({ seed: 0, trainSize: 256, testSize: 128 });
    const vit = new ViT({ patch: 7, dim: 16, depth: 1, heads: 2, mh: 4, mlpWidth: 32 }, { seed: 1 });
    const acc0 = accuracy(vit, test.images, test.labels);
    const r = train(
      vit,
      { x: tr.images, y: tr.labels },
      { optimizer: new Adam({ lr: 3e-3 }), batchSize: 32, maxSteps: 60, seed: 2, loss: 'crossEntropy' },
    );
    const acc = accuracy(vit, test.images, test.labels);
    expect(r.history[r.history.length - 1]!).toBeLessThan(r.history[0]!);
    expect(acc).toBeGreaterThan(Math.max(acc0, 0.3));
  });
});
