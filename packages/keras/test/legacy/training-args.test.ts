import { describe, expect, it } from 'vitest';
import { createTsBackend } from '@keras-ts/backend-ts';
import { Dense, Sequential, Tensor, setBackend } from '../../src/index.js';
import { convertLegacyTrainingArgs, objectives } from '../../src/legacy/index.js';
import * as losses from '../../src/losses/index.js';
import { captureLegacyWarnings } from './warnings.js';

setBackend(createTsBackend());

const spy = captureLegacyWarnings();
const warnings = (): string[] => spy.messages();
const k1 = <T>(a: Record<string, unknown>): T => a as T;

function data(n: number): [Tensor, Tensor] {
  const x = new Tensor([n, 3], 'float32', Float32Array.from({ length: n * 3 }, (_, i) => ((i * 7) % 5) / 5));
  const y = new Tensor([n, 1], 'float32', Float32Array.from({ length: n }, (_, i) => i % 2));
  return [x, y];
}

function model(): Sequential {
  const m = new Sequential({ layers: [new Dense({ units: 1, inputShape: [3] })] });
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  return m;
}

describe('Keras 1 training arguments', () => {
  it('fit({ nbEpoch: 2 }) runs 2 epochs, with a warning (once)', async () => {
    const [x, y] = data(8);
    const m = model();
    const h = await m.fit(x, y, k1({ nbEpoch: 2, batchSize: 4, verbose: 0 }));
    expect(h.history.loss).toHaveLength(2);
    await m.fit(x, y, k1({ nb_epoch: 1, batchSize: 4, verbose: 0 }));
    expect(warnings()).toEqual(['The `nb_epoch` argument of `fit` is called `epochs` in Keras 2 (in TypeScript: `{ epochs }`).']);
  });

  it('nb_epoch wins over epochs in fit, as in Keras 2', () => {
    const a: Record<string, unknown> = { epochs: 5, nbEpoch: 3 };
    expect(convertLegacyTrainingArgs('fit', a)).toEqual({ epochs: 3 });
    expect(a).toEqual({ epochs: 5, nbEpoch: 3 });
  });

  it('the generator methods: samples_per_epoch, nb_epoch, nb_val_samples, val_samples, nb_worker, pickle_safe, max_q_size', () => {
    const a: Record<string, unknown> = { samplesPerEpoch: 64, nbEpoch: 3, nbValSamples: 2, nbWorker: 2, pickleSafe: false, maxQSize: 5 };
    expect(convertLegacyTrainingArgs('fit_generator', a, { batchSize: 16 })).toEqual({ stepsPerEpoch: 4, epochs: 3, validationSteps: 2, workers: 2, useMultiprocessing: false, maxQueueSize: 5 });
    // Without a batch size on the generator, Keras 2 took samples_per_epoch as the steps.
    expect(convertLegacyTrainingArgs('fit_generator', { samples_per_epoch: 10 }, [1, 2])).toEqual({ stepsPerEpoch: 10 });
    expect(convertLegacyTrainingArgs('evaluate_generator', { valSamples: 3 })).toEqual({ steps: 3 });
    expect(() => convertLegacyTrainingArgs('predict_generator', { valSamples: 3, steps: 2 })).toThrow(/the Keras 2 argument `steps` \(steps\) and its Keras 1 spelling `val_samples` were both given/);
    const w = warnings();
    expect(w.some((m) => m.startsWith('Update your `fit_generator` call to the Keras 2 API: `fit_generator(generator, steps_per_epoch=4, epochs=3'))).toBe(true);
    expect(w.some((m) => m.includes('Keras 2 counts batches where Keras 1 counted samples'))).toBe(true);
  });

  it('fitGenerator, evaluateGenerator and predictGenerator accept Keras 1 arguments', async () => {
    const [x, y] = data(8);
    const batches: [Tensor, Tensor][] = [0, 1, 2, 3].map((i) => [x.sliceRows(2 * i, 2 * i + 2), y.sliceRows(2 * i, 2 * i + 2)]);
    const m = model();
    const h = await m.fitGenerator(batches, k1({ samplesPerEpoch: 3, nbEpoch: 2, verbose: 0 }));
    expect(h.history.loss).toHaveLength(2);
    const logs = await m.evaluateGenerator(batches, k1({ valSamples: 2 }));
    expect(typeof logs).toBe('number');
    const p = await m.predictGenerator(batches.map(([bx]) => bx), k1({ valSamples: 2 }));
    expect(p.shape).toEqual([4, 1]);
  });

  it('objectives is the losses module (Keras 1 name)', () => {
    expect(objectives.MeanSquaredError).toBe(losses.MeanSquaredError);
    expect(Object.keys(objectives).sort()).toEqual(Object.keys(losses).sort());
  });
});
