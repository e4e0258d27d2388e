/**
 * Keras 2's backend module (`from keras import backend as K`): functions over tensors that work on
 * symbolic tensors (inside a Lambda, a layer's call or a loss), on placeholders of the functional
 * API (the call becomes a layer node, as tf.keras' TFOpLambda), and on concrete tensors (run now).
 * Each function has its camelCase name and Keras' snake_case one (`K.intShape`, `K.int_shape`).
 * Python's operators on tensors are `K.add`, `K.subtract`, `K.multiply`, `K.divide`, `K.negative`.
 *
 * @example
 * import { backend as K, layers, Input } from '@keras-ts/keras';
 * const x = Input({ shape: [8] });
 * const y = K.mean(K.square(x), -1, true); // a KerasTensor
 * const z = new layers.Lambda({ function: (t) => K.l2_normalize(t as Sym, -1) }).apply(x);
 *
 * @module
 */
import * as f from './functions.js';
import * as s from './shapes.js';

export * from './functions.js';
export * from './shapes.js';
export { backendFunction, OpLambda, type AnyTensor } from './dispatch.js';

// Keras' snake_case names.
/** Keras' name for {@link imageDataFormat}. */
export const image_data_format = f.imageDataFormat;
/** Keras' name for {@link hardSigmoid}. */
export const hard_sigmoid = f.hardSigmoid;
/** Keras' name for {@link stopGradient}. */
export const stop_gradient = f.stopGradient;
/** Keras' name for {@link zerosLike}. */
export const zeros_like = f.zerosLike;
/** Keras' name for {@link onesLike}. */
export const ones_like = f.onesLike;
/** Keras' name for {@link batchFlatten}. */
export const batch_flatten = f.batchFlatten;
/** Keras' name for {@link notEqual}. */
export const not_equal = f.notEqual;
/** Keras' name for {@link greaterEqual}. */
export const greater_equal = f.greaterEqual;
/** Keras' name for {@link lessEqual}. */
export const less_equal = f.lessEqual;
/** Keras' name for {@link l2Normalize}. */
export const l2_normalize = f.l2Normalize;
/** Keras' name for {@link expandDims}. */
export const expand_dims = f.expandDims;
/** Keras' name for {@link permuteDimensions}. */
export const permute_dimensions = f.permuteDimensions;
/** Keras' `K.switch` (`switch` is a reserved word in TypeScript: also `K.switchCase`). */
export const switch_ = f.switchCase;
/** Keras' name for {@link oneHot}. */
export const one_hot = f.oneHot;
/** Keras' name for {@link binaryCrossentropy}. */
export const binary_crossentropy = f.binaryCrossentropy;
/** Keras' name for {@link categoricalCrossentropy}. */
export const categorical_crossentropy = f.categoricalCrossentropy;
/** Keras' name for {@link sparseCategoricalCrossentropy}. */
export const sparse_categorical_crossentropy = f.sparseCategoricalCrossentropy;
/** Keras' name for {@link randomNormal}. */
export const random_normal = f.randomNormal;
/** Keras' name for {@link randomUniform}. */
export const random_uniform = f.randomUniform;
/** Keras' `K.var` (`var` is a reserved word in TypeScript: also `K.variance`). */
export const var_ = f.variance;
/** Keras' name for {@link intShape}. */
export const int_shape = s.intShape;
/** Keras' name for {@link getValue}. */
export const get_value = s.getValue;
/** Keras' name for {@link setValue}. */
export const set_value = s.setValue;
/** Keras' name for {@link countParams}. */
export const count_params = s.countParams;
