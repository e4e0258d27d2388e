import { Callback, type Logs } from './callback.js';
import { checkOptionsObject } from '../arguments/strict-args.js';
import { KerasValueError } from '../errors.js';

/**
 * Sets the learning rate at the start of each epoch from `schedule(epoch, lr)`. Takes Keras'
 * positional form `(schedule, verbose)` or its keywords as an object `{ schedule, verbose }`.
 * @example new LearningRateScheduler((epoch, lr) => (epoch < 5 ? lr : lr * 0.9))
 */
export class LearningRateScheduler extends Callback {
  static readonly className = 'LearningRateScheduler';
  /** The learning rate for an epoch (0-based) given the current one; it must return a finite number. */
  readonly schedule: (epoch: number, lr: number) => number;
  readonly verbose: number;
  constructor(schedule: ((epoch: number, lr: number) => number) | { schedule: (epoch: number, lr: number) => number; verbose?: number }, verbose = 0) {
    super();
    if (typeof schedule === 'object' && schedule !== null) {
      checkOptionsObject(schedule, ['schedule', 'verbose'], 'LearningRateScheduler', '{ schedule: (epoch, lr) => lr }');
      ({ schedule, verbose = 0 } = schedule);
    }
    if (typeof schedule !== 'function') throw new KerasValueError(`LearningRateScheduler: argument 'schedule' got ${JSON.stringify(schedule) ?? String(schedule)}: expected a function (epoch, lr) => learning rate`);
    this.schedule = schedule;
    this.verbose = verbose;
  }
  override async onEpochBegin(epoch: number): Promise<void> {
    const opt = this.model!.optimizer;
    const lr = this.schedule(epoch, opt.learningRate);
    if (typeof lr !== 'number' || !Number.isFinite(lr)) throw new KerasValueError(`LearningRateScheduler: the schedule returned ${String(lr)} for epoch ${epoch}; it must return a finite number`);
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
  /** Takes no arguments (an argument given is refused, naming it). */
  constructor(args: Record<string, never> = {}) {
    super();
    checkOptionsObject(args, [], 'TerminateOnNaN', '{}');
  }
  override async onTrainBatchEnd(batch: number, logs: Logs = {}): Promise<void> {
    const loss = logs.loss;
    if (loss !== undefined && !Number.isFinite(loss)) {
      console.log(`Batch ${batch}: Invalid loss, terminating training`);
      this.model!.stopTraining = true;
    }
  }
}

type Hook = (...args: never[]) => void | Promise<void>;

/** The functions LambdaCallback takes (Keras 2's `on_epoch_begin`, ... in camelCase). */
const LAMBDA_HOOKS = ['onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd', 'onTrainBegin', 'onTrainEnd'];

/**
 * A callback made of functions.
 * @example new LambdaCallback({ onEpochEnd: (epoch, logs) => console.log(epoch, logs.loss) })
 */
export class LambdaCallback extends Callback {
  static readonly className = 'LambdaCallback';
  constructor(
    readonly hooks: {
      /** Called at the start of each epoch. */
      onEpochBegin?: (epoch: number, logs: Logs) => void | Promise<void>;
      /** Called at the end of each epoch with the epoch's logs. */
      onEpochEnd?: (epoch: number, logs: Logs) => void | Promise<void>;
      /** Called before each training batch. */
      onBatchBegin?: (batch: number, logs: Logs) => void | Promise<void>;
      /** Called after each training batch with the running logs. */
      onBatchEnd?: (batch: number, logs: Logs) => void | Promise<void>;
      /** Called when training starts. */
      onTrainBegin?: (logs: Logs) => void | Promise<void>;
      /** Called when training ends. */
      onTrainEnd?: (logs: Logs) => void | Promise<void>;
    } = {},
  ) {
    super();
    checkOptionsObject(hooks, LAMBDA_HOOKS, 'LambdaCallback', '{ onEpochEnd: (epoch, logs) => ... }');
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
