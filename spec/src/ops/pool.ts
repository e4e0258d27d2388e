import { z } from 'zod';
import type { DType } from '../dtype.js';
import type { Sym } from '../graph/graph.js';
import { fmtShape, shapesEqual, type Shape } from '../shape.js';
import { convOutputSize, resolveConvPadding } from './padding.js';
import { defineOp, problem, type TensorInfo } from './registry.js';
import { zShape } from './schemas.js';

/**
 * Pooling over the spatial axes of a channels-last tensor [N, ...spatial, C], with `rank`
 * spatial axes. Padding is 'valid' (windows inside the input) or TF 'same' (ceil(in / stride)
 * outputs, the extra padded element at the end); padded positions never win a max and are not
 * counted by an average.
 */
const poolFields = {
  rank: z.number().int(),
  poolSize: z.array(z.number().int()),
  strides: z.array(z.number().int()),
  padding: z.enum(['valid', 'same']).default('valid'),
};
const poolAttrs = z.strictObject(poolFields);
const avgPoolGradAttrs = z.strictObject({ ...poolFields, inputShape: zShape });

/** The attributes shared by the pooling ops. */
export type PoolAttrs = z.infer<typeof poolAttrs>;

/** Where the windows of a pooling op lie. */
export interface PoolGeometry {
  /** The output's spatial sizes. */
  readonly outSpatial: number[];
  /** The padding before each spatial axis (a window starts at o * stride - padBefore). */
  readonly padBefore: number[];
}

/**
 * Checks the pooling attributes against an input shape [N, ...spatial, C] and gives the output's
 * spatial sizes and the padding before each spatial axis (backends use it to place windows).
 * Rejects bad attributes with a problem naming them.
 */
export function poolGeometry(shape: Shape, a: PoolAttrs): PoolGeometry {
  const { rank, poolSize, strides, padding } = a;
  if (rank < 1 || rank > 3) problem(`attribute 'rank' = ${rank} must be 1, 2 or 3 (spatial axes of [N, ...spatial, C])`);
  if (shape.length !== rank + 2) {
    problem(`attribute 'rank' = ${rank} needs an input of rank ${rank + 2} [N, ...${rank} spatial, C], got rank ${shape.length} ${fmtShape(shape)}`);
  }
  if (poolSize.length !== rank || poolSize.some((k) => k < 1)) {
    problem(`attribute 'poolSize' = [${poolSize}] must hold ${rank} positive integer(s) for rank ${rank}`);
  }
  if (strides.length !== rank || strides.some((s) => s < 1)) {
    problem(`attribute 'strides' = [${strides}] must hold ${rank} positive integer(s) for rank ${rank}`);
  }
  const spatial = shape.slice(1, rank + 1);
  if (padding === 'valid') {
    const i = spatial.findIndex((n, d) => n < poolSize[d]);
    if (i >= 0) {
      problem(`attribute 'poolSize' = [${poolSize}] is larger than spatial size ${spatial[i]} (axis ${i + 1}) with padding 'valid'`);
    }
  }
  const ones = spatial.map(() => 1);
  const pads = resolveConvPadding(spatial, poolSize, strides, ones, padding);
  const outSpatial = spatial.map((n, d) => (padding === 'same' ? Math.ceil(n / strides[d]) : convOutputSize(n, poolSize[d], strides[d], 1, pads[d])));
  return { outSpatial, padBefore: pads.map(([b]) => b) };
}

function pooledShape(shape: Shape, a: PoolAttrs): number[] {
  const { outSpatial } = poolGeometry(shape, a);
  return [shape[0], ...outSpatial, shape[shape.length - 1]];
}

function checkDType(x: TensorInfo, dtypes: readonly DType[], what = 'takes'): void {
  if (!dtypes.includes(x.dtype)) problem(`${what} ${dtypes.join(' or ')}, not ${x.dtype}`);
}

/** The shape rule of the pooling ops, in words. */
const POOLED_SHAPE =
  "[N, ...outSpatial, C] for an input [N, ...spatial, C] with `rank` (1, 2 or 3) spatial axes: per spatial axis, out = floor((in - poolSize) / stride) + 1 for 'valid' (a window larger than the input is rejected) and ceil(in / stride) for 'same'. `poolSize` and `strides` need one positive entry per spatial axis.";

const poolOnly = (a: PoolAttrs & { inputShape?: unknown }): PoolAttrs => ({
  rank: a.rank,
  poolSize: a.poolSize,
  strides: a.strides,
  padding: a.padding,
});

