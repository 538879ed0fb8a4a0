/**
 * The results.json format (schema `seqrate-results`, version 2) and its hand-written validator.
 * Documented field by field in docs/RESULTS-SCHEMA.md; keep both in step and bump
 * SCHEMA_VERSION on any incompatible change.
 *
 * Determinism contract: every field except `run` (at the top) and `timing` (in each experiment)
 * is a pure function of the preset, the seed and the code version, independent of the number
 * of workers and of the machine.
 */
import type { FigureSpec } from './svg.js';

/** Version of the results.json format. */
export const SCHEMA_VERSION = 2;

/**
 * What a check (or a paper item) concluded: `reproduced` (the paper's claim holds here),
 * `contradicted` (it fails robustly: across seeds and at the larger budget, with that evidence in
 * the numbers), `unresolved` (this budget cannot decide; the explanation names the budget that
 * would), `engine` (a self-check of seqrate, not a claim of the paper).
 */
export type Verdict = 'reproduced' | 'contradicted' | 'unresolved' | 'engine';

/** The verdicts, in report order. */
export const VERDICTS: readonly Verdict[] = ['reproduced', 'contradicted', 'unresolved', 'engine'];

/** The verdict on one figure/table of the paper, with the numbers that decide it (one line). */
export interface PaperVerdict {
  /** The paper's figure/table, e.g. `Fig. 5`. */
  item: string;
  verdict: Exclude<Verdict, 'engine'>;
  /** The deciding numbers, in words (one sentence). */
  summary: string;
}

/** Any JSON value. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** One named check of a claim of the paper. */
export interface Check {
  /** Stable identifier, e.g. `finite-rank-collapse`. */
  id: string;
  /** The claim checked, in words. */
  claim: string;
  pass: boolean;
  /** What the check concluded about the paper (or `engine` for a self-check of seqrate). */
  verdict: Verdict;
  /** The numbers the verdict rests on. */
  numbers: Record<string, number | string | null>;
  /** Why it passed or failed, and what that tells us. */
  explanation: string;
  /** What the paper reports for the same quantity, when it does. */
  paper?: string;
}

/** A table of the report. Cells are strings (already formatted) or numbers (formatted by the report). */
export interface Table {
  title: string;
  columns: string[];
  rows: (string | number | null)[][];
  note?: string;
}

/** A figure: `file` is the SVG file name inside the report folder, `spec` the data drawn. */
export interface Figure {
  file: string;
  caption: string;
  spec: FigureSpec;
}

/** The outcome of one experiment. */
export interface ExperimentResult {
  /** Registry name, e.g. `synthetic-rate`. */
  name: string;
  title: string;
  /** Which figure/table of the paper this reproduces. */
  paperRef: string;
  preset: string;
  seed: number;
  /** Every hyper-parameter used. */
  config: { [k: string]: Json };
  /** Decisions where the paper is silent ([ours]), in words. */
  choices: string[];
  /** Measured numbers (free-form per experiment, documented in docs/RESULTS-SCHEMA.md). */
  data: { [k: string]: Json };
  tables: Table[];
  figures: Figure[];
  checks: Check[];
  /** The verdict on the paper item this experiment reproduces (from its checks). */
  paperVerdict: PaperVerdict;
  notes: string[];
  /** Set when the experiment threw; the other fields are then partial. */
  error?: string;
  /** Wall-clock timings (seconds); excluded from the determinism contract. */
  timing: { totalSeconds: number; points: { key: string; seconds: number; cpuSeconds?: number }[] };
}

/** The whole results.json file. */
export interface ResultsFile {
  schema: 'seqrate-results';
  schemaVersion: number;
  seqrateVersion: string;
  preset: string;
  seed: number;
  experiments: ExperimentResult[];
  summary: { checks: number; passed: number; failed: number; errors: number };
  /** Machine and wall-clock facts; excluded from the determinism contract. */
  run: {
    startedAt: string;
    totalSeconds: number;
    workers: number;
    node: string;
    platform: string;
    cpus: number;
    command: string;
  };
}

// ---------------------------------------------------------------------------------------------
// A tiny structural validator (a JSON-schema subset written as combinators).

/** A validator: pushes `path: message` strings into `errs`. */
export type V = (v: unknown, path: string, errs: string[]) => void;

