import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  BatchNormalization,
  Bidirectional,
  Concatenate,
  Dense,
  deserializeLayer,
  Input,
  KerasTensor,
  LSTM,
  Model,
  MultiHeadAttention,
  Sequential,
  TimeDistributed,
  Tensor,
  type Layer,
} from '../../src/index.js';
import { loadModel, loadWeights, saveModel, saveWeights, type ModelFormat } from '../../src/saving/index.js';
import { expectSameWeights, FILES, inputsOf, readCase, tempDir } from './helpers.js';

const ext: Record<ModelFormat, string> = { keras: '.keras', h5: '.h5', tfjs: '.json' };

function seededTensor(shape: number[], seed: number): Tensor {
  let s = seed;
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1)).map(() => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) * 2 - 1);
  return new Tensor(shape, 'float32', data);
}

/** Gives every weight distinct values, so that a swapped or misplaced weight shows. */
function scrambleWeights(model: Model, seed = 7): void {
  model.setWeights(model.weights.map((w, i) => seededTensor([...w.shape], seed + i * 101)));
}

function configOf(m: Model): unknown {
  return JSON.parse(m.toJSON());
}

async function predictAll(m: Model, x: Tensor | Tensor[]): Promise<number[][]> {
  const y = await m.predict(x);
  return (Array.isArray(y) ? y : [y]).map((t) => Array.from(t.data));
}

async function expectRoundTrip(model: Model, x: Tensor | Tensor[], format: ModelFormat): Promise<Model> {
  const dir = tempDir();
  const file = join(dir, `model${ext[format]}`);
  await saveModel(model, file);
  const back = await loadModel(file);
  expect(configOf(back)).toEqual(configOf(model));
  expectSameWeights(model, back);
  expect(await predictAll(back, x)).toEqual(await predictAll(model, x));
  // Nothing but the file (and TF.js' shard) is left in the directory.
  expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  return back;
}

async function expectWeightsRoundTrip(model: Model, name: string): Promise<void> {
  const file = join(tempDir(), name);
  await saveWeights(model, file);
  const fresh = deserializeLayer(configOf(model)) as Model;
  await loadWeights(fresh, file);
  expectSameWeights(model, fresh);
}

/** Functional model with nested layers: Bidirectional(LSTM), TimeDistributed(Dense), a frozen BatchNormalization, MultiHeadAttention and a nested Sequential. */
function nestedModel(): { model: Model; x: Tensor } {
  const inp = Input({ shape: [5, 3], name: 'seq_in' });
  const bi = new Bidirectional({ layer: new LSTM({ units: 4, returnSequences: true }) }).apply(inp);
  const td = new TimeDistributed({ layer: new Dense({ units: 6 }) }).apply(bi);
  const bn = new BatchNormalization();
  bn.trainable = false;
  const normed = bn.apply(td);
  const att = new MultiHeadAttention({ numHeads: 2, keyDim: 3 }).apply([normed, normed]);
  const inner = new Sequential({ layers: [new Dense({ units: 5, activation: 'relu', inputShape: [5, 12] }), new Dense({ units: 2 })] });
  const out = inner.apply(new Concatenate().apply([att, normed]));
  const model = new Model({ inputs: inp, outputs: out });
  scrambleWeights(model);
  return { model, x: seededTensor([2, 5, 3], 3) };
}

