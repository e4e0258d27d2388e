/**
 * ModelCheckpoint (Keras 2 semantics): file names, save_best_only, formats, save_freq, config.
 * These are about the callback and the files it writes, the same whatever computes the weights,
 * so they run on backend-ts; the faults during fit and the checkpoints that stay whole are one
 * spec on every backend (integration/robustness/faults.test.ts).
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTsBackend } from '@keras-ts/backend-ts';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { Callback, Dense, LambdaCallback, SGD, Sequential, setBackend, Tensor, type Logs, type Model } from '../../src/index.js';
import { ModelCheckpoint, formatPython } from '../../src/callbacks/model-checkpoint.js';
import { loadModel, loadWeights } from '../../src/saving/index.js';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) * 2 - 1;
}
const data = (shape: number[], seed: number) => {
  const r = seeded(seed);
  return new Tensor(shape, 'float32', Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, r));
};

function model(): Sequential {
  const m = new Sequential({
    layers: [
      new Dense({ units: 6, activation: 'tanh', inputShape: [4], kernelInitializer: { class_name: 'GlorotUniform', config: { seed: 1 } } }),
      new Dense({ units: 1, kernelInitializer: { class_name: 'GlorotUniform', config: { seed: 2 } } }),
    ],
  });
  m.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
  return m;
}

const x = data([32, 4], 3);
const y = data([32, 1], 4);
const weightsOf = (m: Model) => m.getWeights().map((w) => Array.from(w.data));

/** Sets logs[key] to values[epoch] at each epoch end (placed before the checkpoint). */
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

