/**
 * Keras 2's backend functions (`keras.backend`, imported as `K` in Keras programs), over any kind
 * of tensor (see dispatch.ts): `K.mean`, `K.square`, `K.concatenate`, `K.random_normal`, ...
 * Semantics are tf.keras 2.15's `keras/backend.py` (axis defaults, `sqrt` clipped at 0, `clip`
 * with max below min, the crossentropies clipped by `epsilon()`).
 */
import { ops, type DType, type Shape, type Sym } from '@keras-ts/spec';
import { requireScope } from '../engine/scope.js';
import { maybeLogits } from '../losses/wrapper.js';
import { backendFunction, type AnyTensor } from './dispatch.js';
import { KerasValueError } from '../errors.js';

type Axis = number | readonly number[] | null;
type Unary = <T extends AnyTensor>(x: T) => T;
type Reduce = <T extends AnyTensor>(x: T, axis?: Axis, keepdims?: boolean) => T;
type Binary = <T extends AnyTensor>(x: T | number, y: T | number) => T;
type Compare = Binary;

const EPS = 1e-7;

/** Keras' fuzz factor, `1e-7`. @example K.maximum(x, K.epsilon()) */
export function epsilon(): number {
  return EPS;
}

/** The default float type, `'float32'`. */
export function floatx(): DType {
  return 'float32';
}

/** Keras' image data format: keras-ts layers default to `'channels_last'`. */
export function imageDataFormat(): 'channels_last' {
  return 'channels_last';
}

/** A float tensor for reductions of booleans, as Keras casts them to floatx first. */
const floaty = (x: Sym): Sym => (x.dtype === 'bool' ? ops.cast(x, 'float32') : x);

const reduce = (name: string, f: (x: Sym, axes: Axis, keepdims: boolean) => Sym) =>
  backendFunction(name, (x: Sym, axis: Axis = null, keepdims = false) => f(floaty(x), axis ?? null, keepdims)) as unknown as Reduce;

/** The mean over `axis` (all axes when null). @example K.mean(K.square(y_pred - y_true), -1) */
export const mean = reduce('mean', (x, a, k) => ops.mean(x, a, k));
/** The sum over `axis` (all axes when null). */
export const sum = reduce('sum', (x, a, k) => ops.sum(x, a, k));
/** The maximum over `axis` (all axes when null). */
export const max = reduce('max', (x, a, k) => ops.max(x, a, k));
/** The minimum over `axis` (all axes when null). */
export const min = reduce('min', (x, a, k) => ops.min(x, a, k));
/** The product over `axis` (all axes when null). */
export const prod = reduce('prod', (x, a, k) => ops.prod(x, a, k));
/** The variance over `axis` (all axes when null). */
export const variance = reduce('var', (x, a, k) => ops.variance(x, a, k));
/** The standard deviation over `axis` (all axes when null). */
export const std = reduce('std', (x, a, k) => ops.sqrt(ops.variance(x, a, k)));
/** Whether any element is true over `axis`. */
export const any = reduce('any', (x, a, k) => ops.greater(ops.max(ops.cast(ops.notEqual(x, 0), 'float32'), a, k), 0));
/** Whether every element is true over `axis`. */
export const all = reduce('all', (x, a, k) => ops.greater(ops.min(ops.cast(ops.notEqual(x, 0), 'float32'), a, k), 0));

const unary = (name: string, f: (x: Sym) => Sym) => backendFunction(name, f) as unknown as Unary;

