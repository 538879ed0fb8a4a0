/**
 * Regression tests of issue 14 (library items owned by linalg): non-number and ragged input to
 * `tensor`, sizes beyond the element cap, nested differentiation, malformed tensors, arange's
 * arguments, masked-branch gradients, and typed errors instead of TypeErrors from deep inside.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  NonFiniteError,
  SeqrateError,
  ShapeError,
  ValueError,
  add,
  arange,
  broadcastTo,
  createRng,
  eye,
  full,
  grad,
  log,
  matmul,
  mul,
  randn,
  slice,
  sqrt,
  square,
  sum,
  svd,
  tensor,
  valueAndGrad,
  where,
  zeros,
  type Tensor,
} from '../../src/linalg/index.js';
import { getMaxElements, setMaxElements } from '../../src/linalg/validate.js';

/** The error `f` throws (fails the test when it returns). */
function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw, but it returned');
}

describe('tensor: non-number entries are a ValueError naming the first one and its index (item 2, 15, 16)', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ["['1', '2']", () => tensor(['1', '2'] as never), /entry '1' \(a string\) at index \[0\]/],
    ["[['a']]", () => tensor([['a']] as never), /entry 'a' \(a string\) at index \[0, 0\]/],
    ['[1, null, 3]', () => tensor([1, null, 3] as never), /entry null at index \[1\]/],
    ['[[1, undefined]]', () => tensor([[1, undefined]] as never), /entry undefined at index \[0, 1\]/],
    ['[true, false]', () => tensor([true, false] as never), /entry true \(a boolean\) at index \[0\]/],
    ['[1n, 2n]', () => tensor([1n, 2n] as never), /entry 1n \(a bigint\) at index \[0\]/],
    ['[{}]', () => tensor([{}] as never), /entry an object at index \[0\]/],
    ["[[1, 'a']]", () => tensor([[1, 'a']] as never), /entry 'a' \(a string\) at index \[0, 1\]/],
    ['{ length: 3 }', () => tensor({ length: 3 } as never), /data must be .* got an object/],
    ['BigInt64Array', () => tensor(new BigInt64Array(2) as never), /got a BigInt64Array/],
  ];
  for (const [name, f, re] of cases) {
    it(name, () => {
      const e = thrown(f);
      expect(e).toBeInstanceOf(ValueError);
      expect(e.message).toMatch(/^tensor: /);
      expect(e.message).toMatch(re);
      expect(e.message).not.toMatch(/expected undefined/);
    });
  }

  it('any non-number leaf anywhere in a rectangular nest is named with its path (property)', () => {
    const junk = fc.constantFrom<unknown>('1', '', null, undefined, true, false, 0n, {}, Symbol('s'), () => 1);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.nat(), junk, (r, c, k, bad) => {
        const rows: unknown[][] = Array.from({ length: r }, (_, i) => Array.from({ length: c }, (_, j) => i * c + j));
        const at = k % (r * c),
          i = Math.floor(at / c),
          j = at % c;
        rows[i]![j] = bad;
        const e = thrown(() => tensor(rows as never));
        expect(e).toBeInstanceOf(ValueError);
        expect(e.message).toContain(`at index [${i}, ${j}]`);
      }),
      { numRuns: 200 },
    );
  });

  it('a self-containing array is a ShapeError, not an endless loop', () => {
    const a: unknown[] = [];
    a.push(a);
    expect(() => tensor(a as never)).toThrow(ShapeError);
  });
});

