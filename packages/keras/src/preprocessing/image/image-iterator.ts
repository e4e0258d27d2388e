import { Sequence } from '../../utils/sequence.js';
import { argError } from '../../utils/checks.js';
import { RandomState } from '../random.js';

/**
 * Keras 2's image `Iterator` (`keras.preprocessing.image.Iterator`): `n` samples in batches of
 * `batchSize`, as a {@link Sequence} (`length` batches; `getItem(i)` is batch `i` of the epoch's
 * order, shuffled each epoch when `shuffle`), and as an endless iterator (`next()`, `for...of`,
 * `for await...of`: batch after batch, reshuffled at each pass, never done, as Keras' `next(it)`).
 *
 * Randomness is seeded as in Keras: with a `seed`, the generator restarts from
 * `seed + batches seen so far` before each batch, so the same seed gives the same batches.
 * Subclasses give `batchFor(indices, random)`.
 */
export abstract class ImageIterator<T> extends Sequence<T> implements IterableIterator<T> {
  /** The number of samples. */
  readonly n: number;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly seed: number | null;
  /** Batches made so far (by `getItem` and `next`). */
  totalBatchesSeen = 0;
  /** The position of `next()` in its pass, in batches. */
  batchIndex = 0;
  /** The order of the samples in this epoch (null until the first batch). */
  protected indexArray: Int32Array | null = null;
  protected readonly random: RandomState;

  constructor(n: number, batchSize: number, shuffle: boolean, seed: number | null) {
    super();
    this.n = n;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.seed = seed;
    this.random = new RandomState(seed);
  }

  /** The batch for the samples at `indices`, drawing its random transforms from `random`. */
  protected abstract batchFor(indices: Int32Array, random: RandomState): T;

  /** The number of batches in one pass. */
  get length(): number {
    return Math.ceil(this.n / this.batchSize);
  }

  private setIndexArray(): void {
    this.indexArray = this.shuffle ? this.random.permutation(this.n) : Int32Array.from({ length: this.n }, (_, i) => i);
  }

  private reseed(): void {
    if (this.seed !== null) this.random.reseed(this.seed + this.totalBatchesSeen);
  }

  /** Batch `index` of the epoch's order. */
  getItem(index: number): T {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) throw argError(`${this.constructor.name}.getItem`, 'index', index, `a batch index in [0, ${this.length - 1}] (the Sequence has length ${this.length})`);
    this.reseed();
    this.totalBatchesSeen++;
    if (!this.indexArray) this.setIndexArray();
    return this.batchFor(this.indexArray!.subarray(this.batchSize * index, this.batchSize * (index + 1)), this.random);
  }

  /** Reshuffles the order of the samples (when `shuffle`). */
  override onEpochEnd(): void {
    this.setIndexArray();
  }

  /** Restarts `next()` at the first batch of a new pass. */
  reset(): void {
    this.batchIndex = 0;
  }

  /** The next batch of the endless iteration (`{ value, done: false }`, as Keras' `next(iterator)`). */
  next(): IteratorResult<T> {
    this.reseed();
    if (this.batchIndex === 0) this.setIndexArray();
    const current = this.n === 0 ? 0 : (this.batchIndex * this.batchSize) % this.n;
    this.batchIndex = this.n > current + this.batchSize ? this.batchIndex + 1 : 0;
    this.totalBatchesSeen++;
    return { value: this.batchFor(this.indexArray!.subarray(current, current + this.batchSize), this.random), done: false };
  }

  /** The iterator itself: `for (const batch of iterator)` runs until broken out of, as Keras' `for batch in iterator`. */
  [Symbol.iterator](): this {
    return this;
  }

  /** Endless, as {@link next}: `for await` runs until broken out of. */
  override async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) yield this.next().value;
  }
}
