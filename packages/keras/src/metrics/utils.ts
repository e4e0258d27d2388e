import { fmtShape, ops, type Sym } from '@keras-ts/spec';
import { KerasShapeError, KerasValueError } from '../errors.js';

/**
 * Shape and arithmetic helpers shared by the metrics, after Keras 2's `losses_utils` and
 * `metrics_utils`.
 */

/** Casts to float32 (a no-op when it already is). */
export function toFloat(x: Sym): Sym {
  return ops.cast(x, 'float32');
}

/** Squeezes the last axis, which must have size 1. */
export function squeezeLast(x: Sym, what: string): Sym {
  if (x.shape[x.rank - 1] !== 1) throw new KerasShapeError(`${what}: cannot squeeze the last axis of shape ${fmtShape(x.shape)}: it is not of size 1`);
  return ops.squeeze(x, [-1]);
}

/**
 * Keras' `remove_squeezable_dimensions`: when predictions have one more axis than labels and
 * it has size 1, it is squeezed; the other way around, the labels' last axis is.
 */
export function removeSqueezableDimensions(yTrue: Sym, yPred: Sym): [Sym, Sym] {
  const diff = yPred.rank - yTrue.rank;
  if (diff === 1 && yPred.shape[yPred.rank - 1] === 1) return [yTrue, ops.squeeze(yPred, [-1])];
  if (diff === -1 && yTrue.shape[yTrue.rank - 1] === 1) return [ops.squeeze(yTrue, [-1]), yPred];
  return [yTrue, yPred];
}

/**
 * Keras' `squeeze_or_expand_dimensions(y_pred, y_true, sample_weight)`: aligns the labels with
 * the predictions (squeezing a size-1 last axis), then the sample weights (squeezing their last
 * axis when they have one more axis, expanding when they have one fewer; scalars stay).
 */
export function squeezeOrExpandDimensions(yPred: Sym, yTrue: Sym | null, sampleWeight: Sym | null = null, what = 'metric'): { yPred: Sym; yTrue: Sym | null; sampleWeight: Sym | null } {
  let p = yPred;
  let t = yTrue;
  if (t && (p.rank - t.rank !== 1 || p.shape[p.rank - 1] === 1)) [t, p] = removeSqueezableDimensions(t, p);
  let w = sampleWeight;
  if (w && w.rank > 0) {
    if (w.rank - p.rank === 1) w = squeezeLast(w, `${what}: sample_weight`);
    else if (p.rank - w.rank === 1) w = ops.expandDims(w, -1);
  }
  return { yPred: p, yTrue: t, sampleWeight: w };
}

/** Whether `weights` broadcast to `values` the way TensorFlow's `broadcast_weights` allows: a scalar, or the same rank with each axis equal or 1. */
export function weightsBroadcastable(weights: Sym, values: Sym): boolean {
  if (weights.rank === 0) return true;
  if (weights.rank !== values.rank) return false;
  return weights.shape.every((d, i) => d === 1 || d === values.shape[i]);
}

/** TensorFlow's `broadcast_weights`: the weights broadcast to the values' shape, or an error naming both shapes. */
export function broadcastWeights(weights: Sym, values: Sym, what: string): Sym {
  if (!weightsBroadcastable(weights, values)) {
    throw new KerasShapeError(`${what}: sample_weight of shape ${fmtShape(weights.shape)} cannot be broadcast to values of shape ${fmtShape(values.shape)}`);
  }
  return ops.broadcastTo(weights, values.shape);
}

/** a / b, and 0 where b is 0 (TensorFlow's `divide_no_nan`). */
export function divideNoNan(a: Sym, b: Sym | number): Sym {
  const bs = typeof b === 'number' ? ops.fill(a.graph, [], b) : b;
  const zero = ops.equal(bs, 0);
  const safe = ops.where(zero, 1, bs);
  return ops.where(zero, 0, ops.div(a, safe));
}

/** Flattens to one axis. */
export function flatten(x: Sym): Sym {
  return ops.reshape(x, [-1]);
}

/** `x[..., index]` keeping the axis: `x[..., index, None]`. */
export function sliceLast(x: Sym, index: number, what: string): Sym {
  const n = x.shape[x.rank - 1];
  if (x.rank === 0 || index < 0 || index >= n) {
    throw new KerasValueError(`${what}: class_id ${index} is out of range for predictions of shape ${fmtShape(x.shape)}`);
  }
  const begin = x.shape.map((_, i) => (i === x.rank - 1 ? index : 0));
  const size = x.shape.map((d, i) => (i === x.rank - 1 ? 1 : d));
  return ops.slice(x, begin, size);
}

/** A float32 constant vector. */
export function vector(like: Sym, values: readonly number[]): Sym {
  return ops.constant(like.graph, Float32Array.from(values), [values.length], 'float32');
}

/** Keras' epsilon (`backend.epsilon()`). */
export const EPSILON = 1e-7;
