import { z } from 'zod';
import type { DType } from '../dtype.js';
import type { Sym } from '../graph/graph.js';
import { add, div, greater, mul, sub } from './binary.js';
import { where } from './elementwise.js';
import { scalar } from './operand.js';
import { defineOp, problem } from './registry.js';
import { zerosLike } from './source.js';

type UnaryGrad = (x: Sym, y: Sym, dy: Sym) => Sym;

const FLOAT: readonly DType[] = ['float32'];
const NUMERIC: readonly DType[] = ['float32', 'int32'];

const c = (x: Sym, v: number) => scalar(x.graph, v, x.dtype);

/** Gradient of ops that are piecewise constant: zero everywhere it is defined (as TensorFlow). */
const zeroGrad: UnaryGrad = (x) => zerosLike(x);

/**
 * The elementwise unary ops: name, the dtypes they take (output dtype = input dtype), and the
 * gradient dx given x, y = f(x) and dy.
 */
export const UNARY: Record<string, { dtypes: readonly DType[]; grad?: UnaryGrad }> = {
  neg: { dtypes: NUMERIC, grad: (_x, _y, dy) => neg(dy) },
  abs: { dtypes: NUMERIC, grad: (x, _y, dy) => mul(dy, sign(x)) },
  sign: { dtypes: NUMERIC, grad: zeroGrad },
  exp: { dtypes: FLOAT, grad: (_x, y, dy) => mul(dy, y) },
  log: { dtypes: FLOAT, grad: (x, _y, dy) => div(dy, x) },
  log1p: { dtypes: FLOAT, grad: (x, _y, dy) => div(dy, add(x, c(x, 1))) },
  expm1: { dtypes: FLOAT, grad: (_x, y, dy) => mul(dy, add(y, c(y, 1))) },
  sqrt: { dtypes: FLOAT, grad: (_x, y, dy) => div(dy, mul(y, c(y, 2))) },
  // d/dx x^-1/2 = -1/2 x^-3/2 = -1/2 y^3
  rsqrt: { dtypes: FLOAT, grad: (_x, y, dy) => mul(dy, mul(mul(y, mul(y, y)), c(y, -0.5))) },
  square: { dtypes: NUMERIC, grad: (x, _y, dy) => mul(dy, mul(x, c(x, 2))) },
  reciprocal: { dtypes: FLOAT, grad: (_x, y, dy) => neg(mul(dy, mul(y, y))) },
  sin: { dtypes: FLOAT, grad: (x, _y, dy) => mul(dy, cos(x)) },
  cos: { dtypes: FLOAT, grad: (x, _y, dy) => neg(mul(dy, sin(x))) },
  tanh: { dtypes: FLOAT, grad: (_x, y, dy) => mul(dy, sub(c(y, 1), mul(y, y))) },
  sigmoid: { dtypes: FLOAT, grad: (_x, y, dy) => mul(dy, mul(y, sub(c(y, 1), y))) },
  // relu'(0) = 0, as TensorFlow.
  relu: { dtypes: NUMERIC, grad: (x, _y, dy) => where(greater(x, c(x, 0)), dy, zerosLike(dy)) },
  erf: { dtypes: FLOAT, grad: (x, _y, dy) => mul(dy, mul(exp(neg(mul(x, x))), c(x, 2 / Math.sqrt(Math.PI)))) },
  floor: { dtypes: FLOAT, grad: zeroGrad },
  ceil: { dtypes: FLOAT, grad: zeroGrad },
  // Rounds half to even, as TensorFlow and numpy.
  round: { dtypes: FLOAT, grad: zeroGrad },
  softplus: { dtypes: FLOAT, grad: (x, _y, dy) => mul(dy, sigmoid(x)) },
  logical_not: { dtypes: ['bool'] },
};

for (const [name, { dtypes, grad }] of Object.entries(UNARY)) {
  defineOp({
    name,
    kind: 'primitive',
    arity: 1,
    attrs: z.strictObject({}),
    infer: ([x]) => {
      if (!dtypes.includes(x.dtype)) problem(`takes ${dtypes.join(' or ')}, not ${x.dtype}`);
      return x;
    },
    grad: grad && (({ inputs: [x], output, dy }) => [grad(x, output, dy)]),
  });
}

const u = (name: string) => (x: Sym): Sym => x.graph.apply(name, [x]);

export const neg = u('neg');
export const abs = u('abs');
export const sign = u('sign');
export const exp = u('exp');
export const log = u('log');
export const log1p = u('log1p');
export const expm1 = u('expm1');
export const sqrt = u('sqrt');
export const rsqrt = u('rsqrt');
export const square = u('square');
export const reciprocal = u('reciprocal');
export const sin = u('sin');
export const cos = u('cos');
export const tanh = u('tanh');
export const sigmoid = u('sigmoid');
export const relu = u('relu');
export const erf = u('erf');
export const floor = u('floor');
export const ceil = u('ceil');
export const round = u('round');
export const softplus = u('softplus');
export const logicalNot = u('logical_not');

