import { allocData, type DType } from '@keras-ts/spec';
import { Tensor } from '../../tensor.js';
import type { HostArray } from '../../utils/array-input.js';
import { argError } from '../../utils/checks.js';
import type { RandomState } from '../random.js';
import type { ImageArray } from './affine-transform.js';
import { ImageIterator } from './image-iterator.js';
import { KerasValueError } from '../../errors.js';

/** What the iterator needs of its generator: random parameters, their application, standardization. */
export interface ImageAugmenter {
  /** The axis of the channels in a batch (3 for channels last, 1 for channels first). */
  readonly channelAxis: number;
  /** The fraction of the samples kept for `subset: 'validation'`. */
  readonly validationSplit: number;
  /** One image transformed at random (drawing from `random`) and standardized. */
  augment(image: ImageArray, random: RandomState): ImageArray;
}

/** A batch of a flow: the images, or `[images, labels]`, or `[images, labels, sampleWeights]`. */
export type ImageBatch = Tensor | [Tensor, Tensor] | [Tensor, Tensor, Tensor];

/** The data of {@link NumpyArrayIterator}, after `flow` read its options. */
export interface NumpyArrayIteratorData {
  x: HostArray;
  y: HostArray | null;
  sampleWeight: HostArray | null;
  batchSize: number;
  shuffle: boolean;
  seed: number | null;
  subset: 'training' | 'validation' | null;
  ignoreClassSplit: boolean;
}

/** Rows [start, end) of an array (the first axis). */
function rowsOf(a: HostArray, start: number, end: number): HostArray {
  const row = a.shape.slice(1).reduce((p, q) => p * q, 1);
  return { shape: [end - start, ...a.shape.slice(1)], data: Array.prototype.slice.call(a.data, start * row, end * row) as number[], dtype: a.dtype };
}

/** The distinct values of an array, sorted. */
function uniqueValues(a: HostArray): number[] {
  return [...new Set(Array.from(a.data))].sort((p, q) => p - q);
}

/** The rows at `indices` of an array, as a tensor of its dtype (float32 for plain arrays). */
function gather(a: HostArray, indices: Int32Array, dtype: DType = a.dtype ?? 'float32'): Tensor {
  const row = a.shape.slice(1).reduce((p, q) => p * q, 1);
  const out = allocData(dtype, indices.length * row);
  indices.forEach((src, i) => {
    for (let k = 0; k < row; k++) out[i * row + k] = a.data[src * row + k];
  });
  return new Tensor([indices.length, ...a.shape.slice(1)], dtype, out);
}

/**
 * Keras 2's `NumpyArrayIterator`, what `ImageDataGenerator.flow` returns: batches of augmented
 * images (float32, each transformed at random and standardized by the generator) with their
 * labels and sample weights, as a Sequence that `fit` takes and as an endless iterator.
 */
/**
 * The arrays of a flow checked (rank-4 images; labels and sample weights with as many samples)
 * and cut to the `subset` asked (`'validation'`: the first `validationSplit` of the samples).
 */
export function flowArrays(d: NumpyArrayIteratorData, generator: ImageAugmenter): NumpyArrayIteratorData {
  const fn = 'ImageDataGenerator.flow';
  let { x, y, sampleWeight: sw } = d;
  if (x.shape.length !== 4) throw argError(fn, 'x', `an array of shape [${x.shape.join(', ')}]`, 'images of rank 4 ([samples, height, width, channels] for channels last)');
  const n = x.shape[0];
  if (y && y.shape[0] !== n) throw new KerasValueError(`${fn}: x (images) and y (labels) should have the same length: x has ${n} samples, y has ${y.shape[0]}`);
  if (sw && sw.shape[0] !== n) throw new KerasValueError(`${fn}: x (images) and sampleWeight should have the same length: x has ${n} samples, sampleWeight has ${sw.shape[0]}`);
  if (d.subset) {
    const split = Math.floor(n * generator.validationSplit);
    if (y && !d.ignoreClassSplit && uniqueValues(rowsOf(y, 0, split)).join() !== uniqueValues(rowsOf(y, split, n)).join()) {
      throw new KerasValueError(`${fn}: training and validation subsets have different classes after the split (the first ${split} samples are the validation subset); if the arrays are sorted by label, shuffle them first, or pass ignoreClassSplit: true`);
    }
    const [start, end] = d.subset === 'validation' ? [0, split] : [split, n];
    x = rowsOf(x, start, end);
    y = y && rowsOf(y, start, end);
    sw = sw && rowsOf(sw, start, end);
  }
  const channels = x.shape[generator.channelAxis];
  if (![1, 3, 4].includes(channels)) {
    console.warn(`NumpyArrayIterator: expected 1, 3 or 4 channels on axis ${generator.channelAxis}, got images of shape [${x.shape.join(', ')}] (${channels} channels)`);
  }
  return { ...d, x, y, sampleWeight: sw };
}

/**
 * Keras 2's `NumpyArrayIterator`, what `ImageDataGenerator.flow` returns: batches of augmented
 * images (float32, each transformed at random and standardized by the generator) with their
 * labels and sample weights, as a Sequence that `fit` takes and as an endless iterator.
 */
export class NumpyArrayIterator<T extends ImageBatch = ImageBatch> extends ImageIterator<T> {
  private readonly x: Float32Array;
  private readonly imageShape: [number, number, number];
  private readonly y: HostArray | null;
  private readonly sampleWeight: HostArray | null;
  private readonly generator: ImageAugmenter;

  /** The iterator over arrays checked by `flowArrays` (`ImageDataGenerator.flow` makes it). */
  constructor(d: NumpyArrayIteratorData, generator: ImageAugmenter) {
    super(d.x.shape[0], d.batchSize, d.shuffle, d.seed);
    this.generator = generator;
    this.x = Float32Array.from(d.x.data);
    this.imageShape = [d.x.shape[1], d.x.shape[2], d.x.shape[3]];
    this.y = d.y;
    this.sampleWeight = d.sampleWeight;
  }

  protected batchFor(indices: Int32Array, random: RandomState): T {
    const size = this.imageShape[0] * this.imageShape[1] * this.imageShape[2];
    const out = new Float32Array(indices.length * size);
    indices.forEach((j, i) => {
      const image = { shape: this.imageShape, data: this.x.slice(j * size, (j + 1) * size) };
      out.set(this.generator.augment(image, random).data, i * size);
    });
    const bx = new Tensor([indices.length, ...this.imageShape], 'float32', out);
    if (!this.y) return bx as T;
    const by = gather(this.y, indices);
    return (this.sampleWeight ? [bx, by, gather(this.sampleWeight, indices, 'float32')] : [bx, by]) as T;
  }
}

