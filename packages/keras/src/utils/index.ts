/**
 * Keras 2's `keras.utils`: `toCategorical`, `normalize` and the `Sequence` class (`utils.toCategorical`
 * is `keras.utils.to_categorical`).
 *
 * @example
 * import { utils } from '@keras-ts/keras';
 * const oneHot = utils.toCategorical([0, 2, 1], 3);
 */
export { toCategorical } from './to-categorical.js';
export { normalize } from './normalize.js';
export { Sequence } from './sequence.js';
export type { SequenceLike } from '../engine/training/sequence-adapter.js';
export type { ArrayInput, NestedNumbers } from './array-input.js';