/** Elementwise square. */
export const square = unary('square', (x) => ops.square(x));
/** Elementwise absolute value. */
export const abs = unary('abs', (x) => ops.abs(x));
/** Elementwise square root, of x clipped at 0 first (as Keras 2). */
export const sqrt = unary('sqrt', (x) => ops.sqrt(ops.maximum(x, 0)));
/** Elementwise e^x. */
export const exp = unary('exp', (x) => ops.exp(x));
/** Elementwise natural logarithm. */
export const log = unary('log', (x) => ops.log(x));
/** Elementwise sign (-1, 0 or 1). */
export const sign = unary('sign', (x) => ops.sign(x));
/** Elementwise rounding to the nearest integer (half to even). */
export const round = unary('round', (x) => ops.round(x));
/** Elementwise sigmoid. */
export const sigmoid = unary('sigmoid', (x) => ops.sigmoid(x));
/** Elementwise hard sigmoid (Keras 2: `clip(0.2 * x + 0.5, 0, 1)`). */
export const hardSigmoid = unary('hard_sigmoid', (x) => ops.clip(ops.add(ops.mul(x, 0.2), 0.5), 0, 1));
/** Elementwise tanh. */
export const tanh = unary('tanh', (x) => ops.tanh(x));
/** Elementwise softplus, log(1 + e^x). */
export const softplus = unary('softplus', (x) => ops.softplus(x));
/** Elementwise softsign, x / (1 + |x|). */
export const softsign = unary('softsign', (x) => ops.div(x, ops.add(ops.abs(x), 1)));
/** Elementwise -x (Python's unary minus). */
export const negative = unary('negative', (x) => ops.neg(x));
/** The input with no gradient flowing back through it. */
export const stopGradient = unary('stop_gradient', (x) => ops.stopGradient(x));
/** Zeros of the input's shape and dtype. */
export const zerosLike = unary('zeros_like', (x) => ops.zerosLike(x));
/** Ones of the input's shape and dtype. */
export const onesLike = unary('ones_like', (x) => ops.onesLike(x));
/** The input, unchanged (a new tensor). */
export const identity = unary('identity', (x) => ops.identity(x));
/** The input flattened to one axis. */
export const flatten = unary('flatten', (x) => ops.reshape(x, [-1]));
/** Every axis but the first flattened: [batch, ...] to [batch, n]. */
export const batchFlatten = unary('batch_flatten', (x) => ops.reshape(x, [x.shape[0], -1]));

const binary = (name: string, f: (x: Sym, y: Sym | number) => Sym) =>
  backendFunction(name, (x: Sym | number, y: Sym | number) => (typeof x === 'number' ? f(ops.lift([x, y])[0], y) : f(x, y))) as unknown as Binary;

/** x + y, broadcast (Python's `+` on tensors). */
export const add = binary('add', (x, y) => ops.add(x, y));
/** x - y, broadcast (Python's `-`). */
export const subtract = binary('subtract', (x, y) => ops.sub(x, y));
/** x * y, broadcast (Python's `*`). */
export const multiply = binary('multiply', (x, y) => ops.mul(x, y));
/** x / y, broadcast (Python's `/`). */
export const divide = binary('divide', (x, y) => ops.div(x, y));
/** Elementwise maximum, broadcast. @example K.maximum(x, K.epsilon()) */
export const maximum = binary('maximum', (x, y) => ops.maximum(x, y));
/** Elementwise minimum, broadcast. */
export const minimum = binary('minimum', (x, y) => ops.minimum(x, y));
/** Elementwise x ** a. */
export const pow = binary('pow', (x, a) => ops.pow(x, a));
/** Elementwise x == y (bool). */
export const equal = binary('equal', (x, y) => ops.equal(x, y)) as Compare;
/** Elementwise x != y (bool). */
export const notEqual = binary('not_equal', (x, y) => ops.notEqual(x, y)) as Compare;
/** Elementwise x > y (bool). */
export const greater = binary('greater', (x, y) => ops.greater(x, y)) as Compare;
/** Elementwise x >= y (bool). */
export const greaterEqual = binary('greater_equal', (x, y) => ops.greaterEqual(x, y)) as Compare;
/** Elementwise x < y (bool). */
export const less = binary('less', (x, y) => ops.less(x, y)) as Compare;
/** Elementwise x <= y (bool). */
export const lessEqual = binary('less_equal', (x, y) => ops.lessEqual(x, y)) as Compare;

/** Elementwise clipping into [minValue, maxValue] (a max below the min is raised to it, as Keras 2). */
export const clip = backendFunction('clip', (x: Sym, minValue: number | null = null, maxValue: number | null = null) => {
  const lo = minValue ?? -Infinity;
  const hi = Math.max(maxValue ?? Infinity, lo);
  return ops.clip(x, lo, hi);
}) as unknown as <T extends AnyTensor>(x: T, minValue: number | null, maxValue: number | null) => T;

/** The tensor cast to `dtype`. @example K.cast(K.equal(y_true, K.round(y_pred)), 'float32') */
export const cast = backendFunction('cast', (x: Sym, dtype: DType) => ops.cast(x, dtype)) as unknown as <T extends AnyTensor>(x: T, dtype: DType) => T;

