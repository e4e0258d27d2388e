import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { registerClass } from '../serialization/registry.js';
import type { LossArgs } from './loss.js';
import { EPSILON, LossFunctionWrapper, asFloat, f32, lossAxis, lossFunctionClass, parseLossArgs, registerLossFunction } from './wrapper.js';

// Regression losses: each gives one value per sample, the mean over the last axis (cosine
// similarity: the sum over `axis`), as Keras 2's `keras.losses` functions.

/**
 * `mean(square(yPred - yTrue), axis=-1)`.
 * @example meanSquaredError(yTrue, yPred) // [batch, d] -> [batch]
 */
export function meanSquaredError(yTrue: Sym, yPred: Sym): Sym {
  const [t, p] = asFloat(yTrue, yPred);
  return ops.mean(ops.square(ops.sub(p, t)), -1);
}

/**
 * `mean(abs(yPred - yTrue), axis=-1)`.
 * @example meanAbsoluteError(yTrue, yPred)
 */
export function meanAbsoluteError(yTrue: Sym, yPred: Sym): Sym {
  const [t, p] = asFloat(yTrue, yPred);
  return ops.mean(ops.abs(ops.sub(p, t)), -1);
}

/**
 * `100 * mean(abs((yTrue - yPred) / max(abs(yTrue), epsilon)), axis=-1)`.
 * @example meanAbsolutePercentageError(yTrue, yPred)
 */
export function meanAbsolutePercentageError(yTrue: Sym, yPred: Sym): Sym {
  const [t, p] = asFloat(yTrue, yPred);
  const diff = ops.abs(ops.div(ops.sub(t, p), ops.maximum(ops.abs(t), EPSILON)));
  return ops.mul(ops.mean(diff, -1), 100);
}

/**
 * `mean(square(log(max(yPred, eps) + 1) - log(max(yTrue, eps) + 1)), axis=-1)`.
 * @example meanSquaredLogarithmicError(yTrue, yPred)
 */
export function meanSquaredLogarithmicError(yTrue: Sym, yPred: Sym): Sym {
  const [t, p] = asFloat(yTrue, yPred);
  const first = ops.log(ops.add(ops.maximum(p, EPSILON), 1));
  const second = ops.log(ops.add(ops.maximum(t, EPSILON), 1));
  return ops.mean(ops.square(ops.sub(first, second)), -1);
}

/**
 * Huber loss: `0.5 * x^2` where `|x| <= delta`, else `delta * |x| - 0.5 * delta^2`, with
 * `x = yPred - yTrue`; the mean over the last axis.
 * @example huber(yTrue, yPred, 0.5)
 */
export function huber(yTrue: Sym, yPred: Sym, delta = 1.0): Sym {
  const [t, p] = asFloat(yTrue, yPred);
  const d = f32(delta);
  const error = ops.sub(p, t);
  const absError = ops.abs(error);
  const quadratic = ops.mul(ops.square(error), 0.5);
  const linear = ops.sub(ops.mul(absError, d), f32(0.5 * f32(d * d)));
  return ops.mean(ops.where(ops.lessEqual(absError, d), quadratic, linear), -1);
}

/**
 * `mean(log(cosh(yPred - yTrue)), axis=-1)`, computed as `x + softplus(-2x) - log(2)`.
 * @example logCosh(yTrue, yPred)
 */
export function logCosh(yTrue: Sym, yPred: Sym): Sym {
  const [t, p] = asFloat(yTrue, yPred);
  const x = ops.sub(p, t);
  const lc = ops.sub(ops.add(x, ops.softplus(ops.mul(x, -2))), f32(Math.LN2));
  return ops.mean(lc, -1);
}

/** TensorFlow's `l2_normalize`: `x / sqrt(max(sum(x^2, axis), 1e-12))`. */
export function l2Normalize(x: Sym, axis: number | readonly number[]): Sym {
  const squareSum = ops.sum(ops.square(x), axis, true);
  return ops.mul(x, ops.rsqrt(ops.maximum(squareSum, 1e-12)));
}

/**
 * The negated cosine similarity along `axis`: `-sum(l2_normalize(yTrue) * l2_normalize(yPred))`
 * (-1 for vectors pointing the same way, 0 for orthogonal ones or a zero vector).
 * @example cosineSimilarity(yTrue, yPred, -1)
 */
export function cosineSimilarity(yTrue: Sym, yPred: Sym, axis = -1): Sym {
  const [t, p] = asFloat(yTrue, yPred);
  const ax = lossAxis('cosine_similarity', axis, p);
  return ops.neg(ops.sum(ops.mul(l2Normalize(t, ax), l2Normalize(p, ax)), ax));
}

