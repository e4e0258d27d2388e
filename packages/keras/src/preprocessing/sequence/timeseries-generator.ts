import { allocData, type DType } from '@keras-ts/spec';
import { Tensor } from '../../tensor.js';
import { readArray, type ArrayInput, type HostArray } from '../../utils/array-input.js';
import { argError, boolArg, intArg, optionalIntArg, readOptions } from '../../utils/checks.js';
import { Sequence } from '../../utils/sequence.js';
import { RandomState } from '../random.js';
import { KerasValueError } from '../../errors.js';

/** The options of {@link TimeseriesGenerator} (Keras 2's arguments, in camelCase). */
export interface TimeseriesGeneratorOptions {
  /** The length of the output sequences, in timesteps (required). */
  length: number;
  /** The period between the timesteps of a sequence (default 1). */
  samplingRate?: number;
  /** The period between successive output sequences (default 1). */
  stride?: number;
  /** Timesteps before this one are not used (default 0). */
  startIndex?: number;
  /** Timesteps after this one are not used (default: the last). */
  endIndex?: number | null;
  /** Draw the sequences of each batch at random (with replacement) instead of in order (default false). */
  shuffle?: boolean;
  /** Timesteps in reverse order in each sequence (default false). */
  reverse?: boolean;
  /** Sequences per batch (default 128). */
  batchSize?: number;
  /** Seed of the random draws when `shuffle` is on (a keras-ts addition; Keras uses NumPy's global generator). */
  seed?: number | null;
}

const KEYS = ['length', 'samplingRate', 'stride', 'startIndex', 'endIndex', 'shuffle', 'reverse', 'batchSize', 'seed'] as const;

/** `a` as a float32 tensor, or with its own dtype when it was a Tensor. */
function dtypeOf(a: HostArray): DType {
  return a.dtype ?? 'float32';
}

/**
 * Keras 2's `TimeseriesGenerator`: batches of windows over a time series, as a
 * {@link Sequence} that `fit` and the generator methods take. The sample for timestep `i` is
 * `data[i - length], data[i - length + samplingRate], ...` (up to `i`, excluded) and its target is
 * `targets[i]`; timesteps run from `startIndex + length` to `endIndex`, `stride` apart.
 *
 * @example
 * const gen = new TimeseriesGenerator(data, targets, { length: 10, samplingRate: 2, batchSize: 2 });
 * gen.length; // the number of batches
 * const [x, y] = gen.getItem(0); // x: [2, 5, features], y: [2, ...]
 * await model.fit(gen, { epochs: 5 });
 */
export class TimeseriesGenerator extends Sequence<[Tensor, Tensor]> {
  /** The length of the windows (Keras' `length` attribute; the Sequence's `length` is the number of batches). */
  readonly windowLength: number;
  readonly samplingRate: number;
  readonly stride: number;
  /** The first timestep that is a target: the `startIndex` option plus the window length (as Keras stores it). */
  readonly startIndex: number;
  /** The last timestep used. */
  readonly endIndex: number;
  readonly shuffle: boolean;
  readonly reverse: boolean;
  readonly batchSize: number;
  private readonly data: HostArray;
  private readonly targets: HostArray;
  private readonly random: RandomState;

  constructor(data: ArrayInput, targets: ArrayInput, options: TimeseriesGeneratorOptions) {
    super();
    const fn = 'TimeseriesGenerator';
    const o = readOptions(fn, options, KEYS, '{ length: 10, batchSize: 32 }');
    this.data = readArray(fn, 'data', data);
    this.targets = readArray(fn, 'targets', targets);
    if (this.data.shape.length === 0) throw argError(fn, 'data', data, 'an array of timesteps (its first axis is time)');
    if (this.targets.shape.length === 0) throw argError(fn, 'targets', targets, 'an array with one target per timestep');
    const n = this.data.shape[0];
    if (this.targets.shape[0] !== n) throw new KerasValueError(`${fn}: data and targets have to be of the same length: data has ${n} timesteps, targets has ${this.targets.shape[0]}`);
    if (o.length === undefined) throw argError(fn, 'length', undefined, 'the length of the output sequences (a positive integer)');
    this.windowLength = intArg(fn, 'length', o.length, 0, 1);
    this.samplingRate = intArg(fn, 'samplingRate', o.samplingRate, 1, 1);
    this.stride = intArg(fn, 'stride', o.stride, 1, 1);
    this.startIndex = intArg(fn, 'startIndex', o.startIndex, 0) + this.windowLength;
    const end = optionalIntArg(fn, 'endIndex', o.endIndex);
    if (end !== null && end >= n) throw argError(fn, 'endIndex', end, `a timestep of the data, at most ${n - 1}`);
    this.endIndex = end ?? n - 1;
    this.shuffle = boolArg(fn, 'shuffle', o.shuffle, false);
    this.reverse = boolArg(fn, 'reverse', o.reverse, false);
    this.batchSize = intArg(fn, 'batchSize', o.batchSize, 128, 1);
    this.random = new RandomState(optionalIntArg(fn, 'seed', o.seed));
    if (this.startIndex > this.endIndex) {
      throw new KerasValueError(`${fn}: startIndex + length = ${this.startIndex} > endIndex = ${this.endIndex} is disallowed, as no part of the sequence would be left to be used as current step`);
    }
  }

  /** The number of batches. */
  get length(): number {
    const span = this.batchSize * this.stride;
    return Math.floor((this.endIndex - this.startIndex + span) / span);
  }

  /** The timesteps whose windows make batch `index`. */
  private rows(index: number): number[] {
    if (this.shuffle) return Array.from({ length: this.batchSize }, () => this.random.randint(this.startIndex, this.endIndex + 1));
    const i = this.startIndex + this.batchSize * this.stride * index;
    const rows: number[] = [];
    for (let r = i; r < Math.min(i + this.batchSize * this.stride, this.endIndex + 1); r += this.stride) rows.push(r);
    return rows;
  }

  /** Batch `index`: `[samples, targets]`, samples of shape `[batch, ceil(length / samplingRate), ...]`. */
  getItem(index: number): [Tensor, Tensor] {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) throw argError('TimeseriesGenerator.getItem', 'index', index, `a batch index in [0, ${this.length - 1}]`);
    const rows = this.rows(index);
    const steps = Math.ceil(this.windowLength / this.samplingRate);
    const itemShape = this.data.shape.slice(1);
    const item = itemShape.reduce((a, b) => a * b, 1);
    const x = allocData(dtypeOf(this.data), rows.length * steps * item);
    rows.forEach((row, b) => {
      for (let s = 0; s < steps; s++) {
        const t = row - this.windowLength + s * this.samplingRate;
        const slot = this.reverse ? steps - 1 - s : s;
        for (let k = 0; k < item; k++) x[(b * steps + slot) * item + k] = this.data.data[t * item + k];
      }
    });
    const targetShape = this.targets.shape.slice(1);
    const tItem = targetShape.reduce((a, b) => a * b, 1);
    const y = allocData(dtypeOf(this.targets), rows.length * tItem);
    rows.forEach((row, b) => {
      for (let k = 0; k < tItem; k++) y[b * tItem + k] = this.targets.data[row * tItem + k];
    });
    return [new Tensor([rows.length, steps, ...itemShape], dtypeOf(this.data), x), new Tensor([rows.length, ...targetShape], dtypeOf(this.targets), y)];
  }
}