/**
 * Keras 2's relu with its options: `alpha` below `threshold`, capped at `maxValue`.
 * @example K.relu(x, 0, 6) // relu6
 */
export const relu = backendFunction('relu', (x: Sym, alpha = 0, maxValue: number | null = null, threshold = 0) => {
  let y = threshold === 0 ? ops.relu(x) : ops.where(ops.greater(x, threshold), x, 0);
  if (maxValue !== null) y = ops.minimum(y, maxValue);
  if (alpha !== 0) y = ops.add(y, ops.mul(ops.minimum(ops.sub(x, threshold), 0), alpha));
  return y;
}) as unknown as <T extends AnyTensor>(x: T, alpha?: number, maxValue?: number | null, threshold?: number) => T;

/** Softmax over `axis` (the last by default). */
export const softmax = backendFunction('softmax', (x: Sym, axis = -1) => ops.softmax(x, axis)) as unknown as <T extends AnyTensor>(x: T, axis?: number) => T;

/** Exponential linear unit with `alpha`. */
export const elu = backendFunction('elu', (x: Sym, alpha = 1) => ops.where(ops.greater(x, 0), x, ops.mul(ops.expm1(ops.minimum(x, 0)), alpha))) as unknown as <T extends AnyTensor>(x: T, alpha?: number) => T;

/** x divided by its L2 norm over `axis` (all axes when null), the squared norm floored at 1e-12 (tf.math.l2_normalize). */
export const l2Normalize = backendFunction('l2_normalize', (x: Sym, axis: Axis = null) =>
  ops.mul(x, ops.rsqrt(ops.maximum(ops.sum(ops.square(x), axis, true), 1e-12))),
) as unknown as <T extends AnyTensor>(x: T, axis?: Axis) => T;

/** The index of the largest value along `axis` (int32). */
export const argmax = backendFunction('argmax', (x: Sym, axis = -1) => ops.argmax(x, axis)) as unknown as <T extends AnyTensor>(x: T, axis?: number) => T;
/** The index of the smallest value along `axis` (int32). */
export const argmin = backendFunction('argmin', (x: Sym, axis = -1) => ops.argmin(x, axis)) as unknown as <T extends AnyTensor>(x: T, axis?: number) => T;

/** Tensors joined along `axis` (the last by default). @example K.concatenate([pos, neg], -1) */
export const concatenate = backendFunction('concatenate', (xs: Sym[], axis = -1) => {
  const rank = xs[0].rank;
  return ops.concat(xs, axis < 0 ? axis + rank : axis);
}) as unknown as <T extends AnyTensor>(xs: readonly T[], axis?: number) => T;

/** Tensors stacked along a new `axis`. */
export const stack = backendFunction('stack', (xs: Sym[], axis = 0) => ops.stack(xs, axis)) as unknown as <T extends AnyTensor>(xs: readonly T[], axis?: number) => T;

/**
 * Keras 2's `dot`: a matrix product over the last axis of x and the second-to-last of y (the
 * last for a vector y); shapes `x[..., n]` and `y[..., n, m]` give `x[...] + y[...] + [m]`.
 */
export const dot = backendFunction('dot', (x: Sym, y: Sym) => {
  if (x.rank <= 2 && y.rank <= 2) return ops.matmul(x, y);
  const n = x.shape[x.rank - 1];
  const x2 = ops.reshape(x, [-1, n]);
  const perm = Array.from({ length: y.rank }, (_, i) => i);
  const moved = [perm.splice(y.rank - 2, 1)[0], ...perm];
  const y2 = ops.reshape(ops.transpose(y, moved), [y.shape[y.rank - 2], -1]);
  return ops.reshape(ops.matmul(x2, y2), [...x.shape.slice(0, -1), ...y.shape.slice(0, -2), y.shape[y.rank - 1]]);
}) as unknown as <T extends AnyTensor>(x: T, y: T) => T;

