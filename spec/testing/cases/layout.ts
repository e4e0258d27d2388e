import { ops } from '../../src/index.js';
import { rand, t, ti, type OpCase } from '../case.js';

export const layoutCases: OpCase[] = [
  {
    name: 'reshape keeps row-major order; -1 is inferred',
    ops: ['reshape'],
    inputs: [t([[1, 2, 3], [4, 5, 6]])],
    build: (x) => [ops.reshape(x, [3, 2]), ops.reshape(x, [-1])],
    expected: [t([[1, 2], [3, 4], [5, 6]]), t([1, 2, 3, 4, 5, 6])],
    grad: true,
  },
  {
    name: 'reshape of a size-0 tensor',
    ops: ['reshape'],
    inputs: [t([], [0, 3])],
    build: (x) => ops.reshape(x, [3, 0]),
    expected: t([], [3, 0]),
  },
  {
    name: 'reshape rejects a different element count',
    ops: ['reshape'],
    inputs: [t([1, 2, 3])],
    build: (x) => ops.reshape(x, [2, 2]),
    throws: /op 'reshape' \(inputs: float32\[3\]\): cannot reshape 3 elements to \[2,2\]/,
  },
  {
    name: 'transpose 2D, default reversal and a 3D permutation',
    ops: ['transpose'],
    inputs: [t([[[1, 2], [3, 4], [5, 6]], [[7, 8], [9, 10], [11, 12]]])],
    build: (x) => [ops.transpose(x, [1, 0, 2]), ops.transpose(x)],
    expected: [
      t([[[1, 2], [7, 8]], [[3, 4], [9, 10]], [[5, 6], [11, 12]]]),
      t([[[1, 7], [3, 9], [5, 11]], [[2, 8], [4, 10], [6, 12]]]),
    ],
    grad: true,
  },
  {
    name: 'transpose of int32 with a size-1 axis',
    ops: ['transpose'],
    inputs: [ti([[1, 2, 3]])],
    build: (x) => ops.transpose(x, [1, 0]),
    expected: ti([[1], [2], [3]]),
  },
  {
    name: 'transpose rejects a bad permutation',
    ops: ['transpose'],
    inputs: [t([[1, 2]])],
    build: (x) => ops.transpose(x, [0, 2]),
    throws: /op 'transpose' \(inputs: float32\[1,2\]\): attribute 'perm' = \[0,2\] is not a permutation of the 2 axes/,
  },
  {
    name: 'broadcast_to adds leading axes and repeats size-1 axes',
    ops: ['broadcast_to'],
    inputs: [t([[1], [2]])],
    build: (x) => ops.broadcastTo(x, [2, 2, 3]),
    expected: t([[[1, 1, 1], [2, 2, 2]], [[1, 1, 1], [2, 2, 2]]]),
  },
  {
    name: 'broadcast_to gradient sums back',
    ops: ['broadcast_to'],
    inputs: [rand([3, 1], 9)],
    build: (x) => ops.broadcastTo(x, [2, 3, 4]),
    check: () => {},
    grad: true,
  },
  {
    name: 'broadcast_to rejects an incompatible shape',
    ops: ['broadcast_to'],
    inputs: [t([1, 2])],
    build: (x) => ops.broadcastTo(x, [3]),
    throws: /op 'broadcast_to' \(inputs: float32\[2\]\): cannot broadcast \[2\] to \[3\]/,
  },
  {
    name: 'identity and stop_gradient pass values through',
    ops: ['identity', 'stop_gradient'],
    inputs: [t([1, -2])],
    build: (x) => [ops.identity(x), ops.stopGradient(x)],
    expected: [t([1, -2]), t([1, -2])],
  },
  {
    name: 'identity gradient',
    ops: ['identity'],
    inputs: [rand([2, 2], 3)],
    build: (x) => ops.identity(x),
    check: () => {},
    grad: true,
  },
];
