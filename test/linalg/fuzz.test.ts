/**
 * Property-based fuzzing of every public function of seqrate/linalg (issue 14, "Done when").
 *
 * The exports of src/linalg/index.ts are enumerated at run time: every function must have an
 * entry in SPECS (argument kinds) or the first test fails, so a new export is fuzzed or noticed.
 * Each call gets generated junk mixed with plausible arguments — numbers of every magnitude
 * (NaN, ±Inf, subnormal, 1e300), strings, null, undefined, booleans, bigints, objects, ragged and
 * mixed nests, malformed tensors, empty and mismatched shapes — and must either throw a typed
 * SeqrateError or return; a returned result may hold NaN only when an input held NaN/Inf (or for
 * the few IEEE functions with a domain, e.g. log of a negative number), and decompositions are
 * checked for correctness (orthogonality, reconstruction, residuals). Hangs: every generated
 * size is capped (dimensions ≤ 4, matrices ≤ 6×6), so no call can run long.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as L from '../../src/linalg/index.js';
import { describe as show } from '../../src/linalg/validate.js';

const { SeqrateError } = L;
type Arb = fc.Arbitrary<unknown>;

// ---- values -------------------------------------------------------------------------------
const moderate = fc.double({ min: -1e3, max: 1e3, noNaN: true });
const extreme = fc.constantFrom(0, -0, 5e-324, -1e-310, 2.2e-308, 1e-200, 1e150, -1e300, 1.7e308);
const nonFinite = fc.constantFrom(NaN, Infinity, -Infinity);
const num: Arb = fc.oneof(
  { arbitrary: moderate, weight: 6 },
  { arbitrary: extreme, weight: 2 },
  { arbitrary: nonFinite, weight: 1 },
);
const junkScalar: Arb = fc.constantFrom<unknown>(
  '1',
  'a',
  '',
  null,
  undefined,
  true,
  false,
  1n,
  {},
  [],
  Symbol.for('s'),
  () => 1,
  new Map(),
);

const dims = (maxNd: number): fc.Arbitrary<number[]> => fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: maxNd });
const tensorOf = (shape: fc.Arbitrary<number[]>, values: Arb = num): Arb =>
  shape.chain((s) =>
    fc
      .array(values, { minLength: s.reduce((a, b) => a * b, 1), maxLength: s.reduce((a, b) => a * b, 1) })
      .map((v) => ({ data: Float64Array.from(v as number[]), shape: s })),
  );
const malformed: Arb = fc.oneof(
  fc.record({ data: fc.constant(new Float64Array(3)), shape: fc.constant([2, 2]) }),
  fc.record({
    data: fc.constant(new Float64Array(2)),
    shape: fc.constantFrom<unknown>([-2, -1], [NaN], [1.5, 1], '2', null, [2n]),
  }),
  fc.record({ data: fc.constant([1, 2]), shape: fc.constant([2]) }),
  fc.record({ shape: fc.constant([1]) }),
);
const nested: Arb = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, num, junkScalar, fc.array(tie('node'), { maxLength: 3 })),
})).node;
const junk: Arb = fc.oneof(junkScalar, num, malformed, nested, fc.array(num, { maxLength: 4 }));

const tensor: Arb = fc.oneof({ arbitrary: tensorOf(dims(3)), weight: 8 }, { arbitrary: junk, weight: 2 });
const matrix: Arb = fc.oneof(
  {
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }))
      .chain(([m, n]) => tensorOf(fc.constant([m, n]))),
    weight: 6,
  },
  { arbitrary: fc.integer({ min: 1, max: 5 }).chain((n) => tensorOf(fc.constant([n, n]))), weight: 3 },
  { arbitrary: tensor, weight: 1 },
);
const orNum = fc.oneof({ arbitrary: tensor, weight: 3 }, { arbitrary: num, weight: 1 });
const plausible = <T>(a: fc.Arbitrary<T>): Arb => fc.oneof({ arbitrary: a, weight: 4 }, { arbitrary: junk, weight: 1 });
const int = plausible(fc.integer({ min: -3, max: 6 }));
const axis = plausible(
  fc.oneof(
    fc.integer({ min: -4, max: 4 }),
    fc.constant(undefined),
    fc.array(fc.integer({ min: -3, max: 3 }), { maxLength: 3 }),
  ),
);
const shape = plausible(
  fc.oneof(dims(4), fc.array(fc.integer({ min: -2, max: 5 }), { maxLength: 4 }), fc.constant([1e9, 1e9])),
);
const bool = plausible(fc.boolean());
const str = plausible(fc.constantFrom('op', 'x'));
const opts = plausible(
  fc.oneof(
    fc.constant({}),
    fc.record({ checkFinite: fc.boolean() }, { requiredKeys: [] }),
    fc.record(
      {
        method: fc.constantFrom('auto', 'jacobi', 'golub-kahan', 'bad'),
        full: fc.boolean(),
        mode: fc.constantFrom('reduced', 'complete', 'x'),
        rcond: num,
        transA: fc.boolean(),
        transB: fc.boolean(),
      },
      { requiredKeys: [] },
    ),
  ),
);
const tensors = plausible(fc.array(tensor, { maxLength: 3 }));
const indices = plausible(
  fc.oneof(
    fc.array(fc.integer({ min: -3, max: 5 }), { maxLength: 4 }),
    fc.array(fc.integer({ min: -3, max: 5 }), { maxLength: 4 }).map((a) => Int32Array.from(a)),
  ),
);
const rng = plausible(fc.integer().map((s) => L.createRng(s)));
/** Functions handed to grad/valueAndGrad/noGrad/gradcheck: differentiable, junk-returning, or throwing. */
const fnArg = plausible(
  fc.constantFrom<unknown>(
    (...xs: L.Tensor[]) => L.sum(L.square(xs[0]!)),
    (...xs: L.Tensor[]) => L.mean(L.tanh(L.add(xs[0]!, xs[xs.length - 1]!))),
    () => 'not a tensor',
    () => L.tensor([1, 2]),
    () => {
      throw new L.ValueError('user', 'boom');
    },
    (x: L.Tensor) => L.log(x),
  ),
);
const ndarrayArg = plausible(
  fc.record({
    data: fc.oneof(fc.constant(new Float64Array(4)), fc.constant([1, 2, 3]), fc.constant('abcd')),
    shape: fc.oneof(fc.constant([2, 2]), fc.constant([3]), junk),
    stride: fc.oneof(fc.constant([2, 1]), fc.constant([1]), junk),
    offset: fc.oneof(fc.constant(0), num, junk),
  }),
);
const normOrd = plausible(
  fc.constantFrom<unknown>(undefined, 'fro', 'nuc', 1, 2, -1, -2, Infinity, -Infinity, 3, 'bad'),
);