/** The tensor with a new axis of size 1 at `axis` (the last by default). */
export const expandDims = backendFunction('expand_dims', (x: Sym, axis = -1) => ops.expandDims(x, axis)) as unknown as <T extends AnyTensor>(x: T, axis?: number) => T;
/** The tensor without its axis `axis` (of size 1). */
export const squeeze = backendFunction('squeeze', (x: Sym, axis: number) => ops.squeeze(x, [axis])) as unknown as <T extends AnyTensor>(x: T, axis: number) => T;
/** The tensor with a new shape (one dimension may be -1). */
export const reshape = backendFunction('reshape', (x: Sym, shape: Shape) => ops.reshape(x, shape)) as unknown as <T extends AnyTensor>(x: T, shape: readonly number[]) => T;
/** The axes permuted: output axis i is input axis `pattern[i]`. */
export const permuteDimensions = backendFunction('permute_dimensions', (x: Sym, pattern: number[]) => ops.transpose(x, pattern)) as unknown as <T extends AnyTensor>(x: T, pattern: readonly number[]) => T;
/** The axes reversed (the matrix transpose for rank 2). */
export const transpose = unary('transpose', (x) => ops.transpose(x));
/** The tensor tiled `n` times along each axis. */
export const tile = backendFunction('tile', (x: Sym, n: number | number[]) => ops.tile(x, typeof n === 'number' ? [n] : n)) as unknown as <T extends AnyTensor>(x: T, n: number | readonly number[]) => T;
/** A [batch, dim] tensor repeated `n` times: [batch, n, dim]. */
export const repeat = backendFunction('repeat', (x: Sym, n: number) => ops.tile(ops.expandDims(x, 1), [1, n, 1])) as unknown as <T extends AnyTensor>(x: T, n: number) => T;
/** Elementwise choice: `thenX` where `condition` holds, else `elseX`. */
export const switchCase = backendFunction('switch', (condition: Sym, thenX: Sym | number, elseX: Sym | number) => ops.where(ops.cast(condition, 'bool'), thenX, elseX)) as unknown as <T extends AnyTensor>(condition: T, thenX: T | number, elseX: T | number) => T;
/** One-hot vectors of `numClasses` for integer `indices` (a new last axis). */
export const oneHot = backendFunction('one_hot', (indices: Sym, numClasses: number) => ops.oneHot(ops.cast(indices, 'int32'), numClasses)) as unknown as <T extends AnyTensor>(indices: T, numClasses: number) => T;
/** Rows of `reference` at `indices` (along the first axis). */
export const gather = backendFunction('gather', (reference: Sym, indices: Sym) => ops.gather(reference, ops.cast(indices, 'int32'), 0)) as unknown as <T extends AnyTensor>(reference: T, indices: T) => T;

/**
 * Elementwise binary crossentropy of probabilities (or logits), Keras 2's backend form:
 * `-(t * log(o + eps) + (1 - t) * log(1 - o + eps))` with `o` clipped to [eps, 1 - eps].
 */
export const binaryCrossentropy = backendFunction('binary_crossentropy', (target: Sym, given: Sym, fromLogitsArg = false) => {
  // As Keras 2's _get_logits: the output of a sigmoid is read from its logits.
  const [output, fromLogits] = maybeLogits(given, fromLogitsArg, 'sigmoid');
  const t = ops.cast(target, output.dtype);
  if (fromLogits) {
    // max(o, 0) - o * t + log(1 + exp(-|o|))
    return ops.add(ops.sub(ops.relu(output), ops.mul(output, t)), ops.log1p(ops.exp(ops.neg(ops.abs(output)))));
  }
  const o = ops.clip(output, EPS, 1 - EPS);
  const pos = ops.mul(t, ops.log(ops.add(o, EPS)));
  const neg = ops.mul(ops.sub(1, t), ops.log(ops.add(ops.sub(1, o), EPS)));
  return ops.neg(ops.add(pos, neg));
}) as unknown as <T extends AnyTensor>(target: T, output: T, fromLogits?: boolean) => T;

/** Categorical crossentropy over `axis`, Keras 2's backend form (output rescaled to sum to 1, clipped to [eps, 1 - eps]). */
export const categoricalCrossentropy = backendFunction('categorical_crossentropy', (target: Sym, given: Sym, fromLogitsArg = false, axis = -1) => {
  const [output, fromLogits] = maybeLogits(given, fromLogitsArg, 'softmax', axis);
  const t = ops.cast(target, output.dtype);
  if (fromLogits) return ops.neg(ops.sum(ops.mul(t, ops.logSoftmax(output, axis)), axis));
  const o = ops.clip(ops.div(output, ops.sum(output, axis, true)), EPS, 1 - EPS);
  return ops.neg(ops.sum(ops.mul(t, ops.log(o)), axis));
}) as unknown as <T extends AnyTensor>(target: T, output: T, fromLogits?: boolean, axis?: number) => T;

