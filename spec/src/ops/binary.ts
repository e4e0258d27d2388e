import { z } from 'zod';
import type { DType } from '../dtype.js';
import type { Sym } from '../graph/graph.js';
import { broadcastShapes, fmtShape } from '../shape.js';
import { where } from './elementwise.js';
import { lift, type Operand } from './operand.js';
import { defineOp, problem } from './registry.js';
import { sumToShape } from './reduce.js';
import { log, neg } from './unary.js';
import { fill, zerosLike } from './source.js';

type BinaryGrad = (a: Sym, b: Sym, y: Sym, dy: Sym) => [Sym | null, Sym | null];

const FLOAT: readonly DType[] = ['float32'];
const NUMERIC: readonly DType[] = ['float32', 'int32'];
const ALL: readonly DType[] = ['float32', 'int32', 'bool'];

/**
 * The broadcasting binary ops: the dtypes they take (both inputs alike), whether they return
 * bool, and their gradient before un-broadcasting (each adjoint has the output's shape).
 */
export const BINARY: Record<string, { dtypes: readonly DType[]; toBool?: boolean; grad?: BinaryGrad }> = {
  add: { dtypes: NUMERIC, grad: (_a, _b, _y, dy) => [dy, dy] },
  sub: { dtypes: NUMERIC, grad: (_a, _b, _y, dy) => [dy, neg(dy)] },
  mul: { dtypes: NUMERIC, grad: (a, b, _y, dy) => [mul(dy, b), mul(dy, a)] },
  // Integer division truncates toward negative infinity (floor division), as TensorFlow's floordiv for ints.
  div: { dtypes: NUMERIC, grad: (a, b, _y, dy) => [div(dy, b), neg(div(mul(dy, a), mul(b, b)))] },
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
  },
  // The gradient goes to `a` where a >= b (ties to the first input), as TensorFlow.
  maximum: {
    dtypes: NUMERIC,
    grad: (a, b, _y, dy) => {
      const m = greaterEqual(a, b);
      return [where(m, dy, zerosLike(dy)), where(m, zerosLike(dy), dy)];
    },
  },
  minimum: {
    dtypes: NUMERIC,
    grad: (a, b, _y, dy) => {
      const m = lessEqual(a, b);
      return [where(m, dy, zerosLike(dy)), where(m, zerosLike(dy), dy)];
    },
  },
  equal: { dtypes: ALL, toBool: true },
  not_equal: { dtypes: ALL, toBool: true },
  less: { dtypes: NUMERIC, toBool: true },
  less_equal: { dtypes: NUMERIC, toBool: true },
  greater: { dtypes: NUMERIC, toBool: true },
  greater_equal: { dtypes: NUMERIC, toBool: true },
  logical_and: { dtypes: ['bool'], toBool: true },
  logical_or: { dtypes: ['bool'], toBool: true },
};

for (const [name, { dtypes, toBool, grad }] of Object.entries(BINARY)) {
  defineOp({
    name,
    kind: 'primitive',
    arity: 2,
    attrs: z.strictObject({}),
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
  });
}

const bin =
  (name: string) =>
  (a: Operand, b: Operand): Sym => {
    const [x, y] = lift([a, b]);
    return x.graph.apply(name, [x, y]);
  };

export const add = bin('add');
export const sub = bin('sub');
export const mul = bin('mul');
export const div = bin('div');
export const pow = bin('pow');
export const maximum = bin('maximum');
export const minimum = bin('minimum');
export const equal = bin('equal');
export const notEqual = bin('not_equal');
export const less = bin('less');
export const lessEqual = bin('less_equal');
export const greater = bin('greater');
export const greaterEqual = bin('greater_equal');
export const logicalAnd = bin('logical_and');
export const logicalOr = bin('logical_or');
