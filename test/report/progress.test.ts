import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/report/progress.js';

function sink(tty: boolean): { out: string[]; s: { write: (x: string) => number; isTTY: boolean } } {
  const out: string[] = [];
  return { out, s: { write: (x: string) => out.push(x), isTTY: tty } };
}

describe('progress display', () => {
  it('plain lines with elapsed time and ETA when not a TTY', () => {
    let t = 0;
    const { out, s } = sink(false);
    const p = createProgress(s, () => t);
    t = 10;
    p.update({ done: 1, total: 4, label: 'mh=1' });
    t = 20;
    p.update({ done: 4, total: 4, label: 'mh=8' });
    expect(out).toEqual(['[1/4] mh=1 (elapsed 10 s, ETA 30 s)\n', '[4/4] mh=8 (elapsed 20 s)\n']);
  });
  it('a redrawn bar with ETA on a TTY, cleared before log lines', () => {
    let t = 0;
    const { out, s } = sink(true);
    const p = createProgress(s, () => t);
    t = 5;
    p.update({ done: 2, total: 8, label: 'x' });
    p.log('hello');
    p.finish();
    expect(out[0]).toBe(`\r\x1b[K[${'#'.repeat(6)}${'.'.repeat(18)}] 2/8 ETA 15 s  x`);
    expect(out.slice(1)).toEqual(['\r\x1b[K', 'hello\n']);
  });
  it('weighs the ETA by work when given', () => {
    let t = 0;
    const { out, s } = sink(false);
    const p = createProgress(s, () => t);
    t = 30;
    p.update({ done: 1, total: 10, label: 'big', work: 30, totalWork: 40 });
    expect(out[0]).toBe('[1/10] big (elapsed 30 s, ETA 10 s)\n');
  });
});
