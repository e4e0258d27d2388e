import { allocData, DTYPES, fmtShape, type DataArray, type DType } from '@keras-ts/spec';
import { Tensor } from '../../tensor.js';
import { readArray, type ArrayInput } from '../../utils/array-input.js';
import { argError, choiceArg, optionalIntArg, readOptions } from '../../utils/checks.js';
import { KerasTypeError } from '../../errors.js';

/** The options of {@link padSequences} (Keras 2's keyword arguments, in camelCase). */
export interface PadSequencesOptions {
  /** The length of every output sequence; default (or null): the longest input sequence. */
  maxlen?: number | null;
  /** The dtype of the result (default `'int32'`, as Keras). */
  dtype?: DType;
  /** Where the padding goes: `'pre'` (before each sequence, the default) or `'post'`. */
  padding?: 'pre' | 'post';
  /** Which end of a longer sequence is cut: `'pre'` (the start, the default) or `'post'`. */
  truncating?: 'pre' | 'post';
  /** The padding value (default 0). */
  value?: number;
}

const KEYS = ['maxlen', 'dtype', 'padding', 'truncating', 'value'] as const;

/** A value stored as `dtype` stores it (NumPy's cast: integers truncate, booleans test non-zero). */
function caster(dtype: DType): (v: number) => number {
  return dtype === 'bool' ? (v) => (v !== 0 ? 1 : 0) : (v) => v;
}

/**
 * Keras 2's `pad_sequences`: sequences of different lengths as one tensor of shape
 * `[n, maxlen, ...]`. Shorter sequences are padded with `value` (before them by default),
 * longer ones lose their first items (by default); empty sequences give rows of padding. Each
 * sequence is a list of numbers, of equal-shaped nested arrays (its items, as `[timesteps, ...]`),
 * a typed array or a Tensor (its first axis is time); a Tensor of sequences is read row by row.
 * Values are cast to `dtype` as NumPy casts them (`int32` truncates fractions).
 *
 * @param sequences The sequences.
 * @param options `maxlen`, `dtype` ('int32'), `padding` ('pre'), `truncating` ('pre'), `value` (0).
 * @example
 * padSequences([[1, 2, 3], [4]]).toArray(); // [[1, 2, 3], [0, 0, 4]]
 * padSequences([[1, 2, 3], [4]], { maxlen: 2, padding: 'post', truncating: 'post' }).toArray(); // [[1, 2], [4, 0]]
 */
export function padSequences(sequences: readonly ArrayInput[] | Tensor, options?: PadSequencesOptions): Tensor {
  const fn = 'padSequences';
  const o = readOptions(fn, options, KEYS, "{ maxlen: 100, padding: 'post' }");
  // A tensor is its rows (as Keras iterates a NumPy array).
  if (sequences instanceof Tensor) {
    const t = sequences;
    sequences = Array.from({ length: t.rank ? t.shape[0] : 0 }, (_, i) => {
      const row = t.sliceRows(i, i + 1);
      return new Tensor(row.shape.slice(1), row.dtype, row.data);
    });
  }
  if (!Array.isArray(sequences)) throw argError(fn, 'sequences', sequences, 'a list of sequences (arrays of numbers, typed arrays or Tensors), or a Tensor of rows');
  const maxlenArg = optionalIntArg(fn, 'maxlen', o.maxlen, 1);
  const dtype = o.dtype ?? 'int32';
  if (!DTYPES.includes(dtype)) throw argError(fn, 'dtype', dtype, DTYPES.map((d) => `'${d}'`).join(', '));
  const padding = choiceArg(fn, 'padding', o.padding, ['pre', 'post'], 'pre');
  const truncating = choiceArg(fn, 'truncating', o.truncating, ['pre', 'post'], 'pre');
  const value = o.value ?? 0;
  if (typeof value !== 'number' || Number.isNaN(value)) throw argError(fn, 'value', value, 'a number');

  const arrays = sequences.map((s, i) => {
    const a = readArray(fn, `sequences[${i}]`, s);
    if (a.shape.length === 0) throw argError(fn, `sequences[${i}]`, s, 'a sequence (an array), not a single number');
    return a;
  });
  const first = arrays.find((a) => a.shape[0] > 0);
  const sampleShape = first ? first.shape.slice(1) : [];
  const sampleSize = sampleShape.reduce((a, b) => a * b, 1);
  let maxlen = maxlenArg;
  if (maxlen === null) {
    if (!arrays.length) throw argError(fn, 'sequences', sequences, 'at least one sequence, or maxlen (the length cannot be inferred from no sequences)');
    maxlen = arrays.reduce((m, a) => Math.max(m, a.shape[0]), 0);
  }
  const cast = caster(dtype);
  const out: DataArray = allocData(dtype, arrays.length * maxlen * sampleSize);
  out.fill(cast(value));
  arrays.forEach((a, i) => {
    const len = a.shape[0];
    if (len === 0) return;
    if (fmtShape(a.shape.slice(1)) !== fmtShape(sampleShape)) {
      throw new KerasTypeError(`${fn}: the items of the sequence at position ${i} have shape ${fmtShape(a.shape.slice(1))}, but those of the first non-empty sequence have shape ${fmtShape(sampleShape)}; expected items of one shape`);
    }
    const keep = Math.min(len, maxlen);
    const from = truncating === 'pre' ? len - keep : 0;
    const to = padding === 'pre' ? maxlen - keep : 0;
    const base = (i * maxlen + to) * sampleSize;
    for (let k = 0; k < keep * sampleSize; k++) out[base + k] = cast(a.data[from * sampleSize + k]);
  });
  return new Tensor([arrays.length, maxlen, ...sampleShape], dtype, out);
}