describe('save -> load round trips', () => {
  const cases = ['mlp_adam_cce', 'cnn_sgd_scce', 'lstm_rmsprop_mse', 'functional_two_inputs_bce'];
  for (const id of cases) {
    for (const format of ['keras', 'h5', 'tfjs'] as ModelFormat[]) {
      test(`${id} as ${format}: config, weights (bit-equal), predictions and compile setup`, async () => {
        const c = readCase(`training/${id}`);
        const model = await loadModel(join(FILES, `${id}.keras`));
        const back = await expectRoundTrip(model, inputsOf(c.x), format);
        expect(back.isCompiled).toBe(true);
        expect(JSON.stringify(back.optimizer.getConfig())).toBe(JSON.stringify(model.optimizer.getConfig()));
      });
    }
    test(`${id}: saveWeights/loadWeights in both layouts`, async () => {
      const model = await loadModel(join(FILES, `${id}.keras`));
      await expectWeightsRoundTrip(model, 'w.weights.h5');
      await expectWeightsRoundTrip(model, 'w.h5');
    });
  }

  test('an uncompiled model round-trips uncompiled', async () => {
    const model = new Sequential({ layers: [new Dense({ units: 3, inputShape: [2] })] });
    for (const format of ['keras', 'h5', 'tfjs'] as ModelFormat[]) {
      const back = await expectRoundTrip(model, seededTensor([4, 2], 1), format);
      expect(back.isCompiled).toBe(false);
    }
  });

  for (const format of ['keras', 'h5', 'tfjs'] as ModelFormat[]) {
    test(`nested layers (Bidirectional, TimeDistributed, frozen BatchNormalization, MultiHeadAttention, nested Sequential) as ${format}`, async () => {
      const { model, x } = nestedModel();
      model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
      await expectRoundTrip(model, x, format);
    });
  }

  test('nested layers: weights files in both layouts', async () => {
    const { model } = nestedModel();
    await expectWeightsRoundTrip(model, 'nested.weights.h5');
    await expectWeightsRoundTrip(model, 'nested.h5');
  });

  test("the Keras 3 layout puts sublayers under Keras 3's attribute paths", async () => {
    const { keras3Entries } = await import('../../src/saving/keras3-weights.js');
    const { model } = nestedModel();
    const paths = keras3Entries(model)
      .filter((e) => e.variables.length)
      .map((e) => `${e.path}: ${e.variables.map((v) => v.name).join(',')}`);
    expect(paths).toEqual([
      'layers/bidirectional/backward_layer/cell: kernel,recurrent_kernel,bias',
      'layers/bidirectional/forward_layer/cell: kernel,recurrent_kernel,bias',
      'layers/time_distributed/layer: kernel,bias',
      'layers/batch_normalization: gamma,beta,moving_mean,moving_variance',
      'layers/multi_head_attention/_key_dense: kernel,bias',
      'layers/multi_head_attention/_output_dense: kernel,bias',
      'layers/multi_head_attention/_query_dense: kernel,bias',
      'layers/multi_head_attention/_value_dense: kernel,bias',
      'layers/sequential/layers/dense: kernel,bias',
      'layers/sequential/layers/dense_1: kernel,bias',
    ]);
  });

  test("the .keras config.json is adapted where Keras 3's loader needs it", async () => {
    const { archiveConfig } = await import('../../src/saving/index.js');
    const { model } = nestedModel();
    const cfg = archiveConfig(model) as { module: string; class_name: string; registered_name: string; config: { layers: { class_name: string; module?: string; config: Record<string, any> }[] } };
    expect([cfg.module, cfg.class_name, cfg.registered_name]).toEqual(['keras.src.models.functional', 'Functional', 'Functional']);
    const byClass = (c: string) => cfg.config.layers.find((l) => l.class_name === c)!;
    // Entries of the layers list stay module-less (Keras 3's legacy path); nested layers get a module.
    expect(byClass('Bidirectional').module).toBeUndefined();
    const inner = byClass('Bidirectional').config.layer;
    expect([inner.module, inner.class_name, inner.registered_name]).toEqual(['keras.layers', 'LSTM', null]);
    expect(inner.config).not.toHaveProperty('time_major');
    expect(inner.config).not.toHaveProperty('implementation');
    expect(byClass('TimeDistributed').config.layer.module).toBe('keras.layers');
    expect(byClass('MultiHeadAttention').config).not.toHaveProperty('query_shape');
    // The nested Sequential: an explicit InputLayer, no batch_input_shape on its first layer.
    const seq = byClass('Sequential').config;
    expect(seq.layers[0]).toMatchObject({ class_name: 'InputLayer', config: { batch_shape: [null, 5, 12] } });
    expect(seq.layers[1].config).not.toHaveProperty('batch_input_shape');
    const mobilenet = archiveConfig(await loadModel(join(FILES, 'mobilenet_v2_035_96.h5'))) as typeof cfg;
    const depthwise = mobilenet.config.layers.filter((l) => l.class_name === 'DepthwiseConv2D');
    expect(depthwise.length).toBe(17);
    for (const l of depthwise) expect(l.config).not.toHaveProperty('groups');
  });

  test('mobilenet_v2_035_96 (156 layers, BatchNormalization statistics) round-trips in every format', async () => {
    const c = readCase('models/mobilenet_v2_035_96');
    const model = await loadModel(join(FILES, 'mobilenet_v2_035_96.h5'));
    const x = inputsOf(c.inputs![0]);
    for (const format of ['keras', 'h5', 'tfjs'] as ModelFormat[]) await expectRoundTrip(model, x, format);
    await expectWeightsRoundTrip(model, 'm.weights.h5');
    await expectWeightsRoundTrip(model, 'm.h5');
  });

  test('weights load into a model whose layers have other (auto-generated) names', async () => {
    const make = () => new Sequential({ layers: [new Dense({ units: 4, inputShape: [3] }), new Dense({ units: 2 })] });
    const a = make();
    scrambleWeights(a);
    for (const name of ['w.weights.h5', 'w.h5', 'w.json']) {
      const file = join(tempDir(), name);
      if (name.endsWith('.json')) await saveModel(a, file);
      else await saveWeights(a, file);
      const b = make();
      expect(b.layers[0].name).not.toBe(a.layers[0].name);
      await loadWeights(b, file);
      a.weights.forEach((w, i) => expect(Array.from(b.weights[i].value.data)).toEqual(Array.from(w.value.data)));
    }
  });

  test('a Keras 3 weights file whose layer order differs from ours is matched by the saved layer names', async () => {
    const x = Input({ shape: [3], name: 'x' });
    const d1 = new Dense({ units: 2, name: 'first' });
    const d2 = new Dense({ units: 2, name: 'second' });
    const model = new Model({ inputs: x, outputs: [d1.apply(x), d2.apply(x)] });
    scrambleWeights(model);
    const file = join(tempDir(), 'order.weights.h5');
    await saveWeights(model, file);
    // The same layers, created in the other order: positions swap, names stay.
    const x2 = Input({ shape: [3], name: 'x' });
    const e2 = new Dense({ units: 2, name: 'second' });
    const e1 = new Dense({ units: 2, name: 'first' });
    const swapped = new Model({ inputs: x2, outputs: [e2.apply(x2), e1.apply(x2)] });
    await loadWeights(swapped, file);
    const byName = (m: Model, n: string) => (m.getLayer(n) as Layer).getWeights().map((t) => Array.from(t.data));
    expect(byName(swapped, 'first')).toEqual(byName(model, 'first'));
    expect(byName(swapped, 'second')).toEqual(byName(model, 'second'));
  });
});
