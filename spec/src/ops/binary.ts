import { z } from 'zod';
import type { DType } from '../dtype.js';
import type { Sym } from '../graph/graph.js';
import { broadcastShapes, fmtShape } from '../shape.js';
import { where } from './builders/elementwise.js';
import { lift, type Operand } from './operand.js';
import { add, sub, mul, div, pow, maximum, minimum, equal, notEqual, less, lessEqual, greater, greaterEqual, logicalAnd, logicalOr } from './builders/binary.js';
import { defineOp, problem } from './registry.js';
import { sumToShape } from './builders/reduce.js';
import { log, neg } from './builders/unary.js';
import { fill, zerosLike } from './source.js';

type BinaryGrad = (a: Sym, b: Sym, y: Sym, dy: Sym) => [Sym | null, Sym | null];

const FLOAT: readonly DType[] = ['float32'];
const NUMERIC: readonly DType[] = ['float32', 'int32'];
const ALL: readonly DType[] = ['float32', 'int32', 'bool'];

/** The words of a binary op's reference entry; the loop below adds its inputs, shape and dtype. */
interface BinaryDoc {
  readonly summary: string;
  /** The adjoints before un-broadcasting (the loop adds that step). */
  readonly grad?: string;
}

/**
 * The broadcasting binary ops: the dtypes they take (both inputs alike), whether they return
 * bool, their gradient before un-broadcasting (each adjoint has the output's shape), and the
 * words of their reference entry.
 */
type BinaryEntry = { dtypes: readonly DType[]; toBool?: boolean; grad?: BinaryGrad; doc: BinaryDoc };

const BINARY_TABLE = {
  add: { dtypes: NUMERIC, grad: (_a, _b, _y, dy) => [dy, dy], doc: { summary: 'Sum, elementwise: a + b.', grad: 'da = dy and db = dy' } },
  sub: { dtypes: NUMERIC, grad: (_a, _b, _y, dy) => [dy, neg(dy)], doc: { summary: 'Difference, elementwise: a - b.', grad: 'da = dy and db = -dy' } },
  mul: { dtypes: NUMERIC, grad: (a, b, _y, dy) => [mul(dy, b), mul(dy, a)], doc: { summary: 'Product, elementwise: a · b.', grad: 'da = dy · b and db = dy · a' } },
  // Integer division truncates toward negative infinity (floor division), as TensorFlow's floordiv for ints.
  div: {
    dtypes: NUMERIC,
    grad: (a, b, _y, dy) => [div(dy, b), neg(div(mul(dy, a), mul(b, b)))],
    doc: {
      summary: "Quotient, elementwise: a / b. int32 division rounds toward negative infinity (floor division, as TensorFlow's floordiv for integers).",
      grad: 'da = dy / b and db = -dy · a / b²',
    },
  },
  // d/da = b a^(b-1); d/db = a^b log(a), taken as 0 where a <= 0 (as TensorFlow).
  pow: {
    dtypes: FLOAT,
    grad: (a, b, y, dy) => {
      const da = mul(dy, mul(b, pow(a, sub(b, 1))));
      const safe = greater(a, 0);
      const logA = where(safe, log(where(safe, a, fill(a.graph, a.shape, 1))), zerosLike(a));
      const db = mul(dy, mul(y, logA));
      return [da, db];
    },
    doc: {
      summary: 'Power, elementwise: a raised to b.',
      grad: 'da = dy · b · a^(b-1) and db = dy · y · log(a) where a > 0, 0 where a ≤ 0 (as TensorFlow), y the output',
    },
  },
  // The gradient goes to `a` where a >= b (ties to the first input), as TensorFlow.
  maximum: {
    dtypes: NUMERIC,
    grad: (a, b, _y, dy) => {
      const m = greaterEqual(a, b);
      return [where(m, dy, zerosLike(dy)), where(m, zerosLike(dy), dy)];
    },
    doc: { summary: 'The larger of a and b, elementwise.', grad: 'dy goes to a where a ≥ b (ties to the first input, as TensorFlow) and to b elsewhere' },
  },
  minimum: {
    dtypes: NUMERIC,
    grad: (a, b, _y, dy) => {
      const m = lessEqual(a, b);
      return [where(m, dy, zerosLike(dy)), where(m, zerosLike(dy), dy)];
    },
    doc: { summary: 'The smaller of a and b, elementwise.', grad: 'dy goes to a where a ≤ b (ties to the first input, as TensorFlow) and to b elsewhere' },
  },
  equal: { dtypes: ALL, toBool: true, doc: { summary: 'a == b, elementwise.' } },
  not_equal: { dtypes: ALL, toBool: true, doc: { summary: 'a != b, elementwise.' } },
  less: { dtypes: NUMERIC, toBool: true, doc: { summary: 'a < b, elementwise.' } },
  less_equal: { dtypes: NUMERIC, toBool: true, doc: { summary: 'a <= b, elementwise.' } },
  greater: { dtypes: NUMERIC, toBool: true, doc: { summary: 'a > b, elementwise.' } },
  greater_equal: { dtypes: NUMERIC, toBool: true, doc: { summary: 'a >= b, elementwise.' } },
  logical_and: { dtypes: ['bool'], toBool: true, doc: { summary: 'Logical AND, elementwise.' } },
  logical_or: { dtypes: ['bool'], toBool: true, doc: { summary: 'Logical OR, elementwise.' } },
} satisfies Record<string, BinaryEntry>;

/** The binary ops by name: their dtypes, gradient and reference words. */
export const BINARY: Readonly<Record<string, BinaryEntry>> = BINARY_TABLE;

const binaryAttrs = z.strictObject({});

for (const [name, { dtypes, toBool, grad, doc }] of Object.entries(BINARY)) {
  defineOp({
    name,
    kind: 'primitive',
    arity: 2,
    attrs: binaryAttrs,
    infer: ([a, b]) => {
      if (a.dtype !== b.dtype) problem(`inputs must have the same dtype, got ${a.dtype} and ${b.dtype}`);
      if (!dtypes.includes(a.dtype)) problem(`takes ${dtypes.join(' or ')}, not ${a.dtype}`);
      const shape = broadcastShapes(a.shape, b.shape);
      if (!shape) problem(`shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} do not broadcast`);
      return { shape, dtype: toBool ? 'bool' : a.dtype };
    },
    grad: grad
      ? ({ inputs: [a, b], output, dy }) => {
          const [da, db] = grad(a, b, output, dy);
          return [da && sumToShape(da, a.shape), db && sumToShape(db, b.shape)];
        }
      : undefined,
    doc: {
      summary: doc.summary,
      inputs: ['a', 'b'],
      shape: 'The numpy broadcast of the two shapes; shapes that do not broadcast are rejected.',
      dtype:
        dtypes.length === 1
          ? `Both inputs are ${dtypes[0]}; the output is ${toBool ? 'bool' : dtypes[0]}.`
          : `Both inputs have the same dtype, ${dtypes.slice(0, -1).join(', ')} or ${dtypes.at(-1)}; the output ${toBool ? 'is bool' : 'has that dtype'}.`,
      grad: doc.grad && `${doc.grad}; each adjoint is then summed back to its input's shape over the axes it was broadcast along.`,
    },
  });
}


export { add, sub, mul, div, pow, maximum, minimum, equal, notEqual, less, lessEqual, greater, greaterEqual, logicalAnd, logicalOr };

declare module './registry.js' {
  interface OpSchemas extends Record<keyof typeof BINARY_TABLE, typeof binaryAttrs> {}
}
