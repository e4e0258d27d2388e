import { Tensor } from '../tensor.js';
import { asList, sampleCount, type TensorOrList } from './data.js';
import type { Batch } from './trainer.js';

/** One item of a generator: `[x, y]`, `[x, y, sampleWeight]`, or `{x, y, sampleWeight}`. */
export type GeneratorItem =
  | readonly [TensorOrList, TensorOrList]
  | readonly [TensorOrList, TensorOrList, TensorOrList]
  | { x: TensorOrList; y?: TensorOrList; sampleWeight?: TensorOrList | null };

/** Data for the generator forms: an array, an iterable, an (async) generator or iterator. */
export type DataSource<T> = Iterable<T> | AsyncIterable<T>;

/** A new iterator for an epoch: arrays and re-iterable collections restart; iterators continue. */
export function epochIterator<T>(source: DataSource<T>): AsyncIterator<T> | Iterator<T> {
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
  else throw new Error(`generator item ${step} must be [x, y], [x, y, sampleWeight] or {x, y, sampleWeight}, got ${String(item)}`);
  if (needTargets && y === undefined) throw new Error(`generator item ${step} has no targets: expected [x, y] or [x, y, sampleWeight]`);
  const xs = asList(x);
  const ys = asList(y ?? null);
  const given = sw ? asList(sw) : [];
  const n = sampleCount([{ what: `generator item ${step}: x`, tensors: xs }, { what: 'y', tensors: ys }, { what: 'sample_weight', tensors: given }]);
  const sws = ys.map((_, i) => given[given.length === 1 ? 0 : i] ?? new Tensor([n], 'float32', new Float32Array(n).fill(1)));
  return { xs, ys, sws, hasSw: given.length > 0 };
}
