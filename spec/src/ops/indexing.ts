import { z } from 'zod';
import type { Sym } from '../graph/graph.js';
import { fmtShape, shapesEqual, type Shape } from '../shape.js';
import { resolveAxis } from './axes.js';
import { defineOp, problem, type TensorInfo } from './registry.js';
import { zShape } from './schemas.js';

function needInt32Indices(indices: TensorInfo): void {
  if (indices.dtype !== 'int32') problem(`indices must be int32, got ${indices.dtype}`);
}

/** params.shape[:axis] + indices.shape + params.shape[axis+1:], with the axis resolved. */
function gatherShape(params: Shape, indices: Shape, axis: number): number[] {
  const ax = resolveAxis(axis, params.length);
  return [...params.slice(0, ax), ...indices, ...params.slice(ax + 1)];
}

/**
 * The output shape of take_along_axis: the indices' size along `axis`, and elsewhere the
 * numpy broadcast of the input's and the indices' sizes.
 */
function takeAlongShape(x: Shape, indices: Shape, axis: number): number[] {
  const r = x.length;
  if (r === 0) problem('needs an input of rank 1 or more, got a scalar');
  if (indices.length !== r) problem(`indices have rank ${indices.length}, but the input has rank ${r}; they need the same rank`);
  const ax = resolveAxis(axis, r);
  return x.map((d, i) => {
    const k = indices[i];
    if (i === ax || d === k || d === 1) return k;
    if (k === 1) return d;
    return problem(`indices shape ${fmtShape(indices)} does not broadcast with input shape ${fmtShape(x)} at axis ${i} (outside attribute 'axis' = ${axis})`);
  });
}

/**
 * The shape rule of a scatter-add adjoint (gather_grad, take_along_axis_grad): `dy`, float32 or
 * int32, must have the shape that the forward op (`forwardShape`, `verb` in the message) gives for
 * the attribute `shapeAttr` and the indices; the output has the attribute's shape and dy's dtype.
 */
function scatterAdjointInfer<K extends string>(shapeAttr: K, forwardShape: (shape: Shape, indices: Shape, axis: number) => number[], verb: string) {
  return ([dy, indices]: readonly TensorInfo[], a: { readonly axis: number } & { readonly [k in K]: Shape }): TensorInfo => {
    needInt32Indices(indices);
    if (dy.dtype === 'bool') problem('dy must be float32 or int32, not bool');
    const shape = a[shapeAttr];
    const want = forwardShape(shape, indices.shape, a.axis);
    if (!shapesEqual(want, dy.shape)) {
      problem(`dy has shape ${fmtShape(dy.shape)}, but ${verb} ${fmtShape(indices.shape)} indices from attribute '${shapeAttr}' = ${fmtShape(shape)} gives ${fmtShape(want)}`);
    }
    return { shape, dtype: dy.dtype };
  };
}

/**
 * Picks slices of `params` along `axis` at `indices` (int32, any shape), as TensorFlow's gather:
 * every index must be in [0, params.shape[axis]); backends reject others at run time.
 */
const gatherAttrs = z.strictObject({ axis: z.number().int().default(0) });

defineOp({
  name: 'gather',
  kind: 'primitive',
  arity: 2,
  attrs: gatherAttrs,
  infer: ([params, indices], a) => {
    needInt32Indices(indices);
    return { shape: gatherShape(params.shape, indices.shape, a.axis), dtype: params.dtype };
  },
  grad: ({ inputs: [params, indices], dy, attrs }) => [gatherGrad(dy, indices, attrs.axis, params.shape), null],
  doc: {
    summary:
      "Picks slices of `params` along `axis` at `indices` (of any shape), as TensorFlow's gather. Every index must lie in [0, params.shape[axis]): backends reject others, negative ones included, at run time.",
    inputs: ['params', 'indices'],
    shape: 'params.shape[:axis] + indices.shape + params.shape[axis+1:]; `axis` may be negative.',
    dtype: "params any dtype, which the output has; indices int32.",
    grad: "params gets gather_grad(dy): dy scatter-added at the indices into zeros of params' shape; indices get none.",
  },
});

/** The adjoint of gather: `dy` scatter-added at `indices` along `axis` into zeros of `paramsShape`. */
const gatherGradAttrs = z.strictObject({ axis: z.number().int(), paramsShape: zShape });

