/**
 * Keras 2's `keras.preprocessing.sequence`: `padSequences` and `TimeseriesGenerator`.
 *
 * @example
 * import { preprocessing } from '@keras-ts/keras';
 * const x = preprocessing.sequence.padSequences([[1, 2, 3], [4]], { maxlen: 3 });
 */
export { padSequences, type PadSequencesOptions } from './pad-sequences.js';
export { TimeseriesGenerator, type TimeseriesGeneratorOptions } from './timeseries-generator.js';
