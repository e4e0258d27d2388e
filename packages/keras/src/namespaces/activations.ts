/**
 * `keras.activations`, as the `activations` export of the package root.
 * @module
 */
export * from '../activations/index.js';
