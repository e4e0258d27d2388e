import type { SequenceLike } from '../engine/training/sequence-adapter.js';
import type { GeneratorItem } from '../engine/training/generator-adapter.js';

/**
 * Keras 2's `keras.utils.Sequence`: a data set as batches fetched by index. Subclasses give
 * `length` (the number of batches, Keras' `__len__`) and `getItem(index)` (the batch at an index,
 * `[x, y]` or `[x, y, sampleWeight]`, Keras' `__getitem__`, which may return a promise), and may
 * override `onEpochEnd()` (called after every epoch, to reshuffle for instance).
 *
 * `fit(sequence, options)` and `fitGenerator(sequence, options)` run `length` batches per epoch
 * (unless `stepsPerEpoch` is given), in a shuffled order unless `shuffle: false` (as Keras 2), and
 * the progress bar counts to `length`; `evaluateGenerator` and `predictGenerator` read one pass in
 * order. `for await (const batch of sequence)` also reads one pass.
 *
 * @example
 * class Batches extends utils.Sequence<[Tensor, Tensor]> {
 *   constructor(private x: Tensor, private y: Tensor, private batchSize: number) { super(); }
 *   get length() { return Math.ceil(this.x.shape[0] / this.batchSize); }
 *   getItem(i: number): [Tensor, Tensor] {
 *     const end = Math.min((i + 1) * this.batchSize, this.x.shape[0]);
 *     return [this.x.sliceRows(i * this.batchSize, end), this.y.sliceRows(i * this.batchSize, end)];
 *   }
 * }
 * await model.fit(new Batches(x, y, 32), { epochs: 5 });
 */
export abstract class Sequence<T = GeneratorItem> implements SequenceLike<T>, AsyncIterable<T> {
  /** The number of batches in one pass (Keras' `len(sequence)`). */
  abstract get length(): number;

  /** The batch at `index`, in [0, length) (Keras' `sequence[index]`). */
  abstract getItem(index: number): T | Promise<T>;

  /** Called at the end of every epoch; does nothing unless overridden. */
  onEpochEnd(): void | Promise<void> {}

  /** One pass over the batches, in order (Keras' `iter(sequence)`). */
  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (let i = 0; i < this.length; i++) yield await this.getItem(i);
  }
}
