import { ops } from '../../src/index.js';
import { rand, t, ti, tb, type OpCase } from '../case.js';

const R23 = rand([2, 3], 5);

export const dimsCases: OpCase[] = [
  // expand_dims
  {
    name: 'expand_dims axis 0',
    ops: ['expand_dims'],
    inputs: [t([[1, 2, 3], [4, 5, 6]])],
    build: (x) => ops.expandDims(x, 0),
    expected: t([[[1, 2, 3], [4, 5, 6]]]),
    grad: true,
  },
  {
    name: 'expand_dims in the middle',
    ops: ['expand_dims'],
    inputs: [R23],
    build: (x) => ops.expandDims(x, 1),
    // Same row-major data, one more axis.
    expected: { ...R23, shape: [2, 1, 3] },
    grad: true,
  },
  {
    name: 'expand_dims axis -1 appends an axis',
    ops: ['expand_dims'],
    inputs: [ti([7, 8])],
    build: (x) => ops.expandDims(x, -1),
    expected: ti([[7], [8]]),
  },
  {
    name: 'expand_dims axis -3 of rank 2 prepends an axis',
    ops: ['expand_dims'],
    inputs: [tb([[true, false]])],
    build: (x) => ops.expandDims(x, -3),
    expected: tb([[[true, false]]]),
  },
  {
    name: 'expand_dims of a scalar',
    ops: ['expand_dims'],
    inputs: [t(4.5)],
    build: (x) => ops.expandDims(x, 0),
    expected: t([4.5]),
  },
  {
    name: 'expand_dims of a size-0 tensor',
    ops: ['expand_dims'],
    inputs: [t([], [0, 3])],
    build: (x) => ops.expandDims(x, 1),
    expected: t([], [0, 1, 3]),
  },
  {
    name: 'expand_dims rejects an axis out of range',
    ops: ['expand_dims'],
    inputs: [t([1, 2])],
    build: (x) => ops.expandDims(x, 3),
    throws: /op 'expand_dims' \(inputs: float32\[2\]\): attribute 'axis' = 3 is out of range for inserting an axis into rank 1 \(valid: -2\.\.1\)/,
  },
  {
    name: 'expand_dims rejects a too negative axis',
    ops: ['expand_dims'],
    inputs: [t([1, 2])],
    build: (x) => ops.expandDims(x, -3),
    throws: /op 'expand_dims' \(inputs: float32\[2\]\): attribute 'axis' = -3 is out of range/,
  },
  {
    name: 'expand_dims rejects a fractional axis',
    ops: ['expand_dims'],
    inputs: [t([1, 2])],
    build: (x) => ops.expandDims(x, 0.5),
    throws: /op 'expand_dims' \(inputs: float32\[2\]\): attribute 'axis'/,
  },

  // squeeze
  {
    name: 'squeeze all size-1 axes',
    ops: ['squeeze'],
    inputs: [t([[[1], [2]]])],
    build: (x) => ops.squeeze(x),
    expected: t([1, 2]),
    grad: true,
  },
  {
    name: 'squeeze one named axis (negative)',
    ops: ['squeeze'],
    inputs: [t([[[1], [2]]])],
    build: (x) => ops.squeeze(x, -1),
    expected: t([[1, 2]]),
    grad: true,
  },
  {
    name: 'squeeze several named axes',
    ops: ['squeeze'],
    inputs: [ti([[[[5, 6, 7]]]])],
    build: (x) => ops.squeeze(x, [0, 2]),
    expected: ti([[5, 6, 7]]),
  },
  {
    name: 'squeeze with nothing to squeeze keeps the shape',
    ops: ['squeeze'],
    inputs: [t([[1, 2], [3, 4]])],
    build: (x) => ops.squeeze(x),
    expected: t([[1, 2], [3, 4]]),
  },
  {
    name: 'squeeze to a scalar',
    ops: ['squeeze'],
    inputs: [t([[3]])],
    build: (x) => ops.squeeze(x),
    expected: t(3),
  },
  {
    name: 'squeeze keeps size-0 axes',
    ops: ['squeeze'],
    inputs: [t([], [1, 0, 1])],
    build: (x) => ops.squeeze(x),
    expected: t([], [0]),
  },
  {
    name: 'squeeze rejects an axis whose size is not 1',
    ops: ['squeeze'],
    inputs: [t([[1, 2, 3], [4, 5, 6]])],
    build: (x) => ops.squeeze(x, [0]),
    throws: /op 'squeeze' \(inputs: float32\[2,3\]\): attribute 'axes' = \[0\]: cannot squeeze axis 0, which has size 2, not 1/,
  },
  {
    name: 'squeeze rejects a size-0 axis',
    ops: ['squeeze'],
    inputs: [t([], [1, 0])],
    build: (x) => ops.squeeze(x, 1),
    throws: /op 'squeeze' \(inputs: float32\[1,0\]\): attribute 'axes' = \[1\]: cannot squeeze axis 1, which has size 0/,
  },
  {
    name: 'squeeze rejects an axis out of range',
    ops: ['squeeze'],
    inputs: [t([[1]])],
    build: (x) => ops.squeeze(x, 2),
    throws: /op 'squeeze' \(inputs: float32\[1,1\]\): attribute 'axes' = \[2\]: axis 2 is out of range for rank 2/,
  },
  {
    name: 'squeeze rejects a repeated axis',
    ops: ['squeeze'],
    inputs: [t([[1]])],
    build: (x) => ops.squeeze(x, [0, -2]),
    throws: /op 'squeeze' \(inputs: float32\[1,1\]\): attribute 'axes' = \[0,-2\]: axis -2 is repeated/,
  },
];
