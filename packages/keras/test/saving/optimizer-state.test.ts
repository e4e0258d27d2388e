/**
 * A compiled model's optimizer state travels in Keras 3 files (`optimizer/vars` of
 * `model.weights.h5` in `.keras`, and of `.weights.h5`; `optimizer_weights` of legacy `.h5`), in
 * Keras 3's variable order:
 * - the real files Keras 3.16 wrote after training hold the state our own training reaches from
 *   the same start (iterations, and every slot within the golden's tolerance);
 * - a model saved mid-training and loaded again continues exactly as the original does.
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { Adam, Dense, RMSprop, SGD, Sequential, Tensor, type LossId, type Model } from '../../src/index.js';
import { loadModel, loadWeights, saveModel, saveWeights } from '../../src/saving/index.js';
import { getGroup, readStringListAttr, withH5 } from '../../src/saving/hdf5-sandbox.js';
import { FILES, caseModel, inputsOf, readCase, tempDir, tensorOf, type GoldenTensor } from './helpers.js';

interface FitSpec {
  batch_size: number;
  epochs: number;
  shuffle: boolean;
}

/** Replays a training golden on our side: its model, initial weights, compile and fit. */
async function replay(id: string): Promise<Model> {
  const c = readCase(id) as unknown as Record<string, unknown> & ReturnType<typeof readCase>;
  const model = caseModel(c);
  model.setWeights((c.initial_weights as GoldenTensor[]).map(tensorOf));
  model.compile({ optimizer: c.compile.optimizer, loss: c.compile.loss as LossId });
  const fit = c.fit as FitSpec;
  await model.fit(inputsOf(c.x), inputsOf(c.y as GoldenTensor), { batchSize: fit.batch_size, epochs: fit.epochs, shuffle: fit.shuffle, verbose: 0 });
  return model;
}

describe('optimizer state in the real Keras 3 files', () => {
  for (const name of ['mlp_adam_cce', 'lstm_rmsprop_mse', 'cnn_sgd_scce']) {
    test(`${name}.keras and .weights.h5 hold the state our training reaches`, async () => {
      const ours = await replay(`training/${name}`);
      const loaded = await loadModel(join(FILES, `${name}.keras`));
      const mine = ours.optimizer.variables;
      const theirs = loaded.optimizer.variables;
      expect(theirs.map((v) => `${v.name}[${v.shape.join(',')}]`)).toEqual(mine.map((v) => `${v.name}[${v.shape.join(',')}]`));
      expect(theirs[0].value.data[0]).toBeGreaterThan(0);
      theirs.forEach((v, i) => {
        const a = mine[i].value.data;
        const b = v.value.data;
        let scale = 0;
        let worst = 0;
        for (let k = 0; k < b.length; k++) scale = Math.max(scale, Math.abs(b[k]));
        for (let k = 0; k < b.length; k++) worst = Math.max(worst, Math.abs(a[k] - b[k]));
        // Float32 training over a dozen steps (the final weights agree to the golden's tolerance).
        expect(worst, `${name}: optimizer variable ${i} (${v.name})`).toBeLessThanOrEqual(1e-4 * Math.max(scale, 1e-3));
      });
      // The same state from the weights file into a compiled model of the same architecture.
      const fresh = caseModel(readCase(`training/${name}`));
      fresh.compile({ optimizer: readCase(`training/${name}`).compile.optimizer, loss: 'mse' });
      await loadWeights(fresh, join(FILES, `${name}.weights.h5`));
      expect(fresh.optimizer.variables.map((v) => Array.from(v.value.data))).toEqual(theirs.map((v) => Array.from(v.value.data)));
      // And from the legacy .h5 Keras 3 wrote (optimizer_weights, listed by weight_names).
      const legacy = await loadModel(join(FILES, `${name}.h5`));
      expect(legacy.optimizer.variables.map((v) => Array.from(v.value.data))).toEqual(theirs.map((v) => Array.from(v.value.data)));
      // Saved again as legacy .h5: the same weight_names as Keras 3 wrote.
      const again = join(tempDir(), `${name}.h5`);
      await saveModel(legacy, again);
      const names = (f: string) => withH5(f, 'r', (h) => readStringListAttr(getGroup(h, 'optimizer_weights')!, 'weight_names'));
      expect(await names(again)).toEqual(await names(join(FILES, `${name}.h5`)));
    });
  }
});

