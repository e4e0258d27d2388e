/**
 * `keras.preprocessing`, as the `preprocessing` export of the package root.
 * @module
 */
export * from '../preprocessing/index.js';
