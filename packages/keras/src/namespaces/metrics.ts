/**
 * `keras.metrics`, as the `metrics` export of the package root.
 * @module
 */
export * from '../metrics/index.js';
