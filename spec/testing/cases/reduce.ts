import { ops } from '../../src/index.js';
import { rand, t, ti, type OpCase } from '../case.js';

const X = t([[[1, 2], [3, 4], [5, 6]], [[-1, 0], [7, -2], [2, 9]]]); // [2,3,2]

export const reduceCases: OpCase[] = [
  {
    name: 'sum over all, one axis, two axes, keepdims',
    ops: ['sum'],
    inputs: [X],
    build: (x) => [ops.sum(x), ops.sum(x, 1), ops.sum(x, [0, 2]), ops.sum(x, -1, true)],
    expected: [t(36), t([[9, 12], [8, 7]]), t([2, 12, 22]), t([[[3], [7], [11]], [[-1], [5], [11]]])],
  },
  {
    name: 'mean, max, min, prod over an axis',
    ops: ['mean', 'max', 'min', 'prod'],
    inputs: [X],
    build: (x) => [ops.mean(x, 0), ops.max(x, 1), ops.min(x, [1, 2]), ops.prod(x, 2)],
    expected: [
      t([[0, 1], [5, 1], [3.5, 7.5]]),
      t([[5, 6], [7, 9]]),
      t([1, -2]),
      t([[2, 12, 30], [-0, -14, 18]]),
    ],
  },
  {
    name: 'argmax and argmin (ties go to the first index)',
    ops: ['argmax', 'argmin'],
    inputs: [t([[1, 3, 3], [2, -1, -1]])],
    build: (x) => [ops.argmax(x, 1), ops.argmin(x, 1), ops.argmax(x, 0)],
    expected: [ti([1, 0]), ti([0, 1]), ti([1, 0, 0])],
  },
  {
    name: 'logsumexp is stable for large values',
    ops: ['logsumexp'],
    inputs: [t([[1000, 1000], [0, Math.log(3)]])],
    build: (x) => ops.logsumexp(x, 1),
    expected: t([1000 + Math.LN2, Math.log(4)]),
  },
  {
    name: 'int32 sum and max',
    ops: ['sum', 'max'],
    inputs: [ti([[1, 2], [3, -4]])],
    build: (x) => [ops.sum(x, 0), ops.max(x)],
    expected: [ti([4, -2]), ti(3)],
  },
  {
    name: 'sum over a size-0 axis is 0; over an axis of a size-0 tensor is empty',
    ops: ['sum'],
    inputs: [t([], [2, 0])],
    build: (x) => [ops.sum(x, 1), ops.sum(x, 0)],
    expected: [t([0, 0]), t([], [0])],
  },
  {
    name: 'reduce over a size-1 axis and of a scalar',
    ops: ['sum', 'mean'],
    inputs: [t([[2], [3]]), t(5)],
    build: (x, s) => [ops.sum(x, 1), ops.mean(s)],
    expected: [t([2, 3]), t(5)],
  },
  ...Object.entries({ sum: ops.sum, mean: ops.mean, prod: ops.prod, logsumexp: ops.logsumexp }).map(
    ([op, f]): OpCase => ({
      name: `${op} gradient over axis 1 with keepdims`,
      ops: [op],
      inputs: [rand([2, 3, 2], 7, 0.5, 1.5)],
      build: (x) => [f(x, 1, true), f(x, [0, 2])],
      check: () => {},
      grad: true,
    }),
  ),
  {
    name: 'max and min gradients (distinct values)',
    ops: ['max', 'min'],
    inputs: [t([[0.1, 0.7, -0.3], [0.5, -0.9, 0.2]])],
    build: (x) => [ops.max(x, 1), ops.min(x, 0)],
    check: () => {},
    grad: true,
  },
  {
    name: 'max gradient is shared among ties',
    ops: ['max'],
    inputs: [t([[2, 2, 1]])],
    build: (x) => ops.max(x, 1),
    expected: t([2]),
  },
  {
    name: 'sum rejects an axis out of range',
    ops: ['sum'],
    inputs: [t([[1, 2]])],
    build: (x) => ops.sum(x, 2),
    throws: /op 'sum' \(inputs: float32\[1,2\]\): axis 2 is out of range for rank 2/,
  },
  {
    name: 'max rejects an empty axis',
    ops: ['max'],
    inputs: [t([], [2, 0])],
    build: (x) => ops.max(x, 1),
    throws: /op 'max' .*cannot take the max over an empty axis/,
  },
];
