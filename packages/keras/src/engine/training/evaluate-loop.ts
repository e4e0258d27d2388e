import type { CallbackList, Logs } from '../../callbacks/callback.js';
import type { Batch } from './data-adapter.js';
import { buildMetrics, perOutputKeys, type LoopContext } from './loop-context.js';
import { LossTracker } from './loss-tracker.js';
import { resetLossTracker, runCustomStep } from './custom-step.js';
import { addedMetricLogs, recordingMetrics, resetAddedMetrics } from '../added-metrics.js';
import { Mean } from '../../metrics/reduction-metrics.js';
import { KerasValueError } from '../../errors.js';

/** The tracker of a metric added with addMetric (tf.keras 2 tracks it with a Mean). */
const meanOf = (name: string) => new Mean({ name });

/**
 * A test pass (`evaluate`, `evaluateGenerator`, fit's validation): the metrics reset, one test
 * step per batch, and the logs (loss, per-output losses, metrics). `callbacks` get the test hooks
 * (none for validation); `emptyError`, when given, is thrown when there was no batch.
 */
export async function runTest(ctx: LoopContext, batches: Iterable<Batch> | AsyncIterable<Batch>, callbacks: CallbackList | null, emptyError?: string): Promise<Logs> {
  const c = ctx.compiled;
  c.metrics.reset();
  resetLossTracker(ctx.model);
  resetAddedMetrics(ctx.model);
  const acc = new LossTracker();
  // A model's own testStep (tf.keras 2.2+): the logs are what its last batch returned.
  const custom = ctx.model.usesCustomTestStep;
  let lastLogs: Logs = {};
  await callbacks?.call('onTestBegin', {});
  let b = 0;
  for await (const batch of batches) {
    await callbacks?.call('onTestBatchBegin', b, {});
    buildMetrics(ctx, batch);
    if (custom) {
      lastLogs = { ...(await recordingMetrics(() => runCustomStep(ctx.model, c, batch, false), meanOf)), ...(await addedMetricLogs(ctx.model)) };
      await callbacks?.call('onTestBatchEnd', b, { ...lastLogs });
    } else {
      acc.add(await recordingMetrics(() => ctx.steps.test(c, batch), meanOf), batch.xs[0].shape[0]);
      await callbacks?.call('onTestBatchEnd', b, acc.logs(perOutputKeys(ctx)));
    }
    b++;
  }
  if (b === 0 && emptyError) throw new KerasValueError(emptyError);
  const logs = custom ? { ...lastLogs } : { ...acc.logs(perOutputKeys(ctx)), ...(await c.metrics.logs()), ...(await addedMetricLogs(ctx.model)) };
  await callbacks?.call('onTestEnd', logs);
  return logs;
}
