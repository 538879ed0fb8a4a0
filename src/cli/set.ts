/**
 * `seqrate run NAME --set PATH=VALUE`: changes one value of the preset's config before anything
 * runs, e.g. `--set transformer.mh=32` or `--set fitTransformer.plateau=null` (removes an optional
 * key). VALUE is read as JSON when it parses (numbers, booleans, null, arrays, objects), else as a
 * string. PATH must name a key the config has (or, for a new key, an object the config has); the
 * changed config is then checked like any other (`checkConfig`), so a wrong kind, a negative count
 * or an unknown key is a usage error that names the flag, and nothing runs.
 */
import { ValueError } from '../linalg/errors.js';
import { checkConfig } from '../experiments/config-check.js';
import type { Config, Experiment } from '../experiments/types.js';
import type { Json } from '../report/schema.js';
import { UsageError } from './args.js';

type Obj = { [k: string]: Json };
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One `--set` value: JSON when it parses, else the raw string. */
function parseSetValue(raw: string): Json {
  try {
    return JSON.parse(raw) as Json;
  } catch {
    return raw;
  }
}

/**
 * `config` with every `PATH=VALUE` of `sets` applied in order (a deep copy: the preset is untouched),
 * checked against the experiment's presets. Throws UsageError naming `--set` and the path.
 *
 * @example
 * ```ts
 * const c = applySets(rnnVsTransformer, rnnVsTransformer.presets.quick, ['transformer.mh=32', 'seeds=2']);
 * [c.transformer.mh, c.seeds, rnnVsTransformer.presets.quick.transformer.mh]; // → [32, 2, 8]
 * applySets(rnnVsTransformer, rnnVsTransformer.presets.quick, ['transformer.mh=-1']); // throws UsageError
 * ```
 */
export function applySets<C extends Config>(e: Experiment<C, any, any>, config: C, sets: readonly string[]): C {
  const out = structuredClone(config) as unknown as Obj;
  for (const s of sets) {
    const eq = s.indexOf('=');
    const path = eq > 0 ? s.slice(0, eq).split('.') : [];
    if (eq <= 0 || path.some((k) => k === '')) {
      throw new UsageError(`flag --set expects PATH=VALUE (e.g. --set transformer.mh=32), got '${s}'`);
    }
    if (path[0] === 'seed') {
      throw new UsageError(`flag --set ${s}: the base seed is set with --seed N, not --set`);
    }
    const value = parseSetValue(s.slice(eq + 1));
    let node: Obj = out;
    for (const [i, k] of path.slice(0, -1).entries()) {
      const next = Object.hasOwn(node, k) ? node[k] : undefined;
      if (!isObj(next)) {
        const at = path.slice(0, i + 1).join('.');
        throw new UsageError(
          `flag --set ${s}: ${at} is ${next === undefined ? 'not a key' : 'not an object'} of ${e.name}'s config (keys: ${Object.keys(node).join(', ')})`,
        );
      }
      node = next;
    }
    const last = path[path.length - 1]!;
    // an own property even for '__proto__' (plain assignment would change the prototype, unseen by the check)
    if (value === null) delete node[last];
    else Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true });
  }
  try {
    checkConfig(e, out);
  } catch (err) {
    if (err instanceof ValueError) throw new UsageError(`flag --set: ${err.message}`);
    throw err;
  }
  return out as unknown as C;
}