const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Combinators for building validators. */
export const S = {
  str: ((v, p, e) => {
    if (typeof v !== 'string') e.push(`${p}: expected string, got ${typeOf(v)}`);
  }) as V,
  bool: ((v, p, e) => {
    if (typeof v !== 'boolean') e.push(`${p}: expected boolean, got ${typeOf(v)}`);
  }) as V,
  /** A finite number (NaN and ±Infinity are not JSON). */
  num: ((v, p, e) => {
    if (typeof v !== 'number' || !Number.isFinite(v))
      e.push(`${p}: expected finite number, got ${typeOf(v) === 'number' ? String(v) : typeOf(v)}`);
  }) as V,
  int: ((v, p, e) => {
    if (!Number.isSafeInteger(v)) e.push(`${p}: expected integer, got ${String(v)}`);
  }) as V,
  lit:
    (x: string | number): V =>
    (v, p, e) => {
      if (v !== x) e.push(`${p}: expected ${JSON.stringify(x)}, got ${JSON.stringify(v)}`);
    },
  oneOf:
    (...vs: V[]): V =>
    (v, p, e) => {
      const all: string[][] = vs.map((f) => {
        const es: string[] = [];
        f(v, p, es);
        return es;
      });
      if (!all.some((es) => es.length === 0))
        e.push(`${p}: no alternative matched (${all.map((es) => es[0] ?? '').join('; ')})`);
    },
  arr:
    (item: V): V =>
    (v, p, e) => {
      if (!Array.isArray(v)) {
        e.push(`${p}: expected array, got ${typeOf(v)}`);
        return;
      }
      v.forEach((x, i) => item(x, `${p}[${i}]`, e));
    },
  /** An object with required fields `req` and optional fields `opt`; other keys are errors unless `open`. */
  obj:
    (req: Record<string, V>, opt: Record<string, V> = {}, open = false): V =>
    (v, p, e) => {
      if (typeOf(v) !== 'object') {
        e.push(`${p}: expected object, got ${typeOf(v)}`);
        return;
      }
      const o = v as Record<string, unknown>;
      for (const [k, f] of Object.entries(req)) {
        if (!(k in o)) e.push(`${p}.${k}: missing`);
        else f(o[k], `${p}.${k}`, e);
      }
      for (const [k, f] of Object.entries(opt)) if (k in o && o[k] !== undefined) f(o[k], `${p}.${k}`, e);
      if (!open) for (const k of Object.keys(o)) if (!(k in req) && !(k in opt)) e.push(`${p}.${k}: unexpected field`);
    },
  record:
    (val: V): V =>
    (v, p, e) => {
      if (typeOf(v) !== 'object') {
        e.push(`${p}: expected object, got ${typeOf(v)}`);
        return;
      }
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) val(x, `${p}.${k}`, e);
    },
  /** Any JSON value whose numbers are all finite. */
  json: ((v, p, e) => {
    const t = typeOf(v);
    if (t === 'number') S.num(v, p, e);
    else if (t === 'array') (v as unknown[]).forEach((x, i) => S.json(x, `${p}[${i}]`, e));
    else if (t === 'object') for (const [k, x] of Object.entries(v as object)) S.json(x, `${p}.${k}`, e);
    else if (!['null', 'boolean', 'string'].includes(t)) e.push(`${p}: not JSON (${t})`);
  }) as V,
};

const numOrNull = S.oneOf(S.num, S.lit(null as unknown as string));
const nullable =
  (f: V): V =>
  (v, p, e) => {
    if (v !== null) f(v, p, e);
  };
const scale = S.oneOf(S.lit('linear'), S.lit('log'));
const box = S.obj({ min: S.num, q1: S.num, median: S.num, q3: S.num, max: S.num });

