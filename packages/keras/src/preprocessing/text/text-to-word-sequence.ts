import { argError, boolArg, readOptions, stringArg } from '../../utils/checks.js';

/** Keras 2's default `filters`: punctuation, tabs and newlines (every character becomes a separator). */
export const DEFAULT_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n';

/** The options of {@link textToWordSequence} (Keras 2's keyword arguments). */
export interface TextToWordSequenceOptions {
  /** Characters replaced by `split` before splitting (default: punctuation, tabs and newlines). */
  filters?: string;
  /** Lowercase the text first (default true). */
  lower?: boolean;
  /** The word separator (default `' '`). */
  split?: string;
}

const KEYS = ['filters', 'lower', 'split'] as const;

/** The options of {@link textToWordSequence}, checked (`fn` names the caller in errors). */
export function readWordOptions(fn: string, options: TextToWordSequenceOptions | undefined): Required<TextToWordSequenceOptions> {
  const o = readOptions(fn, options, KEYS, "{ filters: '', lower: false, split: ' ' }");
  const split = stringArg(fn, 'split', o.split, ' ');
  if (split === '') throw argError(fn, 'split', split, 'a non-empty separator');
  return { filters: stringArg(fn, 'filters', o.filters, DEFAULT_FILTERS), lower: boolArg(fn, 'lower', o.lower, true), split };
}

/** `text` split into words with checked options (lowercased, filtered, split, empty words dropped). */
export function splitWords(text: string, o: Required<TextToWordSequenceOptions>): string[] {
  let t = o.lower ? text.toLowerCase() : text;
  if (o.filters) {
    const filters = new Set(Array.from(o.filters));
    t = Array.from(t, (c) => (filters.has(c) ? o.split : c)).join('');
  }
  return t.split(o.split).filter((w) => w !== '');
}

/**
 * Keras 2's `text_to_word_sequence`: a text as a list of words. The text is lowercased (unless
 * `lower: false`), every character of `filters` is replaced by `split`, the text is split on
 * `split` and empty words are dropped.
 *
 * @example
 * textToWordSequence('The cat sat. The END!'); // ['the', 'cat', 'sat', 'the', 'end']
 * textToWordSequence('a-b c', { filters: '', split: '-' }); // ['a', 'b c']
 */
export function textToWordSequence(text: string, options?: TextToWordSequenceOptions): string[] {
  const fn = 'textToWordSequence';
  if (typeof text !== 'string') throw argError(fn, 'text', text, 'a string');
  return splitWords(text, readWordOptions(fn, options));
}