// ---- the table: every exported function and the kinds of its arguments ----------------------
const SPECS: Record<string, Arb[]> = {
  abs: [tensor],
  exp: [tensor],
  gelu: [tensor],
  log: [tensor],
  neg: [tensor],
  reciprocal: [tensor],
  relu: [tensor],
  sigmoid: [tensor],
  sqrt: [tensor],
  square: [tensor],
  tanh: [tensor],
  softmax: [tensor, axis],
  logSoftmax: [tensor, axis],
  add: [orNum, orNum],
  sub: [orNum, orNum],
  mul: [orNum, orNum],
  div: [orNum, orNum],
  maximum: [orNum, orNum],
  pow: [tensor, num],
  where: [tensor, orNum, orNum],
  sum: [tensor, axis, bool],
  mean: [tensor, axis, bool],
  max: [tensor, axis, bool],
  logSumExp: [tensor, axis, bool],
  matmul: [tensor, tensor, opts],
  dense: [matrix, matrix, plausible(fc.oneof(tensor, fc.constant(null))), bool],
  reshape: [tensor, shape],
  transpose: [
    tensor,
    plausible(fc.oneof(fc.constant(undefined), fc.array(fc.integer({ min: -1, max: 3 }), { maxLength: 3 }))),
  ],
  broadcastTo: [tensor, shape],
  slice: [tensor, indices, indices],
  concat: [tensors, axis],
  stack: [tensors, axis],
  gather: [tensor, indices, axis],
  mse: [tensor, tensor],
  crossEntropy: [matrix, indices],
  layerNorm: [tensor, tensor, tensor, num],
  tensor: [nested, plausible(fc.constant(undefined))],
  zeros: [shape],
  ones: [shape],
  full: [shape, num],
  eye: [int, int],
  scalar: [num],
  arange: [num, plausible(fc.oneof(num, fc.constant(undefined))), plausible(fc.oneof(num, fc.constant(undefined)))],
  randn: [rng, shape],
  rand: [rng, shape, num, num],
  clone: [tensor],
  item: [tensor],
  toArray: [tensor],
  at: [tensor, int, int],
  assertFinite: [str, str, tensor],
  isTensor: [junk],

  checkShape: [str, shape],
  sizeOf: [shape],
  stridesOf: [shape],
  shapesEqual: [shape, shape],
  broadcastShapes: [str, shape, shape],
  broadcastStrides: [shape, shape],
  normAxis: [str, int, int],
  fmtShape: [shape],
  qr: [matrix, opts],
  svd: [matrix, opts],
  svdvals: [matrix, opts],
  eigh: [matrix, opts],
  solve: [matrix, tensor, opts],
  lstsq: [matrix, tensor, opts],
  spectralRadius: [matrix, opts],
  det: [matrix, opts],
  pinv: [matrix, opts],
  cond: [matrix, opts],
  norm: [tensor, normOrd, opts],
  createRng: [num],
  getMaxElements: [],
  setMaxElements: [num], // callOnce restores the cap it returns

  grad: [fnArg],
  valueAndGrad: [fnArg],
  noGrad: [fnArg],
  isRecording: [],
  definePrimitive: [junk],
  gradcheck: [
    fnArg,
    plausible(fc.array(tensorOf(dims(2), moderate), { minLength: 1, maxLength: 2 })),
    plausible(fc.record({ mode: fc.constantFrom('dot', 'full'), eps: num }, { requiredKeys: [] })),
  ],
  fromNdarray: [ndarrayArg, plausible(fc.record({ copy: fc.boolean() }, { requiredKeys: [] }))],
  toNdarray: [tensor, opts],
};
/** Exports that are not functions to call: the error classes (constructed by the library) and registries. */
const NOT_FUNCTIONS = new Set([
  'SeqrateError',
  'ShapeError',
  'NonFiniteError',
  'NonConvergenceError',
  'ValueError',
  'SingularMatrixError',
  'OP_NAMES',
  'PRIMITIVES',
]);
/** IEEE functions whose finite inputs may give NaN by definition (a domain, like numpy): log(−1), 0/0, (−1)^0.5, ∞·0 in pow. */
const IEEE_DOMAIN = new Set(['log', 'sqrt', 'pow', 'div', 'reciprocal']);

