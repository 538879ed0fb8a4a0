/**
 * Expected CPU-seconds of sweep points, for the per-task time requests of a cluster plan.
 *
 * The registry gives each point a *relative* cost (`Experiment.pointCost`, measured on the quick
 * preset) and each preset an expected time in words (`Experiment.expectedTime`). A point's expected
 * seconds are its experiment's total CPU-seconds at that preset, shared among its points in
 * proportion to `pointCost`. The totals below are measured (sources cited on each line); a
 * results.json of an earlier run of the same preset (`seqrate plan --costs FILE`) replaces them by
 * each point's own measured seconds (`timing.points`).
 */
import { readFileSync } from 'node:fs';
import { ValueError } from '../linalg/errors.js';
import type { AnyExperiment, Config, Point, PresetName } from '../experiments/types.js';

/**
 * Total CPU-seconds of each experiment per preset (upper ends where a range was given).
 * - tiny: measured for this module — `node dist/cli.js reproduce --tiny --workers 1` on the 2-core
 *   development machine, sum of results.json `timing.points[].seconds` per experiment (2.64, 0.18,
 *   1.43, 0.29, 0.16, 0.12 s), rounded up to whole seconds.
 * - quick: the registry's `expectedTime.quick` (65, 30, 40, 60, 40, 10 CPU-s). (A measured
 *   `reproduce --quick --workers 1` used 212 CPU-s of user time in all, on a machine shared with
 *   other jobs, consistent with the registry's 245.)
 * - standard: the estimates of docs/REPRODUCE.md ("The standard preset"; from single points, not run end to end).
 * - full: attention-rank measured end to end (docs/full-runs/attention-rank/results.json: 18 points,
 *   1 327 s); the others from the registry's `expectedTime.full` and docs/REPRODUCE.md ("Full
 *   preset"): synthetic-rate 8.5 h, rnn-vs-transformer 1.3 h, no-order 1 h, ordering-real 15 min
 *   (an estimate there), demos 18 min.
 */
export const MEASURED_TOTAL_SECONDS: Record<string, Record<PresetName, number>> = {
  'synthetic-rate': { tiny: 3, quick: 65, standard: 540, full: 8.5 * 3600 },
  'attention-rank': { tiny: 1, quick: 30, standard: 420, full: 1327 },
  'ordering-real': { tiny: 2, quick: 40, standard: 240, full: 15 * 60 },
  'rnn-vs-transformer': { tiny: 1, quick: 60, standard: 540, full: 1.3 * 3600 },
  'no-order': { tiny: 1, quick: 40, standard: 360, full: 3600 },
  demos: { tiny: 1, quick: 10, standard: 37, full: 18 * 60 },
};

/** Fallback for an experiment missing above: one CPU-minute per point (tiny: 1 s). */
const FALLBACK_POINT_SECONDS: Record<PresetName, number> = { tiny: 1, quick: 60, standard: 120, full: 600 };

/** Measured seconds of earlier points: experiment name → point key → seconds. */
export type MeasuredSeconds = Map<string, Map<string, number>>;

/**
 * Reads per-point seconds from a results.json (of `seqrate reproduce` or `seqrate merge`).
 * Throws ValueError when the file is not a results file of `preset`.
 */
export function readMeasuredSeconds(file: string, preset: PresetName): MeasuredSeconds {
  let j: {
    schema?: unknown;
    preset?: unknown;
    experiments?: { name: string; timing?: { points?: { key: string; seconds: number }[] } }[];
  };
  try {
    j = JSON.parse(readFileSync(file, 'utf8')) as typeof j;
  } catch (e) {
    throw new ValueError('plan --costs', `cannot read '${file}': ${(e as Error).message}`);
  }
  if (j.schema !== 'seqrate-results' || !Array.isArray(j.experiments)) {
    throw new ValueError('plan --costs', `'${file}' is not a seqrate results.json`);
  }
  if (j.preset !== preset)
    throw new ValueError('plan --costs', `'${file}' is of preset ${String(j.preset)}, the plan is ${preset}`);
  const out: MeasuredSeconds = new Map();
  for (const e of j.experiments) {
    const m = new Map<string, number>();
    for (const p of e.timing?.points ?? []) if (Number.isFinite(p.seconds) && p.seconds >= 0) m.set(p.key, p.seconds);
    out.set(e.name, m);
  }
  return out;
}

/** Expected CPU-seconds of every point of `e` at `preset` (measured seconds first, then the totals). */
export function expectedSeconds(
  e: AnyExperiment,
  config: Config,
  preset: PresetName,
  points: Point[],
  measured?: MeasuredSeconds,
): number[] {
  const rel = points.map((p) => {
    const c = e.pointCost?.(config, p.params);
    return c !== undefined && Number.isFinite(c) && c > 0 ? c : 1;
  });
  const sum = rel.reduce((a, b) => a + b, 0);
  const total = MEASURED_TOTAL_SECONDS[e.name]?.[preset];
  const fromTotals = rel.map((c) => (total === undefined ? FALLBACK_POINT_SECONDS[preset] : (total * c) / sum));
  const m = measured?.get(e.name);
  return points.map((p, i) => m?.get(p.key) ?? fromTotals[i]!);
}
