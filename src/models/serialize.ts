/**
 * Saving and loading weights as JSON: `{ format, version, kind, config, params }` where each
 * parameter is `{ shape, dtype: 'float64', encoding: 'base64-f64le', data }` — the exact IEEE-754
 * bytes, little-endian, so a round trip is bit-identical (including -0, subnormals and NaN payloads).
 * Portable: `Uint8Array` and a base64 codec of its own (RFC 4648, padded), no Node `Buffer`.
 */
import { ShapeError, ValueError, fmtShape, sizeOf, type Tensor } from '../linalg/index.js';
import type { Model, Params } from './module.js';
import { fromBase64, toBase64 } from './base64.js';

/** Schema version of the saved JSON; bumped on any incompatible change. */
export const PARAMS_SCHEMA_VERSION = 1;
const FORMAT = 'seqrate-params';

/** One saved tensor. */
export interface SavedTensor {
  shape: number[];
  dtype: 'float64';
  encoding: 'base64-f64le';
  data: string;
}

/** The JSON object written by `saveParams`. */
export interface SavedParams {
  format: typeof FORMAT;
  version: number;
  kind: string;
  config: Record<string, unknown>;
  params: Record<string, SavedTensor>;
}

function encode(t: Tensor): SavedTensor {
  const bytes = new Uint8Array(t.data.length * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < t.data.length; i++) view.setFloat64(8 * i, t.data[i]!, true);
  return { shape: [...t.shape], dtype: 'float64', encoding: 'base64-f64le', data: toBase64(bytes) };
}

function decode(name: string, s: SavedTensor): Tensor {
  if (s.dtype !== 'float64' || s.encoding !== 'base64-f64le' || !Array.isArray(s.shape) || typeof s.data !== 'string') {
    throw new ValueError(
      'loadParams',
      `parameter '${name}' is not a {shape, dtype: 'float64', encoding: 'base64-f64le', data} record`,
    );
  }
  if (!s.shape.every((d) => Number.isSafeInteger(d) && d >= 0))
    throw new ShapeError('loadParams', `parameter '${name}' has an invalid shape [${s.shape.join(', ')}]`, []);
  const bytes = fromBase64(s.data);
  // a decoder that skipped characters outside the alphabet would load a corrupted string: refuse it
  if (bytes === null)
    throw new ValueError('loadParams', `parameter '${name}' has corrupted data (not canonical base64)`);
  const n = sizeOf(s.shape);
  if (bytes.length !== 8 * n)
    throw new ShapeError(
      'loadParams',
      `parameter '${name}' holds ${bytes.length / 8} values but its shape ${fmtShape(s.shape)} needs ${n}`,
      [s.shape],
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = view.getFloat64(8 * i, true);
  return { data, shape: [...s.shape] };
}

/** Config entries that survive JSON (functions and undefined are dropped). */
function jsonConfig(config: object): Record<string, unknown> {
  return JSON.parse(JSON.stringify(config)) as Record<string, unknown>;
}

/**
 * Serialises a model's config and parameters to a JSON-ready object (use `JSON.stringify`).
 *
 * @example
 * ```ts
 * const m = new MLP({ inDim: 1, width: 1, depth: 0, outDim: 1 });
 * m.params = { '0.weight': tensor([[1]]), '0.bias': tensor([-0]) };
 * const saved = saveParams(m);
 * saved.kind;   // → 'MLP'
 * saved.config; // → { inDim: 1, width: 1, depth: 0, outDim: 1 }
 * saved.params['0.weight']; // → { shape: [1, 1], dtype: 'float64', encoding: 'base64-f64le', data: 'AAAAAAAA8D8=' }
 * saved.params['0.bias']!.data; // → 'AAAAAAAAAIA=': the bytes of −0, sign bit kept
 * const text = JSON.stringify(saved); // store it anywhere; loadParams reads it back
 * Object.is(loadParams(new MLP(m.config), JSON.parse(text)).params['0.bias']!.data[0], -0); // → true
 * ```
 */
export function saveParams(model: Model): SavedParams {
  const params: Record<string, SavedTensor> = {};
  for (const name of Object.keys(model.params).sort()) params[name] = encode(model.params[name]!);
  return { format: FORMAT, version: PARAMS_SCHEMA_VERSION, kind: model.kind, config: jsonConfig(model.config), params };
}

/**
 * Loads saved weights into `model` (assigns `model.params`; returns the model). Checks, with a
 * clear error for each: format and schema version, model kind, config (unknown keys and differing
 * values), parameter names (missing / extra) and shapes.
 *
 * @example
 * ```ts
 * const config = { d: 1, n: 4, mh: 2, mv: 2, ffnWidth: 4, ffnDepth: 1, positionEncoding: 'none' } as const;
 * const original = new Transformer(config, { seed: 1 });
 * const text = JSON.stringify(saveParams(original));
 * const copy = loadParams(new Transformer(config, { seed: 2 }), JSON.parse(text)); // seed 1's weights, bit for bit
 * copy.params['attn.wq']!.data.every((v, i) => v === original.params['attn.wq']!.data[i]); // → true
 * try {
 *   loadParams(new Transformer({ ...config, n: 8 }), JSON.parse(text));
 * } catch (e) {
 *   (e as Error).message; // → "loadParams: config 'n' is 4 in the saved weights but 8 in the model"
 * }
 * ```
 */
export function loadParams<M extends Model>(model: M, json: unknown): M {
  const s = json as Partial<SavedParams>;
  if (typeof s !== 'object' || s === null || s.format !== FORMAT)
    throw new ValueError('loadParams', `not a ${FORMAT} object`);
  if (s.version !== PARAMS_SCHEMA_VERSION)
    throw new ValueError(
      'loadParams',
      `schema version ${String(s.version)} is not supported (expected ${PARAMS_SCHEMA_VERSION})`,
    );
  if (s.kind !== model.kind)
    throw new ValueError('loadParams', `saved weights are for a ${String(s.kind)}, not a ${model.kind}`);
  const own = jsonConfig(model.config);
  const known = new Set(model.configKeys ?? Object.keys(own));
  const saved = s.config ?? {};
  for (const k of new Set([...Object.keys(saved), ...Object.keys(own)])) {
    if (!known.has(k))
      throw new ValueError(
        'loadParams',
        `unknown config key '${k}' in saved weights (a ${model.kind} config has: ${[...known].join(', ')})`,
      );
    const a = k in saved ? JSON.stringify(saved[k]) : 'unset',
      b = k in own ? JSON.stringify(own[k]) : 'unset';
    if (a !== b) throw new ValueError('loadParams', `config '${k}' is ${a} in the saved weights but ${b} in the model`);
  }
  const savedParams = s.params ?? {};
  const out: Params = {};
  for (const name of Object.keys(model.params)) {
    const rec = savedParams[name];
    if (!rec) throw new ValueError('loadParams', `saved weights lack parameter '${name}'`);
    const t = decode(name, rec);
    const want = model.params[name]!.shape;
    if (t.shape.length !== want.length || t.shape.some((d, i) => d !== want[i])) {
      throw new ShapeError(
        'loadParams',
        `parameter '${name}' has shape ${fmtShape(t.shape)} in the saved weights but ${fmtShape(want)} in the model`,
        [t.shape, want],
      );
    }
    out[name] = t;
  }
  for (const name of Object.keys(savedParams))
    if (!(name in model.params))
      throw new ValueError('loadParams', `saved weights have an unknown parameter '${name}'`);
  model.params = out;
  return model;
}
