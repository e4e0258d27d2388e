import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CSVLogger, Callback, EarlyStopping, History, LambdaCallback, LearningRateScheduler, ReduceLROnPlateau, SGD, Tensor, TerminateOnNaN, deserialize, type Logs, type Sequential } from '../../src/index.js';
import { linearData, mlp } from './helpers.js';

/** Sets logs[key] to values[epoch] at each epoch end (placed before the callback under test). */
class Feed extends Callback {
  constructor(
    private readonly key: string,
    private readonly values: readonly number[],
  ) {
    super();
  }
  override async onEpochEnd(epoch: number, logs: Logs = {}) {
    logs[this.key] = this.values[epoch];
  }
}

/** Records the weights at each epoch end. */
class Snapshots extends Callback {
  readonly byEpoch: Tensor[][] = [];
  override async onEpochEnd() {
    this.byEpoch.push(this.model!.getWeights());
  }
}

async function fitWith(callbacks: Callback[], epochs: number, lr = 0.05): Promise<{ model: Sequential; history: History }> {
  const model = mlp();
  model.compile({ optimizer: new SGD({ learningRate: lr }), loss: 'mse', metrics: ['accuracy'] });
  const { x, y } = linearData(8, 4);
  const history = await model.fit(x, y, { epochs, batchSize: 4, verbose: 0, callbacks });
  return { model, history };
}

describe('EarlyStopping', () => {
  it('stops after `patience` epochs without improvement', async () => {
    const es = new EarlyStopping({ monitor: 'score', patience: 2 });
    const { history } = await fitWith([new Feed('score', [1.0, 0.9, 0.95, 0.96, 0.97, 0.5, 0.4]), es], 7);
    // Best at epoch 1; epochs 2 and 3 do not improve: stop at the end of epoch 3.
    expect(history.epoch).toEqual([0, 1, 2, 3]);
    expect(es.stoppedEpoch).toBe(3);
    expect(es.best).toBeCloseTo(0.9, 9);
  });

  it('patience 0 stops at the first epoch without improvement (never at epoch 0)', async () => {
    const es = new EarlyStopping({ monitor: 'score' });
    const { history } = await fitWith([new Feed('score', [1, 0.5, 0.6, 0.1]), es], 4);
    expect(history.epoch).toEqual([0, 1, 2]);
  });

  it('min_delta: an improvement must beat the best by more than min_delta', async () => {
    const es = new EarlyStopping({ monitor: 'score', minDelta: 0.1, patience: 1 });
    const { history } = await fitWith([new Feed('score', [1.0, 0.95, 0.5, 0.4]), es], 4);
    expect(history.epoch).toEqual([0, 1]);
    const es2 = new EarlyStopping({ monitor: 'score', minDelta: 0.01, patience: 1 });
    const { history: h2 } = await fitWith([new Feed('score', [1.0, 0.95, 0.5, 0.4]), es2], 4);
    expect(h2.epoch).toEqual([0, 1, 2, 3]);
  });

  it("mode 'auto' maximizes accuracy and minimizes losses", async () => {
    const up = [0.5, 0.6, 0.7, 0.8];
    const acc = new EarlyStopping({ monitor: 'val_accuracy' });
    expect((await fitWith([new Feed('val_accuracy', up), acc], 4)).history.epoch).toEqual([0, 1, 2, 3]);
    const loss = new EarlyStopping({ monitor: 'val_loss' });
    expect((await fitWith([new Feed('val_loss', up), loss], 4)).history.epoch).toEqual([0, 1]);
    const max = new EarlyStopping({ monitor: 'score', mode: 'max' });
    expect((await fitWith([new Feed('score', up), max], 4)).history.epoch).toEqual([0, 1, 2, 3]);
    const auc = new EarlyStopping({ monitor: 'val_auc' });
    expect((await fitWith([new Feed('val_auc', [0.9, 0.8, 0.7]), auc], 3)).history.epoch).toEqual([0, 1]);
  });

  it('monitors a real metric of fit (accuracy, mode auto = max)', async () => {
    const es = new EarlyStopping({ monitor: 'accuracy', patience: 1 });
    const { history } = await fitWith([es], 5);
    expect(history.history.accuracy.length).toBeGreaterThan(0);
  });

  it('restore_best_weights restores the weights of the best epoch when it stops', async () => {
    const snaps = new Snapshots();
    const es = new EarlyStopping({ monitor: 'score', patience: 2, restoreBestWeights: true });
    const { model, history } = await fitWith([new Feed('score', [3, 1, 2, 2.5, 0]), snaps, es], 5);
    expect(history.epoch).toEqual([0, 1, 2, 3]);
    expect(es.bestEpoch).toBe(1);
    expect(model.getWeights()).toEqual(snaps.byEpoch[1]);
    expect(model.getWeights()).not.toEqual(snaps.byEpoch[3]);
  });

  it('without restore_best_weights the last weights stay', async () => {
    const snaps = new Snapshots();
    const es = new EarlyStopping({ monitor: 'score', patience: 2 });
    const { model } = await fitWith([new Feed('score', [3, 1, 2, 2.5, 0]), snaps, es], 5);
    expect(model.getWeights()).toEqual(snaps.byEpoch[3]);
  });

  it('warns and carries on when the monitored value is missing', async () => {
    const es = new EarlyStopping({ monitor: 'val_loss' });
    const warnings: string[] = [];
    const orig = console.warn;
    console.warn = (m: string) => void warnings.push(m);
    try {
      const { history } = await fitWith([es], 2);
      expect(history.epoch).toEqual([0, 1]);
    } finally {
      console.warn = orig;
    }
    expect(warnings[0]).toMatch(/EarlyStopping: the metric 'val_loss' is not available; available metrics are: loss, accuracy/);
  });

  it('writes its Keras 2 config and reads it back', () => {
    const es = new EarlyStopping({ monitor: 'val_accuracy', patience: 3, minDelta: 0.01, restoreBestWeights: true });
    expect(es.getConfig()).toEqual({ monitor: 'val_accuracy', min_delta: 0.01, patience: 3, verbose: 0, mode: 'auto', baseline: null, restore_best_weights: true, start_from_epoch: 0 });
    const back = deserialize<EarlyStopping>('callback', { class_name: 'EarlyStopping', config: es.getConfig() });
    expect(back.getConfig()).toEqual(es.getConfig());
  });

  it('refuses bad arguments, naming them', () => {
    // @ts-expect-error -- mode = 'up' is not an allowed value, to check the runtime error
    expect(() => new EarlyStopping({ mode: 'up' })).toThrow(/EarlyStopping: argument 'mode'/);
    expect(() => new EarlyStopping({ patience: -1 })).toThrow(/argument 'patience' got -1/);
  });
});

