/**
 * Validation of an experiment config before anything runs: every key must be one the
 * experiment's presets define (no unknown keys, none missing), with the same JSON kind; numbers
 * finite; integer-valued parameters non-negative integers (counts like `seeds` ≥ 1); positive real
 * parameters (learning rates, tolerances) positive; `seed` an integer in [0, 2³²). A bad config
 * is a ValueError naming the experiment and the key path, and nothing runs.
 */
import { ValueError } from '../linalg/errors.js';
import type { Json } from '../report/schema.js';
import type { AnyExperiment } from './types.js';

/** Keys whose integer values count things and must be ≥ 1. */
const COUNTS = new Set([
  'seeds',
  'tau',
  'trainSize',
  'testSize',
  'R',
  'n',
  'mh',
  'mv',
  'mhs',
  'hidden',
  'dim',
  'patch',
  'width',
  'samples',
  'batchSize',
  'spectrumImages',
  'constructiveSamples',
  'podGrid',
  'ffnWidth',
  'heads',
  'mlpWidth',
  'depth',
  'filterLength',
  'swap',
  'peDim',
  'fitIter',
  'queries',
  'keys',
  'cogTau',
  'selTau',
  'selK',
  'fitMaxMh',
]);

const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const isObj = (v: unknown): v is { [k: string]: Json } => kind(v) === 'object';

/**
 * Throws ValueError when `config` is not a valid config of `e` (see the module comment).
 * @example checkConfig(syntheticRate, { ...syntheticRate.presets.quick, seed: NaN }) // throws
 */
export function checkConfig(e: AnyExperiment, config: unknown): void {
  const op = `${e.name} config`;
  if (!isObj(config)) throw new ValueError(op, `expected an object, got ${kind(config)}`);
  const seed = config.seed;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0 || seed >= 2 ** 32) {
    throw new ValueError(
      op,
      `seed must be an integer in [0, 2^32), got ${typeof seed === 'number' ? String(seed) : kind(seed)}`,
    );
  }
  const refs = Object.values(e.presets) as Json[];
  walk(op, 'config', config, refs, '');
  // replicate seeds run from seed + seedOffset to seed + seedOffset + seeds − 1: all must be valid seeds too
  const offset = typeof config.seedOffset === 'number' ? config.seedOffset : 0;
  const last = seed + offset + (typeof config.seeds === 'number' ? config.seeds - 1 : 0);
  if (last >= 2 ** 32) {
    throw new ValueError(op, `the replicate seeds run to ${last} (seed + seedOffset + seeds − 1), past 2^32 − 1`);
  }
}

function walk(op: string, path: string, v: Json, refs: Json[], key: string): void {
  const k0 = kind(refs[0]);
  if (refs.some((r) => kind(r) !== k0) && !refs.some((r) => kind(r) === kind(v)))
    throw new ValueError(op, `${path}: unexpected ${kind(v)}`);
  const same = refs.filter((r) => kind(r) === kind(v));
  if (same.length === 0) throw new ValueError(op, `${path}: expected ${k0}, got ${kind(v)}`);
  if (isObj(v)) {
    const known = new Set(same.flatMap((r) => Object.keys(r as object)));
    for (const k of Object.keys(v))
      if (!known.has(k)) throw new ValueError(op, `${path}.${k}: unknown key; known: ${[...known].join(', ')}`);
    for (const k of known) {
      // a key every preset sets is required; one that some preset omits is optional (e.g. an L-BFGS plateau)
      if (!(k in v)) {
        if (same.every((r) => k in (r as object))) throw new ValueError(op, `${path}.${k}: missing`);
        continue;
      }
      const sub = same.map((r) => (r as { [k: string]: Json })[k]).filter((x): x is Json => x !== undefined);
      if (path === 'config' && k === 'seed') continue;
      walk(op, `${path}.${k}`, v[k]!, sub, k);
    }
  } else if (Array.isArray(v)) {
    const items = same.flatMap((r) => r as Json[]);
    if (items.length > 0) v.forEach((x, i) => walk(op, `${path}[${i}]`, x, items, key));
    if (COUNTS.has(key) && v.length === 0) throw new ValueError(op, `${path}: must not be empty`);
  } else if (typeof v === 'number') {
    checkNumber(op, path, v, same as number[], key);
  }
}

function checkNumber(op: string, path: string, v: number, refs: number[], key: string): void {
  if (!Number.isFinite(v)) throw new ValueError(op, `${path}: expected a finite number, got ${v}`);
  if (refs.every(Number.isInteger)) {
    const min = COUNTS.has(key) ? 1 : 0;
    if (!Number.isSafeInteger(v) || v < min)
      throw new ValueError(op, `${path}: expected an integer ≥ ${min}, got ${v}`);
  } else if (refs.every((r) => r > 0) && !(v > 0))
    throw new ValueError(op, `${path}: expected a positive number, got ${v}`);
}
