/**
 * `keras.optimizers`, as the `optimizers` export of the package root.
 * @module
 */
export * from '../optimizers/index.js';
