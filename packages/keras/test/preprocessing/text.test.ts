import { describe, expect, it } from 'vitest';
import { preprocessing } from '../../src/index.js';
import type { MatrixMode } from '../../src/preprocessing/text/tokenizer.js';
import { expectArray, loadFixture, type FixtureArray } from './fixtures.js';

const { textToWordSequence, Tokenizer, tokenizerFromJson } = preprocessing.text;
const fixture = loadFixture('keras-utils.json');

const camel = (kw: Record<string, unknown>) => Object.fromEntries(Object.entries(kw).map(([k, v]) => [k.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()), v]));

const corpus = ['The cat sat on the mat.', 'The dog sat on the log!', 'Cats and dogs: the best of friends?', 'A cat, a dog, a mat and a log.'];
const probe = ['the cat and the bird', 'unknown words only', 'a log a log a log'];

describe('preprocessing.text.textToWordSequence (against Keras)', () => {
  for (const c of fixture.text_to_word_sequence as { text: string; kwargs: Record<string, unknown>; expected: string[] }[]) {
    it(`${JSON.stringify(c.text)} ${JSON.stringify(c.kwargs)}`, () => {
      expect(textToWordSequence(c.text, c.kwargs)).toEqual(c.expected);
    });
  }

  it('names bad options', () => {
    expect(() => textToWordSequence('a b', { split: '' })).toThrow(/textToWordSequence: argument 'split' got "": expected a non-empty separator/);
    // @ts-expect-error -- 'lowercase' is deliberately not an argument here, to check the runtime error
    expect(() => textToWordSequence('a b', { lowercase: true })).toThrow(/textToWordSequence: unknown argument 'lowercase'/);
    // @ts-expect-error -- 3 is not a string, on purpose
    expect(() => textToWordSequence(3)).toThrow(/argument 'text' got 3: expected a string/);
  });
});

interface TokenizerCase {
  kwargs: Record<string, unknown>;
  word_index: [string, number][];
  word_counts: [string, number][];
  word_docs: Record<string, number>;
  index_docs: Record<string, number>;
  document_count: number;
  sequences: number[][];
  texts: string[];
  matrices: Record<string, FixtureArray>;
  config: Record<string, unknown>;
}

describe('preprocessing.text.Tokenizer (against Keras)', () => {
  for (const c of fixture.tokenizer as TokenizerCase[]) {
    it(JSON.stringify(c.kwargs), () => {
      const tok = new Tokenizer(camel(c.kwargs));
      tok.fitOnTexts(corpus);
      expect([...tok.wordIndex]).toEqual(c.word_index);
      expect([...tok.wordCounts]).toEqual(c.word_counts);
      expect(Object.fromEntries(tok.wordDocs)).toEqual(c.word_docs);
      expect(Object.fromEntries([...tok.indexDocs].map(([k, v]) => [String(k), v]))).toEqual(c.index_docs);
      expect(tok.documentCount).toBe(c.document_count);
      const seqs = tok.textsToSequences([...probe, ...corpus]);
      expect(seqs).toEqual(c.sequences);
      expect(tok.sequencesToTexts([...seqs, [1, 2, 3, 99]])).toEqual(c.texts);
      for (const [mode, want] of Object.entries(c.matrices)) expectArray(tok.textsToMatrix(probe, mode as MatrixMode), want, 1e-6);
      // The config as Keras writes it: the same options and ordered tables; word_docs and
      // index_docs follow the order of Python's sets in Keras, so they are compared as objects.
      const config = tok.getConfig() as unknown as Record<string, unknown>;
      for (const k of ['num_words', 'filters', 'lower', 'split', 'char_level', 'oov_token', 'document_count', 'word_counts', 'word_index', 'index_word']) expect(config[k]).toEqual(c.config[k]);
      for (const k of ['word_docs', 'index_docs']) expect(JSON.parse(config[k] as string)).toEqual(JSON.parse(c.config[k] as string));
    });
  }

  it('reads the JSON Keras writes, and writes JSON Keras reads', () => {
    const { json, sequences } = fixture.tokenizer_json as { json: string; sequences: number[][] };
    const tok = tokenizerFromJson(json);
    expect(tok.numWords).toBe(10);
    expect(tok.oovToken).toBe('<unk>');
    expect(tok.textsToSequences([...probe, '10 2 cats'])).toEqual(sequences);
    // Integer-like words keep their place in the tables.
    expect([...tok.wordCounts.keys()].indexOf('10')).toBe(14);
    const again = tok.toJson();
    const parsed = JSON.parse(again);
    const original = JSON.parse(json);
    for (const k of ['num_words', 'filters', 'lower', 'split', 'char_level', 'oov_token', 'document_count', 'word_counts', 'word_index', 'index_word', 'word_docs', 'index_docs']) {
      expect(parsed.config[k]).toEqual(original.config[k]);
    }
    expect(again).toBe(json);
    expect(tokenizerFromJson(again).textsToSequences(probe)).toEqual(sequences.slice(0, 3));
  });

  it('writes non-ASCII words as Python does', () => {
    const tok = new Tokenizer();
    tok.fitOnTexts(['Émile über "quotes"']);
    expect(tok.getConfig().word_index).toBe('{"\\u00e9mile": 1, "\\u00fcber": 2, "quotes": 3}');
    expect([...tokenizerFromJson(tok.toJson()).wordIndex]).toEqual([...tok.wordIndex]);
  });

  it('fitOnSequences feeds tfidf', () => {
    const c = fixture.tokenizer_sequences as { sequences: number[][]; tfidf: FixtureArray; document_count: number };
    const tok = new Tokenizer({ numWords: 6 });
    tok.fitOnSequences(c.sequences);
    expect(tok.documentCount).toBe(c.document_count);
    expectArray(tok.sequencesToMatrix([[1, 1, 3], [2, 5, 7]], 'tfidf'), c.tfidf, 1e-6);
  });

  it('an analyzer and lists of tokens', () => {
    const tok = new Tokenizer({ analyzer: (t) => t.split('|') });
    tok.fitOnTexts(['a|b|a', ['B', 'c']]);
    expect([...tok.wordIndex]).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
  });

  it('names bad arguments', () => {
    // @ts-expect-error -- 'num_words' is deliberately not an argument here, to check the runtime error
    expect(() => new Tokenizer({ num_words: 3 })).toThrow(/Tokenizer: unknown argument 'num_words' \(got 3\); did you mean 'numWords'\? \(arguments are camelCase in TypeScript\)/);
    expect(() => new Tokenizer({ numWords: -1 })).toThrow(/Tokenizer: argument 'numWords' got -1: expected a non-negative integer/);
    expect(() => new Tokenizer().textsToMatrix(['a'])).toThrow(/specify a dimension \(the numWords option\), or fit on some text data first/);
    const tok = new Tokenizer({ numWords: 4 });
    expect(() => tok.sequencesToMatrix([[1]], 'tfidf')).toThrow(/fit the Tokenizer on some data before using tfidf mode/);
    // @ts-expect-error -- mode 'onehot' does not exist, on purpose
    expect(() => tok.sequencesToMatrix([[1]], 'onehot')).toThrow(/argument 'mode' got "onehot": expected 'binary', 'count', 'tfidf', 'freq'/);
    expect(() => tokenizerFromJson('{"config": {"word_counts": "[1]"}}')).toThrow(/tokenizerFromJson: config.word_counts is not a JSON object/);
    expect(() => tokenizerFromJson('{"config": {"nb_words": 3}}')).toThrow(/tokenizerFromJson: unknown config key 'nb_words'/);
  });
});
