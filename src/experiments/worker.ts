/**
 * Worker-thread entry point of the point pool (compiled to dist/experiments/worker.js): receives
 * `{ id, name, config, params }`, runs the experiment's `runPoint`, replies `{ id, ok, result, cpuSeconds }`
 * or `{ id, ok: false, error }`.
 */
import { parentPort } from 'node:worker_threads';
import { withThreadCpu } from './cpu.js';
import { getExperiment } from './registry.js';

const port = parentPort;
if (port === null) throw new Error('worker.ts must run in a worker thread');
port.on('message', (m: { id: number; name: string; config: never; params: never }) => {
  try {
    const { value: result, cpuSeconds } = withThreadCpu(() => getExperiment(m.name).runPoint(m.config, m.params));
    port.postMessage({ id: m.id, ok: true, result, cpuSeconds });
  } catch (e) {
    const err = e as Error;
    port.postMessage({ id: m.id, ok: false, error: `${err.name}: ${err.message}` });
  }
});
