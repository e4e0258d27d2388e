/**
 * `fit(sequence, options)`: Keras 2's `fit` with a `Sequence` as `x`, read into the arguments of
 * `fitGenerator` (the Sequence gives the targets and the batches). As Keras 2: `y`,
 * `sampleWeight` and `validationSplit` are refused, `batchSize` is ignored.
 */
import { describeValue, KerasTypeError } from '../../errors.js';
import { convertLegacyTrainingArgs } from '../../legacy/training-args.js';
import { checkMethodOptions } from '../trainer-args.js';
import type { FitArgs, FitGeneratorArgs } from './options.js';

/**
 * The options of `fit(sequence, options)`: `fit`'s, with validation data that may also be a
 * Sequence or a generator of batches (as `fitGenerator`'s).
 */
export type SequenceFitArgs = Omit<FitArgs, 'validationData'> & { validationData?: FitGeneratorArgs['validationData'] };

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && [Object.prototype, null].includes(Object.getPrototypeOf(v));

/** Options of `fit` that have no meaning with a Sequence, and why. */
const REFUSED: Partial<Record<keyof FitArgs, string>> = {
  sampleWeight: 'the Sequence gives the sample weights, as the third element of its items ([x, y, sampleWeight])',
  validationSplit: 'validationSplit is only supported for tensors; give validationData instead',
  validationBatchSize: 'validationBatchSize is only read with tensor data; the validation data is evaluated in batches of 32',
  seed: "seed is the seed of fit's row shuffle over tensors; a Sequence's batch order is shuffled by the model (shuffle: false keeps it)",
};

/**
 * The arguments of `fitGenerator` for `fit(sequence, options)`: `given` is what came in `y`'s
 * place (the options, or a wrongly given `y`), `args` the third argument. `what` names the model.
 */
export function sequenceFitArgs(given: unknown, args: unknown, what: string): FitGeneratorArgs {
  if (given !== undefined && given !== null && !isPlainObject(given)) {
    throw new KerasTypeError(`${what}.fit: y is not supported when x is a Sequence (its items are [x, y] batches); got ${describeValue(given)}; call fit(sequence, { epochs: 10 })`);
  }
  if (given && args !== undefined) throw new KerasTypeError(`${what}.fit: with a Sequence, give the options as the second argument: fit(sequence, { epochs: 10 })`);
  const options = convertLegacyTrainingArgs('fit', (given ?? args ?? {}) as SequenceFitArgs);
  checkMethodOptions('fit', options, what);
  const o = options ?? {};
  for (const [key, why] of Object.entries(REFUSED)) {
    if ((o as Record<string, unknown>)[key] !== undefined && (o as Record<string, unknown>)[key] !== null) {
      throw new KerasTypeError(`${what}.fit: argument '${key}' is not supported when x is a Sequence: ${why}`);
    }
  }
  return {
    epochs: o.epochs,
    verbose: o.verbose,
    callbacks: o.callbacks,
    validationData: o.validationData,
    validationSteps: o.validationSteps,
    validationFreq: o.validationFreq,
    classWeight: o.classWeight,
    initialEpoch: o.initialEpoch,
    stepsPerEpoch: o.stepsPerEpoch,
    shuffle: o.shuffle,
    signal: o.signal,
  };
}