/** Max over each window. The gradient goes to the first maximum in window scan order, as TF. */
defineOp({
  name: 'max_pool',
  kind: 'primitive',
  arity: 1,
  attrs: poolAttrs,
  infer: ([x], a) => {
    checkDType(x, ['float32', 'int32']);
    return { shape: pooledShape(x.shape, a), dtype: x.dtype };
  },
  grad: ({ inputs: [x], dy, attrs }) => [maxPoolGrad(x, dy, attrs)],
  doc: {
    summary:
      "The maximum over each window of a channels-last tensor, per channel. Padding is 'valid' (windows inside the input) or TF 'same' (the extra padded element at the end); padded positions never win.",
    inputs: ['x'],
    shape: POOLED_SHAPE,
    dtype: "float32 or int32; the output has the input's dtype.",
    grad: 'dx = max_pool_grad(x, dy): each dy goes to the first maximum of its window in scan order (as TensorFlow).',
  },
});

/** Mean over each window, counting only the positions inside the input (as Keras/TF). */
defineOp({
  name: 'avg_pool',
  kind: 'primitive',
  arity: 1,
  attrs: poolAttrs,
  infer: ([x], a) => {
    checkDType(x, ['float32']);
    return { shape: pooledShape(x.shape, a), dtype: x.dtype };
  },
  grad: ({ inputs: [x], dy, attrs }) => [avgPoolGrad(dy, x.shape, attrs)],
  doc: {
    summary:
      "The mean over each window of a channels-last tensor, per channel, counting only the positions inside the input (padded positions are not counted, as Keras and TensorFlow). Padding is 'valid' or TF 'same'.",
    inputs: ['x'],
    shape: POOLED_SHAPE,
    dtype: 'float32 only; the output is float32.',
    grad: "dx = avg_pool_grad(dy) with x's shape: each dy shared equally among the input positions of its window.",
  },
});

/**
 * Backprop of max_pool: inputs (x, dy) give dx with x's shape, each dy routed to the first
 * maximum of its window in scan order. Linear in dy; piecewise constant in x (zero gradient).
 */
defineOp({
  name: 'max_pool_grad',
  kind: 'primitive',
  arity: 2,
  attrs: poolAttrs,
  infer: ([x, dy], a) => {
    checkDType(x, ['float32']);
    checkDType(dy, ['float32'], 'the gradient must be');
    const want = pooledShape(x.shape, a);
    if (!shapesEqual(dy.shape, want)) problem(`the gradient has shape ${fmtShape(dy.shape)}, but pooling ${fmtShape(x.shape)} gives ${fmtShape(want)}`);
    return x;
  },
  grad: ({ inputs: [x], dy, attrs }) => [null, maxPoolGradGrad(x, dy, attrs)],
  doc: {
    summary: "Backprop of max_pool: each element of dy is routed to the first maximum, in scan order, of its window of x, giving dx with x's shape (contributions of overlapping windows add up).",
    inputs: ['x', 'dy'],
    shape: "x's shape; dy must have the shape max_pool gives for x and the attributes, which follow max_pool's rules.",
    dtype: 'float32 only (both inputs); the output is float32.',
    grad: 'x gets none (the op is piecewise constant in x); dy gets max_pool_grad_grad(x, g), g the incoming gradient (the op is linear in dy).',
  },
});

/**
 * The adjoint of max_pool_grad in its gradient input: inputs (x, g), g with x's shape, give for
 * each window g at the first maximum of x in the window (shape of max_pool(x)).
 */
defineOp({
  name: 'max_pool_grad_grad',
  kind: 'primitive',
  arity: 2,
  attrs: poolAttrs,
  infer: ([x, g], a) => {
    checkDType(x, ['float32']);
    checkDType(g, ['float32'], 'the gradient must be');
    if (!shapesEqual(g.shape, x.shape)) problem(`the gradient has shape ${fmtShape(g.shape)}, but the input has shape ${fmtShape(x.shape)}`);
    return { shape: pooledShape(x.shape, a), dtype: 'float32' };
  },
  grad: ({ inputs: [x], dy, attrs }) => [null, maxPoolGrad(x, dy, attrs)],
  doc: {
    summary: "The adjoint of max_pool_grad in its gradient input: for each window of max_pool(x), the element of g at the window's first maximum of x.",
    inputs: ['x', 'g'],
    shape: 'The shape max_pool gives for x and the attributes; g must have the shape of x.',
    dtype: 'float32 only (both inputs); the output is float32.',
    grad: 'x gets none; g gets max_pool_grad(x, dy) of the incoming gradient dy (the op is linear in g).',
  },
});

/**
 * Backprop of avg_pool: dy (the pooled shape) to dx of shape `inputShape`, each dy shared
 * equally among the input positions of its window. Linear: its gradient is avg_pool.
 */