describe('ReduceLROnPlateau', () => {
  const lrs = (): { cb: LambdaCallback; seen: number[] } => {
    const seen: number[] = [];
    let model: Callback['model'] = null;
    const cb = new LambdaCallback({ onEpochBegin: () => void seen.push(model!.optimizer.learningRate) });
    const setModel = cb.setModel.bind(cb);
    cb.setModel = (m) => {
      model = m;
      setModel(m);
    };
    return { cb, seen };
  };

  it('multiplies the learning rate by factor after `patience` epochs without improvement', async () => {
    const { cb, seen } = lrs();
    const r = new ReduceLROnPlateau({ monitor: 'score', factor: 0.5, patience: 2 });
    const { model } = await fitWith([cb, new Feed('score', [1, 1, 1, 1, 1, 1, 1]), r], 7, 0.1);
    // Reduced at the end of epochs 2, 4 and 6.
    [0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025].forEach((v, i) => expect(seen[i]).toBeCloseTo(v, 7));
    expect(model.optimizer.learningRate).toBeCloseTo(0.0125, 7);
  });

  it('an improvement resets the wait', async () => {
    const { cb, seen } = lrs();
    const r = new ReduceLROnPlateau({ monitor: 'score', factor: 0.5, patience: 2 });
    await fitWith([cb, new Feed('score', [1, 1, 0.5, 0.5, 0.4, 0.4]), r], 6, 0.1);
    [0.1, 0.1, 0.1, 0.1, 0.1, 0.1].forEach((v, i) => expect(seen[i]).toBeCloseTo(v, 7));
  });

  it('cooldown waits that many epochs before counting again', async () => {
    const { cb, seen } = lrs();
    const r = new ReduceLROnPlateau({ monitor: 'score', factor: 0.5, patience: 2, cooldown: 2 });
    const { model } = await fitWith([cb, new Feed('score', [1, 1, 1, 1, 1, 1, 1]), r], 7, 0.1);
    // Reduced at the end of epoch 2; epochs 3 and 4 cool down (epoch 4 counts again); reduced at the end of epoch 5.
    [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025].forEach((v, i) => expect(seen[i]).toBeCloseTo(v, 7));
    expect(model.optimizer.learningRate).toBeCloseTo(0.025, 7);
  });

  it('never goes below min_lr', async () => {
    const r = new ReduceLROnPlateau({ monitor: 'score', factor: 0.1, patience: 1, minLr: 0.005 });
    const { model } = await fitWith([new Feed('score', [1, 1, 1, 1, 1]), r], 5, 0.1);
    expect(model.optimizer.learningRate).toBeCloseTo(0.005, 7);
  });

  it('the reduced rate is the one the optimizer uses', async () => {
    // A tiny factor: after the first reduction (end of epoch 1) the weights stop moving.
    const snaps = new Snapshots();
    const r = new ReduceLROnPlateau({ monitor: 'score', factor: 1e-12, patience: 1 });
    await fitWith([new Feed('score', [1, 1, 1, 1]), r, snaps], 4, 0.1);
    const d = (a: Tensor[], b: Tensor[]) => Math.max(...a.flatMap((w, i) => Array.from(w.data).map((v, j) => Math.abs(v - b[i].data[j]))));
    expect(d(snaps.byEpoch[0], snaps.byEpoch[1])).toBeGreaterThan(1e-4);
    expect(d(snaps.byEpoch[2], snaps.byEpoch[3])).toBeLessThan(1e-9);
  });

  it('refuses factor >= 1', () => {
    expect(() => new ReduceLROnPlateau({ factor: 1 })).toThrow(/does not support a factor >= 1.0/);
  });

  it('writes its Keras 2 config', () => {
    expect(new ReduceLROnPlateau({ patience: 3 }).getConfig()).toEqual({ monitor: 'val_loss', factor: 0.1, patience: 3, verbose: 0, mode: 'auto', min_delta: 1e-4, cooldown: 0, min_lr: 0 });
  });

  // Keras 2 behaviour (once an engine bug here, now fixed): Keras 2 appends History after the user's callbacks, and
  // ReduceLROnPlateau / LearningRateScheduler write logs['lr'], so history.history.lr holds the
  // rate of each epoch. Here History runs first (trainer.ts runFit) and the key is
  // 'learning_rate' (Keras 3's name), so the history has no learning rate.
  it("the learning rate appears in the history as 'lr' (Keras 2)", async () => {
    const r = new ReduceLROnPlateau({ monitor: 'loss', patience: 1 });
    const { history } = await fitWith([r], 2);
    expect(history.history.lr.length).toBe(2);
  });
});

