/**
 * seqrate report: deterministic SVG figures, report.md and results.json from experiment results.
 * Imports nothing of seqrate except linalg's typed errors.
 */
import { renderMarkdown } from './markdown.js';
import { SCHEMA_VERSION, type ExperimentResult, type ResultsFile } from './schema.js';
import { renderFigure, unavailableFigure } from './svg.js';

export * from './format.js';
export * from './schema.js';
export * from './svg.js';
export * from './markdown.js';
export * from './atomic.js';
export { PALETTE, colour, contrastRatio, linearTicks, logTicks, makeScale } from './svg-core.js';
export { checkLayout, type Layout } from './svg-layout.js';

/**
 * Assembles a ResultsFile (summary counts included) from experiment results and run facts.
 * @example buildResultsFile({ preset: 'quick', seed: 1, experiments, run, version: '0.1.0' })
 */
export function buildResultsFile(a: {
  preset: string;
  seed: number;
  version: string;
  experiments: ExperimentResult[];
  run: ResultsFile['run'];
}): ResultsFile {
  const checks = a.experiments.flatMap((e) => e.checks);
  const passed = checks.filter((c) => c.pass).length;
  return {
    schema: 'seqrate-results',
    schemaVersion: SCHEMA_VERSION,
    seqrateVersion: a.version,
    preset: a.preset,
    seed: a.seed,
    experiments: a.experiments,
    summary: {
      checks: checks.length,
      passed,
      failed: checks.length - passed,
      errors: a.experiments.filter((e) => e.error !== undefined).length,
    },
    run: a.run,
  };
}

/**
 * All report files as `relative path → content`: `report.md`, `results.json` and one SVG per
 * figure (under `figures/`, as each Figure's `file` says). A figure that cannot be drawn (no
 * plottable value) becomes a small placeholder SVG saying so rather than aborting the report.
 */
export function reportFiles(f: ResultsFile): Map<string, string> {
  const files = new Map<string, string>();
  for (const e of f.experiments) {
    for (const fig of e.figures) {
      let svg: string;
      try {
        svg = renderFigure(fig.spec, fig.caption);
      } catch (err) {
        svg = unavailableFigure(fig.spec.title, String((err as Error).message));
      }
      files.set(fig.file, svg);
    }
  }
  files.set('results.json', `${JSON.stringify(f, null, 2)}\n`);
  files.set('report.md', renderMarkdown(f));
  return files;
}
