import type { Trainer } from '../engine/trainer.js';

/** Numbers Keras reports: `loss`, metrics, `val_*`, per-output losses. */
export type Logs = Record<string, number>;

/**
 * The base of every callback: override the hooks you need. `model` is set by `fit`.
 *
 * @example
 * class PrintLoss extends Callback {
 *   override async onEpochEnd(epoch: number, logs: Logs) { console.log(epoch, logs.loss); }
 * }
 */
export class Callback {
  model: Trainer | null = null;
  params: Record<string, unknown> = {};
  /** Called by `fit`, `evaluate` and `predict` with the model they run, before any hook. */
  setModel(model: Trainer): void {
    this.model = model;
  }
  /**
   * Called by `fit` before training with its parameters: `epochs`, `steps`, `verbose`, `batchSize`
   * and `samples`.
   */
  setParams(params: Record<string, unknown>): void {
    this.params = params;
  }
  /** Called once when `fit` starts, before the first epoch. */
  async onTrainBegin(_logs: Logs = {}): Promise<void> {}
  /** Called once when `fit` ends (after the last epoch, or when training was stopped). */
  async onTrainEnd(_logs: Logs = {}): Promise<void> {}
  /** Called at the start of each epoch of `fit` (epochs count from 0). */
  async onEpochBegin(_epoch: number, _logs: Logs = {}): Promise<void> {}
  /**
   * Called at the end of each epoch of `fit` with the epoch's logs: the losses and metrics, and
   * `val_*` when the epoch was validated.
   */
  async onEpochEnd(_epoch: number, _logs: Logs = {}): Promise<void> {}
  /** Called before each training batch (batches count from 0 in every epoch). */
  async onTrainBatchBegin(_batch: number, _logs: Logs = {}): Promise<void> {}
  /** Called after each training batch with the running losses and metrics of the epoch so far. */
  async onTrainBatchEnd(_batch: number, _logs: Logs = {}): Promise<void> {}
  /** Called when `evaluate` starts (the validation inside `fit` calls no test hooks). */
  async onTestBegin(_logs: Logs = {}): Promise<void> {}
  /** Called when `evaluate` ends, with its logs (losses and metrics). */
  async onTestEnd(_logs: Logs = {}): Promise<void> {}
  /** Called before each batch of `evaluate`. */
  async onTestBatchBegin(_batch: number, _logs: Logs = {}): Promise<void> {}
  /** Called after each batch of `evaluate` with the running losses so far. */
  async onTestBatchEnd(_batch: number, _logs: Logs = {}): Promise<void> {}
  /** Called when `predict` starts. */
  async onPredictBegin(_logs: Logs = {}): Promise<void> {}
  /** Called when `predict` ends. */
  async onPredictEnd(_logs: Logs = {}): Promise<void> {}
  /** Called before each batch of `predict`. */
  async onPredictBatchBegin(_batch: number, _logs: Logs = {}): Promise<void> {}
  /** Called after each batch of `predict`. */
  async onPredictBatchEnd(_batch: number, _logs: Logs = {}): Promise<void> {}
}

/** Several callbacks called in order. */
export class CallbackList {
  constructor(readonly callbacks: Callback[]) {}
  /** Calls hook `hook` of every callback with `args`, in order, awaiting each. */
  async call<K extends keyof Callback>(hook: K, ...args: unknown[]): Promise<void> {
    for (const c of this.callbacks) await (c[hook] as (...a: unknown[]) => Promise<void>).apply(c, args);
  }
}

/** Records every epoch's logs; `fit` returns it. */
export class History extends Callback {
  epoch: number[] = [];
  history: Record<string, number[]> = {};
  override async onTrainBegin(): Promise<void> {
    this.epoch = [];
  }
  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }
}