// ---- invariants ------------------------------------------------------------------------------
/** Every number reachable in `v` (tensors, arrays, records), up to a budget. */
function numbersIn(v: unknown, out: number[] = [], seen = new Set<unknown>()): number[] {
  if (out.length > 5000) return out;
  if (typeof v === 'number') out.push(v);
  else if (v instanceof Float64Array || v instanceof Int32Array) for (const x of v) out.push(x);
  else if (typeof v === 'object' && v !== null && !seen.has(v) && !(v instanceof Map)) {
    seen.add(v);
    for (const x of Array.isArray(v) ? v : Object.values(v)) numbersIn(x, out, seen);
  }
  return out;
}
/** Inputs free of NaN/Inf and of magnitudes where float arithmetic overflows (|x| ≤ 1e100). */
const clean = (args: unknown[]): boolean => numbersIn(args).every((x) => Number.isFinite(x) && Math.abs(x) <= 1e100);
const allFinite = (args: unknown[]): boolean => numbersIn(args).every((x) => Number.isFinite(x));

function orthErr(q: L.Tensor, rows = true): number {
  const [m, k] = [q.shape[0]!, q.shape[1]!];
  let e = 0;
  const at = (i: number, j: number): number => (rows ? q.data[i * k + j]! : q.data[j * k + i]!);
  const [len, cnt] = rows ? [m, k] : [k, m];
  for (let a = 0; a < cnt; a++)
    for (let b = 0; b < cnt; b++) {
      let s = 0;
      for (let i = 0; i < len; i++) s += at(i, a) * at(i, b);
      e = Math.max(e, Math.abs(s - (a === b ? 1 : 0)));
    }
  return e;
}

