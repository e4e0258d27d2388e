import { ops } from '../../src/index.js';
import { t, type OpCase } from '../case.js';

/** The attributes of a rank-1 valid convolution with no stride or dilation. */
const CONV1 = { rank: 1, strides: [1], dilations: [1], padding: 'valid' };

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

// The fused ops the graph passes make, written by hand here so that every backend runs them
// (with its fused kernel, or as their decomposition). Values worked out by hand.
export const fusedCases: OpCase[] = [
  {
    // x·wᵀ = [[4, -1], [0, -1]]; + [0.5, -0.5] = [[4.5, -1.5], [0.5, -1.5]]; relu.
    name: 'fused_matmul: transposeB, bias add, relu',
    ops: ['fused_matmul'],
    inputs: [t([[1, 2, 3], [-1, 0, 1]]), t([[1, 0, 1], [0, 1, -1]]), t([0.5, -0.5])],
    build: (x, w, b) => ops.fused('matmul', x, w, { transposeB: true }, [{ op: 'add', operands: [b] }, { op: 'relu' }]),
    expected: t([[4.5, 0], [0.5, 0]]),
    grad: true,
  },
  {
    // conv of [1, 2, 3, 4] with taps [1, -1] then [0.5, 2]: [[2, 3], [3.5, 4], [5, 5]];
    // · [1, -1] + [0.5, 0] = [[2.5, -3], [4, -4], [5.5, -5]]; clip to [0, 5].
    name: 'fused_conv: rank 1, mul, add (bias first), clip',
    ops: ['fused_conv'],
    inputs: [t([[[1], [2], [3], [4]]]), t([[[1, -1]], [[0.5, 2]]]), t([1, -1]), t([0.5, 0])],
    build: (x, w, s, b) =>
      ops.fused('conv', x, w, CONV1, [
        { op: 'mul', operands: [s] },
        { op: 'add', operands: [b], at: 1 },
        { op: 'clip', attrs: { min: 0, max: 5 } },
      ]),
    expected: t([[[2.5, 0], [4, 0], [5, 0]]]),
    grad: true,
  },
  {
    // Per channel: c0 = x0[c0] - x1[c0] = [-2, -2], c1 = 2·x0[c1] + x1[c1] = [8, 14]; 1 - y; tanh.
    name: 'fused_depthwise_conv: rank 1, operand first (1 - y), tanh',
    ops: ['fused_depthwise_conv'],
    inputs: [t([[[1, 2], [3, 4], [5, 6]]]), t([[[1], [2]], [[-1], [1]]]), t([1, 1])],
    build: (x, w, one) => ops.fused('depthwise_conv', x, w, CONV1, [{ op: 'sub', operands: [one], at: 1 }, { op: 'tanh' }]),
    expected: t([[[Math.tanh(3), Math.tanh(-7)], [Math.tanh(3), Math.tanh(-13)]]]),
    grad: true,
  },
  {
    // conv_transpose of [1, 1] with taps [1, 2, 3]: [1, 3, 5, 3]; + 0.5; sigmoid.
    name: 'fused_conv_transpose: rank 1, bias add, sigmoid',
    ops: ['fused_conv_transpose'],
    inputs: [t([1, 1], [1, 2, 1]), t([1, 2, 3], [3, 1, 1]), t([0.5])],
    build: (dy, w, b) => ops.fused('conv_transpose', dy, w, { ...CONV1, outputShape: [1, 4, 1] }, [{ op: 'add', operands: [b] }, { op: 'sigmoid' }]),
    expected: t([1.5, 3.5, 5.5, 3.5].map(sigmoid), [1, 4, 1]),
    grad: true,
  },
  {
    name: 'fused_matmul: a step that is not elementwise float32 is rejected',
    ops: ['fused_matmul'],
    inputs: [t([[1, 2]]), t([[1], [2]]), t([0])],
    build: (x, w, b) => ops.fused('matmul', x, w, {}, [{ op: 'greater', operands: [b] }]),
    throws: /op 'fused_matmul' .*epilogue step 0 \('greater'\): not an elementwise op an epilogue takes/,
  },
  {
    name: 'fused_matmul: a step that changes the shape is rejected',
    ops: ['fused_matmul'],
    inputs: [t([[1, 2]]), t([[1], [2]]), t([[0], [1]])],
    build: (x, w, b) => ops.fused('matmul', x, w, {}, [{ op: 'add', operands: [b] }]),
    throws: /epilogue step 0 \('add'\): gives float32\[2,1\] from float32\[1,1\]; a step keeps the shape and dtype/,
  },
  {
    // [[1, 2], [3, 4]] · [2, -1] + [[0.5, 1]].
    name: 'scale_shift: a vector scale and a [1, n] shift',
    ops: ['scale_shift'],
    inputs: [t([[1, 2], [3, 4]]), t([2, -1]), t([[0.5, 1]])],
    build: (x, s, b) => ops.scaleShift(x, s, b),
    expected: t([[2.5, -1], [6.5, -3]]),
    grad: true,
  },
  {
    name: 'scale_shift: a shift that would grow x is rejected',
    ops: ['scale_shift'],
    inputs: [t([[1, 2]]), t([2, -1]), t([[0], [1]])],
    build: (x, s, b) => ops.scaleShift(x, s, b),
    throws: /scale \[2\] and shift \[2,1\] must broadcast into x's shape \[1,2\]/,
  },
];
