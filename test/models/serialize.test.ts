import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ShapeError, ValueError, tensor, type Tensor } from '../../src/linalg/index.js';
import { loadParams, saveParams } from '../../src/models/serialize.js';
import { fromBase64, toBase64 } from '../../src/models/base64.js';
import type { Model, Params } from '../../src/models/module.js';

function toy(params: Params, config: Record<string, unknown> = { width: 2 }): Model {
  return { kind: 'Toy', config, params, forward: (x: Tensor) => x };
}

const sameBits = (a: Float64Array, b: Float64Array): boolean => {
  const ua = new Uint8Array(a.buffer, a.byteOffset, a.byteLength),
    ub = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return ua.length === ub.length && ua.every((v, i) => v === ub[i]);
};

describe('saveParams / loadParams', () => {
  it('round-trips any float64 bit pattern through JSON text (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double(), { minLength: 0, maxLength: 20 }), (vals) => {
        const w = tensor(Float64Array.from(vals), [vals.length]);
        const m = toy({ w, 'b.0': tensor([[-0, 5e-324]]) });
        const text = JSON.stringify(saveParams(m));
        const m2 = toy({ w: tensor(new Float64Array(vals.length), [vals.length]), 'b.0': tensor([[0, 0]]) });
        loadParams(m2, JSON.parse(text));
        expect(sameBits(m2.params.w!.data, w.data)).toBe(true);
        expect(Object.is(m2.params['b.0']!.data[0], -0)).toBe(true);
        expect(m2.params['b.0']!.data[1]).toBe(5e-324);
      }),
      { numRuns: 40 },
    );
  });

  it('carries a schema version, the kind and the config', () => {
    const s = saveParams(toy({ w: tensor([1]) }, { width: 2, act: 'relu' }));
    expect(s.version).toBe(1);
    expect(s.format).toBe('seqrate-params');
    expect(s.kind).toBe('Toy');
    expect(s.config).toEqual({ width: 2, act: 'relu' });
  });

  it('wrong shapes, unknown config keys, differing configs and foreign files are clear errors', () => {
    const saved = JSON.parse(JSON.stringify(saveParams(toy({ w: tensor([1, 2, 3]) })))) as Record<string, unknown>;
    expect(() => loadParams(toy({ w: tensor([[1, 2, 3]]) }), saved)).toThrow(ShapeError);
    expect(() => loadParams(toy({ w: tensor([[1, 2, 3]]) }), saved)).toThrow(
      /'w' has shape \(3,\) in the saved weights but \(1, 3\)/,
    );
    expect(() => loadParams(toy({ w: tensor([1, 2, 3]) }, {}), saved)).toThrow(/unknown config key 'width'/);
    expect(() => loadParams(toy({ w: tensor([1, 2, 3]) }, { width: 3 }), saved)).toThrow(/config 'width' is 2/);
    expect(() => loadParams(toy({ w: tensor([1, 2, 3]), v: tensor([1]) }), saved)).toThrow(/lack parameter 'v'/);
    expect(() => loadParams(toy({}), saved)).toThrow(/unknown parameter 'w'/);
    expect(() => loadParams(toy({ w: tensor([1, 2, 3]) }), { ...saved, version: 99 })).toThrow(/schema version 99/);
    expect(() => loadParams(toy({ w: tensor([1, 2, 3]) }), { ...saved, kind: 'ViT' })).toThrow(/for a ViT, not a Toy/);
    expect(() => loadParams(toy({ w: tensor([1, 2, 3]) }), { hello: 1 })).toThrow(ValueError);
  });

  it('corrupted base64 data and invalid saved shapes are clear errors (not silently skipped characters)', () => {
    const saved = saveParams(toy({ w: tensor([1, 2, 3]) }));
    const data = saved.params.w!.data;
    const bad = (rec: Partial<typeof saved.params.w>) => ({ ...saved, params: { w: { ...saved.params.w!, ...rec } } });
    // one character replaced by '!' plus an extra valid one: Buffer.from would decode 24 bytes anyway
    expect(() =>
      loadParams(toy({ w: tensor([0, 0, 0]) }), bad({ data: `${data.slice(0, 4)}!${data.slice(4)}` })),
    ).toThrow(/^loadParams: parameter 'w' has corrupted data/);
    expect(() => loadParams(toy({ w: tensor([0, 0, 0]) }), bad({ shape: [-1, -3] }))).toThrow(
      /^loadParams: parameter 'w' has an invalid shape \[-1, -3\]/,
    );
    expect(() => loadParams(toy({ w: tensor([0, 0, 0]) }), bad({ shape: [1.5, 2] }))).toThrow(ShapeError);
    expect(Array.from(loadParams(toy({ w: tensor([0, 0, 0]) }), saved).params.w!.data)).toEqual([1, 2, 3]);
  });

  it('a model is left untouched when loading fails', () => {
    const m = toy({ w: tensor([7, 8]) });
    const saved = saveParams(toy({ w: tensor([1, 2, 3]) }));
    expect(() => loadParams(m, saved)).toThrow();
    expect(Array.from(m.params.w!.data)).toEqual([7, 8]);
  });
});

describe('portable base64 (weights without Node Buffer)', () => {
  it('encodes exactly like Node Buffer and decodes back (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const s = toBase64(bytes);
        expect(s).toBe(Buffer.from(bytes).toString('base64'));
        expect(fromBase64(s)).toEqual(bytes);
      }),
      { numRuns: 200 },
    );
  });
  it('rejects every non-canonical string that Buffer would silently accept', () => {
    for (const s of ['QQ', 'QQ=', 'Q===', 'QR==', 'QUI=QUI=', 'QU!=', 'Q\u00e9I=', 'QUJD\n', '=QUI']) {
      expect(fromBase64(s)).toBeNull();
    }
    expect(fromBase64('')).toEqual(new Uint8Array(0));
    expect(Array.from(fromBase64('QUJD')!)).toEqual([65, 66, 67]);
  });
});
