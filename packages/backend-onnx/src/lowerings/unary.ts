import { TensorType } from '../builder.js';
import type { Lowering, LoweringFamily } from '../lowering.js';

/** The unary elementwise ops (spec/src/ops/unary.ts). */

/** Ops that are one ONNX operator of the same meaning. */
const SIMPLE_UNARY: Readonly<Record<string, string>> = {
  neg: 'Neg',
  abs: 'Abs',
  sign: 'Sign',
  exp: 'Exp',
  log: 'Log',
  sqrt: 'Sqrt',
  reciprocal: 'Reciprocal',
  sin: 'Sin',
  cos: 'Cos',
  tanh: 'Tanh',
  sigmoid: 'Sigmoid',
  erf: 'Erf',
  floor: 'Floor',
  ceil: 'Ceil',
  round: 'Round',
  softplus: 'Softplus',
  logical_not: 'Not',
};

/** log1p in float64 with Kahan's correction: u = 1 + x; x when u == 1, else log(u) * x / (u - 1). */
const log1p: Lowering = (b, _n, [x]) => {
  const xd = b.cast(x, TensorType.DOUBLE);
  const u = b.node('Add', [xd, b.f64(1)]);
  const um1 = b.node('Sub', [u, b.f64(1)]);
  const r = b.node('Div', [b.node('Mul', [b.node('Log', [u]), xd]), um1]);
  return b.cast(b.node('Where', [b.node('Equal', [um1, b.f64(0)]), xd, r]), TensorType.FLOAT);
};

/** expm1 in float64 with Kahan's correction: u = exp(x); x when u == 1, -1 when u - 1 == -1, else (u - 1) * x / log(u). */
const expm1: Lowering = (b, _n, [x]) => {
  const xd = b.cast(x, TensorType.DOUBLE);
  const u = b.node('Exp', [xd]);
  const um1 = b.node('Sub', [u, b.f64(1)]);
  const r = b.node('Div', [b.node('Mul', [um1, xd]), b.node('Log', [u])]);
  const mid = b.node('Where', [b.node('Equal', [um1, b.f64(-1)]), b.f64(-1), r]);
  // exp overflows to inf for large x: (inf * x) / inf is NaN, but expm1 is inf.
  const big = b.node('Where', [b.node('Equal', [u, b.f64(Infinity)]), u, mid]);
  return b.cast(b.node('Where', [b.node('Equal', [um1, b.f64(0)]), xd, big]), TensorType.FLOAT);
};

export const unaryLowerings: LoweringFamily = (reg) => {
  for (const [op, onnx] of Object.entries(SIMPLE_UNARY)) reg.add(op, (b, _n, ins) => b.node(onnx, ins));
  reg.add('log1p', log1p);
  reg.add('expm1', expm1);
  reg.add('rsqrt', (b, _n, [x]) => b.node('Reciprocal', [b.node('Sqrt', [x])]));
  reg.add('square', (b, _n, [x]) => b.node('Mul', [x, x]));
  reg.add('relu', (b, node, [x]) => (node.dtype === 'float32' ? b.node('Relu', [x]) : b.node('Max', [x, b.scalar(0, node.dtype)])));
};
