/**
 * Data given as a Keras `Sequence` (`utils.Sequence`, or any object with a numeric `length` and a
 * `getItem(index)` method): `length` batches per epoch, fetched by index, in a shuffled order when
 * `fit`'s or `fitGenerator`'s `shuffle` is on (the default, as Keras 2), and `onEpochEnd()` after
 * each epoch. `evaluate`, `predict` and the generator methods read one pass in order.
 */
import { describeValue, KerasTypeError } from '../../errors.js';
import type { Batch, BatchSource } from './data-adapter.js';

/**
 * What the training methods read of a Keras `Sequence`: the number of batches, a batch by index
 * and the end-of-epoch hook. `utils.Sequence` is the class to extend.
 */
export interface SequenceLike<T = unknown> {
  /** The number of batches in one pass (Keras' `__len__`). */
  readonly length: number;
  /** The batch at `index`, in [0, length) (Keras' `__getitem__`). */
  getItem(index: number): T | Promise<T>;
  /** Called at the end of every epoch (Keras' `on_epoch_end`), to reshuffle for instance. */
  onEpochEnd?(): void | Promise<void>;
}

/** Whether `x` is a Sequence: an object (not an array) with a numeric `length` and a `getItem` method. */
export function isSequenceLike(x: unknown): x is SequenceLike {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && typeof (x as SequenceLike).getItem === 'function' && typeof (x as SequenceLike).length === 'number';
}

/** The number of batches of a Sequence, checked (`what` names the method). */
export function sequenceLength(seq: SequenceLike, what: string): number {
  const n = seq.length;
  if (!Number.isInteger(n) || n < 0) throw new KerasTypeError(`${what}: the Sequence's length is ${describeValue(n)}: expected a non-negative integer (the number of batches)`);
  return n;
}

/** The batch indices of one epoch: in order, or shuffled (Fisher-Yates over `rand`). */
function epochOrder(n: number, shuffle: boolean, rand: () => number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  if (shuffle) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
  }
  return order;
}

/**
 * One pass over a Sequence in order (evaluate, predict, validation data), `onEpochEnd()` after a
 * complete pass.
 */
export async function* sequencePass<T>(seq: SequenceLike<T>, what = 'Sequence'): AsyncGenerator<T> {
  const n = sequenceLength(seq, what);
  for (let i = 0; i < n; i++) yield await seq.getItem(i);
  await seq.onEpochEnd?.();
}

/**
 * `fit`'s epochs over a Sequence: per epoch its batches in order or shuffled, the first `steps` of
 * them (all when null: the progress bar's total is `length`), each read by `read`; then
 * `onEpochEnd()`. An epoch that training stops in the middle of does not call it (as Keras 2).
 */
export function sequenceSource(seq: SequenceLike, steps: number | null, read: (item: unknown, step: number) => Batch, order: { shuffle: boolean; rand: () => number }): BatchSource {
  const n = sequenceLength(seq, 'fit');
  let step = 0;
  return {
    steps: steps ?? n,
    batches: (_epoch: number) =>
      (async function* () {
        const indices = epochOrder(sequenceLength(seq, 'fit'), order.shuffle, order.rand);
        for (const i of steps === null ? indices : indices.slice(0, steps)) yield read(await seq.getItem(i), step++);
        await seq.onEpochEnd?.();
      })(),
  };
}
