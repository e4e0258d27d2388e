import { Callback, type Logs } from './callback.js';

/**
 * Sets the learning rate at the start of each epoch from `schedule(epoch, lr)`.
 * @example new LearningRateScheduler((epoch, lr) => (epoch < 5 ? lr : lr * 0.9))
 */
export class LearningRateScheduler extends Callback {
  static readonly className = 'LearningRateScheduler';
  constructor(
    readonly schedule: (epoch: number, lr: number) => number,
    readonly verbose = 0,
  ) {
    super();
  }
  override async onEpochBegin(epoch: number): Promise<void> {
    const opt = this.model!.optimizer;
    const lr = this.schedule(epoch, opt.learningRate);
    if (typeof lr !== 'number' || !Number.isFinite(lr)) throw new Error(`LearningRateScheduler: the schedule returned ${String(lr)} for epoch ${epoch}; it must return a finite number`);
    opt.learningRate = lr;
    if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${lr}.`);
  }
  override async onEpochEnd(_epoch: number, logs: Logs = {}): Promise<void> {
    logs.lr = this.model!.optimizer.learningRate;
  }
}

/** Stops training as soon as a batch's loss is NaN or infinite. */
export class TerminateOnNaN extends Callback {
  static readonly className = 'TerminateOnNaN';
  override async onTrainBatchEnd(batch: number, logs: Logs = {}): Promise<void> {
    const loss = logs.loss;
    if (loss !== undefined && !Number.isFinite(loss)) {
      console.log(`Batch ${batch}: Invalid loss, terminating training`);
      this.model!.stopTraining = true;
    }
  }
}

type Hook = (...args: never[]) => void | Promise<void>;

/**
 * A callback made of functions.
 * @example new LambdaCallback({ onEpochEnd: (epoch, logs) => console.log(epoch, logs.loss) })
 */
export class LambdaCallback extends Callback {
  static readonly className = 'LambdaCallback';
  constructor(
    readonly hooks: {
      onEpochBegin?: (epoch: number, logs: Logs) => void | Promise<void>;
      onEpochEnd?: (epoch: number, logs: Logs) => void | Promise<void>;
      onBatchBegin?: (batch: number, logs: Logs) => void | Promise<void>;
      onBatchEnd?: (batch: number, logs: Logs) => void | Promise<void>;
      onTrainBegin?: (logs: Logs) => void | Promise<void>;
      onTrainEnd?: (logs: Logs) => void | Promise<void>;
    } = {},
  ) {
    super();
  }
  override async onEpochBegin(epoch: number, logs: Logs = {}) {
    await this.hooks.onEpochBegin?.(epoch, logs);
  }
  override async onEpochEnd(epoch: number, logs: Logs = {}) {
    await this.hooks.onEpochEnd?.(epoch, logs);
  }
  override async onTrainBatchBegin(batch: number, logs: Logs = {}) {
    await this.hooks.onBatchBegin?.(batch, logs);
  }
  override async onTrainBatchEnd(batch: number, logs: Logs = {}) {
    await this.hooks.onBatchEnd?.(batch, logs);
  }
  override async onTrainBegin(logs: Logs = {}) {
    await this.hooks.onTrainBegin?.(logs);
  }
  override async onTrainEnd(logs: Logs = {}) {
    await this.hooks.onTrainEnd?.(logs);
  }
}

export type { Hook };
