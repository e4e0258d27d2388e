/**
 * Keras 2's `keras.preprocessing`, as namespaces: `preprocessing.sequence` (`padSequences`,
 * `TimeseriesGenerator`), `preprocessing.text` (`Tokenizer`, `textToWordSequence`) and
 * `preprocessing.image` (`ImageDataGenerator`).
 *
 * @example
 * import { preprocessing } from '@keras-ts/keras';
 * const x = preprocessing.sequence.padSequences(sequences, { maxlen: 100 });
 */
export * as sequence from './sequence/index.js';
export * as text from './text/index.js';
export * as image from './image/index.js';
