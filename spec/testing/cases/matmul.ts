import { ops } from '../../src/index.js';
import { rand, t, type OpCase } from '../case.js';
import { OpCheckFailure } from '../failure.js';

export const matmulCases: OpCase[] = [
  {
    name: 'matmul 2x3 @ 3x2',
    ops: ['matmul'],
    inputs: [t([[1, 2, 3], [4, 5, 6]]), t([[7, 8], [9, 10], [11, 12]])],
    build: (a, b) => ops.matmul(a, b),
    expected: t([[58, 64], [139, 154]]),
    grad: true,
  },
  {
    name: 'matmul transposeA',
    ops: ['matmul'],
    inputs: [t([[1, 4], [2, 5], [3, 6]]), t([[7, 8], [9, 10], [11, 12]])],
    build: (a, b) => ops.matmul(a, b, true, false),
    expected: t([[58, 64], [139, 154]]),
    grad: true,
  },
  {
    name: 'matmul transposeB',
    ops: ['matmul'],
    inputs: [t([[1, 2, 3], [4, 5, 6]]), t([[7, 9, 11], [8, 10, 12]])],
    build: (a, b) => ops.matmul(a, b, false, true),
    expected: t([[58, 64], [139, 154]]),
    grad: true,
  },
  {
    name: 'matmul transposeA and transposeB',
    ops: ['matmul'],
    inputs: [t([[1, 4], [2, 5], [3, 6]]), t([[7, 9, 11], [8, 10, 12]])],
    build: (a, b) => ops.matmul(a, b, true, true),
    expected: t([[58, 64], [139, 154]]),
    grad: true,
  },
  {
    name: 'matmul batched with broadcast batch axes',
    ops: ['matmul'],
    inputs: [rand([2, 1, 2, 3], 3), rand([3, 3, 2], 4)],
    build: (a, b) => ops.matmul(a, b),
    check: ([y]) => {
      if (y.shape.join() !== '2,3,2,2') throw new OpCheckFailure(`shape ${y.shape}`);
    },
    grad: true,
  },
  {
    name: 'matmul rank-2 by batched (weights shared across the batch)',
    ops: ['matmul'],
    inputs: [t([[1, 0], [0, 1]]), t([[[1, 2], [3, 4]], [[5, 6], [7, 8]]])],
    build: (a, b) => ops.matmul(a, b),
    expected: t([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]),
    grad: true,
  },
  {
    name: 'matmul with a size-0 inner dimension gives zeros',
    ops: ['matmul'],
    inputs: [t([], [2, 0]), t([], [0, 3])],
    build: (a, b) => ops.matmul(a, b),
    expected: t([[0, 0, 0], [0, 0, 0]]),
  },
  {
    name: 'matmul with a size-0 output dimension',
    ops: ['matmul'],
    inputs: [t([], [0, 2]), t([[1, 2], [3, 4]])],
    build: (a, b) => ops.matmul(a, b),
    expected: t([], [0, 2]),
  },
  {
    name: 'matmul rejects mismatched inner dimensions',
    ops: ['matmul'],
    inputs: [t([[1, 2, 3]]), t([[1, 2]])],
    build: (a, b) => ops.matmul(a, b),
    throws: /op 'matmul' \(inputs: float32\[1,3\], float32\[1,2\]\): inner dimensions differ: 3/,
  },
];