function data(n: number, seed: number): { x: Tensor; y: Tensor } {
  let s = seed;
  const r = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) * 2 - 1;
  return { x: new Tensor([n, 4], 'float32', Float32Array.from({ length: n * 4 }, r)), y: new Tensor([n, 2], 'float32', Float32Array.from({ length: n * 2 }, r)) };
}

describe('a model saved mid-training continues exactly where it stopped', () => {
  const optimizers = {
    adam: () => new Adam({ learningRate: 0.01 }),
    amsgrad: () => new Adam({ learningRate: 0.01, amsgrad: true }),
    rmsprop_centered_momentum: () => new RMSprop({ learningRate: 0.01, momentum: 0.5, centered: true }),
    sgd_momentum: () => new SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true }),
  };
  for (const [name, make] of Object.entries(optimizers)) {
    test(`${name}: .keras, .h5 and .weights.h5`, async () => {
      const build = () => {
        const m = new Sequential({ layers: [new Dense({ units: 5, activation: 'tanh', inputShape: [4], name: 'h' }), new Dense({ units: 2, name: 'o' })] });
        m.compile({ optimizer: make(), loss: 'mse' });
        return m;
      };
      const { x, y } = data(24, 7);
      const original = build();
      await original.fit(x, y, { batchSize: 8, epochs: 2, shuffle: false, verbose: 0 });
      const dir = tempDir();
      await saveModel(original, join(dir, 'm.keras'));
      await saveWeights(original, join(dir, 'm.weights.h5'));
      await saveModel(original, join(dir, 'm.h5'));
      const fromKeras = await loadModel(join(dir, 'm.keras'));
      const fromH5 = await loadModel(join(dir, 'm.h5'));
      const fromWeights = build();
      await loadWeights(fromWeights, join(dir, 'm.weights.h5'));
      for (const m of [original, fromKeras, fromH5, fromWeights]) await m.fit(x, y, { batchSize: 8, epochs: 1, shuffle: false, verbose: 0 });
      const w = original.getWeights().map((t) => Array.from(t.data));
      expect(fromKeras.getWeights().map((t) => Array.from(t.data))).toEqual(w);
      expect(fromH5.getWeights().map((t) => Array.from(t.data))).toEqual(w);
      expect(fromWeights.getWeights().map((t) => Array.from(t.data))).toEqual(w);
      expect(fromKeras.optimizer.iterations.value.data[0]).toBe(9);
    });
  }

  test('a state that does not fit (another optimizer) is skipped with a warning; the weights still load', async () => {
    const dir = tempDir();
    const a = new Sequential({ layers: [new Dense({ units: 2, inputShape: [4], name: 'o' })] });
    a.compile({ optimizer: new Adam(), loss: 'mse' });
    const { x, y } = data(8, 3);
    await a.fit(x, y, { epochs: 1, verbose: 0 });
    await saveWeights(a, join(dir, 'a.weights.h5'));
    const b = new Sequential({ layers: [new Dense({ units: 2, inputShape: [4], name: 'o' })] });
    b.compile({ optimizer: new SGD(), loss: 'mse' });
    const warn = console.warn;
    const warnings: string[] = [];
    console.warn = (m: string) => void warnings.push(m);
    try {
      await loadWeights(b, join(dir, 'a.weights.h5'));
    } finally {
      console.warn = warn;
    }
    expect(warnings.join('\n')).toMatch(/the optimizer state was not loaded \(the file holds 6 optimizer variable\(s\), the model's SGD has 2\)/);
    expect(b.getWeights().map((t) => Array.from(t.data))).toEqual(a.getWeights().map((t) => Array.from(t.data)));
  });
});
