/**
 * `seqrate run NAME --set PATH=VALUE`: a changed config runs exactly as changed (the points see it,
 * the JSON records it), the preset itself is untouched, and every bad change is a usage error that
 * names --set before anything runs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { UsageError } from '../../src/cli/args.js';
import { applySets } from '../../src/cli/set.js';
import { orderingReal } from '../../src/experiments/ordering-real.js';
import { rnnVsTransformer } from '../../src/experiments/rnn-vs-transformer.js';
import { syntheticRate } from '../../src/experiments/synthetic-rate.js';

const tiny = rnnVsTransformer.presets.tiny;

describe('applySets', () => {
  it('sets nested numbers, strings and objects; null removes an optional key; the preset is untouched', () => {
    const before = JSON.stringify(rnnVsTransformer.presets.standard);
    const c = applySets(rnnVsTransformer, rnnVsTransformer.presets.standard, [
      'transformer.mh=32',
      'transformer.positionEncoding=learned',
      'fitTransformer.plateau=null',
      'fitRnn={"adamSteps":1,"lr":0.5,"lbfgsIter":2,"gtol":1e-3}',
    ]);
    expect(c.transformer.mh).toBe(32);
    expect(c.transformer.positionEncoding).toBe('learned');
    expect('plateau' in c.fitTransformer).toBe(false);
    expect(c.fitRnn).toEqual({ adamSteps: 1, lr: 0.5, lbfgsIter: 2, gtol: 1e-3 });
    expect(JSON.stringify(rnnVsTransformer.presets.standard)).toBe(before);
  });
  it("the config's type is the experiment's (a mismatch is a type error, not a run-time surprise)", () => {
    // @ts-expect-error: a synthetic-rate config is not an rnn-vs-transformer config
    expect(() => applySets(rnnVsTransformer, syntheticRate.presets.tiny, [])).toThrow(UsageError);
  });
  it('replicate seeds past 2^32 − 1 are refused (seed + seedOffset + seeds − 1)', () => {
    // tiny: seed 1, 1 replicate → the last replicate seed is 1 + seedOffset
    expect(() => applySets(orderingReal, orderingReal.presets.tiny, [`seedOffset=${2 ** 32 - 1}`])).toThrow(
      /the replicate seeds run to 4294967296 \(seed \+ seedOffset \+ seeds − 1\), past 2\^32 − 1/,
    );
    const ok = applySets(orderingReal, orderingReal.presets.tiny, [`seedOffset=${2 ** 32 - 2}`]);
    expect(ok.seedOffset).toBe(2 ** 32 - 2);
    expect(() => applySets(orderingReal, ok, ['seeds=2'])).toThrow(/run to 4294967296/);
  });
  it('any count set to a positive integer is accepted and lands where the path says', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('transformer.mh', 'transformer.n', 'rnn.hidden', 'seeds', 'fitTransformer.lbfgsIter'),
        fc.integer({ min: 1, max: 10_000 }),
        (path, v) => {
          const c = applySets(rnnVsTransformer, tiny, [`${path}=${v}`]) as unknown as Record<string, unknown>;
          const got = path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], c);
          expect(got).toBe(v);
        },
      ),
    );
  });
  it.each([
    ['transformer.mh', /flag --set expects PATH=VALUE/],
    ['=3', /flag --set expects PATH=VALUE/],
    ['transformer..mh=3', /flag --set expects PATH=VALUE/],
    ['nope.mh=3', /flag --set nope\.mh=3: nope is not a key of rnn-vs-transformer's config \(keys: seed, /],
    ['tau.x=3', /tau is not an object/],
    ['transformer.mh=-1', /flag --set: .*transformer\.mh/],
    ['transformer.mh=2.5', /flag --set: .*transformer\.mh/],
    ['transformer.mh="8"', /flag --set: .*transformer\.mh: expected number, got string/],
    ['transformer.bogus=1', /flag --set: .*transformer\.bogus: unknown key/],
    ['tau=null', /flag --set: .*tau/],
    ['fitRnn.lr=0', /flag --set: .*fitRnn\.lr/],
    ['seed=5', /flag --set seed=5: the base seed is set with --seed N/],
    ['__proto__={"polluted":1}', /flag --set: .*config\.__proto__: unknown key/],
    ['transformer.__proto__={"mh":1}', /flag --set: .*transformer\.__proto__: unknown key/],
    ['constructor.name=1', /constructor is not a key/],
  ])('%s is a UsageError naming --set', (s, msg) => {
    expect(() => applySets(rnnVsTransformer, tiny, [s])).toThrow(UsageError);
    expect(() => applySets(rnnVsTransformer, tiny, [s])).toThrow(msg);
  });
});

describe('seqrate run --set', () => {
  it('the points run the changed config: the JSON records it and the result differs from the preset', async () => {
    const args = ['run', 'synthetic-rate', '--tiny', '--mh', '2', '--alpha', '1', '--rank', '2', '--json'];
    const plain = await cli(...args);
    const set = await cli(...args, '--set', 'fit.lbfgsIter=1');
    expect(plain.code).toBe(0);
    expect(set.code).toBe(0);
    const a = JSON.parse(plain.out) as { config: { fit: { lbfgsIter: number } }; points: { result: unknown }[] };
    const b = JSON.parse(set.out) as typeof a;
    expect(a.config.fit.lbfgsIter).toBe(syntheticRate.presets.tiny.fit.lbfgsIter);
    expect(b.config.fit.lbfgsIter).toBe(1);
    expect(JSON.stringify(b.points.map((p) => p.result))).not.toBe(JSON.stringify(a.points.map((p) => p.result)));
  });
  it('the summary names the change; a bad --set exits 2 and runs nothing', async () => {
    const r = await cli('run', 'no-order', '--tiny', '--model', 'shift-register', '--set', 'testSize=8');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^no-order, preset tiny \(changed: --set testSize=8\), seed 1: /);
    const bad = await cli('run', 'no-order', '--tiny', '--set', 'testSize=0');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/flag --set: .*testSize/);
    expect(bad.out).toBe('');
  });
});
