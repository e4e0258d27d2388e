import { Tensor } from '../../tensor.js';
import { argError, boolArg, choiceArg, intArg, optionalIntArg, readOptions, stringArg } from '../../utils/checks.js';
import { DEFAULT_FILTERS, splitWords } from './text-to-word-sequence.js';
import { pythonJson } from './python-json.js';
import { KerasStateError } from '../../errors.js';

/** A Tokenizer's config, as Keras 2's `get_config` (the tables as JSON strings). */
export interface TokenizerConfig {
  num_words: number | null;
  filters: string;
  lower: boolean;
  split: string;
  char_level: boolean;
  oov_token: string | null;
  document_count: number;
  word_counts: string;
  word_docs: string;
  index_docs: string;
  index_word: string;
  word_index: string;
}

/** The options of {@link Tokenizer} (Keras 2's keyword arguments, in camelCase). */
export interface TokenizerOptions {
  /** Keep only the `numWords - 1` most frequent words in sequences and matrices (default: all). */
  numWords?: number | null;
  /** Characters removed from texts (default: punctuation, tabs and newlines). */
  filters?: string;
  /** Lowercase texts (default true). */
  lower?: boolean;
  /** The word separator (default `' '`). */
  split?: string;
  /** Every character is a token (default false). */
  charLevel?: boolean;
  /** A token standing for words outside the vocabulary (index 1 when given; default none: such words are dropped). */
  oovToken?: string | null;
  /** A function splitting a text into tokens, used instead of `filters`, `lower` and `split`. */
  analyzer?: ((text: string) => readonly string[]) | null;
  /** The number of documents already seen (set by `tokenizerFromJson`). */
  documentCount?: number;
}

const KEYS = ['numWords', 'filters', 'lower', 'split', 'charLevel', 'oovToken', 'analyzer', 'documentCount'] as const;

/** A text as `fitOnTexts` and `textsToSequences` take it: a string, or a list of tokens. */
export type TokenizerText = string | readonly string[];

/** The modes of `textsToMatrix` and `sequencesToMatrix`. */
export type MatrixMode = 'binary' | 'count' | 'tfidf' | 'freq';
const MODES: readonly MatrixMode[] = ['binary', 'count', 'tfidf', 'freq'];

/**
 * Keras 2's `Tokenizer`: a vocabulary built from texts (`fitOnTexts`), indexed by frequency
 * (1 for the most frequent word; 0 is never a word), and texts as sequences of indices or as
 * matrices. With `oovToken`, the token takes index 1 and stands for unknown words; with
 * `numWords`, only indices below `numWords` are kept in sequences and matrices. The vocabulary
 * tables are Maps: `wordIndex.get('the')`.
 *
 * @example
 * const tok = new Tokenizer({ numWords: 100, oovToken: '<OOV>' });
 * tok.fitOnTexts(['The cat sat.', 'The dog sat down.']);
 * tok.wordIndex.get('the'); // 2 (1 is '<OOV>')
 * tok.textsToSequences(['the bird sat']); // [[2, 1, 3]]
 * const x = tok.textsToMatrix(['the cat'], 'binary'); // a Tensor of shape [1, 100]
 */
export class Tokenizer {
  /** How many times each word occurred, in the order words were first seen. */
  wordCounts = new Map<string, number>();
  /** In how many documents each word occurred. */
  wordDocs = new Map<string, number>();
  /** In how many documents each word index occurred. */
  indexDocs = new Map<number, number>();
  /** The index of each word (from 1, by decreasing frequency). */
  wordIndex = new Map<string, number>();
  /** The word of each index. */
  indexWord = new Map<number, string>();
  /** The number of documents (texts or sequences) fitted on. */
  documentCount: number;
  /** Indices from `numWords` on are left out of sequences and matrices (null: none). */
  readonly numWords: number | null;
  /** The characters removed from texts. */
  readonly filters: string;
  /** Whether texts are lowercased. */
  readonly lower: boolean;
  /** The word separator. */
  readonly split: string;
  /** Whether every character is a token. */
  readonly charLevel: boolean;
  /** The token of words outside the vocabulary (null: they are dropped). */
  readonly oovToken: string | null;
  /** The function splitting texts into tokens, when given (it replaces `filters`, `lower` and `split`). */
  readonly analyzer: ((text: string) => readonly string[]) | null;