const figureSpec: V = (v, p, e) => {
  const kind = (v as { kind?: unknown } | null)?.kind;
  const common = { title: S.str, yScale: scale };
  const size = { width: S.num, height: S.num };
  const figOpts = { legend: S.oneOf(S.lit('inside'), S.lit('right')), colorKeys: S.arr(S.str) };
  if (kind === 'line') {
    S.obj(
      {
        kind: S.str,
        ...common,
        xLabel: S.str,
        yLabel: S.str,
        xScale: scale,
        series: S.arr(
          S.obj(
            { label: S.str, x: S.arr(numOrNull), y: S.arr(numOrNull) },
            {
              lo: S.arr(numOrNull),
              hi: S.arr(numOrNull),
              dash: S.oneOf(S.bool, S.str),
              marker: S.bool,
              line: S.bool,
              color: S.int,
              colorKey: S.str,
            },
          ),
        ),
      },
      {
        fits: S.arr(S.obj({ label: S.str, x: S.arr(S.num), y: S.arr(S.num) }, { color: S.int, colorKey: S.str })),
        ...figOpts,
        ...size,
      },
    )(v, p, e);
  } else if (kind === 'quantile') {
    S.obj(
      {
        kind: S.str,
        ...common,
        xLabel: S.str,
        yLabel: S.str,
        categories: S.arr(S.str),
        groups: S.arr(S.obj({ label: S.str, boxes: S.arr(nullable(box)) }, { color: S.int, colorKey: S.str })),
      },
      { ...figOpts, ...size },
    )(v, p, e);
  } else if (kind === 'bar') {
    S.obj(
      {
        kind: S.str,
        ...common,
        yLabel: S.str,
        categories: S.arr(S.str),
        groups: S.arr(
          S.obj(
            { label: S.str, values: S.arr(numOrNull) },
            { lo: S.arr(numOrNull), hi: S.arr(numOrNull), color: S.int, colorKey: S.str },
          ),
        ),
      },
      { chance: S.arr(S.obj({ value: S.num, label: S.str }, { color: S.int, colorKey: S.str })), ...figOpts, ...size },
    )(v, p, e);
  } else if (kind === 'heatmap') {
    S.obj(
      {
        kind: S.str,
        title: S.str,
        xLabel: S.str,
        yLabel: S.str,
        panels: S.arr(S.obj({ label: S.str, values: S.arr(S.arr(numOrNull)) })),
      },
      { rowLabels: S.arr(S.str), colLabels: S.arr(S.str), min: S.num, max: S.num, annotate: S.bool, ...size },
    )(v, p, e);
  } else e.push(`${p}.kind: expected 'line' | 'quantile' | 'bar' | 'heatmap', got ${JSON.stringify(kind)}`);
};

const verdict = S.oneOf(...VERDICTS.map((v) => S.lit(v)));
const check = S.obj(
  {
    id: S.str,
    claim: S.str,
    pass: S.bool,
    verdict,
    numbers: S.record(S.oneOf(S.num, S.str, S.lit(null as unknown as string))),
    explanation: S.str,
  },
  { paper: S.str },
);

/** Validator of one ExperimentResult. */
export const experimentResultSchema: V = S.obj(
  {
    name: S.str,
    title: S.str,
    paperRef: S.str,
    preset: S.str,
    seed: S.int,
    config: S.record(S.json),
    choices: S.arr(S.str),
    data: S.record(S.json),
    tables: S.arr(
      S.obj(
        {
          title: S.str,
          columns: S.arr(S.str),
          rows: S.arr(S.arr(S.oneOf(S.str, S.num, S.lit(null as unknown as string)))),
        },
        { note: S.str },
      ),
    ),
    figures: S.arr(S.obj({ file: S.str, caption: S.str, spec: figureSpec })),
    checks: S.arr(check),
    notes: S.arr(S.str),
    paperVerdict: S.obj({
      item: S.str,
      verdict: S.oneOf(S.lit('reproduced'), S.lit('contradicted'), S.lit('unresolved')),
      summary: S.str,
    }),
    timing: S.obj({
      totalSeconds: S.num,
      points: S.arr(S.obj({ key: S.str, seconds: S.num }, { cpuSeconds: S.num })),
    }),
  },
  { error: S.str },
);

/** Validator of a whole results.json. */
export const resultsFileSchema: V = S.obj({
  schema: S.lit('seqrate-results'),
  schemaVersion: S.lit(SCHEMA_VERSION),
  seqrateVersion: S.str,
  preset: S.str,
  seed: S.int,
  experiments: S.arr(experimentResultSchema),
  summary: S.obj({ checks: S.int, passed: S.int, failed: S.int, errors: S.int }),
  run: S.obj({
    startedAt: S.str,
    totalSeconds: S.num,
    workers: S.int,
    node: S.str,
    platform: S.str,
    cpus: S.int,
    command: S.str,
  }),
});

/**
 * Validates `value` against a schema; returns the list of problems (`$.path: message`),
 * empty when valid. @example validate(JSON.parse(text), resultsFileSchema).length === 0
 */
export function validate(value: unknown, schema: V = resultsFileSchema): string[] {
  const errs: string[] = [];
  schema(value, '$', errs);
  return errs;
}