/** Correctness of the decompositions on finite input (any magnitude). */
function checkDecomposition(name: string, args: unknown[], r: unknown): void {
  const a = args[0] as L.Tensor;
  if (!L.isTensor(a) || a.shape.length !== 2 || !allFinite([a])) return;
  const tol = 1e-12;
  if (name === 'qr') expect(orthErr((r as { q: L.Tensor }).q)).toBeLessThan(tol);
  if (name === 'svd') {
    const { u, s, vt } = r as L.SvdResult;
    expect(orthErr(u)).toBeLessThan(tol);
    expect(orthErr(vt, false)).toBeLessThan(tol);
    for (let i = 1; i < s.data.length; i++) expect(s.data[i]!).toBeLessThanOrEqual(s.data[i - 1]!);
  }
  if (name === 'eigh') expect(orthErr((r as { vectors: L.Tensor }).vectors)).toBeLessThan(tol);
}

function callOnce(name: string, f: (...xs: unknown[]) => unknown, args: unknown[]): void {
  let r: unknown;
  try {
    r = f(...args);
    if (name === 'setMaxElements') L.setMaxElements(r as number); // the previous cap: later calls see the default
    if (name === 'grad' || name === 'valueAndGrad')
      r = (r as (...xs: unknown[]) => unknown)(L.tensor([0.5, -1]), L.tensor([2, 3]));
  } catch (e) {
    if (!(e instanceof SeqrateError)) {
      throw new Error(
        `${name}(${args.map((x) => show(x)).join(', ')}) threw ${(e as Error)?.name}: ${(e as Error)?.message}`,
      );
    }
    return;
  }
  if (clean(args) && !IEEE_DOMAIN.has(name)) {
    const bad = numbersIn(r).findIndex((x) => Number.isNaN(x));
    if (bad >= 0)
      throw new Error(`${name}(${args.map((x) => show(x)).join(', ')}) returned a silent NaN (value #${bad})`);
  }
  if (['qr', 'svd', 'eigh'].includes(name)) checkDecomposition(name, args, r);
}

describe('fuzz: every public function of seqrate/linalg', () => {
  const exported = Object.keys(L).filter((k) => !NOT_FUNCTIONS.has(k));

  it('the table covers every export (a new export must be added to SPECS)', () => {
    const missing = exported.filter((k) => typeof (L as Record<string, unknown>)[k] === 'function' && !(k in SPECS));
    expect(missing).toEqual([]);
    expect(Object.keys(SPECS).filter((k) => !(k in L))).toEqual([]);
    for (const k of Object.keys(L).filter((x) => !exported.includes(x))) expect(NOT_FUNCTIONS.has(k)).toBe(true);
  });

  for (const name of Object.keys(SPECS).sort()) {
    it(`${name}: a typed error or a finite, correct result on generated junk`, () => {
      const f = (L as unknown as Record<string, (...xs: unknown[]) => unknown>)[name]!;
      const argArbs = SPECS[name]!;
      fc.assert(
        fc.property(
          fc.tuple(...(argArbs as [Arb, ...Arb[]])),
          fc.integer({ min: 0, max: argArbs.length }),
          (args, keep) => {
            callOnce(name, f, (args as unknown[]).slice(0, Math.max(keep, argArbs.length === 0 ? 0 : 1)));
          },
        ),
        { numRuns: argArbs.length === 0 ? 5 : 150, seed: 14 },
      );
    });
  }
});