describe('ModelCheckpoint (Keras 2 semantics, on backend-ts)', () => {
  const ts = createTsBackend();
  beforeEach(() => setBackend(ts));

  test('{epoch} formatting: a whole model per epoch, loadable, holding that epoch\'s weights', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    const m = model();
    const snapshots: number[][][] = [];
    await m.fit(x, y, { batchSize: 8, epochs: 3, verbose: 0, callbacks: [new ModelCheckpoint({ filepath: join(dir, 'model-{epoch:02d}-{loss:.3f}.keras') }), new LambdaCallback({ onEpochEnd: () => void snapshots.push(weightsOf(m)) })] });
    const files = readdirSync(dir).sort();
    expect(files.map((f) => f.replace(/-\d\.\d{3}\.keras$/, ''))).toEqual(['model-01', 'model-02', 'model-03']);
    for (let e = 0; e < 3; e++) expect(weightsOf(await loadModel(join(dir, files[e])))).toEqual(snapshots[e]);
  });

  test('save_best_only with mode min/max/auto, a missing monitor, and initial_value_threshold', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    const run = async (args: ConstructorParameters<typeof ModelCheckpoint>[0], key: string, values: number[]) => {
      const saved: number[] = [];
      const m = model();
      const ck = new ModelCheckpoint(args);
      const watch = new LambdaCallback({ onEpochEnd: (e) => void (existsSync(args.filepath.replace('{epoch}', String(e + 1))) && saved.push(e + 1)) });
      await m.fit(x, y, { batchSize: 16, epochs: values.length, verbose: 0, callbacks: [new Feed(key, values), ck, watch] });
      return { saved, ck };
    };
    const min = await run({ filepath: join(dir, 'min-{epoch}.h5'), monitor: 'val_loss', saveBestOnly: true }, 'val_loss', [1, 0.5, 0.7, 0.4, 0.4]);
    expect(min.saved).toEqual([1, 2, 4]);
    expect(min.ck.best).toBe(0.4);
    const max = await run({ filepath: join(dir, 'max-{epoch}.h5'), monitor: 'score', mode: 'max', saveBestOnly: true }, 'score', [1, 0.5, 2, 2]);
    expect(max.saved).toEqual([1, 3]);
    // 'auto' is max for names containing "acc" (Keras 2), min otherwise.
    const auto = await run({ filepath: join(dir, 'auto-{epoch}.h5'), monitor: 'val_acc', saveBestOnly: true }, 'val_acc', [0.5, 0.4, 0.6]);
    expect(auto.saved).toEqual([1, 3]);
    const threshold = await run({ filepath: join(dir, 'th-{epoch}.h5'), monitor: 'val_loss', saveBestOnly: true, initialValueThreshold: 0.45 }, 'val_loss', [1, 0.5, 0.4]);
    expect(threshold.saved).toEqual([3]);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const missing = await run({ filepath: join(dir, 'missing-{epoch}.h5'), monitor: 'val_nothing', saveBestOnly: true }, 'other', [1, 2]);
    expect(missing.saved).toEqual([]);
    expect(warn).toHaveBeenCalledWith('Can save best model only with val_nothing available, skipping.');
    warn.mockRestore();
  });

  test('save_weights_only writes weights files that loadWeights reads (both layouts)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    const m = model();
    await m.fit(x, y, { batchSize: 8, epochs: 2, verbose: 0, callbacks: [new ModelCheckpoint({ filepath: join(dir, 'w.weights.h5'), saveWeightsOnly: true }), new ModelCheckpoint({ filepath: join(dir, 'sub', 'w-{epoch}.h5'), saveWeightsOnly: true })] });
    for (const f of [join(dir, 'w.weights.h5'), join(dir, 'sub', 'w-2.h5')]) {
      const fresh = model();
      await loadWeights(fresh, f);
      expect(weightsOf(fresh)).toEqual(weightsOf(m));
    }
    expect(() => new ModelCheckpoint({ filepath: join(dir, 'w.keras'), saveWeightsOnly: true })).toThrow("with save_weights_only, the filepath must end in '.weights.h5' (Keras 3 layout) or '.h5' (Keras 2 layout)");
    expect(() => new ModelCheckpoint({ filepath: join(dir, 'model.bin') })).toThrow('ModelCheckpoint: cannot tell the format of');
  });

  test("save_freq as a number of batches, with {batch} in the path (counted across epochs, as Keras 2)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    const m = model();
    // 32 samples in batches of 8: 4 batches an epoch; a save every 3 batches over 2 epochs.
    await m.fit(x, y, { batchSize: 8, epochs: 2, verbose: 0, shuffle: false, callbacks: [new ModelCheckpoint({ filepath: join(dir, 'e{epoch}-b{batch}.weights.h5'), saveWeightsOnly: true, saveFreq: 3 })] });
    expect(readdirSync(dir).sort()).toEqual(['e1-b3.weights.h5', 'e2-b2.weights.h5']);
    // @ts-expect-error -- saveFreq 'batch' is not a Keras value on purpose
    expect(() => new ModelCheckpoint({ filepath: 'a.keras', saveFreq: 'batch' })).toThrow("ModelCheckpoint");
  });

  test('filepath formatting follows Python str.format', () => {
    const v = { epoch: 3n, loss: 0.123456, val_loss: 1, acc: 0.5, batch: 12n };
    expect(formatPython('ckpt-{epoch:02d}-{val_loss:.2f}.keras', v)).toBe('ckpt-03-1.00.keras');
    expect(formatPython('{epoch}|{loss}|{val_loss}|{loss:.3}|{loss:e}|{acc:.1%}|{{x}}{batch:03d}|{loss:<8.2f}|', v)).toBe('3|0.123456|1.0|0.123|1.234560e-01|50.0%|{x}012|0.12    |');
    expect(() => formatPython('{nope}', v)).toThrow("'nope'");
    const ck = new ModelCheckpoint({ filepath: 'm-{val_acc:.2f}.keras' });
    expect(() => ck.filePath(0, null, { loss: 1 })).toThrow(`Failed to format this callback filepath: "m-{val_acc:.2f}.keras". Reason: 'val_acc'`);
  });

  test('config round trip', () => {
    const ck = new ModelCheckpoint({ filepath: 'b.keras', monitor: 'val_acc', saveBestOnly: true, mode: 'max', saveFreq: 5 });
    const config = ck.getConfig();
    expect(config).toEqual({ filepath: 'b.keras', monitor: 'val_acc', verbose: 0, save_best_only: true, save_weights_only: false, mode: 'max', save_freq: 5, initial_value_threshold: null });
    expect(ModelCheckpoint.fromConfig(config).getConfig()).toEqual(config);
  });
});
