/**
 * Registry-driven gradient checks: every primitive in `OpName` has a fast-check case here (the
 * `Record<OpName, Case>` type makes a missing case a compile error, and the first test fails at
 * run time too). Shapes include broadcasting pairs, size-1 axes, batch dims and size-0 axes;
 * domains avoid kinks and poles. float64, relative tolerance 1e-6.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { OP_NAMES, grad, gradcheck, type OpName } from '../../../src/linalg/autodiff/index.js';
import * as O from '../../../src/linalg/ops/index.js';
import type { Tensor } from '../../../src/linalg/tensor.js';
import { broadcastPairArb, seeded, shapeArb } from '../../helpers/gradcheck-cases.js';

interface Case {
  f: (...xs: Tensor[]) => Tensor;
  inputs: Tensor[];
  label: string;
}
type CaseArb = fc.Arbitrary<Case>;

const seedArb = fc.integer({ min: 1, max: 1_000_000 });

/** Values bounded away from 0 (for kinks and poles): sign · (0.2 + |n|). */
function awayFromZero(shape: number[], seed: number, positive: boolean): Tensor {
  const t = seeded(shape, seed);
  for (let i = 0; i < t.data.length; i++) {
    const v = t.data[i]!;
    t.data[i] = (positive || v >= 0 ? 1 : -1) * (0.2 + Math.abs(v));
  }
  return t;
}

function unaryCase(f: (x: Tensor) => Tensor, domain: 'any' | 'positive' | 'nonzero'): CaseArb {
  return fc.tuple(shapeArb(0, 3, 0, 4), seedArb).map(([s, seed]) => ({
    f,
    label: `shape (${s})`,
    inputs: [domain === 'any' ? seeded(s, seed) : awayFromZero(s, seed, domain === 'positive')],
  }));
}

function binaryCase(f: (a: Tensor, b: Tensor) => Tensor): CaseArb {
  return fc.tuple(broadcastPairArb(4, 0, 3), seedArb).map(([[sa, sb], seed]) => ({
    f,
    label: `(${sa}) with (${sb})`,
    inputs: [seeded(sa, seed), seeded(sb, seed + 7)],
  }));
}

const axesCase = (f: (x: Tensor, axes: number[], keep: boolean) => Tensor): CaseArb =>
  fc.tuple(shapeArb(1, 4, 1, 3), seedArb).chain(([s, seed]) =>
    fc
      .tuple(
        fc.subarray(
          s.map((_, i) => i),
          { minLength: 1 },
        ),
        fc.boolean(),
      )
      .map(([axes, keep]) => ({
        f: (x: Tensor) => f(x, axes, keep),
        label: `(${s}) axes [${axes}] keep ${keep}`,
        inputs: [seeded(s, seed)],
      })),
  );

const matmulCase: CaseArb = fc
  .tuple(
    fc.integer({ min: 1, max: 4 }),
    fc.integer({ min: 0, max: 4 }),
    fc.integer({ min: 1, max: 4 }),
    fc.boolean(),
    fc.boolean(),
    fc.constantFrom<[number[], number[]]>([[], []], [[2], [2]], [[2, 1], [3]], [[], [2]], [[3], []]),
    seedArb,
  )
  .map(([m, k, n, tA, tB, [ba, bb], seed]) => ({
    f: (a: Tensor, b: Tensor) => O.matmul(a, b, { transA: tA, transB: tB }),
    label: `m=${m} k=${k} n=${n} transA=${tA} transB=${tB} batch (${ba}) (${bb})`,
    inputs: [seeded([...ba, ...(tA ? [k, m] : [m, k])], seed), seeded([...bb, ...(tB ? [n, k] : [k, n])], seed + 1)],
  }));

/** dense(x, w, b, relu): ReLU only when every pre-activation is at least 0.05 away from the kink. */
const denseCase: CaseArb = fc
  .tuple(
    fc.integer({ min: 0, max: 4 }),
    fc.integer({ min: 0, max: 4 }),
    fc.integer({ min: 1, max: 4 }),
    fc.boolean(),
    seedArb,
  )
  .map(([m, k, n, reluWanted, seed]) => {
    const x = seeded([m, k], seed),
      w = seeded([k, n], seed + 1),
      b = seeded([n], seed + 2);
    const pre = O.add(O.matmul(x, w), b).data;
    const relu = reluWanted && pre.every((v) => Math.abs(v) > 0.05);
    return {
      f: (xx: Tensor, ww: Tensor, bb: Tensor) => O.dense(xx, ww, bb, relu),
      label: `m=${m} k=${k} n=${n} relu=${relu}`,
      inputs: [x, w, b],
    };
  });

