import { z } from 'zod';
import type { DType } from '../dtype.js';
import type { Sym } from '../graph/graph.js';
import { shapesEqual, sizeOf, type Shape } from '../shape.js';
import { resolveAxes, resolveAxis, reducedShape } from './axes.js';
import { add, div, equal, mul, sub } from './builders/binary.js';
import { cast } from './builders/elementwise.js';
import { sum, prod, max, min, mean, logsumexp, argmax, argmin, sumToShape } from './builders/reduce.js';
import { defineOp, problem, type TensorInfo } from './registry.js';
import { broadcastTo, reshape } from './builders/shape.js';
import { stopGradient } from './source.js';
import { exp, log } from './builders/unary.js';

const zAxes = z.array(z.number().int()).nullable().default(null);
const reduceAttrs = z.strictObject({ axes: zAxes, keepdims: z.boolean().default(false) });
type ReduceAttrs = z.infer<typeof reduceAttrs>;

function inferReduce(dtypes: readonly DType[]) {
  return ([x]: readonly TensorInfo[], a: ReduceAttrs): TensorInfo => {
    if (!dtypes.includes(x.dtype)) problem(`takes ${dtypes.join(' or ')}, not ${x.dtype}`);
    return { shape: reducedShape(x.shape, resolveAxes(a.axes, x.shape.length), a.keepdims), dtype: x.dtype };
  };
}

/** dy of a reduction, reshaped with the reduced axes kept as size 1, broadcast back to x. */
function expandBack(dy: Sym, x: Sym, a: ReduceAttrs): Sym {
  const axes = resolveAxes(a.axes, x.rank);
  const kept = reducedShape(x.shape, axes, true);
  return broadcastTo(reshape(dy, kept), x.shape);
}

const NUMERIC: readonly DType[] = ['float32', 'int32'];

/** The shape rule of the reductions, in words. */
const REDUCED_SHAPE =
  "The input's shape without the reduced axes, or with them as size 1 when `keepdims`. `axes` null reduces every axis; negative axes count from the end; an axis out of range or repeated is rejected.";
/** How a reduction's gradient spreads dy back over the input, in words. */
const EXPAND_BACK = "dy reshaped with the reduced axes kept as size 1 and broadcast back to x's shape";

defineOp({
  name: 'sum',
  kind: 'primitive',
  arity: 1,
  attrs: reduceAttrs,
  infer: inferReduce(NUMERIC),
  grad: ({ inputs: [x], dy, attrs }) => [expandBack(dy, x, attrs)],
  doc: {
    summary: 'Sum over `axes` (every axis when null).',
    inputs: ['x'],
    shape: REDUCED_SHAPE,
    dtype: "float32 or int32; the output has the input's dtype.",
    grad: `dx = ${EXPAND_BACK}.`,
  },
});

defineOp({
  name: 'prod',
  kind: 'primitive',
  arity: 1,
  attrs: reduceAttrs,
  infer: inferReduce(NUMERIC),
  // dy * prod / x: exact where no reduced element is zero.
  grad: ({ inputs: [x], output, dy, attrs }) => [div(mul(expandBack(dy, x, attrs), expandBack(output, x, attrs)), x)],
  doc: {
    summary: 'Product over `axes` (every axis when null).',
    inputs: ['x'],
    shape: REDUCED_SHAPE,
    dtype: "float32 or int32; the output has the input's dtype.",
    grad: "dx = dy · prod / x, dy and the product each expanded back to x's shape: exact where no reduced element is zero (a zero element gets 0 / 0, NaN, instead of the product of the others).",
  },
});

