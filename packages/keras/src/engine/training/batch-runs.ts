/**
 * Several training steps in one backend run. When nothing watches the batches of an epoch (no
 * progress bar, no callback with batch hooks, no custom train step, no abort signal), `fit` runs
 * runs of consecutive batches of one signature as one graph (`StepFunctions.trainSteps`): the
 * weights go to the backend and come back once a run instead of once a step, which is most of a
 * small model's step on onnxruntime (each run returns every updated weight as new buffers). The
 * updates, losses and metrics are those of one step at a time; only when they happen differs, and
 * nothing in the epoch can see it.
 */
import { Callback } from '../../callbacks/callback.js';
import type { Batch } from './data-adapter.js';
import { signatureOf } from '../execute.js';

/** Whether a callback has hooks of its own at training batches (so it sees every step). */
export function watchesTrainBatches(cb: Callback): boolean {
  return cb.onTrainBatchBegin !== Callback.prototype.onTrainBatchBegin || cb.onTrainBatchEnd !== Callback.prototype.onTrainBatchEnd;
}

/** The signature of a batch: its tensors' shapes and dtypes, and whether sample weights were given. */
function batchSignature(b: Batch): string {
  return `${b.xs.length}|${b.ys.length}|${b.hasSw}|${signatureOf([...b.xs, ...b.ys, ...b.sws])}`;
}

/**
 * Runs `batches` in order, in runs of consecutive batches of one signature: up to `size(batch)`
 * batches (asked at the first batch of each signature) go to `runMany` together; a run cut short
 * by a batch of another signature or by the end of the data goes batch by batch to `runOne`, so
 * the only graphs made are the full run and the single step. Stops (before the next run) when
 * `stop()` is true. When the data fails, the batches it gave train before the error is thrown.
 * Returns the number of batches run.
 */
export async function runInRuns(
  batches: Iterable<Batch> | AsyncIterable<Batch>,
  size: (b: Batch) => number,
  runOne: (b: Batch) => Promise<void>,
  runMany: (bs: Batch[]) => Promise<void>,
  stop: () => boolean,
): Promise<number> {
  let done = 0;
  let pending: Batch[] = [];
  let signature = '';
  let want = 1;
  const flushOneByOne = async (): Promise<boolean> => {
    for (const b of pending) {
      await runOne(b);
      done++;
      if (stop()) return true;
    }
    pending = [];
    return false;
  };
  const iterator = (Symbol.asyncIterator in batches ? batches[Symbol.asyncIterator]() : batches[Symbol.iterator]()) as AsyncIterator<Batch> | Iterator<Batch>;
  for (;;) {
    let next: IteratorResult<Batch>;
    try {
      next = await iterator.next();
    } catch (e) {
      // The data failed: the batches it gave before train first, as they would one step a run.
      await flushOneByOne();
      throw e;
    }
    if (next.done) break;
    const b = next.value;
    const sig = batchSignature(b);
    if (sig !== signature) {
      if (await flushOneByOne()) return finish(iterator, done);
      signature = sig;
      want = Math.max(1, size(b));
    }
    pending.push(b);
    if (pending.length < want) continue;
    if (want === 1) await runOne(b);
    else await runMany(pending);
    done += pending.length;
    pending = [];
    if (stop()) return finish(iterator, done);
  }
  await flushOneByOne();
  return done;
}

/** Closes an iterator left before its end (as `break` in `for await` does); returns `done`. */
async function finish(iterator: AsyncIterator<Batch> | Iterator<Batch>, done: number): Promise<number> {
  await iterator.return?.();
  return done;
}