const cases: Record<OpName, CaseArb> = {
  add: binaryCase(O.add),
  mul: binaryCase(O.mul),
  neg: unaryCase(O.neg, 'any'),
  reciprocal: unaryCase(O.reciprocal, 'nonzero'),
  maximum: binaryCase(O.maximum), // random normals: ties (the kink) have probability 0
  where: fc.tuple(broadcastPairArb(3, 1, 3), seedArb).map(([[sa, sb], seed]) => {
    const cond = seeded(sa, seed + 3);
    for (let i = 0; i < cond.data.length; i++) cond.data[i] = cond.data[i]! > 0 ? 1 : 0;
    return {
      f: (a: Tensor, b: Tensor) => O.where(cond, a, b),
      label: `cond (${sa}) a (${sb})`,
      inputs: [seeded(sb, seed), seeded(sa, seed + 1)],
    };
  }),
  exp: unaryCase(O.exp, 'any'),
  log: unaryCase(O.log, 'positive'),
  tanh: unaryCase(O.tanh, 'any'),
  relu: unaryCase(O.relu, 'nonzero'),
  abs: unaryCase(O.abs, 'nonzero'),
  pow: fc
    .tuple(shapeArb(0, 3, 0, 4), seedArb, fc.constantFrom(0, 1, 2, 3, 0.5, -0.5, -1, 1.7, -2.3))
    .map(([s, seed, c]) => ({
      f: (x: Tensor) => O.pow(x, c),
      label: `(${s}) ^ ${c}`,
      inputs: [awayFromZero(s, seed, true)],
    })),
  sum: axesCase((x, axes, keep) => O.sum(x, axes, keep)),
  max: axesCase((x, axes, keep) => O.max(x, axes, keep)),
  matmul: matmulCase,
  dense: denseCase,
  reshape: fc.tuple(shapeArb(0, 3, 0, 4), seedArb).map(([s, seed]) => ({
    f: (x: Tensor) => O.reshape(x, [...s].reverse()),
    label: `(${s}) → reversed`,
    inputs: [seeded(s, seed)],
  })),
  transpose: shapeArb(0, 4, 0, 3)
    .chain((s) =>
      fc.tuple(
        fc.constant(s),
        fc.shuffledSubarray(
          s.map((_, i) => i),
          { minLength: s.length, maxLength: s.length },
        ),
        seedArb,
      ),
    )
    .map(([s, p, seed]) => ({
      f: (x: Tensor) => O.transpose(x, p),
      label: `(${s}) perm [${p}]`,
      inputs: [seeded(s, seed)],
    })),
  broadcastTo: fc
    .tuple(shapeArb(0, 3, 1, 3), fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }), seedArb)
    .map(([s, lead, seed]) => {
      const small = s.map((d, i) => (i % 2 === 0 ? 1 : d));
      return {
        f: (x: Tensor) => O.broadcastTo(x, [...lead, ...s]),
        label: `(${small}) → (${[...lead, ...s]})`,
        inputs: [seeded(small, seed)],
      };
    }),
  slice: fc
    .tuple(shapeArb(1, 3, 1, 5), fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 6, maxLength: 6 }), seedArb)
    .map(([s, b, seed]) => ({
      f: (x: Tensor) =>
        O.slice(
          x,
          s.map((_, i) => b[i]!),
          s.map((_, i) => b[i + 3]!),
        ),
      label: `(${s}) [${b}]`,
      inputs: [seeded(s, seed)],
    })),
  concat: fc
    .tuple(
      shapeArb(1, 3, 1, 3),
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 }),
      fc.nat(2),
      seedArb,
    )
    .map(([s, lens, a0, seed]) => {
      const ax = Math.min(a0, s.length - 1);
      return {
        f: (...xs: Tensor[]) => O.concat(xs, ax),
        label: `(${s}) lens [${lens}] axis ${ax}`,
        inputs: lens.map((l, i) =>
          seeded(
            s.map((d, j) => (j === ax ? l : d)),
            seed + i,
          ),
        ),
      };
    }),
  gather: fc
    .tuple(shapeArb(1, 3, 1, 4), fc.nat(2), fc.array(fc.nat(20), { maxLength: 6 }), seedArb)
    .map(([s, a0, raw, seed]) => {
      const ax = Math.min(a0, s.length - 1);
      const idx = raw.map((v) => v % s[ax]!); // repeats likely: tests accumulation in the VJP
      return {
        f: (x: Tensor) => O.gather(x, idx, ax),
        label: `(${s}) axis ${ax} idx [${idx}]`,
        inputs: [seeded(s, seed)],
      };
    }),
};

