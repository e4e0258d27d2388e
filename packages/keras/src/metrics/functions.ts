import { fmtShape, ops, shapesEqual, type Sym } from '@keras-ts/spec';
import { binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy as lossSparseCategoricalCrossentropy, type CrossentropyOptions, type SparseCategoricalOptions } from '../losses/crossentropy.js';
import { categoricalHinge, hinge, squaredHinge } from '../losses/hinge.js';
import { klDivergence as kullbackLeiblerDivergence, poisson } from '../losses/probabilistic.js';
import { cosineSimilarity as lossCosineSimilarity, logCosh as logcosh, meanAbsoluteError, meanAbsolutePercentageError, meanSquaredError, meanSquaredLogarithmicError } from '../losses/regression.js';
import { flatten, squeezeLast, toFloat } from './utils.js';
import { KerasShapeError } from '../errors.js';

/**
 * Keras 2's stateless metric functions (`keras.metrics.mean_squared_error`, `binary_accuracy`,
 * ...) over symbolic tensors: each gives per-sample values (the batch axis kept), which the
 * mean metrics average. The accuracy functions live here; the others are the per-sample loss
 * functions of `losses/` (cosine similarity with the metric's sign, and the sparse
 * crossentropy with its `ignore_class` mask).
 */

/** Per-sample values, with an optional mask of the valid ones (as Keras' `_keras_mask`). */
export interface MetricValues {
  values: Sym;
  mask: Sym | null;
}

/**
 * A stateless metric function: per-sample values from labels and predictions, and the keyword
 * arguments its `MeanMetricWrapper` was given besides `fn`, `name` and `dtype` (as Keras 2 calls
 * `fn(y_true, y_pred, **kwargs)`; `{}` when none).
 */
export type MetricFn = (yTrue: Sym, yPred: Sym, kwargs: Readonly<Record<string, unknown>>) => Sym | MetricValues;

function checkCompatible(yTrue: Sym, yPred: Sym, what: string): void {
  if (!shapesEqual(yTrue.shape, yPred.shape)) {
    throw new KerasShapeError(`${what}: y_true of shape ${fmtShape(yTrue.shape)} and y_pred of shape ${fmtShape(yPred.shape)} are not compatible`);
  }
}

// ---- accuracy ----

/** 1 where the prediction equals the label exactly, else 0 (`keras.metrics.accuracy`). */
export function accuracy(yTrue: Sym, yPred: Sym): Sym {
  checkCompatible(yTrue, yPred, 'accuracy');
  return toFloat(ops.equal(toFloat(yTrue), toFloat(yPred)));
}

/** Keras' `binary_matches`: 1 where `(y_pred > threshold)` equals the label (elementwise). */
export function binaryMatches(yTrue: Sym, yPred: Sym, threshold = 0.5): Sym {
  const p = toFloat(ops.greater(toFloat(yPred), threshold));
  return toFloat(ops.equal(toFloat(yTrue), p));
}

/** `keras.metrics.binary_accuracy`: the binary matches averaged over the last axis. */
export function binaryAccuracy(yTrue: Sym, yPred: Sym, threshold = 0.5): Sym {
  return ops.mean(binaryMatches(yTrue, yPred, threshold), -1);
}

/**
 * Keras' `sparse_categorical_matches`: 1 where the integer label equals the argmax of the
 * prediction. Labels with as many axes as the predictions have their (size-1) last axis
 * squeezed, and the matches keep the labels' shape.
 */
export function sparseCategoricalMatches(yTrue: Sym, yPred: Sym): Sym {
  let t = toFloat(yTrue);
  const orig = t.shape;
  let reshape = false;
  if (t.rank === yPred.rank) {
    t = squeezeLast(t, 'sparse_categorical_accuracy: y_true');
    reshape = true;
  }
  const p = toFloat(ops.argmax(yPred, -1));
  if (!shapesEqual(p.shape, t.shape)) {
    throw new KerasShapeError(`sparse_categorical_accuracy: labels of shape ${fmtShape(yTrue.shape)} do not match predictions of shape ${fmtShape(yPred.shape)}`);
  }
  const m = toFloat(ops.equal(t, p));
  return reshape ? ops.reshape(m, orig) : m;
}

