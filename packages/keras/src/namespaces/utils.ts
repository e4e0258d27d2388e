/**
 * `keras.utils`, as the `utils` export of the package root, with Keras 2's `Progbar`.
 * @module
 */
export * from '../utils/index.js';
export { Progbar, type ProgbarOptions } from '../callbacks/progbar.js';