describe('primitive gradients (registry-driven)', () => {
  it('every registered primitive has a case, and every case a primitive', () => {
    expect(Object.keys(O.PRIMITIVES).sort()).toEqual([...OP_NAMES].sort());
    expect(Object.keys(cases).sort()).toEqual([...OP_NAMES].sort());
    for (const name of OP_NAMES) expect(O.PRIMITIVES[name].name).toBe(name);
  });

  for (const name of OP_NAMES) {
    it(`${name}: dot-product gradcheck on random shapes (full Jacobian when tiny)`, () => {
      fc.assert(
        fc.property(cases[name], fc.nat(1000), (c, seed) => {
          const r = gradcheck(c.f, c.inputs, { rtol: 1e-6, atol: 1e-9, seed });
          if (!r.ok) throw new Error(`${name} ${c.label}: ${JSON.stringify(r)}`);
          const total = c.inputs.reduce((p, t) => p + t.data.length, 0);
          if (total <= 12) {
            const full = gradcheck(c.f, c.inputs, { mode: 'full', rtol: 1e-6, atol: 1e-9 });
            if (!full.ok) throw new Error(`${name} ${c.label} (full): ${JSON.stringify(full)}`);
          }
        }),
        { numRuns: 30 },
      );
    });
  }
});

describe('subgradients at kinks (the conventions documented next to each VJP)', () => {
  const t = (d: number[], shape = [d.length]): Tensor => ({ data: Float64Array.from(d), shape });
  const g1 = (f: (x: Tensor) => Tensor, x: Tensor): number[] =>
    Array.from(grad((z: Tensor) => O.sum(f(z)))(x)[0]!.data);
  it('relu and abs take 0 at x = 0', () => {
    expect(g1(O.relu, t([-1, 0, 2]))).toEqual([0, 0, 1]);
    expect(g1(O.abs, t([-1, 0, 2]))).toEqual([-1, 0, 1]);
  });
  it('maximum splits the cotangent evenly on ties, also under broadcasting', () => {
    const [ga, gb] = grad((a: Tensor, b: Tensor) => O.sum(O.mul(O.maximum(a, b), t([1, 2, 4]))))(
      t([1, 5, 3]),
      t([3], [1]),
    );
    expect(Array.from(ga!.data)).toEqual([0, 2, 2]); // a = b = 3 at the last entry: half of 4
    expect(Array.from(gb!.data)).toEqual([1 + 2]); // all of 1 (b wins), none of 2, half of 4
  });
  it('max shares the cotangent among the c tied maxima (1/c each), per reduced position', () => {
    // rows [2, 2, 1] and [0, 3, 3, ...] reduced over axis 1, keepdims off; cotangent (1, 10)
    const x = t([2, 2, 1, 0, 3, 3], [2, 3]);
    const [g] = grad((z: Tensor) => O.sum(O.mul(O.max(z, 1), t([1, 10]))))(x);
    expect(Array.from(g!.data)).toEqual([0.5, 0.5, 0, 0, 5, 5]);
    // over both axes with keepdims: a single maximum 3 tied twice
    const [h] = grad((z: Tensor) => O.sum(O.max(z, [0, 1], true)))(x);
    expect(Array.from(h!.data)).toEqual([0, 0, 0, 0, 0.5, 0.5]);
  });
});
