/**
 * Data given as tensors, cut into batches: `fit`'s epochs (shuffled with a seed, up to
 * `stepsPerEpoch`), the validation data or `validationSplit`, and the batches of `evaluate` and
 * `predict`. (Generators, iterables and arrays of batches are read by `generator-adapter.ts`.)
 */
import { Tensor } from '../../tensor.js';
import { asList, batchIndices, sampleCount, takeRows, type TensorOrList } from '../data.js';
import { sampleWeights } from './sample-weights.js';
import { KerasValueError } from '../../errors.js';

/** One batch of a training or test pass: per-output sample weights (ones when none were given). */
export interface Batch {
  xs: Tensor[];
  ys: Tensor[];
  sws: Tensor[];
  /** Whether sample (or class) weights were given: weighted metrics receive them only then. */
  hasSw: boolean;
}

/** Where an epoch's batches come from: tensors cut into batches, or a generator. */
export interface BatchSource {
  /** Steps per epoch, when known (for the progress bar). */
  steps: number | null;
  samples?: number;
  batches(epoch: number): Iterable<Batch> | AsyncIterable<Batch>;
}

/** The rows of every tensor of a batch. */
function takeBatchRows(data: Batch, rows: Int32Array): Batch {
  return { xs: data.xs.map((t) => takeRows(t, rows)), ys: data.ys.map((t) => takeRows(t, rows)), sws: data.sws.map((t) => takeRows(t, rows)), hasSw: data.hasSw };
}

/** Rows [start, end) of every tensor of a batch. */
function sliceBatch(data: Batch, start: number, end: number): Batch {
  return { xs: data.xs.map((t) => t.sliceRows(start, end)), ys: data.ys.map((t) => t.sliceRows(start, end)), sws: data.sws.map((t) => t.sliceRows(start, end)), hasSw: data.hasSw };
}

/**
 * Keras' `validation_split`: the last fraction of the `n` samples, taken before any shuffling;
 * returns the training part, its sample count and the validation part.
 */
export function splitValidation(data: Batch, n: number, split: number): { train: Batch; n: number; validation: Batch } {
  if (!(split > 0 && split < 1)) throw new KerasValueError(`fit: validation_split must be between 0 and 1, got ${split}`);
  const at = Math.floor(n * (1 - split));
  if (at === 0 || at === n) throw new KerasValueError(`fit: validation_split=${split} leaves no ${at === 0 ? 'training' : 'validation'} samples out of ${n}`);
  return { train: sliceBatch(data, 0, at), n: at, validation: sliceBatch(data, at, n) };
}

/**
 * `fit`'s `validationData` (`[x, y]` or `[x, y, sampleWeight]`), its inputs prepared by `inputs`
 * as the training inputs are.
 */
export function validationData(given: readonly [TensorOrList, TensorOrList | null] | readonly [TensorOrList, TensorOrList | null, TensorOrList], inputs: (x: TensorOrList) => Tensor[]): Batch {
  const vw = given.length === 3 ? given[2] : undefined;
  const xs = inputs(given[0]);
  const ys = asList(given[1]);
  const n = sampleCount([{ what: 'validation x', tensors: xs }, { what: 'validation y', tensors: ys }]);
  return { xs, ys, sws: sampleWeights(ys, vw ?? null, null, n), hasSw: !!vw };
}

/** `fit`'s batches over tensors: `n` samples, shuffled each epoch when asked, up to `stepsPerEpoch`. */
export function arraySource(data: Batch, n: number, batchSize: number, o: { shuffle: boolean; rand: () => number; stepsPerEpoch?: number | null }): BatchSource {
  return {
    steps: o.stepsPerEpoch ?? Math.ceil(n / batchSize),
    samples: n,
    *batches() {
      let bs = batchIndices(n, batchSize, o.shuffle, o.rand);
      if (o.stepsPerEpoch) bs = bs.slice(0, o.stepsPerEpoch);
      for (const rows of bs) yield takeBatchRows(data, rows);
    },
  };
}

/** The batches of a test pass over tensors, in order; the first `steps` of them unless null. */
export function* testBatches(data: Batch, batchSize: number, steps: number | null): Generator<Batch> {
  let batches = batchIndices(data.xs[0].shape[0], batchSize, false, () => 0);
  if (steps !== null) batches = batches.slice(0, steps);
  for (const rows of batches) yield takeBatchRows(data, rows);
}

/** The input batches of `predict` over `n` samples, in order; the first `steps` of them when given. */
export function* predictBatches(xs: readonly Tensor[], n: number, batchSize: number, steps: number | null | undefined): Generator<Tensor[]> {
  let batches = batchIndices(n, batchSize, false, () => 0);
  if (steps) batches = batches.slice(0, steps);
  for (const rows of batches) yield xs.map((t) => takeRows(t, rows));
}
