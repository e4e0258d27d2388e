import type { CallbackList, Logs } from '../../callbacks/callback.js';
import type { Batch } from './data-adapter.js';
import { buildMetrics, perOutputKeys, type LoopContext } from './loop-context.js';
import { LossTracker } from './loss-tracker.js';

/**
 * A test pass (`evaluate`, `evaluateGenerator`, fit's validation): the metrics reset, one test
 * step per batch, and the logs (loss, per-output losses, metrics). `callbacks` get the test hooks
 * (none for validation); `emptyError`, when given, is thrown when there was no batch.
 */
export async function runTest(ctx: LoopContext, batches: Iterable<Batch> | AsyncIterable<Batch>, callbacks: CallbackList | null, emptyError?: string): Promise<Logs> {
  const c = ctx.compiled;
  c.metrics.reset();
  const acc = new LossTracker();
  await callbacks?.call('onTestBegin', {});
  let b = 0;
  for await (const batch of batches) {
    await callbacks?.call('onTestBatchBegin', b, {});
    buildMetrics(ctx, batch);
    acc.add(await ctx.steps.test(c, batch), batch.xs[0].shape[0]);
    await callbacks?.call('onTestBatchEnd', b, acc.logs(perOutputKeys(ctx)));
    b++;
  }
  if (b === 0 && emptyError) throw new Error(emptyError);
  const logs = { ...acc.logs(perOutputKeys(ctx)), ...(await c.metrics.logs()) };
  await callbacks?.call('onTestEnd', logs);
  return logs;
}
