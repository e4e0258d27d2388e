import { ops, type Sym } from '../../src/index.js';
import { rand, t, ti, tb, type OpCase } from '../case.js';
import { OpCheckFailure } from '../failure.js';

/** 0, 1, 2, ... in the given shape (float32). */
const iota = (shape: readonly number[]) => t(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i), shape);

/** Checks the shapes of several outputs (for cases whose values are checked elsewhere). */
const shapes =
  (...want: string[]) =>
  (outs: readonly { shape: readonly number[] }[]) => {
    const got = outs.map((o) => `[${o.shape.join(',')}]`);
    if (got.join(' ') !== want.join(' ')) throw new OpCheckFailure(`shapes ${got.join(' ')}, expected ${want.join(' ')}`);
  };

export const slicingCases: OpCase[] = [
  // slice
  {
    name: 'slice with size -1 to the end',
    ops: ['slice'],
    inputs: [t([[1, 2, 3], [4, 5, 6]])],
    build: (x) => ops.slice(x, [0, 1], [-1, 2]),
    expected: t([[2, 3], [5, 6]]),
    grad: true,
  },
  {
    name: 'slice of a rank-3 tensor',
    ops: ['slice'],
    // x[i, j, k] = 12 i + 4 j + k; x[1:2, 0:3, 2:4]
    inputs: [iota([2, 3, 4])],
    build: (x) => ops.slice(x, [1, 0, 2], [1, 3, 2]),
    expected: t([[[14, 15], [18, 19], [22, 23]]]),
    grad: true,
  },
  {
    name: 'slice of int32 with size-1 axes',
    ops: ['slice'],
    inputs: [ti([[1, 2, 3], [4, 5, 6]])],
    build: (x) => ops.slice(x, [1, 2], [1, 1]),
    expected: ti([[6]]),
  },
  {
    name: 'slice of a scalar',
    ops: ['slice'],
    inputs: [t(2.5)],
    build: (x) => ops.slice(x, [], []),
    expected: t(2.5),
  },
  {
    name: 'slice with a size-0 result',
    ops: ['slice'],
    inputs: [t([[1, 2, 3], [4, 5, 6]])],
    build: (x) => ops.slice(x, [2, 1], [0, -1]),
    expected: t([], [0, 2]),
  },
  {
    name: 'slice of a size-0 input',
    ops: ['slice'],
    inputs: [t([], [0, 3])],
    build: (x) => ops.slice(x, [0, 1], [-1, 2]),
    expected: t([], [0, 2]),
  },
  {
    name: 'slice rejects begin + size past the end',
    ops: ['slice'],
    inputs: [t([[1, 2, 3], [4, 5, 6]])],
    build: (x) => ops.slice(x, [0, 1], [1, 3]),
    throws: /op 'slice' \(inputs: float32\[2,3\]\): attribute 'size' = \[1,3\]: begin 1 \+ size 3 at axis 1 exceeds the dimension 3/,
  },
  {
    name: 'slice rejects a negative begin',
    ops: ['slice'],
    inputs: [t([1, 2, 3])],
    build: (x) => ops.slice(x, [-1], [1]),
    throws: /op 'slice' \(inputs: float32\[3\]\): attribute 'begin' = \[-1\]: begin -1 at axis 0 is out of range \[0, 3\]/,
  },
  {
    name: 'slice rejects a begin list of the wrong length',
    ops: ['slice'],
    inputs: [t([[1, 2, 3]])],
    build: (x) => ops.slice(x, [0], [1, 1]),
    throws: /op 'slice' \(inputs: float32\[1,3\]\): attribute 'begin' = \[0\] has 1 entries, needs 2/,
  },
  {
    name: 'slice rejects a size below -1',
    ops: ['slice'],
    inputs: [t([1, 2, 3])],
    build: (x) => ops.slice(x, [0], [-2]),
    throws: /op 'slice' \(inputs: float32\[3\]\): attribute 'size' = \[-2\]: size -2 at axis 0 must be -1/,
  },

  // strided_slice
  {
    name: 'strided_slice x[1:5:2]',
    ops: ['strided_slice'],
    inputs: [iota([6])],
    build: (x) => ops.stridedSlice(x, [1], [5], [2]),
    expected: t([1, 3]),
    grad: true,
  },
  {
    name: 'strided_slice x[::-1] reverses',
    ops: ['strided_slice'],
    inputs: [t([1, 2, 3, 4])],
    build: (x) => ops.stridedSlice(x, [null], [null], [-1]),
    expected: t([4, 3, 2, 1]),
    grad: true,
  },
  {
    name: 'strided_slice x[::-1, 1::2] of a matrix',
    ops: ['strided_slice'],
    inputs: [iota([3, 4])],
    build: (x) => ops.stridedSlice(x, [null, 1], [null, null], [-1, 2]),
    expected: t([[9, 11], [5, 7], [1, 3]]),
    grad: true,
  },
  {
    name: 'strided_slice negative begin and clamped end: x[-4:100]',
    ops: ['strided_slice'],
    inputs: [iota([6])],
    build: (x) => ops.stridedSlice(x, [-4], [100]),
    expected: t([2, 3, 4, 5]),
  },
  {
    name: 'strided_slice clamped begin: x[-100:2]',
    ops: ['strided_slice'],
    inputs: [iota([6])],
    build: (x) => ops.stridedSlice(x, [-100], [2]),
    expected: t([0, 1]),
  },
  {
    name: 'strided_slice x[4:0:-2] stops before index 0',
    ops: ['strided_slice'],
    inputs: [iota([6])],
    build: (x) => ops.stridedSlice(x, [4], [0], [-2]),
    expected: t([4, 2]),
  },
  {
    name: 'strided_slice x[5:-7:-3] runs through index 0 (end clamped)',
    ops: ['strided_slice'],
    inputs: [ti([10, 11, 12, 13, 14, 15])],
    build: (x) => ops.stridedSlice(x, [5], [-7], [-3]),
    expected: ti([15, 12]),
  },
  {
    name: 'strided_slice x[-1:-3:-1] with negative bounds',
    ops: ['strided_slice'],
    inputs: [iota([6])],
    build: (x) => ops.stridedSlice(x, [-1], [-3], [-1]),
    expected: t([5, 4]),
  },
  {
    name: 'strided_slice with an empty range x[3:1]',
    ops: ['strided_slice'],
    inputs: [iota([6])],
    build: (x) => ops.stridedSlice(x, [3], [1]),
    expected: t([], [0]),
  },
  {
    name: 'strided_slice of a size-0 axis reversed',
    ops: ['strided_slice'],
    inputs: [t([], [0, 2])],
    build: (x) => ops.stridedSlice(x, [null, null], [null, null], [-1, -1]),
    expected: t([], [0, 2]),
  },
  {
    name: 'strided_slice with short lists takes the other axes whole: x[1:]',
    ops: ['strided_slice'],
    inputs: [tb([[true, false], [false, false], [true, true]])],
    build: (x) => ops.stridedSlice(x, [1], [null]),
    expected: tb([[false, false], [true, true]]),
  },
  {
    name: 'strided_slice x[:, 2:3] keeps a size-1 axis',
    ops: ['strided_slice'],
    inputs: [iota([2, 3])],
    build: (x) => ops.stridedSlice(x, [null, 2], [null, 3]),
    expected: t([[2], [5]]),
    grad: true,
  },
  {
    name: 'strided_slice rejects a zero stride',
    ops: ['strided_slice'],
    inputs: [iota([6])],
    build: (x) => ops.stridedSlice(x, [0], [6], [0]),
    throws: /op 'strided_slice' \(inputs: float32\[6\]\): attribute 'strides' = \[0\]: the stride at axis 0 is 0/,
  },
  {
    name: 'strided_slice rejects more entries than the rank',
    ops: ['strided_slice'],
    inputs: [iota([6])],
    build: (x) => ops.stridedSlice(x, [0, 0], [1, 1]),
    throws: /op 'strided_slice' \(inputs: float32\[6\]\): attribute 'begin' = \[0,0\] has 2 entries, more than the rank 1/,
  },
  {
    name: 'strided_slice rule rejects attributes that are not normalized',
    ops: ['strided_slice'],
    inputs: [iota([6])],
    build: (x) => x.graph.apply('strided_slice', [x], { begin: [7], end: [6], strides: [1] }),
    throws: /op 'strided_slice' \(inputs: float32\[6\]\): attribute 'begin' = \[7\]: begin 7 at axis 0 is out of the normalized range \[0, 6\]/,
  },

  // strided_slice_grad
  {
    name: 'strided_slice_grad scatters dy of x[4::-2]',
    ops: ['strided_slice_grad'],
    inputs: [t([10, 20, 30])],
    build: (dy) => ops.stridedSliceGrad(dy, [6], [4], [-1], [-2]),
    expected: t([30, 0, 20, 0, 10, 0]),
    grad: true,
  },
  {
    name: 'strided_slice_grad of x[::-1, 1::2]',
    ops: ['strided_slice_grad'],
    inputs: [t([[1, 2], [3, 4], [5, 6]])],
    build: (dy) => ops.stridedSliceGrad(dy, [3, 4], [2, 1], [-1, 4], [-1, 2]),
    expected: t([[0, 5, 0, 6], [0, 3, 0, 4], [0, 1, 0, 2]]),
    grad: true,
  },
  {
    name: 'strided_slice_grad of an empty slice gives zeros',
    ops: ['strided_slice_grad'],
    inputs: [t([], [0, 2])],
    build: (dy) => ops.stridedSliceGrad(dy, [3, 2], [3, 0], [1, 2], [1, 1]),
    expected: t([[0, 0], [0, 0], [0, 0]]),
  },
  {
    name: 'strided_slice_grad rejects dy of the wrong shape',
    ops: ['strided_slice_grad'],
    inputs: [t([1, 2])],
    build: (dy) => ops.stridedSliceGrad(dy, [6], [0], [6], [2]),
    throws: /op 'strided_slice_grad' \(inputs: float32\[2\]\): dy has shape \[2\], but slicing attribute 'inputShape' = \[6\] gives \[3\]/,
  },

  // concat
  {
    name: 'concat along the last axis',
    ops: ['concat'],
    inputs: [t([[1, 2], [3, 4]]), t([[5], [6]])],
    build: (a, b) => ops.concat([a, b], -1),
    expected: t([[1, 2, 5], [3, 4, 6]]),
    grad: true,
  },
  {
    name: 'concat along axis 0 with a size-0 part',
    ops: ['concat'],
    inputs: [t([[1, 2]]), t([], [0, 2]), t([[3, 4], [5, 6]])],
    build: (a, b, c) => ops.concat([a, b, c], 0),
    expected: t([[1, 2], [3, 4], [5, 6]]),
    grad: true,
  },
  {
    name: 'concat along a middle axis',
    ops: ['concat'],
    inputs: [iota([2, 1, 2]), t([[[10, 11], [12, 13]], [[14, 15], [16, 17]]])],
    build: (a, b) => ops.concat([a, b], 1),
    expected: t([[[0, 1], [10, 11], [12, 13]], [[2, 3], [14, 15], [16, 17]]]),
    grad: true,
  },
  {
    name: 'concat of int32',
    ops: ['concat'],
    inputs: [ti([1, 2]), ti([3])],
    build: (a, b) => ops.concat([a, b]),
    expected: ti([1, 2, 3]),
  },
  {
    name: 'concat of one input',
    ops: ['concat'],
    inputs: [tb([true, false])],
    build: (a) => ops.concat([a], 0),
    expected: tb([true, false]),
  },
  {
    name: 'concat of size-0 parts only',
    ops: ['concat'],
    inputs: [t([], [2, 0]), t([], [2, 0])],
    build: (a, b) => ops.concat([a, b], 1),
    expected: t([], [2, 0]),
  },
  {
    name: 'concat rejects mismatched shapes outside the axis',
    ops: ['concat'],
    inputs: [t([[1, 2]]), t([[1, 2, 3]])],
    build: (a, b) => ops.concat([a, b], 0),
    throws: /op 'concat' \(inputs: float32\[1,2\], float32\[1,3\]\): input 1 has shape \[1,3\], which differs from input 0's \[1,2\] outside attribute 'axis' = 0/,
  },
  {
    name: 'concat rejects mixed dtypes',
    ops: ['concat'],
    inputs: [t([1]), ti([2])],
    build: (a, b) => ops.concat([a, b], 0),
    throws: /op 'concat' \(inputs: float32\[1\], int32\[1\]\): input 1 is int32, but input 0 is float32/,
  },
  {
    name: 'concat rejects an axis out of range',
    ops: ['concat'],
    inputs: [t([1]), t([2])],
    build: (a, b) => ops.concat([a, b], 1),
    throws: /op 'concat' \(inputs: float32\[1\], float32\[1\]\): attribute 'axis' = 1 is out of range for rank 1/,
  },
  {
    name: 'concat rejects scalars',
    ops: ['concat'],
    inputs: [t(1), t(2)],
    build: (a, b) => ops.concat([a, b], 0),
    throws: /op 'concat' \(inputs: float32\[\], float32\[\]\): cannot concatenate scalars/,
  },

  // stack
  {
    name: 'stack along a new axis 0',
    ops: ['stack'],
    inputs: [t([1, 2]), t([3, 4])],
    build: (a, b) => ops.stack([a, b], 0),
    expected: t([[1, 2], [3, 4]]),
    grad: true,
  },
  {
    name: 'stack along a new last axis',
    ops: ['stack'],
    inputs: [t([[1, 2]]), t([[3, 4]]), t([[5, 6]])],
    build: (a, b, c) => ops.stack([a, b, c], -1),
    expected: t([[[1, 3, 5], [2, 4, 6]]]),
    grad: true,
  },
  {
    name: 'stack of scalars',
    ops: ['stack'],
    inputs: [ti(7), ti(8), ti(9)],
    build: (a, b, c) => ops.stack([a, b, c]),
    expected: ti([7, 8, 9]),
  },
  {
    name: 'stack of size-0 tensors',
    ops: ['stack'],
    inputs: [t([], [0]), t([], [0])],
    build: (a, b) => ops.stack([a, b], 1),
    expected: t([], [0, 2]),
  },
  {
    name: 'stack rejects different shapes',
    ops: ['stack'],
    inputs: [t([1, 2]), t([3])],
    build: (a, b) => ops.stack([a, b]),
    throws: /op 'stack' \(inputs: float32\[2\], float32\[1\]\): input 1 has shape \[1\], but input 0 has \[2\]/,
  },
  {
    name: 'stack rejects an axis out of range',
    ops: ['stack'],
    inputs: [t([1, 2]), t([3, 4])],
    build: (a, b) => ops.stack([a, b], 2),
    throws: /op 'stack' \(inputs: float32\[2\], float32\[2\]\): attribute 'axis' = 2 is out of range for stacking rank-1 inputs/,
  },

  // split (a builder over slice)
  {
    name: 'split into equal parts',
    ops: ['slice'],
    inputs: [iota([6])],
    build: (x) => ops.split(x, 3),
    expected: [t([0, 1]), t([2, 3]), t([4, 5])],
    grad: true,
  },
  {
    name: 'split by sizes with -1 along axis 1',
    ops: ['slice'],
    inputs: [iota([2, 5])],
    build: (x) => ops.split(x, [1, -1, 2], 1),
    expected: [t([[0], [5]]), t([[1, 2], [6, 7]]), t([[3, 4], [8, 9]])],
    grad: true,
  },
  {
    name: 'split with a size-0 part',
    ops: ['slice'],
    inputs: [iota([2, 2])],
    build: (x) => ops.split(x, [0, 2], -1),
    expected: [t([], [2, 0]), t([[0, 1], [2, 3]])],
  },
  {
    name: 'split rejects an uneven split',
    ops: ['slice'],
    inputs: [iota([5])],
    build: (x) => ops.split(x, 2),
    throws: /op 'split' \(inputs: float32\[5\]\): cannot split axis 0 of size 5 into 2 equal parts/,
  },
  {
    name: 'split rejects sizes that do not add up',
    ops: ['slice'],
    inputs: [iota([2, 5])],
    build: (x) => ops.split(x, [1, 2], 1),
    throws: /op 'split' \(inputs: float32\[2,5\]\): sizes \[1,2\] add up to 3, not the size 5 of axis 1/,
  },

  // pad
  {
    name: 'pad with zeros before and after',
    ops: ['pad'],
    inputs: [t([[1, 2], [3, 4]])],
    build: (x) => ops.pad(x, [[1, 0], [0, 2]]),
    expected: t([[0, 0, 0, 0], [1, 2, 0, 0], [3, 4, 0, 0]]),
    grad: true,
  },
  {
    name: 'pad a rank-3 tensor on every side',
    ops: ['pad'],
    inputs: [t([[[1], [2]]])],
    build: (x) => ops.pad(x, [[0, 1], [1, 0], [1, 1]]),
    expected: t([[[0, 0, 0], [0, 1, 0], [0, 2, 0]], [[0, 0, 0], [0, 0, 0], [0, 0, 0]]]),
    grad: true,
  },
  {
    name: 'pad int32 with a value',
    ops: ['pad'],
    inputs: [ti([5, 6])],
    build: (x) => ops.pad(x, [[2, 1]], -3),
    expected: ti([-3, -3, 5, 6, -3]),
  },
  {
    name: 'pad bool with true',
    ops: ['pad'],
    inputs: [tb([false])],
    build: (x) => ops.pad(x, [[1, 1]], 1),
    expected: tb([true, false, true]),
  },
  {
    name: 'pad a size-0 input gives only the value',
    ops: ['pad'],
    inputs: [t([], [0, 2])],
    build: (x) => ops.pad(x, [[1, 1], [0, 0]], 5),
    expected: t([[5, 5], [5, 5]]),
  },
  {
    name: 'pad of a scalar with no paddings',
    ops: ['pad'],
    inputs: [t(3)],
    build: (x) => ops.pad(x, []),
    expected: t(3),
  },
  {
    name: 'pad rejects a negative padding',
    ops: ['pad'],
    inputs: [t([1, 2])],
    build: (x) => ops.pad(x, [[-1, 0]]),
    throws: /op 'pad' \(inputs: float32\[2\]\): attribute 'paddings\.0\.0'.*\(got -1\)/,
  },
  {
    name: 'pad rejects paddings of the wrong length',
    ops: ['pad'],
    inputs: [t([[1, 2]])],
    build: (x) => ops.pad(x, [[1, 1]]),
    throws: /op 'pad' \(inputs: float32\[1,2\]\): attribute 'paddings' = \[\[1,1\]\] has 1 entries, needs 2/,
  },

  // tile
  {
    name: 'tile a matrix',
    ops: ['tile'],
    inputs: [t([[1, 2], [3, 4]])],
    build: (x) => ops.tile(x, [2, 3]),
    expected: t([
      [1, 2, 1, 2, 1, 2],
      [3, 4, 3, 4, 3, 4],
      [1, 2, 1, 2, 1, 2],
      [3, 4, 3, 4, 3, 4],
    ]),
    grad: true,
  },
  {
    name: 'tile a rank-3 tensor with size-1 axes',
    ops: ['tile'],
    inputs: [t([[[1, 2, 3]], [[4, 5, 6]]])],
    build: (x) => ops.tile(x, [1, 2, 2]),
    expected: t([
      [[1, 2, 3, 1, 2, 3], [1, 2, 3, 1, 2, 3]],
      [[4, 5, 6, 4, 5, 6], [4, 5, 6, 4, 5, 6]],
    ]),
    grad: true,
  },
  {
    name: 'tile int32 a vector',
    ops: ['tile'],
    inputs: [ti([7, 8])],
    build: (x) => ops.tile(x, [3]),
    expected: ti([7, 8, 7, 8, 7, 8]),
  },
  {
    name: 'tile with a zero rep',
    ops: ['tile'],
    inputs: [t([[1, 2], [3, 4]])],
    build: (x) => ops.tile(x, [1, 0]),
    expected: t([], [2, 0]),
    grad: true,
  },
  {
    name: 'tile of a size-0 input',
    ops: ['tile'],
    inputs: [t([], [0, 2])],
    build: (x) => ops.tile(x, [3, 2]),
    expected: t([], [0, 4]),
  },
  {
    name: 'tile of a scalar',
    ops: ['tile'],
    inputs: [t(4)],
    build: (x) => ops.tile(x, []),
    expected: t(4),
    grad: true,
  },
  {
    name: 'tile rejects reps of the wrong length',
    ops: ['tile'],
    inputs: [t([[1, 2]])],
    build: (x) => ops.tile(x, [2]),
    throws: /op 'tile' \(inputs: float32\[1,2\]\): attribute 'reps' = \[2\] has 1 entries, needs 2/,
  },
  {
    name: 'tile rejects a negative rep',
    ops: ['tile'],
    inputs: [t([1, 2])],
    build: (x) => ops.tile(x, [-1]),
    throws: /op 'tile' \(inputs: float32\[2\]\): attribute 'reps\.0'.*\(got -1\)/,
  },

  // gradients through a mix, with random inputs
  {
    name: 'slice, pad, tile and concat compose (gradient)',
    ops: ['slice', 'pad', 'tile', 'concat'],
    inputs: [rand([2, 3], 11)],
    build: (x: Sym) => {
      const s = ops.slice(x, [0, 1], [2, 2]);
      return ops.concat([ops.pad(s, [[1, 0], [0, 1]], 0.5), ops.tile(ops.slice(x, [1, 0], [1, 3]), [3, 1])], 1);
    },
    check: shapes('[3,6]'),
    grad: true,
  },
];
