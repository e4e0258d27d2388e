import { getOp, ops } from '../../src/index.js';
import { rand, t, type OpCase } from '../case.js';
import { OpCheckFailure } from '../failure.js';

/** Softmax of one row, in doubles (an independent reference). */
function softmaxRow(row: readonly number[]): number[] {
  const m = Math.max(...row);
  const e = row.map((v) => Math.exp(v - m));
  const s = e.reduce((p, q) => p + q, 0);
  return e.map((v) => v / s);
}

// softmax([1, 2, 3]) and log_softmax([1, 2, 3]), worked out to 8 digits.
const SM123 = [0.09003057, 0.24472847, 0.66524096];
const LSM123 = [-2.40760596, -1.40760596, -0.40760596];

export const nnCases: OpCase[] = [
  // ---- softmax ----
  {
    name: 'softmax of [1, 2, 3] and of the same shifted by 1000 (stable)',
    ops: ['softmax'],
    inputs: [t([[1, 2, 3], [1001, 1002, 1003]])],
    build: (x) => ops.softmax(x),
    expected: t([SM123, SM123]),
  },
  {
    name: 'softmax along axis 0',
    ops: ['softmax'],
    inputs: [t([[1, 0], [2, 0], [3, 0]])],
    build: (x) => ops.softmax(x, 0),
    expected: t([
      [SM123[0], 1 / 3],
      [SM123[1], 1 / 3],
      [SM123[2], 1 / 3],
    ]),
  },
  {
    name: 'softmax along a middle axis of a rank-3 tensor (reference)',
    ops: ['softmax'],
    inputs: [t([[[1, -1], [2, 0.5], [-3, 4]]])],
    build: (x) => ops.softmax(x, 1),
    expected: (() => {
      const a = softmaxRow([1, 2, -3]);
      const b = softmaxRow([-1, 0.5, 4]);
      return t([[[a[0], b[0]], [a[1], b[1]], [a[2], b[2]]]]);
    })(),
  },
  {
    name: 'softmax over a size-1 axis is 1; over size-0 tensors is empty',
    ops: ['softmax'],
    inputs: [t([[5], [-7]]), t([], [0, 3]), t([], [2, 0])],
    build: (a, b, c) => [ops.softmax(a), ops.softmax(b), ops.softmax(c)],
    expected: [t([[1], [1]]), t([], [0, 3]), t([], [2, 0])],
  },
  {
    name: 'softmax decomposition (unfused) gives the same values',
    ops: ['softmax', 'log_softmax'],
    inputs: [t([[1, 2, 3], [1001, 1002, 1003]])],
    build: (x) => [getOp('softmax').decompose!([x], { axis: -1 }), getOp('log_softmax').decompose!([x], { axis: 1 })],
    expected: [t([SM123, SM123]), t([LSM123, LSM123])],
  },
  {
    name: 'softmax gradient',
    ops: ['softmax'],
    inputs: [rand([3, 4], 81, -2, 2)],
    build: (x) => [ops.softmax(x), ops.softmax(x, 0)],
    check: ([y]) => {
      for (let r = 0; r < 3; r++) {
        let s = 0;
        for (let c = 0; c < 4; c++) s += y.data[r * 4 + c];
        if (Math.abs(s - 1) > 1e-5) throw new OpCheckFailure(`row ${r} sums to ${s}`);
      }
    },
    grad: true,
  },
  // ---- log_softmax ----
  {
    name: 'log_softmax of [1, 2, 3] and of the same shifted by 1000 (stable)',
    ops: ['log_softmax'],
    inputs: [t([[1, 2, 3], [1001, 1002, 1003]])],
    build: (x) => ops.logSoftmax(x),
    expected: t([LSM123, LSM123]),
  },
  {
    name: 'log_softmax along axis 0 and of a size-1 axis',
    ops: ['log_softmax'],
    inputs: [t([[1], [2], [3]])],
    build: (x) => [ops.logSoftmax(x, 0), ops.logSoftmax(x, 1)],
    expected: [t([[LSM123[0]], [LSM123[1]], [LSM123[2]]]), t([[0], [0], [0]])],
  },
  {
    name: 'log_softmax does not overflow where softmax underflows',
    ops: ['log_softmax'],
    inputs: [t([0, 200])],
    build: (x) => ops.logSoftmax(x),
    expected: t([-200, 0]),
  },
  {
    name: 'log_softmax of a size-0 tensor',
    ops: ['log_softmax'],
    inputs: [t([], [3, 0])],
    build: (x) => ops.logSoftmax(x),
    expected: t([], [3, 0]),
  },
  {
    name: 'log_softmax gradient',
    ops: ['log_softmax'],
    inputs: [rand([2, 3, 4], 83, -2, 2)],
    build: (x) => [ops.logSoftmax(x), ops.logSoftmax(x, 1)],
    check: () => {},
    grad: true,
  },
  // ---- variance / moments ----
  {
    name: 'variance over all axes, over axis 0, and over axis 1 with keepdims',
    ops: ['variance'],
    inputs: [t([[1, 2], [3, 4]])],
    build: (x) => [ops.variance(x), ops.variance(x, 0), ops.variance(x, [1], true)],
    // mean 2.5: (2.25 + 0.25 + 0.25 + 2.25) / 4; columns [1, 3], [2, 4]; rows [1, 2], [3, 4]
    expected: [t(1.25), t([1, 1]), t([[0.25], [0.25]])],
  },
  {
    name: 'moments gives the mean and the population variance (negative axes)',
    ops: ['variance'],
    inputs: [t([[[1, 10], [3, 20]], [[5, 30], [7, 40]]])],
    build: (x) => ops.moments(x, [0, -2]),
    // channel 0: 1, 3, 5, 7 -> mean 4, variance 5; channel 1: 10..40 -> mean 25, variance 125
    expected: [t([4, 25]), t([5, 125])],
  },
  {
    name: 'variance with keepdims over two axes and of a single element',
    ops: ['variance'],
    inputs: [t([[[2, 4, 4], [4, 5, 5]], [[7, 9, 0], [0, 0, 0]]]), t([3])],
    build: (x, y) => [ops.variance(x, [1, 2], true), ops.variance(y)],
    // [2,4,4,4,5,5]: mean 4, var (4+0+0+0+1+1)/6 = 1; [7,9,0,0,0,0]: mean 8/3, var (sum sq 130)/6 - 64/9
    expected: [t([[[1]], [[130 / 6 - 64 / 9]]]), t(0)],
  },
  {
    name: 'variance gradient',
    ops: ['variance'],
    inputs: [rand([3, 4], 89), rand([2, 3, 2], 97)],
    build: (a, b) => [ops.variance(a, 0), ops.variance(b, [0, 1], true), ops.variance(a)],
    check: () => {},
    grad: true,
  },
  // ---- bad inputs ----
  {
    name: 'softmax rejects an axis out of range',
    ops: ['softmax'],
    inputs: [t([[1, 2, 3], [4, 5, 6]])],
    build: (x) => ops.softmax(x, 2),
    throws: /op 'softmax' \(inputs: float32\[2,3\]\): attribute 'axis' = 2 is out of range for rank 2/,
  },
  {
    name: 'log_softmax rejects int32',
    ops: ['log_softmax'],
    inputs: [t([1, 2, 3], [3], 'int32')],
    build: (x) => ops.logSoftmax(x),
    throws: /op 'log_softmax' \(inputs: int32\[3\]\): takes float32, not int32/,
  },
  {
    name: 'variance rejects an axis out of range',
    ops: ['variance'],
    inputs: [t([[1, 2], [3, 4]])],
    build: (x) => ops.variance(x, [0, 5]),
    throws: /op 'variance' \(inputs: float32\[2,2\]\): attribute 'axes' = \[0,5\]: axis 5 is out of range for rank 2/,
  },
];
