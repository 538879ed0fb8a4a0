/**
 * The playground's training worker: fits the paper's one-layer Transformer (d = 1, no position
 * encoding, tanh FFNs) to the chosen target with Adam, posting the mini-batch loss of every step.
 */
import { createRng, rand } from '../../src/linalg/index.js';
import { Adam, Transformer, train } from '../../src/models/index.js';
import { targetOf } from './model.js';
import type { TrainMessage, TrainRequest } from './protocol.js';

const post = (m: TrainMessage): void => (self as unknown as { postMessage(m: TrainMessage): void }).postMessage(m);

self.onmessage = (e: MessageEvent<TrainRequest>): void => {
  const r = e.data;
  try {
    const target = targetOf(r.target);
    const x = rand(createRng(r.seed), [256, r.target.tau, 1]);
    const y = target.evaluate(x);
    const model = new Transformer(
      { d: 1, n: 8, mh: r.mh, mv: 8, ffnWidth: 16, ffnDepth: 1, positionEncoding: 'none', activation: 'tanh' },
      { seed: r.seed + 1 },
    );
    const res = train(
      model,
      { x, y },
      {
        optimizer: new Adam({ lr: r.lr }),
        batchSize: 32,
        maxSteps: r.steps,
        seed: r.seed + 2,
        onProgress: (p) => post({ type: 'loss', step: p.step, loss: p.loss }),
      },
    );
    post({ type: 'done', steps: res.steps, finalLoss: res.finalLoss, stopReason: res.stopReason });
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};
