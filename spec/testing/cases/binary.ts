import { ops } from '../../src/index.js';
import { rand, t, tb, ti, type OpCase } from '../case.js';

const A = t([[1, -2, 3], [4, 0.5, -6]]);
const B = t([[2, 4, -1], [0.5, 0.5, 3]]);

export const binaryCases: OpCase[] = [
  {
    name: 'add sub mul div, same shapes',
    ops: ['add', 'sub', 'mul', 'div'],
    inputs: [A, B],
    build: (a, b) => [ops.add(a, b), ops.sub(a, b), ops.mul(a, b), ops.div(a, b)],
    expected: [
      t([[3, 2, 2], [4.5, 1, -3]]),
      t([[-1, -6, 4], [3.5, 0, -9]]),
      t([[2, -8, -3], [2, 0.25, -18]]),
      t([[0.5, -0.5, -3], [8, 1, -2]]),
    ],
  },
  {
    name: 'broadcast row vector and column vector',
    ops: ['add', 'mul'],
    inputs: [t([[1], [2]]), t([10, 20, 30])],
    build: (a, b) => [ops.add(a, b), ops.mul(a, b)],
    expected: [t([[11, 21, 31], [12, 22, 32]]), t([[10, 20, 30], [20, 40, 60]])],
  },
  {
    name: 'broadcast against a scalar and a number',
    ops: ['sub', 'div'],
    inputs: [t([2, 4]), t(2)],
    build: (a, s) => [ops.sub(s, a), ops.div(a, 4)],
    expected: [t([0, -2]), t([0.5, 1])],
  },
  {
    name: 'broadcast a rank-3 against a rank-1 middle size-1',
    ops: ['add'],
    inputs: [t([[[1, 2]], [[3, 4]]]), t([[10, 20], [30, 40], [50, 60]])],
    build: (a, b) => ops.add(a, b),
    expected: t([[[11, 22], [31, 42], [51, 62]], [[13, 24], [33, 44], [53, 64]]]),
  },
  {
    name: 'broadcast with a size-0 dimension',
    ops: ['mul'],
    inputs: [t([], [0, 3]), t([1, 2, 3])],
    build: (a, b) => ops.mul(a, b),
    expected: t([], [0, 3]),
  },
  {
    name: 'pow, maximum, minimum',
    ops: ['pow', 'maximum', 'minimum'],
    inputs: [t([2, 9, 4]), t([3, 0.5, -1])],
    build: (a, b) => [ops.pow(a, b), ops.maximum(a, b), ops.minimum(a, b)],
    expected: [t([8, 3, 0.25]), t([3, 9, 4]), t([2, 0.5, -1])],
  },
  {
    name: 'comparisons give bool',
    ops: ['equal', 'not_equal', 'less', 'less_equal', 'greater', 'greater_equal'],
    inputs: [t([1, 2, 3]), t([2, 2, 2])],
    build: (a, b) => [ops.equal(a, b), ops.notEqual(a, b), ops.less(a, b), ops.lessEqual(a, b), ops.greater(a, b), ops.greaterEqual(a, b)],
    expected: [
      tb([false, true, false]),
      tb([true, false, true]),
      tb([true, false, false]),
      tb([true, true, false]),
      tb([false, false, true]),
      tb([false, true, true]),
    ],
  },
  {
    name: 'logical and/or with broadcasting',
    ops: ['logical_and', 'logical_or'],
    inputs: [tb([[true], [false]]), tb([true, false])],
    build: (a, b) => [ops.logicalAnd(a, b), ops.logicalOr(a, b)],
    expected: [tb([[true, false], [false, false]]), tb([[true, true], [true, false]])],
  },
  {
    name: 'int32 arithmetic: floor division and wrap-free products',
    ops: ['add', 'mul', 'div'],
    inputs: [ti([7, -7, 6]), ti([2, 2, -4])],
    build: (a, b) => [ops.add(a, b), ops.mul(a, b), ops.div(a, b)],
    expected: [ti([9, -5, 2]), ti([14, -14, -24]), ti([3, -4, -2])],
  },
  ...Object.entries({ add: ops.add, sub: ops.sub, mul: ops.mul, div: ops.div }).map(
    ([op, f]): OpCase => ({
      name: `${op} gradient with broadcasting`,
      ops: [op],
      inputs: [rand([2, 3], 11, 0.5, 2), rand([3], 12, 0.5, 2)],
      build: (a, b) => f(a, b),
      check: () => {},
      grad: true,
    }),
  ),
  {
    name: 'pow gradient (positive base)',
    ops: ['pow'],
    inputs: [rand([2, 2], 3, 0.5, 2), rand([2, 2], 4, -1, 2)],
    build: (a, b) => ops.pow(a, b),
    check: () => {},
    grad: true,
  },
  {
    name: 'maximum and minimum gradients (no ties)',
    ops: ['maximum', 'minimum'],
    inputs: [t([[0.1, 0.9], [-0.5, 0.3]]), t([0.5, -0.2])],
    build: (a, b) => [ops.maximum(a, b), ops.minimum(a, b)],
    check: () => {},
    grad: true,
  },
  {
    name: 'add rejects mixed dtypes',
    ops: ['add'],
    inputs: [t([1]), ti([1])],
    build: (a, b) => ops.add(a, b),
    throws: /op 'add' \(inputs: float32\[1\], int32\[1\]\): inputs must have the same dtype/,
  },
  {
    name: 'mul rejects shapes that do not broadcast',
    ops: ['mul'],
    inputs: [t([[1, 2, 3]]), t([1, 2])],
    build: (a, b) => ops.mul(a, b),
    throws: /op 'mul' \(inputs: float32\[1,3\], float32\[2\]\): shapes \[1,3\] and \[2\] do not broadcast/,
  },
];
