import { describeValue, KerasTypeError } from '../../errors.js';
import { Tokenizer } from './tokenizer.js';

const FN = 'tokenizerFromJson';

/** The Keras config keys of the Tokenizer's options, and their option names. */
const OPTION_KEYS: Record<string, string> = {
  num_words: 'numWords',
  filters: 'filters',
  lower: 'lower',
  split: 'split',
  char_level: 'charLevel',
  oov_token: 'oovToken',
  document_count: 'documentCount',
};
const TABLES = ['word_counts', 'word_docs', 'index_docs', 'index_word', 'word_index'] as const;

/**
 * The entries of a flat JSON object (`{"key": value, ...}`, values strings, numbers, booleans or
 * null) in the order they are written; JSON.parse would put integer-like keys ("2") first.
 */
function flatEntries(text: string): [string, unknown][] {
  const token = /\s*("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|[{}:,])/y;
  const next = (): string | null => {
    const m = token.exec(text);
    return m ? m[1] : null;
  };
  const entries: [string, unknown][] = [];
  if (next() !== '{') throw new SyntaxError('expected an object');
  let t = next();
  while (t !== '}') {
    if (entries.length) {
      if (t !== ',') throw new SyntaxError(`expected ',' or '}', got ${t}`);
      t = next();
    }
    if (t === null || !t.startsWith('"')) throw new SyntaxError(`expected a key, got ${t}`);
    const key = JSON.parse(t) as string;
    if (next() !== ':') throw new SyntaxError(`expected ':' after the key ${t}`);
    const value = next();
    if (value === null || '{}:,'.includes(value)) throw new SyntaxError(`expected a value for the key ${t}`);
    entries.push([key, JSON.parse(value)]);
    t = next();
  }
  if (/\S/.test(text.slice(token.lastIndex))) throw new SyntaxError('unexpected text after the object');
  return entries;
}

/** A table of the config: a JSON string of an object, parsed, its values checked by `ok`. */
function readTable(config: Record<string, unknown>, key: string, ok: (v: unknown) => boolean, expected: string): [string, unknown][] {
  const text = config[key];
  if (typeof text !== 'string') throw new KerasTypeError(`${FN}: config.${key} got ${describeValue(text)}: expected a JSON string of ${expected}`);
  let entries: [string, unknown][];
  try {
    entries = flatEntries(text);
  } catch (e) {
    throw new SyntaxError(`${FN}: config.${key} is not a JSON object of ${expected} (${(e as Error).message})`);
  }
  for (const [k, v] of entries) if (!ok(v)) throw new KerasTypeError(`${FN}: config.${key}[${JSON.stringify(k)}] got ${describeValue(v)}: expected ${expected}`);
  return entries;
}

/** A key of `index_docs` or `index_word`: an integer, as Keras reads it back with `int(k)`. */
function intKey(table: string, k: string): number {
  const i = Number(k);
  if (!Number.isInteger(i) || k.trim() === '') throw new KerasTypeError(`${FN}: config.${table} has the key ${JSON.stringify(k)}: expected integer keys (word indices)`);
  return i;
}

const isCount = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/**
 * Keras 2's `tokenizer_from_json`: a {@link Tokenizer} from the JSON of `toJson()` (or of Keras'
 * `tokenizer.to_json()`), with its options, counts and indices.
 *
 * @example
 * const copy = tokenizerFromJson(tokenizer.toJson());
 * copy.textsToSequences(['the cat']); // as tokenizer.textsToSequences
 */
export function tokenizerFromJson(json: string): Tokenizer {
  if (typeof json !== 'string') throw new KerasTypeError(`${FN}: argument 'json' got ${describeValue(json)}: expected a JSON string`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    throw new SyntaxError(`${FN}: not valid JSON (${(e as Error).message})`);
  }
  const config = (parsed as { config?: unknown } | null)?.config;
  if (!config || typeof config !== 'object' || Array.isArray(config)) throw new KerasTypeError(`${FN}: expected {"class_name": "Tokenizer", "config": {...}}, got ${describeValue(parsed)}`);
  const c = config as Record<string, unknown>;
  const options: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) {
    if ((TABLES as readonly string[]).includes(k)) continue;
    const name = OPTION_KEYS[k];
    if (!name) throw new KerasTypeError(`${FN}: unknown config key '${k}' (got ${describeValue(v)}); a Tokenizer config holds ${[...Object.keys(OPTION_KEYS), ...TABLES].join(', ')}`);
    options[name] = v;
  }
  const tokenizer = new Tokenizer(options);
  tokenizer.wordCounts = new Map(readTable(c, 'word_counts', isCount, 'an object of word counts') as [string, number][]);
  tokenizer.wordDocs = new Map(readTable(c, 'word_docs', isCount, 'an object of document counts') as [string, number][]);
  tokenizer.indexDocs = new Map(readTable(c, 'index_docs', isCount, 'an object of document counts').map(([k, v]) => [intKey('index_docs', k), v as number]));
  tokenizer.indexWord = new Map(readTable(c, 'index_word', (v) => typeof v === 'string', 'an object of words').map(([k, v]) => [intKey('index_word', k), v as string]));
  tokenizer.wordIndex = new Map(readTable(c, 'word_index', isCount, 'an object of word indices') as [string, number][]);
  return tokenizer;
}
