import { z } from 'zod';
import type { DType } from '../dtype.js';
import type { Sym } from '../graph/graph.js';
import { add, div, greater, mul, sub } from './builders/binary.js';
import { where } from './builders/elementwise.js';
import { scalar } from './operand.js';
import { neg, abs, sign, exp, log, log1p, expm1, sqrt, rsqrt, square, reciprocal, sin, cos, tanh, sigmoid, relu, erf, floor, ceil, round, softplus, logicalNot } from './builders/unary.js';
import { defineOp, problem } from './registry.js';
import { zerosLike } from './source.js';

type UnaryGrad = (x: Sym, y: Sym, dy: Sym) => Sym;

const FLOAT: readonly DType[] = ['float32'];
const NUMERIC: readonly DType[] = ['float32', 'int32'];

const c = (x: Sym, v: number) => scalar(x.graph, v, x.dtype);

/** Gradient of ops that are piecewise constant: zero everywhere it is defined (as TensorFlow). */
const zeroGrad: UnaryGrad = (x) => zerosLike(x);

/** The words of a unary op's reference entry; the loop below adds its input, shape and dtype. */
interface UnaryDoc {
  readonly summary: string;
  readonly grad?: string;
}

const ZERO_GRAD = 'Zero: the op is piecewise constant (as TensorFlow).';

/**
 * The elementwise unary ops: name, the dtypes they take (output dtype = input dtype), the
 * gradient dx given x, y = f(x) and dy, and the words of their reference entry.
 */
type UnaryEntry = { dtypes: readonly DType[]; grad?: UnaryGrad; doc: UnaryDoc };

