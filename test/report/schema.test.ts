import { describe, expect, it } from 'vitest';
import {
  S,
  validate,
  experimentResultSchema,
  resultsFileSchema,
  type ExperimentResult,
} from '../../src/report/schema.js';
import { buildResultsFile, reportFiles } from '../../src/report/index.js';
import { renderMarkdown } from '../../src/report/markdown.js';

export function sampleExperiment(): ExperimentResult {
  return {
    name: 'demo',
    title: 'Demo',
    paperRef: 'Table 2',
    preset: 'tiny',
    seed: 1,
    config: { lr: 1e-3, sizes: [1, 2], nested: { a: 'x' } },
    choices: ['causal filter'],
    data: { mse: [1e-3, null] },
    tables: [
      {
        title: 'MSE',
        columns: ['model', 'ours', 'paper'],
        rows: [
          ['RNN', 1.2e-7, '1.02e-7'],
          ['T', null, 'x|y'],
        ],
      },
    ],
    figures: [
      {
        file: 'figures/demo.svg',
        caption: 'bars',
        spec: {
          kind: 'bar',
          title: 't',
          yLabel: 'MSE',
          yScale: 'log',
          categories: ['a'],
          groups: [{ label: 'g', values: [1e-3] }],
        },
      },
    ],
    checks: [
      {
        id: 'ok',
        claim: 'it works',
        pass: true,
        verdict: 'reproduced',
        numbers: { ratio: 12.5, kind: 'x' },
        explanation: 'because',
        paper: '3.5e4',
      },
      {
        id: 'bad',
        claim: 'it fails',
        pass: false,
        verdict: 'unresolved',
        numbers: { mse: 0.5 },
        explanation: 'optimisation error dominates',
      },
    ],
    paperVerdict: { item: 'Table 2', verdict: 'unresolved', summary: 'RNN ×1 under ordering' },
    notes: ['a note'],
    timing: { totalSeconds: 1.5, points: [{ key: 'p1', seconds: 1.5 }] },
  };
}

const run = {
  startedAt: '2026-01-01T00:00:00.000Z',
  totalSeconds: 2,
  workers: 2,
  node: 'v20',
  platform: 'linux',
  cpus: 2,
  command: 'seqrate reproduce',
};

describe('results schema', () => {
  it('accepts a well-formed file, also after a JSON round trip', () => {
    const f = buildResultsFile({ preset: 'tiny', seed: 1, version: '0.1.0', experiments: [sampleExperiment()], run });
    expect(validate(f)).toEqual([]);
    expect(validate(JSON.parse(JSON.stringify(f)))).toEqual([]);
    expect(f.summary).toEqual({ checks: 2, passed: 1, failed: 1, errors: 0 });
  });
  it('names the path of every problem', () => {
    const e = sampleExperiment() as unknown as Record<string, unknown>;
    delete e.title;
    (e.checks as { pass: unknown }[])[0]!.pass = 'yes';
    (e.data as Record<string, unknown>).bad = NaN;
    e.extra = 1;
    const errs = validate(e, experimentResultSchema);
    expect(errs).toContain('$.title: missing');
    expect(errs).toContain('$.checks[0].pass: expected boolean, got string');
    expect(errs).toContain('$.data.bad: expected finite number, got NaN');
    expect(errs).toContain('$.extra: unexpected field');
  });
  it('rejects a wrong version and a bad figure kind', () => {
    const f = buildResultsFile({
      preset: 'tiny',
      seed: 1,
      version: '0.1.0',
      experiments: [sampleExperiment()],
      run,
    }) as unknown as Record<string, unknown>;
    f.schemaVersion = 99;
    ((f.experiments as ExperimentResult[])[0]!.figures[0]!.spec as unknown as Record<string, unknown>).kind = 'pie';
    const errs = validate(f, resultsFileSchema);
    expect(errs.some((s) => s.startsWith('$.schemaVersion'))).toBe(true);
    expect(errs.some((s) => s.includes('figures[0].spec.kind'))).toBe(true);
  });
  it('combinators: oneOf, arr, int', () => {
    expect(validate([1, 'a'], S.arr(S.oneOf(S.num, S.str)))).toEqual([]);
    expect(validate([true], S.arr(S.oneOf(S.num, S.str)))[0]).toMatch(/^\$\[0\]: no alternative matched/);
    expect(validate(1.5, S.int)).toEqual(['$: expected integer, got 1.5']);
  });
});

describe('verdicts (schema v2)', () => {
  it('every check needs a verdict from the four, and every experiment a paper verdict (never engine)', () => {
    const e = sampleExperiment();
    expect(validate(e, experimentResultSchema)).toEqual([]);
    const noVerdict = structuredClone(e) as unknown as { checks: { verdict?: string }[] };
    delete noVerdict.checks[0]!.verdict;
    expect(validate(noVerdict, experimentResultSchema)).toContain('$.checks[0].verdict: missing');
    const bad = structuredClone(e);
    (bad.checks[1] as { verdict: string }).verdict = 'passed';
    expect(validate(bad, experimentResultSchema).some((m) => m.startsWith('$.checks[1].verdict'))).toBe(true);
    const engine = structuredClone(e);
    (engine.paperVerdict as { verdict: string }).verdict = 'engine';
    expect(validate(engine, experimentResultSchema).some((m) => m.startsWith('$.paperVerdict.verdict'))).toBe(true);
    const none = structuredClone(e) as Partial<ExperimentResult>;
    delete none.paperVerdict;
    expect(validate(none, experimentResultSchema)).toContain('$.paperVerdict: missing');
  });
});

describe('markdown report', () => {
  it('lists failures first with their numbers, the paper beside ours, and escapes cells', () => {
    const f = buildResultsFile({ preset: 'tiny', seed: 1, version: '0.1.0', experiments: [sampleExperiment()], run });
    const md = renderMarkdown(f);
    expect(md).toContain('**1 passed, 1 failed** of 2');
    expect(md.indexOf('| demo | bad | **FAIL**')).toBeGreaterThan(0);
    expect(md.indexOf('| demo | bad |')).toBeLessThan(md.indexOf('| demo | ok |'));
    expect(md).toContain('- **FAIL** (unresolved) `bad` — it fails');
    expect(md).toContain('| demo | bad | **FAIL** | unresolved |');
    // the report opens with one line per paper item, before the checks
    expect(md).toContain('- **Table 2** — **unresolved** (`demo`): RNN ×1 under ordering');
    expect(md.indexOf('## Verdicts on the paper')).toBeLessThan(md.indexOf('All checks'));
    expect(md).toContain('  - paper: 3.5e4');
    expect(md).toContain('| RNN | 1.2e-7 | 1.02e-7 |');
    expect(md).toContain('x\\|y');
    expect(md).toContain('![bars](figures/demo.svg)');
  });
  it('reportFiles writes one SVG per figure plus report.md and results.json', () => {
    const f = buildResultsFile({ preset: 'tiny', seed: 1, version: '0.1.0', experiments: [sampleExperiment()], run });
    const files = reportFiles(f);
    expect([...files.keys()].sort()).toEqual(['figures/demo.svg', 'report.md', 'results.json']);
    expect(JSON.parse(files.get('results.json')!)).toEqual(JSON.parse(JSON.stringify(f)));
  });
});
