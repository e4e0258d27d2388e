import { z } from 'zod';
import { registerClass } from '../serialization/registry.js';
import { configToArgs, parseArgs } from '../engine/layer.js';
import { Callback, type Logs } from './callback.js';
import { monitorMode, warnMissing } from './monitor.js';
import { warnOnce } from '../legacy/warnings.js';
import { KerasTypeError } from '../errors.js';

const Args = z.object({
  monitor: z.string().default('val_loss'),
  factor: z.number().lt(1, { message: 'ReduceLROnPlateau does not support a factor >= 1.0' }).default(0.1),
  patience: z.number().int().nonnegative().default(10),
  verbose: z.number().int().default(0),
  mode: z.enum(['auto', 'min', 'max']).default('auto'),
  minDelta: z.number().default(1e-4),
  cooldown: z.number().int().nonnegative().default(0),
  minLr: z.number().nonnegative().default(0),
});

/** Keras 2 still read `epsilon` as `min_delta`, with a warning; so does this (once per process). */
function renameEpsilon(args: Record<string, unknown>): Record<string, unknown> {
  if (!args || typeof args !== 'object' || args.epsilon === undefined) return args;
  const { epsilon, ...rest } = args;
  if (rest.minDelta !== undefined) throw new KerasTypeError('ReduceLROnPlateau: give `minDelta` only; `epsilon` is its deprecated Keras 2 spelling');
  warnOnce('ReduceLROnPlateau|epsilon', '`epsilon` argument is deprecated and will be removed, use `minDelta` instead.');
  return { ...rest, minDelta: epsilon };
}

/**
 * Multiplies the learning rate by `factor` when a monitored quantity stops improving for
 * `patience` epochs (then waits `cooldown` epochs), never below `min_lr`.
 * @example new ReduceLROnPlateau({ monitor: 'val_loss', factor: 0.5, patience: 2 })
 */
export class ReduceLROnPlateau extends Callback {
  static readonly className = 'ReduceLROnPlateau';
  readonly args: z.infer<typeof Args>;
  private wait = 0;
  private cooldownCounter = 0;
  private best = Infinity;
  private readonly mode: 'min' | 'max';

  constructor(args: Partial<z.infer<typeof Args>> & { /** @deprecated Keras 2's old name of `minDelta`. */ epsilon?: number } = {}) {
    super();
    this.args = parseArgs(Args, renameEpsilon(args), 'ReduceLROnPlateau');
    this.mode = monitorMode(this.args.monitor, this.args.mode);
  }

  private better(a: number, b: number): boolean {
    return this.mode === 'min' ? a < b - this.args.minDelta : a > b + this.args.minDelta;
  }

  override async onTrainBegin(): Promise<void> {
    this.wait = 0;
    this.cooldownCounter = 0;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    const opt = this.model!.optimizer;
    logs.lr = opt.learningRate;
    const current = logs[this.args.monitor];
    if (current === undefined) return warnMissing('ReduceLROnPlateau', this.args.monitor, logs);
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.wait = 0;
    }
    if (this.better(current, this.best)) {
      this.best = current;
      this.wait = 0;
    } else if (this.cooldownCounter <= 0) {
      this.wait++;
      if (this.wait >= this.args.patience) {
        const old = opt.learningRate;
        if (old > this.args.minLr) {
          const lr = Math.max(old * this.args.factor, this.args.minLr);
          opt.learningRate = lr;
          if (this.args.verbose > 0) console.log(`Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${lr}.`);
          this.cooldownCounter = this.args.cooldown;
          this.wait = 0;
        }
      }
    }
  }

  /** The callback's arguments in Keras' snake_case wire format. */
  getConfig(): Record<string, unknown> {
    const a = this.args;
    return { monitor: a.monitor, factor: a.factor, patience: a.patience, verbose: a.verbose, mode: a.mode, min_delta: a.minDelta, cooldown: a.cooldown, min_lr: a.minLr };
  }

  /**
   * Rebuilds a ReduceLROnPlateau from its config (snake_case keys become the camelCase arguments).
   */
  static fromConfig(c: Record<string, unknown>): ReduceLROnPlateau {
    return new ReduceLROnPlateau(configToArgs(c) as ConstructorParameters<typeof ReduceLROnPlateau>[0]);
  }
}

registerClass('callback', ReduceLROnPlateau);
