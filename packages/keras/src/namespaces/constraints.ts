/**
 * `keras.constraints`, as the `constraints` export of the package root.
 * @module
 */
export * from '../constraints/index.js';
