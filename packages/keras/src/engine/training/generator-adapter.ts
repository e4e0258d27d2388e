/**
 * Data given as batches: an array of batches (Keras' `Sequence`: restarts each epoch), an
 * iterable, an (async) generator or iterator (continues where the last epoch stopped), each item
 * `[x, y]`, `[x, y, sampleWeight]` or `{x, y, sampleWeight}` (`predictGenerator`: also `x` or
 * `[x]`). Used by `fitGenerator`, `evaluateGenerator`, `predictGenerator` and `fitGenerator`'s
 * validation data.
 */
import { Tensor } from '../../tensor.js';
import { asList, sampleCount, type TensorOrList } from '../data.js';
import type { Batch, BatchSource } from './data-adapter.js';
import { isSequenceLike, sequencePass, sequenceSource, type SequenceLike } from './sequence-adapter.js';
import { KerasTypeError, KerasValueError } from '../../errors.js';

/** One item of a generator: `[x, y]`, `[x, y, sampleWeight]`, or `{x, y, sampleWeight}`. */
export type GeneratorItem =
  | readonly [TensorOrList, TensorOrList]
  | readonly [TensorOrList, TensorOrList, TensorOrList]
  | { x: TensorOrList; y?: TensorOrList; sampleWeight?: TensorOrList | null };

/** Data for the generator forms: an array, an iterable, an (async) generator or iterator, a Keras `Sequence`. */
export type DataSource<T> = Iterable<T> | AsyncIterable<T> | SequenceLike<T>;

/** A new iterator for an epoch: arrays, re-iterable collections and Sequences restart; iterators continue. */
export function epochIterator<T>(source: DataSource<T>): AsyncIterator<T> | Iterator<T> {
  if (isSequenceLike(source)) return sequencePass(source as SequenceLike<T>);
  if (Symbol.asyncIterator in (source as object)) return (source as AsyncIterable<T>)[Symbol.asyncIterator]();
  return (source as Iterable<T>)[Symbol.iterator]();
}

/** Takes up to `steps` items (all when null) from an iterator. */
export async function* take<T>(it: AsyncIterator<T> | Iterator<T>, steps: number | null): AsyncGenerator<T> {
  for (let i = 0; steps === null || i < steps; i++) {
    const r = await it.next();
    if (r.done) return;
    yield r.value;
  }
}

/** Reads a generator item into a batch; the error names the step and what was expected. */
export function toBatch(item: GeneratorItem, step: number, needTargets: boolean): Batch {
  let x: TensorOrList;
  let y: TensorOrList | undefined;
  let sw: TensorOrList | null | undefined;
  if (Array.isArray(item)) [x, y, sw] = item as [TensorOrList, TensorOrList?, TensorOrList?];
  else if (item && typeof item === 'object' && 'x' in item) ({ x, y, sampleWeight: sw } = item as { x: TensorOrList; y?: TensorOrList; sampleWeight?: TensorOrList | null });
  else if (item instanceof Tensor) x = item;
  else throw new KerasTypeError(`generator item ${step} must be [x, y], [x, y, sampleWeight] or {x, y, sampleWeight}, got ${String(item)}`);
  if (needTargets && y === undefined) throw new KerasValueError(`generator item ${step} has no targets: expected [x, y] or [x, y, sampleWeight]`);
  const xs = asList(x);
  const ys = asList(y ?? null);
  const given = sw ? asList(sw) : [];
  const n = sampleCount([{ what: `generator item ${step}: x`, tensors: xs }, { what: 'y', tensors: ys }, { what: 'sample_weight', tensors: given }]);
  const sws = ys.map((_, i) => given[given.length === 1 ? 0 : i] ?? new Tensor([n], 'float32', new Float32Array(n).fill(1)));
  return { xs, ys, sws, hasSw: given.length > 0 };
}

/**
 * `fitGenerator`'s epochs: up to `steps` items per epoch (all when null), each read by
 * {@link toBatch} and then `prepare`d for the model. Arrays restart each epoch; iterators
 * continue where they stopped; a Sequence gives `length` batches per epoch, in the `order` asked.
 */
export function generatorSource(generator: DataSource<GeneratorItem>, steps: number | null, prepare: (batch: Batch) => Batch, order?: { shuffle: boolean; rand: () => number }): BatchSource {
  if (isSequenceLike(generator)) return sequenceSource(generator, steps, (item, step) => prepare(toBatch(item as GeneratorItem, step, true)), order ?? { shuffle: false, rand: Math.random });
  const reiterable = Array.isArray(generator);
  let shared: AsyncIterator<GeneratorItem> | Iterator<GeneratorItem> | null = null;
  let step = 0;
  return {
    steps,
    batches: (_epoch: number) => {
      const it = reiterable ? epochIterator(generator) : (shared ??= epochIterator(generator));
      return (async function* () {
        for await (const item of take(it, steps)) yield prepare(toBatch(item, step++, true));
      })();
    },
  };
}

/** One pass over a generator's `[x, y]` items (`evaluateGenerator`), `prepare`d for the model. */
export async function* generatorBatches(generator: DataSource<GeneratorItem>, steps: number | null, prepare: (batch: Batch) => Batch): AsyncGenerator<Batch> {
  let step = 0;
  for await (const item of take(epochIterator(generator), steps)) yield prepare(toBatch(item, step++, true));
}

/** The inputs of a generator's items (`predictGenerator`: `x`, `[x]` or `[x, y]`), `prepare`d for the model. */
export async function* generatorInputs(generator: DataSource<GeneratorItem | TensorOrList>, steps: number | null, prepare: (xs: Tensor[]) => Tensor[]): AsyncGenerator<Tensor[]> {
  let step = 0;
  for await (const item of take(epochIterator(generator), steps)) {
    const xs = item instanceof Tensor ? [item] : Array.isArray(item) && item[0] instanceof Tensor && item.length === 1 ? [item[0] as Tensor] : toBatch(item as GeneratorItem, step, false).xs;
    step++;
    yield prepare(xs);
  }
}
