import { describe, expect, it } from 'vitest';
import { createRng, rand } from '../../src/linalg/index.js';
import { LinearRNN } from '../../src/models/index.js';
import { fitRegression } from '../../src/experiments/fit.js';

describe('fitRegression', () => {
  const rng = createRng(3);
  const x = rand(rng, [8, 5, 1]),
    y = rand(rng, [8, 5]);

  it('runs L-BFGS alone without an Adam learning rate, and never raises the loss', () => {
    const model = new LinearRNN({ d: 1, hidden: 4 }, { seed: 1 });
    const rep = fitRegression(model, x, y, { adamSteps: 0, lbfgsIter: 20, gtol: 1e-12 });
    expect(rep.adamSteps).toBe(0);
    expect(rep.lbfgsIterations).toBeGreaterThan(0);
    expect(rep.finalLoss).toBeLessThan(rep.initialLoss);
  });

  it('asks for a learning rate when Adam steps are requested', () => {
    const model = new LinearRNN({ d: 1, hidden: 4 }, { seed: 1 });
    expect(() => fitRegression(model, x, y, { adamSteps: 5, lbfgsIter: 0, gtol: 1e-12 })).toThrow(
      /fitRegression: adamSteps is 5 but no Adam learning rate/,
    );
  });
});
