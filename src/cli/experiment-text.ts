/**
 * Texts of `seqrate run NAME`: the experiment's own help (filters with their valid values, presets),
 * the valid values listed when a point filter matches nothing, and a readable summary of single
 * points (instead of raw JSON lines).
 */
import { PRESETS, type AnyExperiment, type Config, type PresetName } from '../experiments/types.js';
import { fmtNum, fmtSeconds } from '../report/format.js';
import type { Json } from '../report/schema.js';

/** The command-line flag of a point filter: the points' `seed` is `--replicate` (`--seed` is the run's base seed). */
export const filterFlag = (f: string): string => (f === 'seed' ? 'replicate' : f);

/**
 * The distinct values of each point filter over the plan of `config`, by flag name: numbers ascending,
 * then words in plan order. The points' `seed` (the replicate seed) is the flag `--replicate`: `--seed`
 * is the base seed of the whole run.
 */
export function filterValues(e: AnyExperiment, config: Config): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const plan = e.plan(config);
  for (const f of e.pointFilters) {
    const seen = new Set<string>();
    for (const p of plan) if (f in p.params) seen.add(String(p.params[f]));
    const nums = [...seen]
      .filter((v) => v.trim() !== '' && Number.isFinite(Number(v)))
      .sort((a, b) => Number(a) - Number(b));
    out[filterFlag(f)] = [...nums, ...[...seen].filter((v) => !nums.includes(v))];
  }
  return out;
}

/** `--mh 1,2,4,8; --replicate 1,2` for the filters of `e` at `config`. */
export function validValuesText(e: AnyExperiment, config: Config): string {
  return Object.entries(filterValues(e, config))
    .map(([f, v]) => `--${f} ${v.join(',')}`)
    .join('; ');
}

/** `seqrate run NAME --help`: what it reproduces, presets with expected times, filters with values. */
export function experimentHelp(e: AnyExperiment, configOf: (p: PresetName) => Config, generic: string): string {
  const lines = [
    `seqrate run ${e.name} — ${e.title} (${e.paperRef})`,
    '',
    `  ${e.description}`,
    '',
    'Presets (expected time on 2 cores):',
    ...PRESETS.map((p) => `  --${p.padEnd(6)} ${e.expectedTime[p]}`),
    '',
  ];
  if (e.pointFilters.length === 0) lines.push('Point filters: none (the experiment runs as a whole).', '');
  else {
    lines.push('Point filters (comma-separated values; only the matching sweep points run):');
    for (const p of PRESETS) {
      const vals = filterValues(e, configOf(p));
      lines.push(
        `  at --${p}: ${Object.entries(vals)
          .map(([f, v]) => `--${f} ${v.join(',')}`)
          .join('  ')}`,
      );
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n${generic}`;
}

/** A JSON value in a few characters: numbers through fmtNum, arrays and objects by size. */
function brief(v: Json): string {
  if (typeof v === 'number') return fmtNum(v);
  if (v === null || typeof v !== 'object') return String(v);
  if (Array.isArray(v)) {
    const short = v.length <= 4 && v.every((x) => typeof x === 'number');
    return short ? `[${(v as number[]).map((x) => fmtNum(x)).join(', ')}]` : `[${v.length} values]`;
  }
  return `{${Object.keys(v).length} fields}`;
}

/** One point's result as `key (time)` and an indented `name = value` line. */
export function pointSummary(o: { key: string; result: Json; seconds: number }): string {
  const r = o.result;
  const fields =
    r !== null && typeof r === 'object' && !Array.isArray(r)
      ? Object.entries(r).map(([k, v]) => `${k} = ${brief(v)}`)
      : [`result = ${brief(r)}`];
  return `${o.key}  (${fmtSeconds(o.seconds)})\n  ${fields.join(', ')}\n`;
}
