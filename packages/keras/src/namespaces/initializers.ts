/**
 * `keras.initializers`, as the `initializers` export of the package root.
 * @module
 */
export * from '../initializers/index.js';
