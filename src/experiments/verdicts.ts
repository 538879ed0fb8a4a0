/**
 * Verdicts of checks and paper items (schema v2): what a check concluded about the paper.
 *
 * - `reproduced`: the claim holds at this budget, on a measurement that can tell the claim from its
 *   baseline (untrained model, uniform attention, seed-to-seed spread);
 * - `contradicted`: the claim fails and the failure is robust — every seed agrees and the evidence
 *   does not depend on the budget (a converged optimiser, an exact construction);
 * - `unresolved`: this budget cannot decide (not converged, differences within the spread); the
 *   check's explanation names what would resolve it;
 * - `engine`: a self-check of seqrate (e.g. an exact construction has round-off error), not a claim.
 */
import type { Check, PaperVerdict, Verdict } from '../report/schema.js';

/**
 * The verdict of a check of the paper: `resolved` says whether this budget can decide the claim,
 * `robust` whether a failure holds across seeds independently of the budget.
 * @example verdictOf(true, { resolved: true }) // 'reproduced'
 */
export function verdictOf(pass: boolean, o: { resolved: boolean; robust?: boolean }): Exclude<Verdict, 'engine'> {
  if (!o.resolved) return 'unresolved';
  if (pass) return 'reproduced';
  return o.robust === true ? 'contradicted' : 'unresolved';
}

/**
 * The verdict on a paper item from its checks: `contradicted` when a check of the paper is,
 * `reproduced` when every (non-engine) check is, `unresolved` otherwise (also when there is none).
 */
export function paperVerdictOf(item: string, checks: readonly Check[], summary: string): PaperVerdict {
  const paper = checks.filter((c) => c.verdict !== 'engine');
  const verdict = paper.some((c) => c.verdict === 'contradicted')
    ? 'contradicted'
    : paper.length > 0 && paper.every((c) => c.verdict === 'reproduced')
      ? 'reproduced'
      : 'unresolved';
  return { item, verdict, summary };
}

/** Mean and standard error (sample sd / √n) of finite values; se is NaN for fewer than 2 values. */
export function meanSe(v: readonly number[]): { mean: number; se: number; n: number } {
  const x = v.filter(Number.isFinite),
    n = x.length;
  if (n === 0) return { mean: NaN, se: NaN, n };
  const mean = x.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, se: NaN, n };
  const ss = x.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return { mean, se: Math.sqrt(ss / n), n };
}