describe('tensor: ragged input is a ShapeError naming the path (item 8)', () => {
  const cases: [string, unknown, RegExp][] = [
    ['[[1, 2], 3]', [[1, 2], 3], /the number 3 at \[1\] where an array of length 2 was expected/],
    [
      '[[[1], [2]], [3, 4]]',
      [
        [[1], [2]],
        [3, 4],
      ],
      /the number 3 at \[1, 0\] where an array of length 1/,
    ],
    ['[1, [2]]', [1, [2]], /an array at \[1\] where a number was expected/],
    ['[[1], [2, 3]]', [[1], [2, 3]], /length 2 at \[1\] but 1 at \[0\]/],
    ['[[], [1]]', [[], [1]], /length 1 at \[1\] but 0 at \[0\]/],
  ];
  for (const [name, data, re] of cases) {
    it(name, () => {
      const e = thrown(() => tensor(data as never));
      expect(e).toBeInstanceOf(ShapeError);
      expect(e.message).toMatch(/^tensor: ragged nested array: /);
      expect(e.message).toMatch(re);
    });
  }

  it('one sub-array of the wrong length anywhere is caught with its path (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.nat(),
        fc.integer({ min: -1, max: 1 }),
        (a, b, c, k, delta) => {
          if (delta === 0) return;
          const t: unknown[][][] = Array.from({ length: a }, () =>
            Array.from({ length: b }, () => Array.from({ length: c }, () => 1)),
          );
          const i = 1 + (k % (a - 1)),
            j = k % b;
          const len = c + delta;
          if (len < 0) return;
          t[i]![j] = Array.from({ length: len }, () => 1);
          const e = thrown(() => tensor(t as never));
          expect(e).toBeInstanceOf(ShapeError);
          expect(e.message).toContain(`length ${len} at [${i}, ${j}]`);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('sizes beyond the element cap are a ShapeError naming the op and the count (item 6)', () => {
  const cases: [string, () => unknown, string, string][] = [
    ['zeros([1e9, 1e9])', () => zeros([1e9, 1e9]), 'zeros', '1000000000000000000'],
    ['arange(0, 1e12)', () => arange(0, 1e12), 'arange', '1000000000000'],
    ['full([2**31], 1)', () => full([2 ** 31], 1), 'full', '2147483648'],
    ['eye(1e6)', () => eye(1e6), 'eye', '1000000000000'],
    ['randn([1e5, 1e5])', () => randn(createRng(0), [1e5, 1e5]), 'randn', '10000000000'],
    ['broadcastTo((1,), (1e6, 1e6))', () => broadcastTo(tensor([1]), [1e6, 1e6]), 'broadcastTo', '1000000000000'],
    ['add((1e5, 1), (1, 1e5))', () => add(zeros([1e5, 1]), zeros([1, 1e5])), 'add', '10000000000'],
  ];
  for (const [name, f, op, count] of cases) {
    it(name, () => {
      const e = thrown(f);
      expect(e).toBeInstanceOf(ShapeError);
      expect(e.message.startsWith(`${op}: `)).toBe(true);
      expect(e.message).toContain(`${count} elements`);
    });
  }

  it('the cap is raisable and restored', () => {
    const prev = setMaxElements(10);
    try {
      expect(() => zeros([11])).toThrow(/above the limit of 10 elements/);
      expect(zeros([10]).data.length).toBe(10);
    } finally {
      setMaxElements(prev);
    }
    expect(getMaxElements()).toBe(prev);
    expect(() => setMaxElements(0)).toThrow(ValueError);
  });
});

describe('nested differentiation throws for every nesting (item 7)', () => {
  const nested = /nested differentiation/;
  it('grad of grad with the traced value as argument', () => {
    expect(() => grad((x: Tensor) => sum(grad((y: Tensor) => sum(mul(y, mul(y, y))))(x)[0]!))(tensor([2]))).toThrow(
      nested,
    );
  });
  it('grad of valueAndGrad(...).value', () => {
    expect(() => grad((x: Tensor) => valueAndGrad((y: Tensor) => sum(square(y)))(x).value)(tensor([3]))).toThrow(
      nested,
    );
  });
  it('grad of grad with a record argument', () => {
    expect(() =>
      grad((x: Tensor) => sum(grad((p: { y: Tensor }) => sum(square(p.y)))({ y: x }).y))(tensor([3])),
    ).toThrow(nested);
  });
  it('grad of grad through a closure (already an error) and through a derived value', () => {
    expect(() =>
      grad((x: Tensor) => sum(grad((y: Tensor) => sum(mul(x, square(y))))(tensor([1]))[0]!))(tensor([3])),
    ).toThrow(nested);
    expect(() => grad((x: Tensor) => sum(grad((y: Tensor) => sum(square(y)))(mul(x, 2))[0]!))(tensor([3]))).toThrow(
      nested,
    );
  });
  it('an inner grad on constants inside an outer grad is allowed, and noGrad-free first order is unchanged', () => {
    const [g] = grad((x: Tensor) => {
      const [c] = grad((y: Tensor) => sum(square(y)))(tensor([5]));
      return sum(mul(x, c!));
    })(tensor([3]));
    expect(g!.data[0]).toBe(10);
  });
});

describe('malformed tensors and non-tensors are typed errors (items 11, 15)', () => {
  const bad = { data: new Float64Array(3), shape: [2, 2] };
  it.each([
    ['add', () => add(bad as never, zeros([2, 2])), 3],
    ['matmul', () => matmul(bad as never, zeros([2, 2])), 3],
    ['sum', () => sum({ data: new Float64Array(5), shape: [2, 2] } as never), 5],
    ['svd', () => svd(bad as never), 3],
  ] as const)('%s on a tensor whose data does not fill its shape (2, 2)', (op, f, n) => {
    const e = thrown(f);
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toMatch(new RegExp(`^${op}: .*malformed: its shape holds 4 values but its data has ${n}`));
  });
  it.each([
    [
      'matmul on plain arrays',
      () => matmul([[1, 2]] as never, [[1], [2]] as never),
      /^matmul: a must be a Tensor .*got an array of length 1/,
    ],
    ["add(t, '1')", () => add(tensor([1, 2]), '1' as never), /^add: b must be a Tensor .*got '1' \(a string\)/],
    ['add(t, undefined)', () => add(tensor([1, 2]), undefined as never), /^add: b must be a Tensor .*got undefined/],
    [
      'svd on a plain array',
      () =>
        svd([
          [1, 2],
          [3, 4],
        ] as never),
      /^svd: a must be a Tensor/,
    ],
    ['zeros(3)', () => zeros(3 as never), /^zeros: a shape must be an array/],
  ])('%s', (_name, f, re) => {
    const e = thrown(f);
    expect(e).toBeInstanceOf(SeqrateError);
    expect(e.message).toMatch(re);
  });
});

describe('arange needs finite arguments (item 13)', () => {
  it.each([
    [NaN, undefined, /stop must be a finite number, got NaN/],
    [0, Infinity, /stop must be a finite number, got Infinity/],
    [-Infinity, 1, /start must be a finite number, got -Infinity/],
    [0, 1, /step must be finite and non-zero, got NaN/],
  ] as const)('arange(%s, %s)', (a, b, re) => {
    const e = thrown(() => (re.source.startsWith('step') ? arange(a, b, NaN) : arange(a, b)));
    expect(e).toBeInstanceOf(ValueError);
    expect(e.message).toMatch(re);
  });
});

describe('masked branches (item 14, documented: the safe pattern masks the input)', () => {
  const m = tensor([0, 1]),
    x0 = tensor([0, 4]);
  it('where(m, log(x), 0) at a masked 0 has a NaN gradient (as in PyTorch/JAX); the safe pattern gives 0', () => {
    const [unsafe] = grad((x: Tensor) => sum(where(m, log(x), 0)))(x0);
    expect(Number.isNaN(unsafe!.data[0])).toBe(true);
    const [safe] = grad((x: Tensor) => sum(where(m, log(where(m, x, 1)), 0)))(x0);
    expect(Array.from(safe!.data)).toEqual([0, 0.25]);
  });
  it('slice(sqrt(x)) dropping a zero: NaN; sqrt of the masked input: exact', () => {
    const [unsafe] = grad((x: Tensor) => sum(slice(sqrt(x), [1], [2])))(x0);
    expect(Number.isNaN(unsafe!.data[0])).toBe(true);
    const [safe] = grad((x: Tensor) => sum(slice(sqrt(where(m, x, 1)), [1], [2])))(x0);
    expect(Array.from(safe!.data)).toEqual([0, 0.25]);
  });
  it('the NaN is a gradient, never a silent loss: a NaN loss is still a NonFiniteError', () => {
    expect(() => grad((x: Tensor) => sum(log(x)))(tensor([-1]))).toThrow(NonFiniteError);
  });
});