/** Sparse categorical crossentropy: integer targets against probabilities (or logits) over the last axis. */
export const sparseCategoricalCrossentropy = backendFunction('sparse_categorical_crossentropy', (target: Sym, output: Sym, fromLogits = false) => {
  const n = output.shape[output.rank - 1];
  let idx = ops.cast(target, 'int32');
  if (idx.rank === output.rank) idx = ops.squeeze(idx, [-1]);
  const t = ops.oneHot(idx, n);
  if (fromLogits) return ops.neg(ops.sum(ops.mul(ops.cast(t, output.dtype), ops.logSoftmax(output, -1)), -1));
  const o = ops.clip(output, EPS, 1 - EPS);
  return ops.neg(ops.sum(ops.mul(ops.cast(t, output.dtype), ops.log(o)), -1));
}) as unknown as <T extends AnyTensor>(target: T, output: T, fromLogits?: boolean) => T;

const seed = () => requireScope('a random backend function').nextSeed();

/**
 * Normal random values of `shape` (drawn anew at each run of the model). Inside a Lambda, the
 * batch size is a number: `K.random_normal([K.shape(z)[0], dim])`.
 */
export const randomNormal = backendFunction('random_normal', (shape: Shape, mean = 0, stddev = 1) => {
  const scope = requireScope('K.random_normal');
  return ops.randomNormal(scope.graph, shape, seed(), mean, stddev);
}) as unknown as (shape: readonly number[], mean?: number, stddev?: number) => Sym;

/** Uniform random values in [minval, maxval) of `shape` (drawn anew at each run). */
export const randomUniform = backendFunction('random_uniform', (shape: Shape, minval = 0, maxval = 1) => {
  const scope = requireScope('K.random_uniform');
  return ops.randomUniform(scope.graph, shape, seed(), minval, maxval);
}) as unknown as (shape: readonly number[], minval?: number, maxval?: number) => Sym;

/** Zeros of `shape`. */
export const zeros = backendFunction('zeros', (shape: Shape, dtype: DType = 'float32') => ops.fill(requireScope('K.zeros').graph, shape, 0, dtype)) as unknown as (shape: readonly number[], dtype?: DType) => Sym;
/** Ones of `shape`. */
export const ones = backendFunction('ones', (shape: Shape, dtype: DType = 'float32') => ops.fill(requireScope('K.ones').graph, shape, 1, dtype)) as unknown as (shape: readonly number[], dtype?: DType) => Sym;

/** A number or nested arrays of numbers (`K.constant`'s value). */
export type ConstantValue = number | readonly ConstantValue[];

/**
 * A constant tensor from a number or nested arrays (`shape` fills it with one value), as Keras'
 * `K.constant`: a Tensor outside a traced function, a constant of the graph inside one.
 * @example const eye = K.constant([[1, 0], [0, 1]]);
 */
export const constant = backendFunction('constant', (value: ConstantValue, dtype: DType = 'float32', shape: Shape | null = null) => {
  const flat: number[] = [];
  const dims: number[] = [];
  const walk = (v: ConstantValue, depth: number) => {
    if (typeof v === 'number') return void flat.push(v);
    if (dims.length === depth) dims.push(v.length);
    else if (dims[depth] !== v.length) throw new KerasValueError(`K.constant: the nested arrays are ragged (${v.length} values where ${dims[depth]} were expected)`);
    for (const x of v) walk(x, depth + 1);
  };
  walk(value, 0);
  const graph = requireScope('K.constant').graph;
  if (shape) {
    if (flat.length !== 1) throw new KerasValueError(`K.constant: with a shape, the value must be one number (got ${flat.length})`);
    return ops.fill(graph, shape, flat[0], dtype);
  }
  return ops.constant(graph, flat, dims, dtype);
}) as unknown as (value: ConstantValue, dtype?: DType, shape?: readonly number[] | null) => Sym;