/** `keras.metrics.categorical_accuracy`: 1 where the argmax of the one-hot label equals the argmax of the prediction. */
export function categoricalAccuracy(yTrue: Sym, yPred: Sym): Sym {
  return sparseCategoricalMatches(ops.argmax(yTrue, -1), yPred);
}

/** `keras.metrics.sparse_categorical_accuracy` (a trailing size-1 axis of the matches squeezed). */
export function sparseCategoricalAccuracy(yTrue: Sym, yPred: Sym): Sym {
  const m = sparseCategoricalMatches(yTrue, yPred);
  return m.rank > 1 && m.shape[m.rank - 1] === 1 ? ops.squeeze(m, [-1]) : m;
}

/**
 * TensorFlow's `in_top_k`: whether each target class is among the `k` largest predictions of
 * its row. Classes tied with the k-th largest count as inside; targets out of range or with a
 * non-finite prediction count as outside.
 */
export function inTopK(predictions: Sym, targets: Sym, k: number): Sym {
  const c = predictions.shape[predictions.rank - 1];
  const hot = ops.equal(ops.oneHot(ops.cast(targets, 'int32'), c), 1);
  const inRange = ops.greater(ops.sum(toFloat(hot), -1), 0);
  const targetValue = ops.max(ops.where(hot, predictions, -Infinity), -1);
  const above = ops.sum(toFloat(ops.greater(predictions, ops.expandDims(targetValue, -1))), -1);
  const finite = ops.less(ops.abs(targetValue), Infinity);
  return ops.logicalAnd(ops.logicalAnd(inRange, finite), ops.less(above, k));
}

/** Keras' `sparse_top_k_categorical_matches`: 1 where the integer label is in the top `k` predictions. */
export function sparseTopKCategoricalMatches(yTrue: Sym, yPred: Sym, k = 5): Sym {
  let t = yTrue;
  let p = yPred;
  const orig = t.shape;
  let reshape = false;
  if (p.rank > 2) p = ops.reshape(p, [-1, p.shape[p.rank - 1]]);
  if (t.rank > 1) {
    reshape = true;
    t = flatten(t);
  }
  if (t.shape[0] !== p.shape[0]) {
    throw new KerasShapeError(`top_k_categorical_accuracy: labels of shape ${fmtShape(yTrue.shape)} do not match predictions of shape ${fmtShape(yPred.shape)}`);
  }
  const m = toFloat(inTopK(toFloat(p), t, k));
  return reshape ? ops.reshape(m, orig) : m;
}

/** `keras.metrics.top_k_categorical_accuracy`. */
export function topKCategoricalAccuracy(yTrue: Sym, yPred: Sym, k = 5): Sym {
  return sparseTopKCategoricalMatches(ops.argmax(yTrue, -1), yPred, k);
}

/** `keras.metrics.sparse_top_k_categorical_accuracy`. */
export function sparseTopKCategoricalAccuracy(yTrue: Sym, yPred: Sym, k = 5): Sym {
  return sparseTopKCategoricalMatches(yTrue, yPred, k);
}

// ---- regression, probabilistic and hinge: the loss functions of `losses/` ----

export { meanSquaredError, meanAbsoluteError, meanAbsolutePercentageError, meanSquaredLogarithmicError, logCosh as logcosh, l2Normalize } from '../losses/regression.js';
export { binaryCrossentropy, categoricalCrossentropy, type CrossentropyOptions, type SparseCategoricalOptions } from '../losses/crossentropy.js';
export { poisson, klDivergence as kullbackLeiblerDivergence } from '../losses/probabilistic.js';
export { hinge, squaredHinge, categoricalHinge } from '../losses/hinge.js';

/**
 * The cosine similarity of labels and predictions along `axis` (`keras.metrics.cosine_similarity`;
 * the loss of the same name is its negation).
 */
