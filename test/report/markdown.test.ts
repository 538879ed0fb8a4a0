/**
 * report.md timing and references (issue 11 "Report"): each experiment states its compute time
 * (the sum of its points' run times), the header the run's wall time, named as such; report.md links
 * docs/REPRODUCE.md.
 */
import { describe, expect, it } from 'vitest';
import { buildResultsFile } from '../../src/report/index.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import type { ExperimentResult } from '../../src/report/schema.js';

function experiment(name: string, pointSeconds: number[], totalSeconds: number): ExperimentResult {
  return {
    name,
    title: name,
    paperRef: 'Fig. 5',
    preset: 'quick',
    seed: 1,
    config: { seed: 1 },
    choices: [],
    data: {},
    tables: [],
    figures: [],
    notes: [],
    checks: [{ id: 'c', claim: 'x', pass: true, verdict: 'reproduced', numbers: {}, explanation: 'y' }],
    paperVerdict: { item: 'Fig. 5', verdict: 'reproduced', summary: 's' },
    timing: { totalSeconds, points: pointSeconds.map((s, i) => ({ key: `p${i}`, seconds: s })) },
  };
}

describe('report.md timings', () => {
  it("per experiment: compute time summed over points; header: the run's wall time", () => {
    // two experiments sharing 2 workers for 119.6 s: 150 s and 90 s of point time
    const f = buildResultsFile({
      preset: 'quick',
      seed: 1,
      version: '0',
      experiments: [experiment('a', [100, 50], 119.6), experiment('b', [60, 30], 110)],
      run: {
        startedAt: '2026-01-01T00:00:00.000Z',
        totalSeconds: 119.6,
        workers: 2,
        node: 'v20',
        platform: 'linux-x64',
        cpus: 2,
        command: 'seqrate reproduce',
      },
    });
    const md = renderMarkdown(f);
    expect(md).toContain('wall time of the whole run 2 min 00 s');
    expect(md).toMatch(/Compute time: 2 min 30 s, the sum of the run times of its 2 sweep point\(s\)/);
    expect(md).toMatch(/Compute time: 1 min 30 s, the sum/);
    expect(md).not.toMatch(/Wall time:/);
    expect(md).not.toMatch(/60 s/);
    expect(md).toContain('[docs/REPRODUCE.md](../docs/REPRODUCE.md)');
    expect(md).not.toMatch(/PAPER\.md/);
    expect(md).toMatch(/^- preset: `quick`, seed 1,/m);
    const changed = renderMarkdown({ ...f, run: { ...f.run, command: 'seqrate run a --quick --set x.y=2' } });
    expect(changed).toMatch(/^- preset: `quick` \*\*changed by --set\*\* \(see the command;/m);
  });
});
