/**
 * `keras.backend`, Keras 2's `K`: see the backend functions' module.
 * @example import * as K from '@keras-ts/keras/backend'; const m = K.mean(x, -1);
 * @module
 */
export * from '../keras-backend/index.js';
