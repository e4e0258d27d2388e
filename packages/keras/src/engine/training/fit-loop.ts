import { Callback, CallbackList, History, type Logs } from '../../callbacks/callback.js';
import type { Batch, BatchSource } from './data-adapter.js';
import { runInRuns, watchesTrainBatches } from './batch-runs.js';
import { buildMetrics, perOutputKeys, type LoopContext } from './loop-context.js';
import { LossTracker } from './loss-tracker.js';
import type { FitArgs } from './options.js';
import { resetLossTracker, runCustomStep } from './custom-step.js';
import { addedMetricLogs, recordingMetrics, resetAddedMetrics } from '../added-metrics.js';
import { Mean } from '../../metrics/reduction-metrics.js';
import { KerasValueError } from '../../errors.js';

/** The tracker of a metric added with addMetric (tf.keras 2 tracks it with a Mean). */
const meanOf = (name: string) => new Mean({ name });

/** The options of the epoch loop. */
export interface FitLoopOptions {
  epochs: number;
  initialEpoch: number;
  verbose?: FitArgs['verbose'];
  callbacks?: readonly Callback[];
  validationFreq?: number;
  batchSize?: number;
  signal?: AbortSignal;
}

/**
 * The epoch loop of `fit` and `fitGenerator`: per epoch the metrics reset, one train step per
 * batch of `source`, the epoch's logs, validation by `validate` every `validationFreq` epochs
 * (given fit's callbacks, which get the test hooks as in tf.keras 2);
 * callbacks (the progress bar first, the user's, History last) at every hook. Stops early when a
 * callback sets `stopTraining`, the signal aborts, or the data runs out. Returns the History.
 */
