/**
 * Keras' loss functions (`keras.losses.mse`, `binary_crossentropy`, ...) as backend functions:
 * per-sample losses of symbolic tensors (inside a step, as compile uses them), of functional
 * placeholders (a layer node, as Keras 2's VAE writes `mse(inputs, outputs)` in functional code)
 * and of concrete tensors (computed now). Same names and results as the functions of `losses/`.
 */
import type { Sym } from '@keras-ts/spec';
import * as L from '../losses/index.js';
import { backendFunction, type AnyTensor } from './dispatch.js';

type Rest<F> = F extends (a: Sym, b: Sym, ...rest: infer R) => Sym ? R : never;
type LossOn<F> = <T extends AnyTensor>(yTrue: T, yPred: T, ...rest: Rest<F>) => T;

const wrap = <F extends (a: Sym, b: Sym, ...rest: never[]) => Sym>(name: string, f: F) => backendFunction(`losses.${name}`, f) as unknown as LossOn<F>;

/** Mean squared error over the last axis, per sample (Keras' `mse`). */
export const meanSquaredError = wrap('mean_squared_error', L.meanSquaredError);
/** Mean absolute error over the last axis, per sample (Keras' `mae`). */
export const meanAbsoluteError = wrap('mean_absolute_error', L.meanAbsoluteError);
/** Mean absolute percentage error, per sample (Keras' `mape`). */
export const meanAbsolutePercentageError = wrap('mean_absolute_percentage_error', L.meanAbsolutePercentageError);
/** Mean squared logarithmic error, per sample (Keras' `msle`). */
export const meanSquaredLogarithmicError = wrap('mean_squared_logarithmic_error', L.meanSquaredLogarithmicError);
/** Huber loss, per sample. */
export const huber = wrap('huber', L.huber);
/** Log-cosh loss, per sample. */
export const logCosh = wrap('log_cosh', L.logCosh);
/** Cosine similarity loss, per sample. */
export const cosineSimilarity = wrap('cosine_similarity', L.cosineSimilarity);
/** Binary crossentropy, per sample (mean over the last axis). */
export const binaryCrossentropy = wrap('binary_crossentropy', L.binaryCrossentropy);
/** Binary focal crossentropy, per sample. */
export const binaryFocalCrossentropy = wrap('binary_focal_crossentropy', L.binaryFocalCrossentropy);
/** Categorical crossentropy, per sample. */
export const categoricalCrossentropy = wrap('categorical_crossentropy', L.categoricalCrossentropy);
/** Categorical focal crossentropy, per sample. */
export const categoricalFocalCrossentropy = wrap('categorical_focal_crossentropy', L.categoricalFocalCrossentropy);
/** Sparse categorical crossentropy, per sample. */
export const sparseCategoricalCrossentropy = wrap('sparse_categorical_crossentropy', L.sparseCategoricalCrossentropy);
/** Hinge loss, per sample. */
export const hinge = wrap('hinge', L.hinge);
/** Squared hinge loss, per sample. */
export const squaredHinge = wrap('squared_hinge', L.squaredHinge);
/** Categorical hinge loss, per sample. */
export const categoricalHinge = wrap('categorical_hinge', L.categoricalHinge);
/** Kullback-Leibler divergence, per sample. */
export const klDivergence = wrap('kl_divergence', L.klDivergence);
/** Poisson loss, per sample. */
export const poisson = wrap('poisson', L.poisson);

/** Keras' name for {@link meanSquaredError}. */
export const mse = meanSquaredError;
/** Keras' name for {@link meanAbsoluteError}. */
export const mae = meanAbsoluteError;
/** Keras' name for {@link meanAbsolutePercentageError}. */
export const mape = meanAbsolutePercentageError;
/** Keras' name for {@link meanSquaredLogarithmicError}. */
export const msle = meanSquaredLogarithmicError;
/** Keras' name for {@link meanSquaredError}. */
export const mean_squared_error = meanSquaredError;
/** Keras' name for {@link meanAbsoluteError}. */
export const mean_absolute_error = meanAbsoluteError;
/** Keras' name for {@link binaryCrossentropy}. */
export const binary_crossentropy = binaryCrossentropy;
/** Keras' name for {@link categoricalCrossentropy}. */
export const categorical_crossentropy = categoricalCrossentropy;
/** Keras' name for {@link sparseCategoricalCrossentropy}. */
export const sparse_categorical_crossentropy = sparseCategoricalCrossentropy;
/** Keras' name for {@link klDivergence}. */
export const kld = klDivergence;
