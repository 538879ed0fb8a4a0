/** Messages between the playground page and its training Web Worker. */
import type { TargetChoice } from './model.js';

/** Page → worker: train a Transformer with head size `mh` on the target. */
export interface TrainRequest {
  type: 'train';
  target: TargetChoice;
  mh: number;
  steps: number;
  seed: number;
  lr: number;
}

/** Worker → page: one loss value per step, then the end (or an error). */
export type TrainMessage =
  | { type: 'loss'; step: number; loss: number }
  | { type: 'done'; steps: number; finalLoss: number; stopReason: string }
  | { type: 'error'; message: string };
