import * as tf from '@tensorflow/tfjs';
import { Dense, Sequential, Tensor, setBackend } from '@keras-ts/keras';
import { describe, expect, it } from 'vitest';
import { createTfjsBackend, type TfjsBackendName } from '@keras-ts/backend-tfjs';

/** Deterministic float32 data in [-1, 1). */
function data(shape: number[], seed: number): Tensor {
  let s = seed >>> 0;
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor(shape, 'float32', Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 4294967296) * 2 - 1;
  }));
}

const labels = (n: number) => new Tensor([n], 'int32', Int32Array.from({ length: n }, (_, i) => (i * 7) % 3));

for (const name of ['cpu', 'wasm'] as TfjsBackendName[]) {
  describe(`no tensor leaks on tfjs-${name}`, () => {
    it('keeps tf.memory().numTensors constant over 100 predicts and a fit of several epochs, and frees all on dispose', async () => {
      const backend = await createTfjsBackend({ backend: name });
      const base = tf.memory().numTensors;
      setBackend(backend);
      const model = new Sequential({
        layers: [new Dense({ units: 16, activation: 'relu', inputShape: [8] }), new Dense({ units: 3, activation: 'softmax' })],
      });
      model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
      const x = data([50, 8], 1); // 50 samples: batches of 16 leave a partial batch of 2
      const y = labels(50);
      // Warm up: compile every step (train, test and predict, full and partial batches) once.
      await model.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
      await model.predict(x, { batchSize: 16 });
      await model.evaluate(x, y, { batchSize: 16 });
      const warm = tf.memory().numTensors;

      for (let i = 0; i < 100; i++) await model.predict(x, { batchSize: 16 });
      expect(tf.memory().numTensors).toBe(warm);

      const h = await model.fit(x, y, { epochs: 4, batchSize: 16, verbose: 0 });
      expect(h.history.loss.length).toBe(4);
      expect(tf.memory().numTensors).toBe(warm);
      await model.evaluate(x, y, { batchSize: 16 });
      await model.predict(x, { batchSize: 16 });
      expect(tf.memory().numTensors).toBe(warm);

      // Everything the backend holds (constants, index tables, cached weights) goes with it.
      backend.dispose();
      expect(backend.liveExecutables).toBe(0);
      expect(tf.memory().numTensors).toBe(base);
    });
  });
}