export async function runFit(ctx: LoopContext, source: BatchSource, validate: ((callbacks: CallbackList) => Promise<Logs>) | null, opts: FitLoopOptions): Promise<History> {
  const { model, compiled: c } = ctx;
  const history = new History();
  const verbose = opts.verbose === 'auto' || opts.verbose === undefined ? 1 : opts.verbose;
  const progress = await makeProgress(verbose);
  // Keras 2's order: the progress bar first, the user's callbacks, History last (so it records
  // what callbacks add to the logs, such as 'lr').
  const list = new CallbackList([...(progress ? [progress] : []), ...(opts.callbacks ?? []), history]);
  for (const cb of list.callbacks) {
    cb.setModel(model);
    cb.setParams({ epochs: opts.epochs, steps: source.steps, verbose, batchSize: opts.batchSize, samples: source.samples });
  }
  model.history = history;
  model.stopTraining = false;
  await list.call('onTrainBegin', {});
  const keys = perOutputKeys(ctx);
  // Keras 2's batch logs hold the metrics too; they are read when a progress bar or a callback reads batch logs.
  const batchMetrics = (verbose === 1 && progress !== null) || (opts.callbacks ?? []).some(readsBatchLogs);
  // Nothing sees the steps of an epoch one by one: consecutive batches train in runs of several
  // steps (batch-runs.ts), with the same updates, losses and metrics.
  const inRuns = !model.usesCustomTrainStep && !opts.signal && !list.callbacks.some(watchesTrainBatches);
  for (let epoch = opts.initialEpoch; epoch < opts.epochs; epoch++) {
    await list.call('onEpochBegin', epoch, {});
    c.metrics.reset();
    resetLossTracker(model);
    resetAddedMetrics(model);
    const acc = new LossTracker();
    // A model's own trainStep (tf.keras 2.2+): its logs are what it returns, the epoch's those of the last batch.
    const custom = model.usesCustomTrainStep;
    let lastLogs: Logs = {};
    let b = 0;
    let aborted = false;
    if (inRuns) {
      const trainOne = async (batch: Batch) => {
        acc.add(await recordingMetrics(() => ctx.steps.train(c, batch), meanOf), batch.xs[0].shape[0]);
      };
      const trainMany = async (batches: Batch[]) => {
        const outs = await recordingMetrics(() => ctx.steps.trainSteps(c, batches), meanOf);
        outs.forEach((o, k) => acc.add(o, batches[k].xs[0].shape[0]));
      };
      const size = (batch: Batch) => {
        buildMetrics(ctx, batch);
        // Traces the single step (as train would: with the added metrics recorded) to size its runs.
        return recordingMetrics(() => ctx.steps.stepsPerRun(c, batch), meanOf);
      };
      b = await runInRuns(source.batches(epoch), size, trainOne, trainMany, () => model.stopTraining);
    } else for await (const batch of source.batches(epoch)) {
      if (opts.signal?.aborted) {
        aborted = true;
        break;
      }
      await list.call('onTrainBatchBegin', b, {});
      buildMetrics(ctx, batch);
      if (custom) {
        lastLogs = { ...(await recordingMetrics(() => runCustomStep(model, c, batch, true), meanOf)), ...(await addedMetricLogs(model)) };
        await list.call('onTrainBatchEnd', b, { ...lastLogs });
      } else {
        const outs = await recordingMetrics(() => ctx.steps.train(c, batch), meanOf);
        acc.add(outs, batch.xs[0].shape[0]);
        await list.call('onTrainBatchEnd', b, { ...acc.logs(keys), ...(batchMetrics ? { ...(await c.metrics.logs()), ...(await addedMetricLogs(model)) } : {}) });
      }
      b++;
      if (model.stopTraining) break;
    }
    if (aborted) break;
    if (b === 0) throw new KerasValueError(`fit: the data gave no batches in epoch ${epoch + 1}`);
    // As Keras 2: data that runs out before the expected steps ends training after this epoch.
    const ranOut = source.steps !== null && b < source.steps && !model.stopTraining;
    if (ranOut) {
      console.warn(`Your input ran out of data; interrupting training. Make sure that your dataset or generator can generate at least steps_per_epoch * epochs batches (in this case, ${(source.steps ?? 0) * opts.epochs} batches).`);
      model.stopTraining = true;
    }
    const logs: Logs = custom ? { ...lastLogs } : { ...acc.logs(keys), ...(await c.metrics.logs()), ...(await addedMetricLogs(model)) };
    if (validate && (epoch - opts.initialEpoch) % (opts.validationFreq ?? 1) === 0) {
      // As tf.keras 2's fit (it calls evaluate with its own callbacks): the callbacks get the test hooks.
      const vlogs = await validate(list);
      for (const [k, v] of Object.entries(vlogs)) logs[`val_${k}`] = v;
    }
    await list.call('onEpochEnd', epoch, logs);
    if (model.stopTraining || opts.signal?.aborted) break;
  }
  await list.call('onTrainEnd', {});
  return history;
}

/**
 * One training step on one batch of `n` samples (`trainOnBatch`): the metrics reset, the step
 * (compiled once per batch signature, shared with `fit`), and the logs of this batch.
 */
export async function trainOneBatch(ctx: LoopContext, batch: Batch, n: number): Promise<Logs> {
  const c = ctx.compiled;
  c.metrics.reset();
  resetAddedMetrics(ctx.model);
  resetLossTracker(ctx.model);
  // A model's own trainStep (tf.keras 2.2+ runs it in train_on_batch too): its logs.
  if (ctx.model.usesCustomTrainStep) return { ...(await recordingMetrics(() => runCustomStep(ctx.model, c, batch, true), meanOf)), ...(await addedMetricLogs(ctx.model)) };
  const outs = await recordingMetrics(() => ctx.steps.train(c, batch), meanOf);
  const acc = new LossTracker();
  acc.add(outs, n);
  return { ...acc.logs(perOutputKeys(ctx)), ...(await c.metrics.logs()), ...(await addedMetricLogs(ctx.model)) };
}

/** The progress bar for verbose 1 and 2 (ProgbarLogger), loaded lazily. */
async function makeProgress(verbose: number): Promise<Callback | null> {
  if (verbose === 0) return null;
  const { ProgbarLogger } = await import('../../callbacks/progbar.js');
  return new ProgbarLogger({ verbose });
}

/** Whether a callback has its own onTrainBatchEnd (so it reads the batch logs). */
function readsBatchLogs(cb: Callback): boolean {
  return cb.onTrainBatchEnd !== Callback.prototype.onTrainBatchEnd;
}
