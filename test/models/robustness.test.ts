/**
 * Regression tests of issue 14 (models items): wrong shapes accepted (lbfgs, evaluateMse),
 * non-finite hyper-parameters, unclear or misleading errors in train / Transformer / lbfgs, and
 * whether training names the data or the parameters when something goes non-finite.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NonFiniteError, SeqrateError, ShapeError, ValueError, tensor, zeros } from '../../src/linalg/index.js';
import { Adam, AdamW, MLP, SGD, Transformer, evaluateMse, lbfgs, train } from '../../src/models/index.js';

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw, but it returned');
}

const tiny = (): MLP => new MLP({ inDim: 1, width: 4, depth: 1, outDim: 1 }, { seed: 0 });
const data = { x: tensor([[1], [2], [3], [4]]), y: tensor([[1], [2], [3], [4]]) };

describe('wrong shapes are refused (item 11)', () => {
  it('lbfgs with a gradient of the wrong length is a ShapeError (any length ≠ n, property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 6 }), (n, len) => {
        if (len === n) return;
        const e = thrown(() => lbfgs(() => ({ f: 1, g: new Float64Array(len) }), new Float64Array(n)));
        expect(e).toBeInstanceOf(ShapeError);
        expect(e.message).toContain(`lbfgs: the gradient has ${len} entries but x has ${n}`);
      }),
      { numRuns: 50 },
    );
  });

  it('lbfgs with a gradient that turns short during the line search', () => {
    let calls = 0;
    const fg = (x: Float64Array) => ({
      f: x[0]! ** 2 + x[1]! ** 2,
      g: ++calls > 1 ? Float64Array.of(2 * x[0]!) : Float64Array.of(2 * x[0]!, 2 * x[1]!),
    });
    expect(() => lbfgs(fg, Float64Array.of(1, 1))).toThrow(/the gradient has 1 entries but x has 2/);
  });

  it('evaluateMse with transposed targets (5, 16) against outputs (16, 5)', () => {
    const m = new MLP({ inDim: 1, width: 2, depth: 1, outDim: 5 });
    const e = thrown(() => evaluateMse(m, zeros([16, 1]), zeros([5, 16])));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toMatch(/^evaluateMse: outputs have shape \(16, 5\) but targets \(5, 16\)/);
    expect(evaluateMse(m, zeros([16, 1]), zeros([16, 5]))).toBeGreaterThanOrEqual(0);
  });
});

describe('hyper-parameters must be finite and in range (item 13)', () => {
  it.each([
    [
      'Adam eps Infinity',
      () => new Adam({ lr: 0.1, eps: Infinity }),
      /^Adam: eps must be a finite number > 0, got Infinity/,
    ],
    [
      'Adam beta2 NaN',
      () => new Adam({ lr: 0.1, beta2: NaN }),
      /^Adam: beta2 must be a finite number >= 0 and < 1, got NaN/,
    ],
    [
      'AdamW clipNorm Infinity',
      () => new AdamW({ lr: 0.1, clipNorm: Infinity }),
      /clipNorm must be a finite number > 0/,
    ],
    ['Adam without lr', () => new Adam({} as never), /^Adam: lr is required/],
    [
      "Adam lr '0.1'",
      () => new Adam({ lr: '0.1' as never }),
      /^Adam: lr must be a finite number > 0, got '0.1' \(a string\)/,
    ],
    [
      'SGD weightDecay Infinity',
      () => new SGD({ lr: 0.1, weightDecay: Infinity }),
      /^SGD: weightDecay must be a finite number >= 0/,
    ],
    [
      'lbfgs gtol NaN',
      () => lbfgs(() => ({ f: 0, g: new Float64Array(1) }), new Float64Array(1), { gtol: NaN }),
      /^lbfgs: gtol must be/,
    ],
  ])('%s', (_n, f, re) => {
    const e = thrown(f);
    expect(e).toBeInstanceOf(ValueError);
    expect(e.message).toMatch(re);
  });
});

describe('clear, typed errors (items 6, 15, 16)', () => {
  it("train with optimizer 'adam' says which optimisers are accepted", () => {
    const e = thrown(() => train(tiny(), data, { optimizer: 'adam' as never, batchSize: 2, maxSteps: 2, seed: 0 }));
    expect(e).toBeInstanceOf(ValueError);
    expect(e.message).toMatch(
      /^train: optimizer must be an optimiser object \(new Adam\(\{ lr \}\).*or the string 'lbfgs', got 'adam' \(a string\)/,
    );
  });

  it("train with loss 'mae' names the allowed losses (not crossEntropy labels)", () => {
    const e = thrown(() =>
      train(tiny(), data, {
        optimizer: new SGD({ lr: 0.01 }),
        loss: 'mae' as never,
        batchSize: 2,
        maxSteps: 1,
        seed: 0,
      }),
    );
    expect(e).toBeInstanceOf(ValueError);
    expect(e.message).toBe("train: loss must be one of 'mse', 'crossEntropy', got 'mae' (a string)");
  });

  it("Transformer({ n: '4' }) shows the string, not 'got 4'", () => {
    const e = thrown(
      () =>
        new Transformer({ d: 1, n: '4' as never, mh: 2, mv: 2, ffnWidth: 4, ffnDepth: 1, positionEncoding: 'none' }),
    );
    expect(e).toBeInstanceOf(ValueError);
    expect(e.message).toBe("Transformer: n must be an integer >= 1, got '4' (a string)");
  });

  it('a Transformer beyond the element cap names the model and the count', () => {
    const e = thrown(
      () => new Transformer({ d: 1, n: 1e6, mh: 4, mv: 1e6, ffnWidth: 1e6, ffnDepth: 1, positionEncoding: 'none' }),
    );
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toMatch(/^Transformer: the result would hold 1000000000000 elements/);
  });

  it('lbfgs on an objective unbounded below stops without leaking line-search internals', () => {
    const r = lbfgs((x) => ({ f: -Math.exp(x[0]!), g: Float64Array.of(-Math.exp(x[0]!)) }), Float64Array.of(0));
    expect(r.reason).toBe('lineSearchFailed');
    expect(Number.isFinite(r.f)).toBe(true);
  });

  it('NaN in the targets or inputs is named as data before any step', () => {
    const y = tensor([[1], [2], [NaN], [4]]);
    const e = thrown(() =>
      train(tiny(), { x: data.x, y }, { optimizer: new SGD({ lr: 0.01 }), batchSize: 2, maxSteps: 2, seed: 0 }),
    );
    expect(e).toBeInstanceOf(NonFiniteError);
    expect(e.message).toBe(
      'train: the targets data.y contains a non-finite value NaN at flat index 2; the data must be finite',
    );
    const x = tensor([[1], [Infinity], [3], [4]]);
    expect(() => train(tiny(), { x, y: data.y }, { optimizer: 'lbfgs', batchSize: 4, maxSteps: 2, seed: 0 })).toThrow(
      /^train: the inputs data.x contains a non-finite value Infinity at flat index 1/,
    );
  });

  it('an SGD divergence names training, the step and the parameters', () => {
    const e = thrown(() =>
      train(new MLP({ inDim: 1, width: 8, depth: 1, outDim: 1 }), data, {
        optimizer: new SGD({ lr: 1e6 }),
        batchSize: 4,
        maxSteps: 100,
        seed: 0,
      }),
    );
    expect(e).toBeInstanceOf(NonFiniteError);
    expect(e.message).toMatch(
      /^train: sgd \(first-order\) step \d+ contains a non-finite value .*the data are finite, so the parameters or the loss diverged/,
    );
  });

  it('plain objects that are not tensors in the data are typed errors', () => {
    expect(() =>
      train(
        tiny(),
        { x: [[1]] as never, y: data.y },
        { optimizer: new SGD({ lr: 0.1 }), batchSize: 1, maxSteps: 1, seed: 0 },
      ),
    ).toThrow(SeqrateError);
  });
});