describe('LearningRateScheduler', () => {
  it('sets the learning rate at the start of each epoch from schedule(epoch, lr)', async () => {
    const seen: number[] = [];
    const calls: [number, number][] = [];
    const sched = new LearningRateScheduler((epoch, lr) => {
      calls.push([epoch, lr]);
      return epoch < 2 ? lr : lr * 0.1;
    });
    const spy = new LambdaCallback({ onBatchBegin: () => void seen.push(sched.model!.optimizer.learningRate) });
    await fitWith([sched, spy], 4, 0.1);
    expect(calls.map((c) => c[0])).toEqual([0, 1, 2, 3]);
    // Two batches an epoch.
    [0.1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.001, 0.001].forEach((v, i) => expect(seen[i]).toBeCloseTo(v, 7));
  });

  it('a rate of zero stops the updates', async () => {
    const snaps = new Snapshots();
    await fitWith([new LearningRateScheduler((epoch) => (epoch < 2 ? 0.1 : 0)), snaps], 3);
    expect(snaps.byEpoch[1]).not.toEqual(snaps.byEpoch[0]);
    expect(snaps.byEpoch[2]).toEqual(snaps.byEpoch[1]);
  });

  it('refuses a schedule that returns something else than a finite number', async () => {
    await expect(fitWith([new LearningRateScheduler(() => NaN)], 1)).rejects.toThrow(/schedule returned NaN for epoch 0/);
  });
});

