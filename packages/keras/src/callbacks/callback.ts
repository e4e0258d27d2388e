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
  setModel(model: Trainer): void {
    this.model = model;
  }
  setParams(params: Record<string, unknown>): void {
    this.params = params;
  }
  async onTrainBegin(_logs: Logs = {}): Promise<void> {}
  async onTrainEnd(_logs: Logs = {}): Promise<void> {}
  async onEpochBegin(_epoch: number, _logs: Logs = {}): Promise<void> {}
  async onEpochEnd(_epoch: number, _logs: Logs = {}): Promise<void> {}
  async onTrainBatchBegin(_batch: number, _logs: Logs = {}): Promise<void> {}
  async onTrainBatchEnd(_batch: number, _logs: Logs = {}): Promise<void> {}
  async onTestBegin(_logs: Logs = {}): Promise<void> {}
  async onTestEnd(_logs: Logs = {}): Promise<void> {}
  async onTestBatchBegin(_batch: number, _logs: Logs = {}): Promise<void> {}
  async onTestBatchEnd(_batch: number, _logs: Logs = {}): Promise<void> {}
  async onPredictBegin(_logs: Logs = {}): Promise<void> {}
  async onPredictEnd(_logs: Logs = {}): Promise<void> {}
  async onPredictBatchBegin(_batch: number, _logs: Logs = {}): Promise<void> {}
  async onPredictBatchEnd(_batch: number, _logs: Logs = {}): Promise<void> {}
}

/** Several callbacks called in order. */
export class CallbackList {
  constructor(readonly callbacks: Callback[]) {}
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
