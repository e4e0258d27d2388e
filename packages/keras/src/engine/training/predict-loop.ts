import type { CallbackList } from '../../callbacks/callback.js';
import type { Tensor } from '../../tensor.js';
import { concatRows } from '../data.js';
import type { StepFunctions } from './step-functions.js';
import { KerasValueError } from '../../errors.js';

/**
 * A predict pass (`predict`, `predictGenerator`): one predict step per batch of inputs, the
 * outputs concatenated along the batch axis (one tensor per output). `callbacks` get the predict
 * hooks; `emptyError` is thrown when there was no batch.
 */
export async function runPredict(steps: StepFunctions, batches: Iterable<Tensor[]> | AsyncIterable<Tensor[]>, callbacks: CallbackList | null, emptyError: string): Promise<Tensor[]> {
  await callbacks?.call('onPredictBegin', {});
  const parts: Tensor[][] = [];
  let b = 0;
  for await (const xs of batches) {
    await callbacks?.call('onPredictBatchBegin', b, {});
    parts.push(await steps.predict(xs));
    await callbacks?.call('onPredictBatchEnd', b, {});
    b++;
  }
  await callbacks?.call('onPredictEnd', {});
  if (parts.length === 0) throw new KerasValueError(emptyError);
  return parts[0].map((_, k) => concatRows(parts.map((p) => p[k])));
}