defineOp({
  name: 'gather_grad',
  kind: 'primitive',
  arity: 2,
  attrs: gatherGradAttrs,
  infer: scatterAdjointInfer('paramsShape', gatherShape, 'gathering'),
  grad: ({ inputs: [, indices], dy, attrs }) => [gather(dy, indices, attrs.axis), null],
  doc: {
    summary: 'The adjoint of gather in its params: dy scatter-added at `indices` along `axis` into zeros of `paramsShape` (repeated indices accumulate).',
    inputs: ['dy', 'indices'],
    shape: '`paramsShape`; dy must have the shape that gather gives for `paramsShape` and the indices.',
    dtype: "dy float32 or int32, which the output has; indices int32.",
    grad: 'The op is linear in dy: dy gets gather of the incoming gradient at the same indices; indices get none.',
  },
});

/**
 * numpy's take_along_axis: out[..., j, ...] = x[..., indices[..., j, ...], ...] along `axis`,
 * with the other axes of `x` and `indices` broadcast against each other. Negative indices count
 * from the end, as numpy; indices outside [-n, n) are rejected at run time.
 */
const takeAlongAxisAttrs = z.strictObject({ axis: z.number().int() });

defineOp({
  name: 'take_along_axis',
  kind: 'primitive',
  arity: 2,
  attrs: takeAlongAxisAttrs,
  infer: ([x, indices], a) => {
    needInt32Indices(indices);
    return { shape: takeAlongShape(x.shape, indices.shape, a.axis), dtype: x.dtype };
  },
  grad: ({ inputs: [x, indices], dy, attrs }) => [takeAlongAxisGrad(dy, indices, attrs.axis, x.shape), null],
  doc: {
    summary:
      "numpy's take_along_axis: out[..., j, ...] = x[..., indices[..., j, ...], ...] along `axis`, the other axes of x and indices broadcast against each other. Negative indices count from the end, as numpy; indices outside [-n, n) are rejected at run time.",
    inputs: ['x', 'indices'],
    shape:
      "The indices' size along `axis` and, on every other axis, the broadcast of x's and the indices' sizes. x needs rank 1 or more and the indices the same rank; sizes that do not broadcast are rejected.",
    dtype: "x any dtype, which the output has; indices int32.",
    grad: "x gets take_along_axis_grad(dy): dy scatter-added into zeros of x's shape; indices get none.",
  },
});

/** The adjoint of take_along_axis: `dy` scatter-added into zeros of `inputShape`. */
const takeAlongAxisGradAttrs = z.strictObject({ axis: z.number().int(), inputShape: zShape });

defineOp({
  name: 'take_along_axis_grad',
  kind: 'primitive',
  arity: 2,
  attrs: takeAlongAxisGradAttrs,
  infer: scatterAdjointInfer('inputShape', takeAlongShape, 'taking'),
  grad: ({ inputs: [, indices], dy, attrs }) => [takeAlongAxis(dy, indices, attrs.axis), null],
  doc: {
    summary: 'The adjoint of take_along_axis in x: dy scatter-added into zeros of `inputShape` at the positions the indices pick (repeated positions accumulate).',
    inputs: ['dy', 'indices'],
    shape: '`inputShape`; dy must have the shape that take_along_axis gives for `inputShape` and the indices.',
    dtype: "dy float32 or int32, which the output has; indices int32.",
    grad: 'The op is linear in dy: dy gets take_along_axis of the incoming gradient at the same indices; indices get none.',
  },
});

/**
 * One-hot rows: out[..., j] = onValue where indices[...] == j, else offValue; indices outside
 * [0, depth) (negative ones included) give rows of offValue only, as TensorFlow.
 */
const oneHotAttrs = z.strictObject({ depth: z.number().int().nonnegative(), onValue: z.number().default(1), offValue: z.number().default(0) });

defineOp({
  name: 'one_hot',
  kind: 'primitive',
  arity: 1,
  attrs: oneHotAttrs,
  infer: ([indices], a) => {
    needInt32Indices(indices);
    return { shape: [...indices.shape, a.depth], dtype: 'float32' };
  },
  doc: {
    summary:
      'One-hot rows: out[..., j] = onValue where indices[...] == j, else offValue. Indices outside [0, depth), negative ones included, give rows of offValue only (as TensorFlow).',
    inputs: ['indices'],
    shape: 'indices.shape + [depth].',
    dtype: 'indices int32; the output is float32.',
    grad: 'None: the op has no rule (its only input is int32).',
  },
});

