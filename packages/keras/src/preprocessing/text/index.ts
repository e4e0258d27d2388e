/**
 * Keras 2's `keras.preprocessing.text`: `textToWordSequence`, the `Tokenizer` and
 * `tokenizerFromJson`.
 *
 * @example
 * import { preprocessing } from '@keras-ts/keras';
 * const tokenizer = new preprocessing.text.Tokenizer({ numWords: 1000 });
 * tokenizer.fitOnTexts(texts);
 * const sequences = tokenizer.textsToSequences(texts);
 */
export { textToWordSequence, type TextToWordSequenceOptions } from './text-to-word-sequence.js';
export { Tokenizer, type TokenizerOptions, type TokenizerConfig, type TokenizerText, type MatrixMode } from './tokenizer.js';
export { tokenizerFromJson } from './tokenizer-json.js';
