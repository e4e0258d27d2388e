/**
 * The `keras` namespace, shaped like Keras 2's package: `keras.layers`, `keras.models`,
 * `keras.losses`, `keras.metrics`, `keras.optimizers`, `keras.callbacks`, `keras.initializers`,
 * `keras.regularizers`, `keras.constraints`, `keras.activations`, `keras.utils`,
 * `keras.preprocessing`, `keras.backend`. The same modules are the package's subpath exports
 * (`@keras-ts/keras/layers`, ...).
 *
 * @example
 * import { keras } from '@keras-ts/keras';
 * const K = keras.backend;
 * const model = new keras.models.Sequential([
 *   new keras.layers.Dense({ units: 64, activation: 'relu', inputShape: [784] }),
 *   new keras.layers.Dense({ units: 10, activation: 'softmax' }),
 * ]);
 * @module
 */
export * as layers from './layers.js';
export * as models from './models.js';
export * as losses from './losses.js';
export * as metrics from './metrics.js';
export * as optimizers from './optimizers.js';
export * as callbacks from './callbacks.js';
export * as initializers from './initializers.js';
export * as regularizers from './regularizers.js';
export * as constraints from './constraints.js';
export * as activations from './activations.js';
export * as utils from './utils.js';
export * as preprocessing from './preprocessing.js';
export * as backend from './backend.js';