  constructor(options?: TokenizerOptions) {
    const fn = 'Tokenizer';
    const o = readOptions(fn, options, KEYS, "{ numWords: 10000, oovToken: '<OOV>' }");
    this.numWords = optionalIntArg(fn, 'numWords', o.numWords);
    this.filters = stringArg(fn, 'filters', o.filters, DEFAULT_FILTERS);
    this.lower = boolArg(fn, 'lower', o.lower, true);
    this.split = stringArg(fn, 'split', o.split, ' ');
    if (this.split === '') throw argError(fn, 'split', this.split, 'a non-empty separator');
    this.charLevel = boolArg(fn, 'charLevel', o.charLevel, false);
    if (o.oovToken !== undefined && o.oovToken !== null && typeof o.oovToken !== 'string') throw argError(fn, 'oovToken', o.oovToken, 'a string or null');
    this.oovToken = o.oovToken ?? null;
    if (o.analyzer !== undefined && o.analyzer !== null && typeof o.analyzer !== 'function') throw argError(fn, 'analyzer', o.analyzer, 'a function (text) => tokens, or null');
    this.analyzer = o.analyzer ?? null;
    this.documentCount = intArg(fn, 'documentCount', o.documentCount, 0);
  }

  /** The tokens of one text, as Keras reads it (`fn` names the method in errors). */
  private tokens(text: TokenizerText, fn: string): string[] {
    if (Array.isArray(text)) return text.map((t: string) => (this.lower ? t.toLowerCase() : t));
    if (typeof text !== 'string') throw argError(fn, 'texts', text, 'strings, or lists of tokens');
    if (this.charLevel) return Array.from(this.lower ? text.toLowerCase() : text);
    if (this.analyzer) return [...this.analyzer(text)];
    return splitWords(text, { filters: this.filters, lower: this.lower, split: this.split });
  }

  /** Updates the vocabulary from texts (strings, or lists of tokens); the indices are rebuilt. */
  fitOnTexts(texts: Iterable<TokenizerText>): void {
    for (const text of checkIterable('Tokenizer.fitOnTexts', 'texts', texts)) {
      this.documentCount++;
      const seq = this.tokens(text, 'Tokenizer.fitOnTexts');
      for (const w of seq) this.wordCounts.set(w, (this.wordCounts.get(w) ?? 0) + 1);
      for (const w of new Set(seq)) this.wordDocs.set(w, (this.wordDocs.get(w) ?? 0) + 1);
    }
    // Stable sort: words of equal count keep the order they were first seen in.
    const sorted = [...this.wordCounts].sort((a, b) => b[1] - a[1]).map(([w]) => w);
    const vocabulary = this.oovToken === null ? sorted : [this.oovToken, ...sorted];
    this.wordIndex = new Map();
    vocabulary.forEach((w, i) => this.wordIndex.set(w, i + 1));
    this.indexWord = new Map([...this.wordIndex].map(([w, i]) => [i, w]));
    for (const [w, c] of this.wordDocs) this.indexDocs.set(this.wordIndex.get(w)!, c);
  }

  /** Updates the document counts from sequences of indices (needed for `tfidf` without `fitOnTexts`). */
  fitOnSequences(sequences: readonly (readonly number[])[]): void {
    this.documentCount += sequences.length;
    for (const seq of sequences) for (const i of new Set(seq)) this.indexDocs.set(i, (this.indexDocs.get(i) ?? 0) + 1);
  }

  /** Texts as sequences of word indices (unknown words dropped, or the `oovToken`'s index). */
  textsToSequences(texts: Iterable<TokenizerText>): number[][] {
    return [...this.textsToSequencesGenerator(texts)];
  }

  /** {@link textsToSequences}, one text at a time. */
  *textsToSequencesGenerator(texts: Iterable<TokenizerText>): Generator<number[]> {
    const oov = this.oovToken === null ? undefined : this.wordIndex.get(this.oovToken);
    for (const text of checkIterable('Tokenizer.textsToSequences', 'texts', texts)) {
      const out: number[] = [];
      for (const w of this.tokens(text, 'Tokenizer.textsToSequences')) {
        const i = this.wordIndex.get(w);
        if (i !== undefined && !(this.numWords && i >= this.numWords)) out.push(i);
        else if (oov !== undefined) out.push(oov);
      }
      yield out;
    }
  }

  /** Sequences of word indices as texts (words joined by spaces; unknown indices dropped, or the `oovToken`). */
  sequencesToTexts(sequences: Iterable<readonly number[]>): string[] {
    return [...this.sequencesToTextsGenerator(sequences)];
  }