defineOp({
  name: 'avg_pool_grad',
  kind: 'primitive',
  arity: 1,
  attrs: avgPoolGradAttrs,
  infer: ([dy], a) => {
    checkDType(dy, ['float32']);
    if (a.inputShape.length !== a.rank + 2) {
      problem(`attribute 'inputShape' = ${fmtShape(a.inputShape)} must have rank ${a.rank + 2} for attribute 'rank' = ${a.rank}`);
    }
    const want = pooledShape(a.inputShape, poolOnly(a));
    if (!shapesEqual(dy.shape, want)) {
      problem(`the gradient has shape ${fmtShape(dy.shape)}, but pooling attribute 'inputShape' = ${fmtShape(a.inputShape)} gives ${fmtShape(want)}`);
    }
    return { shape: a.inputShape, dtype: 'float32' };
  },
  grad: ({ dy, attrs }) => [avgPool(dy, poolOnly(attrs))],
  doc: {
    summary: 'Backprop of avg_pool: dy, of the pooled shape, to dx of `inputShape`, each element of dy shared equally among the input positions of its window.',
    inputs: ['dy'],
    shape: '`inputShape`, which must have rank `rank` + 2; dy must have the shape avg_pool gives for `inputShape` and the attributes.',
    dtype: 'float32 only; the output is float32.',
    grad: 'The op is linear: dy gets avg_pool of the incoming gradient, with the same window attributes.',
  },
});

/** Options of the pooling builders; `poolSize` and `strides` may be one number for all axes. */
export interface PoolOptions {
  readonly poolSize: number | readonly number[];
  /** Defaults to `poolSize`, as Keras. */
  readonly strides?: number | readonly number[] | null;
  readonly padding?: 'valid' | 'same';
}

/** Attributes from builder options; `inputRank` gives the spatial rank when `poolSize` is a number. */
function poolAttrsOf(inputRank: number, o: PoolOptions): PoolAttrs {
  const rank = Array.isArray(o.poolSize) ? o.poolSize.length : inputRank - 2;
  const perAxis = (v: number | readonly number[]) => (typeof v === 'number' ? new Array<number>(Math.max(rank, 0)).fill(v) : [...v]);
  const poolSize = perAxis(o.poolSize);
  return { rank, poolSize, strides: o.strides == null ? poolSize : perAxis(o.strides), padding: o.padding ?? 'valid' };
}

/**
 * Max pooling of a channels-last tensor [N, ...spatial, C] with 1 to 3 spatial axes.
 * @example maxPool(x, { poolSize: [2, 2] }) // [1, 4, 4, 3] -> [1, 2, 2, 3]
 */
export function maxPool(x: Sym, options: PoolOptions): Sym {
  return x.graph.apply('max_pool', [x], { ...poolAttrsOf(x.rank, options) });
}

/**
 * Average pooling of a channels-last tensor; padded positions are not counted.
 * @example avgPool(x, { poolSize: 3, strides: 1, padding: 'same' }) // [1, 5, 5, 2] -> [1, 5, 5, 2]
 */
export function avgPool(x: Sym, options: PoolOptions): Sym {
  return x.graph.apply('avg_pool', [x], { ...poolAttrsOf(x.rank, options) });
}

/**
 * The gradient of maxPool(x, options) given the output adjoint `dy`.
 * @example maxPoolGrad(x, dy, { poolSize: 2 })
 */
export function maxPoolGrad(x: Sym, dy: Sym, options: PoolOptions): Sym {
  return x.graph.apply('max_pool_grad', [x, dy], { ...poolAttrsOf(x.rank, options) });
}

/**
 * For each window of maxPool(x, options), `g` at the window's (first) maximum of `x`.
 * @example maxPoolGradGrad(x, g, { poolSize: 2 }) // same shape as maxPool(x, ...)
 */
export function maxPoolGradGrad(x: Sym, g: Sym, options: PoolOptions): Sym {
  return x.graph.apply('max_pool_grad_grad', [x, g], { ...poolAttrsOf(x.rank, options) });
}

/**
 * The gradient of avgPool over an input of `inputShape`, given the output adjoint `dy`.
 * @example avgPoolGrad(dy, [1, 4, 4, 3], { poolSize: 2 })
 */
export function avgPoolGrad(dy: Sym, inputShape: Shape, options: PoolOptions): Sym {
  return dy.graph.apply('avg_pool_grad', [dy], { ...poolAttrsOf(inputShape.length, options), inputShape: [...inputShape] });
}

declare module './registry.js' {
  interface OpSchemas {
    max_pool: typeof poolAttrs;
    avg_pool: typeof poolAttrs;
    max_pool_grad: typeof poolAttrs;
    max_pool_grad_grad: typeof poolAttrs;
    avg_pool_grad: typeof avgPoolGradAttrs;
  }
}