/** Running sums along `axis`; `exclusive` leaves out the current element, `reverse` runs backwards. */
const cumsumAttrs = z.strictObject({ axis: z.number().int(), exclusive: z.boolean().default(false), reverse: z.boolean().default(false) });

defineOp({
  name: 'cumsum',
  kind: 'primitive',
  arity: 1,
  attrs: cumsumAttrs,
  infer: ([x], a) => {
    if (x.dtype === 'bool') problem('takes float32 or int32, not bool');
    if (x.shape.length === 0) problem(`needs an input of rank 1 or more for attribute 'axis' = ${a.axis}, got a scalar`);
    resolveAxis(a.axis, x.shape.length);
    return x;
  },
  grad: ({ dy, attrs }) => [cumsum(dy, attrs.axis, { exclusive: attrs.exclusive, reverse: !attrs.reverse })],
  doc: {
    summary: 'Running sums along `axis`: `exclusive` leaves out the current element, `reverse` sums from the end of the axis.',
    inputs: ['x'],
    shape: "The input's shape; the input needs rank 1 or more and `axis` must be in range.",
    dtype: "float32 or int32; the output has the input's dtype.",
    grad: 'dx = cumsum of dy along the same axis, with the same `exclusive` and the opposite `reverse`.',
  },
});

/**
 * Slices of `params` along `axis` picked by int32 `indices` of any shape; the output shape is
 * params.shape[:axis] + indices.shape + params.shape[axis+1:]. Indices must lie in [0, n).
 * @example gather(embeddings, ids) // [vocab, dim] and [batch, len] -> [batch, len, dim]
 */
export function gather(params: Sym, indices: Sym, axis = 0): Sym {
  return params.graph.apply('gather', [params, indices], { axis });
}

/**
 * The gradient of gather with respect to its params: `dy` summed into zeros of `paramsShape`
 * at `indices` (repeated indices accumulate).
 * @example gatherGrad(dy, ids, 0, [vocab, dim])
 */
export function gatherGrad(dy: Sym, indices: Sym, axis: number, paramsShape: Shape): Sym {
  return dy.graph.apply('gather_grad', [dy, indices], { axis, paramsShape: [...paramsShape] });
}

/**
 * numpy's take_along_axis: values of `x` at int32 `indices` (same rank as `x`) along `axis`.
 * @example takeAlongAxis(x, argsortIdx, -1)
 */
export function takeAlongAxis(x: Sym, indices: Sym, axis: number): Sym {
  return x.graph.apply('take_along_axis', [x, indices], { axis });
}

/**
 * The gradient of take_along_axis with respect to `x`: `dy` summed into zeros of `inputShape`.
 * @example takeAlongAxisGrad(dy, idx, 1, [2, 3])
 */
export function takeAlongAxisGrad(dy: Sym, indices: Sym, axis: number, inputShape: Shape): Sym {
  return dy.graph.apply('take_along_axis_grad', [dy, indices], { axis, inputShape: [...inputShape] });
}

/**
 * float32 one-hot encoding of int32 `indices` along a new last axis of size `depth`.
 * @example oneHot(labels, 10) // [batch] -> [batch, 10]
 */
export function oneHot(indices: Sym, depth: number, onValue = 1, offValue = 0): Sym {
  return indices.graph.apply('one_hot', [indices], { depth, onValue, offValue });
}

/**
 * Cumulative sum along `axis` (TensorFlow's cumsum, with its `exclusive` and `reverse`).
 * @example cumsum(x, 0) // [1, 2, 3] -> [1, 3, 6]
 */
export function cumsum(x: Sym, axis: number, options: { exclusive?: boolean; reverse?: boolean } = {}): Sym {
  return x.graph.apply('cumsum', [x], { axis, exclusive: options.exclusive ?? false, reverse: options.reverse ?? false });
}

declare module './registry.js' {
  interface OpSchemas {
    gather: typeof gatherAttrs;
    gather_grad: typeof gatherGradAttrs;
    take_along_axis: typeof takeAlongAxisAttrs;
    take_along_axis_grad: typeof takeAlongAxisGradAttrs;
    one_hot: typeof oneHotAttrs;
    cumsum: typeof cumsumAttrs;
  }
}