const UNARY_TABLE = {
  neg: { dtypes: NUMERIC, grad: (_x, _y, dy) => neg(dy), doc: { summary: 'Negation, elementwise: -x.', grad: 'dx = -dy.' } },
  abs: { dtypes: NUMERIC, grad: (x, _y, dy) => mul(dy, sign(x)), doc: { summary: 'Absolute value, elementwise: |x|.', grad: 'dx = dy · sign(x) (0 at x = 0).' } },
  sign: { dtypes: NUMERIC, grad: zeroGrad, doc: { summary: 'The sign of each element: -1, 0 or 1.', grad: ZERO_GRAD } },
  exp: { dtypes: FLOAT, grad: (_x, y, dy) => mul(dy, y), doc: { summary: 'Exponential, elementwise: e^x.', grad: 'dx = dy · y (the output).' } },
  log: { dtypes: FLOAT, grad: (x, _y, dy) => div(dy, x), doc: { summary: 'Natural logarithm, elementwise.', grad: 'dx = dy / x.' } },
  log1p: { dtypes: FLOAT, grad: (x, _y, dy) => div(dy, add(x, c(x, 1))), doc: { summary: 'log(1 + x), elementwise, accurate for x near 0.', grad: 'dx = dy / (x + 1).' } },
  expm1: { dtypes: FLOAT, grad: (_x, y, dy) => mul(dy, add(y, c(y, 1))), doc: { summary: 'e^x - 1, elementwise, accurate for x near 0.', grad: 'dx = dy · (y + 1), y the output.' } },
  sqrt: { dtypes: FLOAT, grad: (_x, y, dy) => div(dy, mul(y, c(y, 2))), doc: { summary: 'Square root, elementwise.', grad: 'dx = dy / (2y), y the output.' } },
  // d/dx x^-1/2 = -1/2 x^-3/2 = -1/2 y^3
  rsqrt: {
    dtypes: FLOAT,
    grad: (_x, y, dy) => mul(dy, mul(mul(y, mul(y, y)), c(y, -0.5))),
    doc: { summary: 'Reciprocal square root, elementwise: 1 / sqrt(x).', grad: 'dx = dy · (-½ y³), y the output (d/dx x^-½ = -½ x^-3/2).' },
  },
  square: { dtypes: NUMERIC, grad: (x, _y, dy) => mul(dy, mul(x, c(x, 2))), doc: { summary: 'Square, elementwise: x².', grad: 'dx = dy · 2x.' } },
  reciprocal: { dtypes: FLOAT, grad: (_x, y, dy) => neg(mul(dy, mul(y, y))), doc: { summary: 'Reciprocal, elementwise: 1 / x.', grad: 'dx = -dy · y², y the output.' } },
  sin: { dtypes: FLOAT, grad: (x, _y, dy) => mul(dy, cos(x)), doc: { summary: 'Sine (radians), elementwise.', grad: 'dx = dy · cos(x).' } },
  cos: { dtypes: FLOAT, grad: (x, _y, dy) => neg(mul(dy, sin(x))), doc: { summary: 'Cosine (radians), elementwise.', grad: 'dx = -dy · sin(x).' } },
  tanh: { dtypes: FLOAT, grad: (_x, y, dy) => mul(dy, sub(c(y, 1), mul(y, y))), doc: { summary: 'Hyperbolic tangent, elementwise.', grad: 'dx = dy · (1 - y²), y the output.' } },
  sigmoid: {
    dtypes: FLOAT,
    grad: (_x, y, dy) => mul(dy, mul(y, sub(c(y, 1), y))),
    doc: { summary: 'The logistic function 1 / (1 + e^-x), elementwise.', grad: 'dx = dy · y · (1 - y), y the output.' },
  },
  // relu'(0) = 0, as TensorFlow.
  relu: {
    dtypes: NUMERIC,
    grad: (x, _y, dy) => where(greater(x, c(x, 0)), dy, zerosLike(dy)),
    doc: { summary: 'Rectified linear unit, elementwise: max(x, 0).', grad: 'dx = dy where x > 0, else 0 (the derivative at 0 is taken as 0, as TensorFlow).' },
  },
  erf: {
    dtypes: FLOAT,
    grad: (x, _y, dy) => mul(dy, mul(exp(neg(mul(x, x))), c(x, 2 / Math.sqrt(Math.PI)))),
    doc: { summary: 'The Gauss error function, elementwise.', grad: 'dx = dy · 2/√π · e^(-x²).' },
  },
  floor: { dtypes: FLOAT, grad: zeroGrad, doc: { summary: 'Rounds down, elementwise: the largest integer ≤ x.', grad: ZERO_GRAD } },
  ceil: { dtypes: FLOAT, grad: zeroGrad, doc: { summary: 'Rounds up, elementwise: the smallest integer ≥ x.', grad: ZERO_GRAD } },
  // Rounds half to even, as TensorFlow and numpy.
  round: { dtypes: FLOAT, grad: zeroGrad, doc: { summary: 'Rounds to the nearest integer, elementwise, halves to even (as TensorFlow and numpy).', grad: ZERO_GRAD } },
  softplus: { dtypes: FLOAT, grad: (x, _y, dy) => mul(dy, sigmoid(x)), doc: { summary: 'Softplus, elementwise: log(1 + e^x).', grad: 'dx = dy · sigmoid(x).' } },
  logical_not: { dtypes: ['bool'], doc: { summary: 'Logical NOT, elementwise.' } },
} satisfies Record<string, UnaryEntry>;

/** The unary ops by name: their dtypes, gradient and reference words. */
export const UNARY: Readonly<Record<string, UnaryEntry>> = UNARY_TABLE;

const unaryAttrs = z.strictObject({});

for (const [name, { dtypes, grad, doc }] of Object.entries(UNARY)) {
  defineOp({
    name,
    kind: 'primitive',
    arity: 1,
    attrs: unaryAttrs,
    infer: ([x]) => {
      if (!dtypes.includes(x.dtype)) problem(`takes ${dtypes.join(' or ')}, not ${x.dtype}`);
      return x;
    },
    grad: grad && (({ inputs: [x], output, dy }) => [grad(x, output, dy)]),
    doc: {
      summary: doc.summary,
      inputs: ['x'],
      shape: "The input's shape.",
      dtype: dtypes.length === 1 ? `${dtypes[0]} only; the output is ${dtypes[0]}.` : `${dtypes.join(' or ')}; the output has the input's dtype.`,
      grad: doc.grad,
    },
  });
}


export { neg, abs, sign, exp, log, log1p, expm1, sqrt, rsqrt, square, reciprocal, sin, cos, tanh, sigmoid, relu, erf, floor, ceil, round, softplus, logicalNot };

declare module './registry.js' {
  interface OpSchemas extends Record<keyof typeof UNARY_TABLE, typeof unaryAttrs> {}
}