describe('TerminateOnNaN', () => {
  /** Fits with TerminateOnNaN, batches of 2 in order; returns the batches seen and what was printed. */
  async function run(x: Tensor, y: Tensor) {
    const model = mlp();
    model.compile({ optimizer: new SGD({ learningRate: 0.01 }), loss: 'mse' });
    const batches: number[] = [];
    const printed: string[] = [];
    const log = console.log;
    console.log = (m: string) => void printed.push(m);
    try {
      const history = await model.fit(x, y, { epochs: 3, batchSize: 2, shuffle: false, verbose: 0, callbacks: [new TerminateOnNaN(), new LambdaCallback({ onBatchEnd: (b) => void batches.push(b) })] });
      return { history, batches, printed };
    } finally {
      console.log = log;
    }
  }

  it('stops training at the first batch whose loss is NaN (the epoch still ends)', async () => {
    const { x, y } = linearData(12, 4);
    y.data[4] = NaN; // sample 4: batch 2
    const { history, batches, printed } = await run(x, y);
    expect(batches).toEqual([0, 1, 2]);
    expect(history.epoch).toEqual([0]);
    expect(Number.isNaN(history.history.loss[0])).toBe(true);
    expect(printed).toContain('Batch 2: Invalid loss, terminating training');
  });

  it('also stops on an infinite loss', async () => {
    const { x, y } = linearData(12, 4);
    y.data[0] = Infinity;
    const { history, batches } = await run(x, y);
    expect(batches).toEqual([0]);
    expect(history.epoch).toEqual([0]);
  });

  // relu(NaN) is NaN, as TensorFlow and PyTorch (backend-ts once gave 0, which hid a NaN input
  // behind a relu layer so that TerminateOnNaN never fired).
  it('a NaN input reaches the loss through a relu layer', async () => {
    const { x, y } = linearData(12, 4);
    x.data[4 * 4] = NaN; // sample 4: batch 2
    const { batches } = await run(x, y);
    expect(batches).toEqual([0, 1, 2]);
  });
});

describe('LambdaCallback and the order of hooks', () => {
  it('calls the hooks in Keras order', async () => {
    const events: string[] = [];
    const cb = new LambdaCallback({
      onTrainBegin: () => void events.push('train_begin'),
      onEpochBegin: (e) => void events.push(`epoch_begin ${e}`),
      onBatchBegin: (b) => void events.push(`batch_begin ${b}`),
      onBatchEnd: (b, logs) => void events.push(`batch_end ${b} ${Object.keys(logs).join(',')}`),
      onEpochEnd: (e, logs) => void events.push(`epoch_end ${e} ${Object.keys(logs).join(',')}`),
      onTrainEnd: () => void events.push('train_end'),
    });
    await fitWith([cb], 2);
    // As Keras 2, the batch logs hold the running metrics too.
    expect(events).toEqual([
      'train_begin',
      'epoch_begin 0',
      'batch_begin 0',
      'batch_end 0 loss,accuracy',
      'batch_begin 1',
      'batch_end 1 loss,accuracy',
      'epoch_end 0 loss,accuracy',
      'epoch_begin 1',
      'batch_begin 0',
      'batch_end 0 loss,accuracy',
      'batch_begin 1',
      'batch_end 1 loss,accuracy',
      'epoch_end 1 loss,accuracy',
      'train_end',
    ]);
  });

  it('awaits async hooks', async () => {
    const events: string[] = [];
    const cb = new LambdaCallback({
      onEpochEnd: async (e) => {
        await new Promise((r) => setTimeout(r, 5));
        events.push(`end ${e}`);
      },
      onEpochBegin: (e) => void events.push(`begin ${e}`),
    });
    await fitWith([cb], 2);
    expect(events).toEqual(['begin 0', 'end 0', 'begin 1', 'end 1']);
  });

  it('gives callbacks the model and the params', async () => {
    let params: Record<string, unknown> = {};
    let model: unknown = null;
    class Spy extends Callback {
      override async onTrainBegin() {
        params = this.params;
        model = this.model;
      }
    }
    const { model: m } = await fitWith([new Spy()], 3);
    expect(model).toBe(m);
    expect(params).toMatchObject({ epochs: 3, steps: 2, verbose: 0, samples: 8, batchSize: 4 });
  });

  it('stopTraining set by a callback ends training after the current epoch', async () => {
    let m: Callback['model'] = null;
    const stopper = new LambdaCallback({
      onEpochEnd: (e) => {
        if (e === 1) m!.stopTraining = true;
      },
    });
    const setModel = stopper.setModel.bind(stopper);
    stopper.setModel = (x) => {
      m = x;
      setModel(x);
    };
    const { history } = await fitWith([stopper], 5);
    expect(history.epoch).toEqual([0, 1]);
  });
});