for (const name of ['max', 'min'] as const) {
  defineOp({
    name,
    kind: 'primitive',
    arity: 1,
    attrs: reduceAttrs,
    infer: (ins, a) => {
      const out = inferReduce(NUMERIC)(ins, a);
      const axes = resolveAxes(a.axes, ins[0].shape.length);
      if (axes.some((ax) => ins[0].shape[ax] === 0)) problem(`cannot take the ${name} over an empty axis`);
      return out;
    },
    // The gradient is shared equally among the elements equal to the extremum, as TensorFlow.
    grad: ({ inputs: [x], output, dy, attrs }) => {
      const hit = cast(equal(x, expandBack(output, x, attrs)), 'float32');
      const count = broadcastTo(sum(hit, attrs.axes, true), x.shape);
      return [div(mul(hit, expandBack(dy, x, attrs)), count)];
    },
    doc: {
      summary: `The ${name === 'max' ? 'maximum' : 'minimum'} over \`axes\` (every axis when null).`,
      inputs: ['x'],
      shape: `${REDUCED_SHAPE} Reducing an axis of size 0 is rejected.`,
      dtype: "float32 or int32; the output has the input's dtype.",
      grad: `dy is shared equally among the elements equal to the ${name === 'max' ? 'maximum' : 'minimum'} of their group (as TensorFlow): dx = [x = y] · dy / count, with y and dy expanded back to x's shape.`,
    },
  });
}

const argAttrs = z.strictObject({ axis: z.number().int().default(-1) });

for (const name of ['argmax', 'argmin'] as const) {
  defineOp({
    name,
    kind: 'primitive',
    arity: 1,
    attrs: argAttrs,
    infer: ([x], a) => {
      if (x.dtype === 'bool') problem('takes float32 or int32, not bool');
      const axis = resolveAxis(a.axis, x.shape.length);
      if (x.shape[axis] === 0) problem(`cannot take the ${name} over an empty axis`);
      return { shape: x.shape.filter((_, i) => i !== axis), dtype: 'int32' };
    },
    doc: {
      summary: `The index of the ${name === 'argmax' ? 'largest' : 'smallest'} element along \`axis\` (default the last).`,
      inputs: ['x'],
      shape: "The input's shape without `axis`; an axis out of range or of size 0 is rejected.",
      dtype: 'float32 or int32; the output is int32.',
      grad: 'None: the op has no rule (its int32 output carries no gradient).',
    },
  });
}

/** The mean: the sum divided by the number of reduced elements. */
defineOp({
  name: 'mean',
  kind: 'composite',
  arity: 1,
  attrs: reduceAttrs,
  infer: inferReduce(['float32']),
  decompose: ([x], a) => {
    const n = sizeOf(resolveAxes(a.axes, x.rank).map((ax) => x.shape[ax]));
    return div(sum(x, a.axes, a.keepdims), n);
  },
  doc: {
    summary: 'The arithmetic mean over `axes` (every axis when null): the sum divided by the number of reduced elements.',
    inputs: ['x'],
    shape: REDUCED_SHAPE,
    dtype: 'float32 only; the output is float32.',
  },
});

/** log(sum(exp(x))) computed stably around the maximum. */
defineOp({
  name: 'logsumexp',
  kind: 'composite',
  arity: 1,
  attrs: reduceAttrs,
  infer: inferReduce(['float32']),
  decompose: ([x], a) => {
    const m = stopGradient(max(x, a.axes, true));
    const s = log(sum(exp(sub(x, m)), a.axes, true));
    const r = add(s, m);
    return a.keepdims ? r : reshape(r, reducedShape(x.shape, resolveAxes(a.axes, x.rank), false));
  },
  doc: {
    summary: 'log(sum(exp(x))) over `axes` (every axis when null), computed stably as m + log(sum(exp(x - m))) with m the maximum.',
    inputs: ['x'],
    shape: REDUCED_SHAPE,
    dtype: 'float32 only; the output is float32.',
    grad: 'The maximum is held constant (stop_gradient), which does not change the gradient: dx = softmax(x) · dy over the reduced axes.',
  },
});


export { sum, prod, max, min, mean, logsumexp, argmax, argmin, sumToShape };

declare module './registry.js' {
  interface OpSchemas {
    sum: typeof reduceAttrs;
    prod: typeof reduceAttrs;
    mean: typeof reduceAttrs;
    logsumexp: typeof reduceAttrs;
    max: typeof reduceAttrs;
    min: typeof reduceAttrs;
    argmax: typeof argAttrs;
    argmin: typeof argAttrs;
  }
}
