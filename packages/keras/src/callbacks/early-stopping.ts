import type { Tensor } from '../tensor.js';
import { z } from 'zod';
import { registerClass } from '../serialization/registry.js';
import { configToArgs, parseArgs } from '../engine/layer.js';
import { Callback, type Logs } from './callback.js';
import { monitorMode, warnMissing } from './monitor.js';

const Args = z.object({
  monitor: z.string().default('val_loss'),
  minDelta: z.number().default(0),
  patience: z.number().int().nonnegative().default(0),
  verbose: z.number().int().default(0),
  mode: z.enum(['auto', 'min', 'max']).default('auto'),
  baseline: z.number().nullable().default(null),
  restoreBestWeights: z.boolean().default(false),
  startFromEpoch: z.number().int().nonnegative().default(0),
});

/**
 * Stops training when a monitored quantity has stopped improving (Keras 2 semantics: an
 * improvement must beat the best by more than min_delta; with restore_best_weights the best
 * epoch's weights are restored when training stops).
 *
 * @example await model.fit(x, y, { epochs: 100, callbacks: [new EarlyStopping({ monitor: 'val_loss', patience: 3 })] });
 */
export class EarlyStopping extends Callback {
  static readonly className = 'EarlyStopping';
  readonly args: z.infer<typeof Args>;
  wait = 0;
  stoppedEpoch = 0;
  bestEpoch = 0;
  best = Infinity;
  private bestWeights: Tensor[] | null = null;
  private readonly sign: 1 | -1;
  private readonly minDelta: number;

  constructor(args: { monitor?: string; minDelta?: number; patience?: number; verbose?: number; mode?: 'auto' | 'min' | 'max'; baseline?: number | null; restoreBestWeights?: boolean; startFromEpoch?: number } = {}) {
    super();
    this.args = parseArgs(Args, args, 'EarlyStopping');
    this.sign = monitorMode(this.args.monitor, this.args.mode) === 'min' ? 1 : -1;
    this.minDelta = Math.abs(this.args.minDelta);
  }

  /** An improvement beats the reference by more than min_delta, in the monitored direction. */
  private improves(value: number, reference: number): boolean {
    return this.sign === 1 ? value + this.minDelta < reference : value - this.minDelta > reference;
  }

  override async onTrainBegin(): Promise<void> {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = this.sign === 1 ? Infinity : -Infinity;
    this.bestWeights = null;
    this.bestEpoch = 0;
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    const current = logs[this.args.monitor];
    if (current === undefined) return warnMissing('EarlyStopping', this.args.monitor, logs);
    if (epoch < this.args.startFromEpoch) return;
    const model = this.model!;
    if (this.args.restoreBestWeights && this.bestWeights === null) this.bestWeights = model.getWeights();
    this.wait++;
    if (this.improves(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.args.restoreBestWeights) this.bestWeights = model.getWeights();
      if (this.args.baseline === null || this.improves(current, this.args.baseline)) {
        this.wait = 0;
        return;
      }
    }
    if (this.wait >= this.args.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      model.stopTraining = true;
      if (this.args.restoreBestWeights && this.bestWeights) {
        if (this.args.verbose > 0) console.log(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
        model.setWeights(this.bestWeights);
      }
    }
  }

  override async onTrainEnd(): Promise<void> {
    if (this.stoppedEpoch > 0 && this.args.verbose > 0) console.log(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
  }

  /** The callback's arguments in Keras' snake_case wire format. */
  getConfig(): Record<string, unknown> {
    const a = this.args;
    return { monitor: a.monitor, min_delta: a.minDelta, patience: a.patience, verbose: a.verbose, mode: a.mode, baseline: a.baseline, restore_best_weights: a.restoreBestWeights, start_from_epoch: a.startFromEpoch };
  }

  /** Rebuilds a EarlyStopping from its config (snake_case keys become the camelCase arguments). */
  static fromConfig(c: Record<string, unknown>): EarlyStopping {
    return new EarlyStopping(configToArgs(c) as ConstructorParameters<typeof EarlyStopping>[0]);
  }
}

registerClass('callback', EarlyStopping);