describe('CSVLogger', () => {
  it('writes a header of sorted keys and one row per epoch', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'keras-csv-')), 'log.csv');
    const { history } = await fitWith([new CSVLogger(file)], 3);
    const text = readFileSync(file, 'utf8');
    const rows = text.trimEnd().split(/\r?\n/);
    expect(rows[0]).toBe('epoch,accuracy,loss');
    expect(rows.length).toBe(4);
    rows.slice(1).forEach((r, e) => {
      expect(r).toBe(`${e},${history.history.accuracy[e]},${history.history.loss[e]}`);
    });
    // The numbers are the float32 values written in full (as Python writes a float).
    expect(Number(rows[1].split(',')[2])).toBe(history.history.loss[0]);
  });

  it('starts the file anew, or appends without a second header', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'keras-csv-')), 'log.csv');
    await fitWith([new CSVLogger(file)], 2);
    await fitWith([new CSVLogger(file)], 1);
    expect(readFileSync(file, 'utf8').trimEnd().split(/\r?\n/).length).toBe(2);
    await fitWith([new CSVLogger(file, ',', true)], 2);
    const rows = readFileSync(file, 'utf8').trimEnd().split(/\r?\n/);
    expect(rows.length).toBe(4);
    expect(rows.filter((r) => r.startsWith('epoch')).length).toBe(1);
    expect(rows.slice(1).map((r) => r.split(',')[0])).toEqual(['0', '0', '1']);
  });

  it('uses the separator given, and NA for a value missing later', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'keras-csv-')), 'log.tsv');
    const dropper = new LambdaCallback({
      onEpochEnd: (e, logs) => {
        if (e === 1) delete logs.accuracy;
      },
    });
    await fitWith([dropper, new CSVLogger(file, '\t')], 2);
    const rows = readFileSync(file, 'utf8').trimEnd().split(/\r?\n/);
    expect(rows[0]).toBe('epoch\taccuracy\tloss');
    expect(rows[2].split('\t')[1]).toBe('NA');
  });
});

describe('History', () => {
  it('records every epoch; each fit returns a new History, also kept as model.history', async () => {
    const model = mlp();
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
    const { x, y } = linearData(8, 4);
    const h1 = await model.fit(x, y, { epochs: 2, verbose: 0, validationData: [x, y] });
    expect(h1).toBeInstanceOf(History);
    expect(h1.epoch).toEqual([0, 1]);
    expect(Object.keys(h1.history)).toEqual(['loss', 'mae', 'val_loss', 'val_mae']);
    expect(Object.values(h1.history).every((v) => v.length === 2 && v.every(Number.isFinite))).toBe(true);
    const h2 = await model.fit(x, y, { epochs: 1, verbose: 0 });
    expect(h2).not.toBe(h1);
    expect(model.history).toBe(h2);
    expect(h1.epoch).toEqual([0, 1]);
  });
});

describe('progress output (ProgbarLogger)', () => {
  async function capture(verbose: 0 | 1 | 2, epochs: number): Promise<string> {
    const model = mlp();
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
    const { x, y } = linearData(8, 4);
    let out = '';
    const write = process.stdout.write;
    process.stdout.write = ((s: string) => {
      out += s;
      return true;
    }) as typeof process.stdout.write;
    try {
      await model.fit(x, y, { epochs, batchSize: 4, verbose });
    } finally {
      process.stdout.write = write;
    }
    return out;
  }

  it('verbose 0 prints nothing', async () => {
    expect(await capture(0, 2)).toBe('');
  });

  it('verbose 2 prints one line an epoch: steps, time, logs, time per epoch and per step', async () => {
    const lines = (await capture(2, 2)).split('\n').filter((l) => /^\d+\/\d+ - /.test(l));
    expect(lines.length).toBe(2);
    for (const l of lines) expect(l).toMatch(/^2\/2 - \d+s - loss: \d+\.\d{4} - mae: \d+\.\d{4} - \d+(s|ms|us)\/epoch - \d+(s|ms|us)\/step$/);
  });

  it('verbose 1 prints "Epoch i/n" and a finished bar for each epoch', async () => {
    const text = await capture(1, 2);
    expect(text).toContain('Epoch 1/2\n');
    expect(text).toContain('Epoch 2/2\n');
    expect(text).toMatch(/2\/2 \[==============================\] - \d+s \d+(s|ms|us)\/step - loss: \d+\.\d{4} - mae: \d+\.\d{4}\n/);
  });

  // Keras 2 behaviour (once an engine bug here, now fixed): Keras 2's ProgbarLogger.on_epoch_begin prints "Epoch i/n" when
  // `verbose and epochs > 1`, so also for verbose 2; progbar.ts prints it for verbose 1 only.
  it('verbose 2 also prints "Epoch i/n" lines (Keras 2)', async () => {
    expect(await capture(2, 2)).toContain('Epoch 1/2\n');
  });

  // Keras 2 behaviour (once an engine bug here, now fixed): with epochs = 1 Keras 2 prints no "Epoch 1/1" line; progbar.ts does.
  it('a single epoch prints no "Epoch 1/1" line (Keras 2)', async () => {
    expect(await capture(1, 1)).not.toContain('Epoch 1/1');
  });
});
