import type { Logs } from '../../callbacks/callback.js';
import type { Tensor } from '../../tensor.js';

/** Batch-size-weighted means of the step losses (total, then per output), as Keras' loss trackers. */
export class LossTracker {
  private sums: number[] = [];
  private count = 0;

  /** Adds one step's losses, for a batch of `batch` samples. */
  add(outs: readonly Tensor[], batch: number): void {
    outs.forEach((o, i) => (this.sums[i] = (this.sums[i] ?? 0) + o.data[0] * batch));
    this.count += batch;
  }

  /** `loss` and the per-output losses under `perOutputKeys`. */
  logs(perOutputKeys: readonly string[]): Logs {
    const mean = (i: number) => Math.fround(this.sums[i] / Math.max(this.count, 1));
    const logs: Logs = { loss: mean(0) };
    perOutputKeys.forEach((k, i) => (logs[k] = mean(i + 1)));
    return logs;
  }
}
