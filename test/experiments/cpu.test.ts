/**
 * Per-thread CPU accounting (src/experiments/cpu.ts) and its use by the runners and the report:
 * a busy thread's clock advances with its work, a sleeping thread's does not (so the clock is not
 * wall time), and an experiment's report line says "CPU time" only when every point carries one.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { threadCpuSeconds, withThreadCpu } from '../../src/experiments/cpu.js';
import { createRunner } from '../../src/experiments/pool.js';
import { getExperiment } from '../../src/experiments/registry.js';
import { runExperiment } from '../../src/experiments/runner.js';
import { timeLine } from '../../src/report/markdown.js';
import { ensureDist, ROOT } from '../helpers/build-dist.js';

const linux = process.platform === 'linux';

/** Spins for `ms` of wall time and returns a value that depends on the work (so it is not elided). */
function spin(ms: number): number {
  const end = performance.now() + ms;
  let x = 0;
  while (performance.now() < end) for (let i = 0; i < 1000; i++) x += Math.sqrt(i + x);
  return x;
}

describe.runIf(linux)('threadCpuSeconds (Linux /proc/thread-self/stat)', () => {
  it('advances by about the work done while spinning, and by almost nothing while sleeping', () => {
    const busy = withThreadCpu(() => spin(300));
    expect(busy.cpuSeconds).toBeDefined();
    // on a loaded machine the thread may get less than the wall time, never more (+ one 10 ms tick)
    expect(busy.cpuSeconds!).toBeGreaterThan(0.02);
    expect(busy.cpuSeconds!).toBeLessThanOrEqual(0.3 + 0.02);
    const sleep = withThreadCpu(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300));
    expect(sleep.value).toBe('timed-out');
    expect(sleep.cpuSeconds!).toBeLessThanOrEqual(0.03); // a wall-time clock would give 0.3
  });

  it('is monotone', () => {
    const a = threadCpuSeconds()!;
    spin(30);
    expect(threadCpuSeconds()!).toBeGreaterThanOrEqual(a);
  });
});

describe.runIf(linux)('runners record the thread CPU time of every point', () => {
  const check = (r: { timing: { points: { seconds: number; cpuSeconds?: number }[] } }): void => {
    expect(r.timing.points.length).toBeGreaterThan(0);
    for (const p of r.timing.points) {
      expect(p.cpuSeconds).toBeGreaterThanOrEqual(0);
      expect(p.cpuSeconds!).toBeLessThanOrEqual(p.seconds + 0.02); // one thread cannot use more CPU than wall time
    }
  };
  it('inline runner', async () => {
    const e = getExperiment('no-order');
    const runner = createRunner({ workers: 1, inline: true });
    expect(runner.mode).toBe('inline');
    check(await runExperiment(e, e.presets.tiny, { preset: 'tiny', runner }));
  });
  it('worker-thread pool (compiled dist/, where the worker script exists)', async () => {
    ensureDist();
    const dist = (f: string): string => pathToFileURL(join(ROOT, 'dist', 'experiments', f)).href;
    const pool = (await import(dist('pool.js'))) as typeof import('../../src/experiments/pool.js');
    const reg = (await import(dist('registry.js'))) as typeof import('../../src/experiments/registry.js');
    const run = (await import(dist('runner.js'))) as typeof import('../../src/experiments/runner.js');
    const e = reg.getExperiment('no-order');
    const runner = pool.createRunner({ workers: 2 });
    expect(runner.mode).toBe('threads');
    try {
      check(await run.runExperiment(e, e.presets.tiny, { preset: 'tiny', runner }));
    } finally {
      await runner.close();
    }
  }, 120_000);
});

describe('timeLine', () => {
  it('says CPU time (their sum) only when every point has a CPU time, else compute time', () => {
    expect(
      timeLine([
        { seconds: 5, cpuSeconds: 2 },
        { seconds: 5, cpuSeconds: 1.5 },
      ]),
    ).toMatch(/^CPU time: 3\.5 s\b/);
    const mixed = timeLine([{ seconds: 5, cpuSeconds: 2 }, { seconds: 4 }]);
    expect(mixed).toMatch(/^Compute time: 9(\.0)? s\b/);
    expect(mixed).not.toMatch(/^CPU time/);
    expect(timeLine([])).toMatch(/^Compute time/);
  });
});
