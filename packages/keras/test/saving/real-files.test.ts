import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { Tensor, onlyOutput, type Model } from '../../src/index.js';
import { loadModel, loadModelFile, loadWeights } from '../../src/saving/index.js';
import { caseModel, FILES, GOLDENS, inputsOf, readCase, tensorOf, toleranceRatio, type GoldenCase, type GoldenTensor } from './helpers.js';

const TRAINING = ['mlp_adam_cce', 'cnn_sgd_scce', 'lstm_rmsprop_mse', 'functional_two_inputs_bce'];

async function expectPredictAfter(model: Model, c: GoldenCase): Promise<void> {
  const y = await model.predict(inputsOf(c.x));
  const ys = Array.isArray(y) ? y : [y];
  const gs = Array.isArray(c.predict_after) ? c.predict_after : [c.predict_after];
  expect(ys.length).toBe(gs.length);
  ys.forEach((t, i) => expect(toleranceRatio(t, gs[i], c.tolerance)).toBeLessThanOrEqual(1));
}

function expectFinalWeights(model: Model, c: GoldenCase): void {
  const ws = model.getWeights();
  expect(ws.length).toBe(c.final_weights.length);
  // The files hold exactly the trained values the case lists.
  ws.forEach((w, i) => expect(Array.from(w.data)).toEqual(Array.from(Float32Array.from(c.final_weights[i].data))));
}

describe('real Keras 3.16 files', () => {
  for (const id of TRAINING) {
    const c = readCase(`training/${id}`);
    test(`${id}.keras loads, holds the trained weights and predicts predict_after`, async () => {
      const model = await loadModel(join(FILES, `${id}.keras`));
      expectFinalWeights(model, c);
      await expectPredictAfter(model, c);
    });
    test(`${id}.h5 loads, holds the trained weights and predicts predict_after`, async () => {
      const model = await loadModel(join(FILES, `${id}.h5`));
      expectFinalWeights(model, c);
      await expectPredictAfter(model, c);
    });
    if (id !== 'functional_two_inputs_bce') {
      test(`${id}.weights.h5 loads into the model rebuilt from the case`, async () => {
        const model = caseModel(c);
        await loadWeights(model, join(FILES, `${id}.weights.h5`));
        expectFinalWeights(model, c);
        await expectPredictAfter(model, c);
      });
    }
    test(`${id}: loadWeights also reads the .keras and .h5 files`, async () => {
      for (const ext of ['.keras', '.h5']) {
        const model = caseModel(c);
        await loadWeights(model, join(FILES, `${id}${ext}`));
        expectFinalWeights(model, c);
      }
    });
  }

  test('the models are compiled from the files (optimizer, loss, metrics)', async () => {
    for (const id of TRAINING) {
      const c = readCase(`training/${id}`);
      for (const ext of ['.keras', '.h5']) {
        const model = await loadModel(join(FILES, `${id}${ext}`));
        expect(model.isCompiled).toBe(true);
        expect((model.optimizer.constructor as unknown as { className: string }).className).toBe(c.compile.optimizer.class_name);
        expect(model.optimizer.learningRateVar.value.data[0]).toBeCloseTo(c.compile.optimizer.config.learning_rate as number, 7);
      }
      const uncompiled = await loadModel(join(FILES, `${id}.keras`), { compile: false });
      expect(uncompiled.isCompiled).toBe(false);
    }
  });

  test('a compiled model loaded from .h5 trains on (evaluate gives the loss of the trained weights)', async () => {
    const c = readCase('training/mlp_adam_cce');
    const model = await loadModel(join(FILES, 'mlp_adam_cce.h5'));
    const y = tensorOf((c as unknown as { y: GoldenTensor }).y);
    const out = await model.evaluate(inputsOf(c.x), y, { verbose: 0 });
    expect(Number.isFinite(Array.isArray(out) ? out[0] : out)).toBe(true);
  });

  for (const ext of ['keras', 'h5']) {
    test(`mobilenet_v2_035_96.${ext} (156 layers) reproduces the model case's outputs`, async () => {
      const c = readCase('models/mobilenet_v2_035_96');
      const model = await loadModelFile(join(GOLDENS, c.files![ext]));
      expect(model.layers.length).toBe(156);
      expect(model.countParams()).toBe(423018);
      const y = onlyOutput(await model.predict(tensorOf(c.inputs![0])));
      expect(toleranceRatio(y, c.outputs![0], c.tolerance)).toBeLessThanOrEqual(1);
    });
  }
});