  /** {@link sequencesToTexts}, one sequence at a time. */
  *sequencesToTextsGenerator(sequences: Iterable<readonly number[]>): Generator<string> {
    const oovIndex = this.oovToken === null ? undefined : this.wordIndex.get(this.oovToken);
    const oovWord = oovIndex === undefined ? undefined : this.indexWord.get(oovIndex);
    for (const seq of checkIterable('Tokenizer.sequencesToTexts', 'sequences', sequences)) {
      const words: string[] = [];
      for (const num of seq) {
        const word = this.indexWord.get(num);
        if (word !== undefined && !(this.numWords && num >= this.numWords)) words.push(word);
        else if (oovWord !== undefined) words.push(oovWord);
      }
      yield words.join(' ');
    }
  }

  /** Texts as a float32 matrix `[texts, numWords]` (see {@link sequencesToMatrix}). */
  textsToMatrix(texts: Iterable<TokenizerText>, mode: MatrixMode = 'binary'): Tensor {
    return this.sequencesToMatrix(this.textsToSequences(texts), mode);
  }

  /**
   * Sequences as a float32 matrix `[sequences, numWords]` (`numWords` defaults to the vocabulary
   * size + 1): per word index, `binary` 1 when present, `count` its count, `freq` its count over
   * the sequence's length, `tfidf` `(1 + ln count) * ln(1 + documents / (1 + documents with it))`.
   */
  sequencesToMatrix(sequences: readonly (readonly number[])[], mode: MatrixMode = 'binary'): Tensor {
    const fn = 'Tokenizer.sequencesToMatrix';
    choiceArg(fn, 'mode', mode, MODES, 'binary');
    let numWords = this.numWords;
    if (!numWords) {
      if (!this.wordIndex.size) throw new KerasStateError(`${fn}: specify a dimension (the numWords option), or fit on some text data first`);
      numWords = this.wordIndex.size + 1;
    }
    if (mode === 'tfidf' && !this.documentCount) throw new KerasStateError(`${fn}: fit the Tokenizer on some data before using tfidf mode`);
    const out = new Float32Array(sequences.length * numWords);
    sequences.forEach((seq, row) => {
      if (!seq.length) return;
      const counts = new Map<number, number>();
      for (const j of seq) if (j < numWords!) counts.set(j, (counts.get(j) ?? 0) + 1);
      for (const [j, c] of counts) {
        if (!Number.isInteger(j) || j < 0) throw argError(fn, 'sequences', j, `word indices in [0, ${numWords! - 1}] (sequence ${row} holds ${j})`);
        let v = 1;
        if (mode === 'count') v = c;
        else if (mode === 'freq') v = c / seq.length;
        else if (mode === 'tfidf') v = (1 + Math.log(c)) * Math.log(1 + this.documentCount / (1 + (this.indexDocs.get(j) ?? 0)));
        out[row * numWords! + j] = v;
      }
    });
    return new Tensor([sequences.length, numWords], 'float32', out);
  }

  /** The config, as Keras 2's `get_config`: the options and the tables (as JSON strings); the analyzer is not saved. */
  getConfig(): TokenizerConfig {
    return {
      num_words: this.numWords,
      filters: this.filters,
      lower: this.lower,
      split: this.split,
      char_level: this.charLevel,
      oov_token: this.oovToken,
      document_count: this.documentCount,
      word_counts: pythonJson(this.wordCounts),
      word_docs: pythonJson(this.wordDocs),
      index_docs: pythonJson(this.indexDocs),
      index_word: pythonJson(this.indexWord),
      word_index: pythonJson(this.wordIndex),
    };
  }

  /**
   * The tokenizer as JSON, as Keras 2's `to_json()` writes it (`{"class_name": "Tokenizer",
   * "config": {...}}`); `tokenizerFromJson` reads it back, and so does Keras'
   * `tokenizer_from_json`.
   */
  toJson(): string {
    return pythonJson({ class_name: 'Tokenizer', config: { ...this.getConfig() } });
  }
}

/** `x` when it is iterable (not a string), else an error naming `fn` and `arg`. */
function checkIterable<T>(fn: string, arg: string, x: Iterable<T>): Iterable<T> {
  if (x === null || typeof x !== 'object' || typeof (x as Iterable<T>)[Symbol.iterator] !== 'function') throw argError(fn, arg, x, 'a list');
  return x;
}