/** Arguments of a loss that takes only `reduction` and `name`. */
export type BasicLossArgs = LossArgs;

/**
 * Mean of squares of errors: `mean(square(yTrue - yPred))` per sample.
 * @example model.compile({ optimizer: 'sgd', loss: new MeanSquaredError() }) // or loss: 'mse'
 */
export class MeanSquaredError extends lossFunctionClass('MeanSquaredError', meanSquaredError, 'mean_squared_error') {}

/**
 * Mean of absolute errors: `mean(abs(yTrue - yPred))` per sample.
 * @example new MeanAbsoluteError({ reduction: 'sum' })
 */
export class MeanAbsoluteError extends lossFunctionClass('MeanAbsoluteError', meanAbsoluteError, 'mean_absolute_error') {}

/**
 * Mean absolute percentage error: `100 * mean(abs((yTrue - yPred) / yTrue))` per sample.
 * @example new MeanAbsolutePercentageError()
 */
export class MeanAbsolutePercentageError extends lossFunctionClass('MeanAbsolutePercentageError', meanAbsolutePercentageError, 'mean_absolute_percentage_error') {}

/**
 * Mean squared logarithmic error: `mean(square(log(yPred + 1) - log(yTrue + 1)))` per sample.
 * @example new MeanSquaredLogarithmicError()
 */
export class MeanSquaredLogarithmicError extends lossFunctionClass('MeanSquaredLogarithmicError', meanSquaredLogarithmicError, 'mean_squared_logarithmic_error') {}

/** The arguments of {@link Huber}. */
export interface HuberArgs extends LossArgs {
  /** Where the loss changes from quadratic to linear (default 1). */
  delta?: number;
}

/**
 * Huber loss: quadratic for errors up to `delta`, linear beyond.
 * @example new Huber({ delta: 0.5 })
 */
export class Huber extends LossFunctionWrapper {
  static override readonly className = 'Huber';
  readonly delta: number;
  constructor(args: HuberArgs = {}) {
    const a = parseLossArgs('Huber', { delta: z.number().nonnegative().default(1.0) }, args);
    super((t, p) => huber(t, p, a.delta), a, 'huber_loss');
    this.delta = a.delta;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), delta: this.delta };
  }
}

/**
 * Logarithm of the hyperbolic cosine of the error, per sample.
 * @example new LogCosh()
 */
export class LogCosh extends lossFunctionClass('LogCosh', logCosh, 'log_cosh') {}

/** The arguments of {@link CosineSimilarity}. */
export interface CosineSimilarityArgs extends LossArgs {
  /** The axis along which the similarity is computed (default -1). */
  axis?: number;
}

/**
 * The negated cosine similarity between labels and predictions, so that minimizing it
 * aligns them: -1 is best, 0 orthogonal, 1 opposite.
 * @example new CosineSimilarity({ axis: -1 })
 */
export class CosineSimilarity extends LossFunctionWrapper {
  static override readonly className = 'CosineSimilarity';
  readonly axis: number;
  constructor(args: CosineSimilarityArgs = {}) {
    const a = parseLossArgs('CosineSimilarity', { axis: z.number().int().default(-1) }, args);
    super((t, p) => cosineSimilarity(t, p, a.axis), a, 'cosine_similarity');
    this.axis = a.axis;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}

registerClass('loss', MeanSquaredError, 'mse', 'MSE', 'mean_squared_error');
registerClass('loss', MeanAbsoluteError, 'mae', 'MAE', 'mean_absolute_error');
registerClass('loss', MeanAbsolutePercentageError, 'mape', 'MAPE', 'mean_absolute_percentage_error');
registerClass('loss', MeanSquaredLogarithmicError, 'msle', 'MSLE', 'mean_squared_logarithmic_error');
registerClass('loss', Huber, 'huber', 'huber_loss');
registerClass('loss', LogCosh, 'logcosh', 'log_cosh');
registerClass('loss', CosineSimilarity, 'cosine_similarity');

registerLossFunction(meanSquaredError, 'mean_squared_error', 'mse', 'MSE');
registerLossFunction(meanAbsoluteError, 'mean_absolute_error', 'mae', 'MAE');
registerLossFunction(meanAbsolutePercentageError, 'mean_absolute_percentage_error', 'mape', 'MAPE');
registerLossFunction(meanSquaredLogarithmicError, 'mean_squared_logarithmic_error', 'msle', 'MSLE');
registerLossFunction((t, p) => huber(t, p), 'huber', 'huber_loss');
registerLossFunction(logCosh, 'log_cosh', 'logcosh');
registerLossFunction((t, p) => cosineSimilarity(t, p), 'cosine_similarity');
