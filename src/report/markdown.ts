/**
 * report.md from a ResultsFile: what was run, a summary of every claim check, then per experiment
 * its configuration, our choices, tables (the paper's numbers beside ours where the experiment
 * provides them), figures, checks with the numbers behind each verdict, notes and timings.
 * Failing checks are listed first in the summary, never hidden.
 */
import { escapeCell, fmtNum, fmtSeconds } from './format.js';
import type { Check, ExperimentResult, Json, ResultsFile, Table } from './schema.js';

/** A markdown table; numbers go through fmtNum, null prints as an en dash. */
export function markdownTable(t: Table): string {
  const cell = (c: string | number | null): string =>
    c === null ? '–' : typeof c === 'number' ? fmtNum(c) : escapeCell(c);
  const lines = [
    `| ${t.columns.map(escapeCell).join(' | ')} |`,
    `|${t.columns.map(() => '---').join('|')}|`,
    ...t.rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
  return [`**${t.title}**`, '', ...lines, ...(t.note !== undefined ? ['', `_${t.note}_`] : [])].join('\n');
}

/** One check as a markdown block: verdict, claim, numbers, paper's numbers, explanation. */
export function markdownCheck(c: Check): string {
  const nums = Object.entries(c.numbers).map(
    ([k, v]) => `\`${k}\` = ${v === null ? '–' : typeof v === 'number' ? fmtNum(v, 4) : v}`,
  );
  return [
    `- **${c.pass ? 'PASS' : 'FAIL'}** (${c.verdict}) \`${c.id}\` — ${c.claim}`,
    `  - numbers: ${nums.length > 0 ? nums.join(', ') : '(none)'}`,
    ...(c.paper !== undefined ? [`  - paper: ${c.paper}`] : []),
    `  - ${c.explanation}`,
  ].join('\n');
}

/** Compact rendering of a JSON config value for the configuration table. */
function fmtJson(v: Json): string {
  if (typeof v === 'number') return fmtNum(v, 6);
  if (typeof v === 'string') return v;
  const s = JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

/** The section of one experiment. */
export function markdownExperiment(r: ExperimentResult): string {
  const out: string[] = [
    `## ${r.title} (\`${r.name}\`)`,
    '',
    `Reproduces: ${r.paperRef}. Preset \`${r.preset}\`, seed ${r.seed}.`,
    '',
  ];
  if (r.error !== undefined) out.push(`> **ERROR**: the experiment stopped with: \`${escapeCell(r.error)}\``, '');
  out.push('### Checks', '', ...(r.checks.length > 0 ? r.checks.map(markdownCheck) : ['(no checks)']), '');
  for (const t of r.tables) out.push(markdownTable(t), '');
  for (const f of r.figures) out.push(`![${f.caption}](${f.file})`, '', `_${f.caption}_`, '');
  if (r.notes.length > 0) out.push('### Notes', '', ...r.notes.map((n) => `- ${n}`), '');
  if (r.choices.length > 0)
    out.push('### Our choices (where the paper is silent)', '', ...r.choices.map((n) => `- ${n}`), '');
  const cfg = Object.entries(r.config).map(([k, v]) => [k, fmtJson(v)] as (string | number | null)[]);
  out.push(
    '<details><summary>Configuration (every hyper-parameter)</summary>',
    '',
    markdownTable({ title: 'config', columns: ['parameter', 'value'], rows: cfg }),
    '',
    '</details>',
    '',
  );
  out.push(timeLine(r.timing.points), '');
  return out.join('\n');
}

/**
 * The whole report.md.
 * @example renderMarkdown(resultsFile) // '# seqrate reproduction report\n...'
 */
export function renderMarkdown(f: ResultsFile): string {
  const all = f.experiments.flatMap((e) => e.checks.map((c) => ({ e, c })));
  const ordered = [...all.filter((x) => !x.c.pass), ...all.filter((x) => x.c.pass)];
  const summaryRows = ordered.map(({ e, c }) => [
    e.name,
    c.id,
    c.pass ? 'PASS' : '**FAIL**',
    c.verdict,
    escapeCell(shortNumbers(c)),
  ]);
  const out: string[] = [
    '# seqrate reproduction report',
    '',
    'Reproduction of H. Jiang and Q. Li, *Approximation Rate of the Transformer Architecture for Sequence Modeling*, NeurIPS 2024, on this CPU.',
    '',
    `- command: \`${f.run.command}\``,
    `- preset: \`${f.preset}\`${/(^|\s)--set[\s=]/.test(f.run.command) ? ' **changed by --set** (see the command; each experiment lists every value it used under Configuration)' : ''}, seed ${f.seed}, seqrate ${f.seqrateVersion}, results schema v${f.schemaVersion} (see \`results.json\`)`,
    `- machine: node ${f.run.node} on ${f.run.platform}, ${f.run.cpus} cores, ${f.run.workers} worker(s); started ${f.run.startedAt}; wall time of the whole run ${fmtSeconds(f.run.totalSeconds)}`,
    `- checks: **${f.summary.passed} passed, ${f.summary.failed} failed** of ${f.summary.checks}; experiments with errors: ${f.summary.errors}`,
    '',
    '## Verdicts on the paper',
    '',
    ...f.experiments.map(
      (e) =>
        `- **${e.paperVerdict.item}** — **${e.paperVerdict.verdict}** (\`${e.name}\`): ${escapeCell(e.paperVerdict.summary)}`,
    ),
    '',
    "A verdict is `reproduced` when the checks of the paper's claim pass against a baseline that could fail them, `contradicted` when",
    'a check fails robustly (every seed, independent of the budget), `unresolved` when this preset cannot decide; `engine` marks self-checks of seqrate.',
    '',
    'Reproducing means the *pattern* of the paper holds with honest statistics, not that our numbers equal theirs; the',
    'quick preset uses small budgets, and every failing check below says what its numbers show. How to run it, the presets',
    'and what each experiment does: [docs/REPRODUCE.md](../docs/REPRODUCE.md) in the seqrate repository (the link works',
    'for the default `report/` folder of `npm run reproduce`).',
    '',
    markdownTable({
      title: 'All checks (failures first)',
      columns: ['experiment', 'check', 'pass', 'verdict', 'numbers'],
      rows: summaryRows,
    }),
    '',
    ...f.experiments.map(markdownExperiment),
  ];
  return out.join('\n');
}

/** The first few numbers of a check, for the summary table. */
function shortNumbers(c: Check): string {
  return Object.entries(c.numbers)
    .slice(0, 4)
    .map(([k, v]) => `${k}=${v === null ? '–' : typeof v === 'number' ? fmtNum(v) : v}`)
    .join(', ');
}

/**
 * The experiment's time line: its CPU time (the sum of the thread CPU time of its points, measured
 * where every point has it), else its compute time (the sum of the points' run times, named as such).
 */
export function timeLine(points: readonly { seconds: number; cpuSeconds?: number }[]): string {
  const n = points.length;
  if (n > 0 && points.every((p) => p.cpuSeconds !== undefined)) {
    const cpu = points.reduce((a, p) => a + p.cpuSeconds!, 0);
    return (
      `CPU time: ${fmtSeconds(cpu)}, the thread CPU time of its ${n} sweep point(s) added up (the whole run's wall ` +
      'time is in the header; points of several experiments share the workers).'
    );
  }
  const compute = points.reduce((a, p) => a + p.seconds, 0);
  return (
    `Compute time: ${fmtSeconds(compute)}, the sum of the run times of its ${n} sweep point(s), each on one worker ` +
    'thread (no CPU clock per thread here): its CPU time when the cores are not oversubscribed, more when they are ' +
    "(the whole run's wall time is in the header)."
  );
}