export function cosineSimilarity(yTrue: Sym, yPred: Sym, axis = -1): Sym {
  return ops.neg(lossCosineSimilarity(yTrue, yPred, axis));
}

/**
 * `keras.metrics.sparse_categorical_crossentropy`, with the mask of the labels that are not
 * `ignoreClass` (Keras' `_keras_mask` on the result), so the mean leaves them out.
 */
export function sparseCategoricalCrossentropy(yTrue: Sym, yPred: Sym, o: SparseCategoricalOptions = {}): MetricValues {
  const values = lossSparseCategoricalCrossentropy(yTrue, yPred, o);
  if (o.ignoreClass === null || o.ignoreClass === undefined) return { values, mask: null };
  const labels = ops.reshape(ops.cast(yTrue, 'int32'), values.shape);
  return { values, mask: ops.notEqual(labels, o.ignoreClass) };
}

/**
 * The metric functions by their Keras 2 names (`fn` of a `MeanMetricWrapper` config), each
 * taking its keyword arguments.
 */
export const METRIC_FUNCTIONS: Readonly<Record<string, MetricFn>> = {
  accuracy: (t, p) => accuracy(t, p),
  binary_accuracy: (t, p, kw) => binaryAccuracy(t, p, (kw.threshold as number | undefined) ?? 0.5),
  categorical_accuracy: (t, p) => categoricalAccuracy(t, p),
  sparse_categorical_accuracy: (t, p) => sparseCategoricalAccuracy(t, p),
  top_k_categorical_accuracy: (t, p, kw) => topKCategoricalAccuracy(t, p, (kw.k as number | undefined) ?? 5),
  sparse_top_k_categorical_accuracy: (t, p, kw) => sparseTopKCategoricalAccuracy(t, p, (kw.k as number | undefined) ?? 5),
  mean_squared_error: (t, p) => meanSquaredError(t, p),
  mean_absolute_error: (t, p) => meanAbsoluteError(t, p),
  mean_absolute_percentage_error: (t, p) => meanAbsolutePercentageError(t, p),
  mean_squared_logarithmic_error: (t, p) => meanSquaredLogarithmicError(t, p),
  logcosh: (t, p) => logcosh(t, p),
  cosine_similarity: (t, p, kw) => cosineSimilarity(t, p, (kw.axis as number | undefined) ?? -1),
  binary_crossentropy: (t, p, kw) => binaryCrossentropy(t, p, kw as CrossentropyOptions),
  categorical_crossentropy: (t, p, kw) => categoricalCrossentropy(t, p, kw as CrossentropyOptions),
  sparse_categorical_crossentropy: (t, p, kw) => sparseCategoricalCrossentropy(t, p, kw as SparseCategoricalOptions),
  poisson: (t, p) => poisson(t, p),
  kullback_leibler_divergence: (t, p) => kullbackLeiblerDivergence(t, p),
  hinge: (t, p) => hinge(t, p),
  squared_hinge: (t, p) => squaredHinge(t, p),
  categorical_hinge: (t, p) => categoricalHinge(t, p),
};

/** Keras 2's other spellings of the metric functions (`keras.metrics.mse`, ...). */
export const METRIC_FUNCTION_ALIASES: Readonly<Record<string, string>> = {
  acc: 'accuracy',
  ACC: 'accuracy',
  mse: 'mean_squared_error',
  MSE: 'mean_squared_error',
  mae: 'mean_absolute_error',
  MAE: 'mean_absolute_error',
  mape: 'mean_absolute_percentage_error',
  MAPE: 'mean_absolute_percentage_error',
  msle: 'mean_squared_logarithmic_error',
  MSLE: 'mean_squared_logarithmic_error',
  log_cosh: 'logcosh',
  cosine_proximity: 'cosine_similarity',
  bce: 'binary_crossentropy',
  BCE: 'binary_crossentropy',
  kld: 'kullback_leibler_divergence',
  KLD: 'kullback_leibler_divergence',
  kl_divergence: 'kullback_leibler_divergence',
};
