import { ops, type Sym } from '../../src/index.js';
import { rand, t, ti, tb, type OpCase } from '../case.js';

const X = [-2.5, -1.5, -0.5, 0, 0.5, 1.5, 2.5, 3];
const P = [0.25, 0.5, 1, 2, 4, 9];

/** [op, builder, inputs, expected outputs (hand-worked or closed-form), grad input range] */
const TABLE: [string, (x: Sym) => Sym, number[], number[], [number, number] | null][] = [
  ['neg', ops.neg, [1, -2, 0, 3.5], [-1, 2, -0, -3.5], [-1, 1]],
  ['abs', ops.abs, [-3, 0, 2.5], [3, 0, 2.5], [0.1, 1]],
  ['sign', ops.sign, [-3, 0, 2.5], [-1, 0, 1], [0.1, 1]],
  ['exp', ops.exp, [0, 1, -1, 2], [1, Math.E, 1 / Math.E, Math.E * Math.E], [-1, 1]],
  ['log', ops.log, [1, Math.E, 0.5, 0], [0, 1, -Math.LN2, -Infinity], [0.5, 2]],
  ['log1p', ops.log1p, [0, Math.E - 1, 1e-7], [0, 1, 1e-7], [-0.5, 1]],
  ['expm1', ops.expm1, [0, 1, 1e-7], [0, Math.E - 1, 1e-7], [-1, 1]],
  ['sqrt', ops.sqrt, P, [0.5, Math.SQRT1_2, 1, Math.SQRT2, 2, 3], [0.5, 2]],
  ['rsqrt', ops.rsqrt, P, [2, Math.SQRT2, 1, Math.SQRT1_2, 0.5, 1 / 3], [0.5, 2]],
  ['square', ops.square, [-3, 0, 1.5], [9, 0, 2.25], [-1, 1]],
  ['reciprocal', ops.reciprocal, [-2, 0.5, 4], [-0.5, 2, 0.25], [0.5, 2]],
  ['sin', ops.sin, [0, Math.PI / 2, Math.PI / 6], [0, 1, 0.5], [-2, 2]],
  ['cos', ops.cos, [0, Math.PI, Math.PI / 3], [1, -1, 0.5], [-2, 2]],
  ['tanh', ops.tanh, [0, 1, -1, 20], [0, 0.7615941559557649, -0.7615941559557649, 1], [-2, 2]],
  ['sigmoid', ops.sigmoid, [0, 2, -2, -100], [0.5, 0.8807970779778823, 0.11920292202211755, 3.720075976020836e-44], [-3, 3]],
  ['relu', ops.relu, [-1, 0, 2], [0, 0, 2], [0.1, 1]],
  ['erf', ops.erf, [0, 0.5, 1, -2, 3], [0, 0.5204998778130465, 0.8427007929497149, -0.9953222650189527, 0.9999779095030014], [-2, 2]],
  ['floor', ops.floor, X, [-3, -2, -1, 0, 0, 1, 2, 3], [0.1, 0.9]],
  ['ceil', ops.ceil, X, [-2, -1, -0, 0, 1, 2, 3, 3], [0.1, 0.9]],
  ['round', ops.round, X, [-2, -2, -0, 0, 0, 2, 2, 3], [0.1, 0.4]],
  ['softplus', ops.softplus, [0, 1, -1, 100, -100], [Math.LN2, 1.3132616875182228, 0.31326168751822286, 100, 3.720075976020836e-44], [-3, 3]],
];

export const unaryCases: OpCase[] = [
  ...TABLE.map(([op, f, x, y]): OpCase => ({
    name: `${op} forward`,
    ops: [op],
    inputs: [t(x)],
    build: f,
    expected: t(y),
    atol: 1e-6,
    rtol: 1e-6,
  })),
  ...TABLE.filter(([, , , , r]) => r).map(([op, f, , , r]): OpCase => ({
    name: `${op} gradient`,
    ops: [op],
    inputs: [rand([2, 3], op.length * 7 + 1, r![0], r![1])],
    build: f,
    check: () => {},
    grad: true,
  })),
  {
    name: 'integer neg, abs, sign, square, relu keep int32',
    ops: ['neg', 'abs', 'sign', 'square', 'relu'],
    inputs: [ti([-3, 0, 2])],
    build: (x) => [ops.neg(x), ops.abs(x), ops.sign(x), ops.square(x), ops.relu(x)],
    expected: [ti([3, 0, -2]), ti([3, 0, 2]), ti([-1, 0, 1]), ti([9, 0, 4]), ti([0, 0, 2])],
  },
  {
    // Two's complement wrap-around, as TF: 46341^2 = 2^31 + 4633, 65536^2 = 2^32, 50000^2 > 2^31.
    name: 'int32 square and mul wrap around modulo 2^32',
    ops: ['square', 'mul'],
    inputs: [ti([46341, 65536, -50000, 3])],
    build: (x) => [ops.square(x), ops.mul(x, x)],
    expected: [ti([-2147479015, 0, -1794967296, 9]), ti([-2147479015, 0, -1794967296, 9])],
  },
  {
    // TF's Relu is max(x, 0): NaN stays NaN (so a NaN input reaches the loss and TerminateOnNaN
    // sees it), -inf and -0 give 0. The second output puts relu in an elementwise chain (fused
    // loops on backends that fuse).
    name: 'relu keeps NaN; -inf and -0 give 0',
    ops: ['relu'],
    inputs: [t([NaN, -Infinity, Infinity, -0, -1, 0, 2])],
    build: (x) => [ops.relu(x), ops.relu(ops.add(x, x))],
    expected: [t([NaN, 0, Infinity, 0, 0, 0, 2]), t([NaN, 0, Infinity, 0, 0, 0, 4])],
  },
  {
    name: 'logical_not',
    ops: ['logical_not'],
    inputs: [tb([true, false])],
    build: ops.logicalNot,
    expected: tb([false, true]),
  },
  {
    name: 'unary on a size-0 tensor',
    ops: ['exp'],
    inputs: [t([], [2, 0])],
    build: ops.exp,
    expected: t([], [2, 0]),
  },
  {
    name: 'unary on a scalar',
    ops: ['tanh'],
    inputs: [t(0)],
    build: ops.tanh,
    expected: t(0),
  },
  {
    name: 'exp rejects int32',
    ops: ['exp'],
    inputs: [ti([1])],
    build: ops.exp,
    throws: /op 'exp' \(inputs: int32\[1\]\): takes float32, not int32/,
  },
];
