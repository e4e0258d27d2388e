/**
 * `keras.callbacks`, as the `callbacks` export of the package root.
 * @module
 */
export * from '../callbacks/index.js';
