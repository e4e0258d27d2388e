import { describe, expect, it } from 'vitest';
import { createTsBackend } from '@keras-ts/backend-ts';
import {
  BatchNormalization,
  Conv1D,
  Conv2D,
  Dense,
  Dropout,
  Embedding,
  Flatten,
  GlobalMaxPooling1D,
  Input,
  L1L2,
  MaxPooling2D,
  Model,
  Sequential,
  Tensor,
  modelFromJSON,
  serialize,
  setBackend,
  type KerasTensor,
  type Layer,
  onlyOutput,
} from '../../src/index.js';
import { convertKeras1ModelConfig } from '../../src/legacy/index.js';
import { captureLegacyWarnings } from './warnings.js';

setBackend(createTsBackend());

const spy = captureLegacyWarnings();

/** A Keras 1.2 `model.to_json()` of a small CNN, written out by hand. */
const keras1Cnn = {
  class_name: 'Sequential',
  keras_version: '1.2.2',
  config: [
    {
      class_name: 'Convolution2D',
      config: {
        name: 'convolution2d_1',
        trainable: true,
        batch_input_shape: [null, 6, 6, 2],
        input_dtype: 'float32',
        nb_filter: 3,
        nb_row: 3,
        nb_col: 3,
        init: 'glorot_uniform',
        activation: 'relu',
        border_mode: 'same',
        subsample: [1, 1],
        dim_ordering: 'tf',
        W_regularizer: { name: 'L1L2Regularizer', l1: 0.0, l2: 0.01 },
        b_regularizer: null,
        activity_regularizer: null,
        W_constraint: null,
        b_constraint: null,
        bias: true,
      },
    },
    { class_name: 'MaxPooling2D', config: { name: 'maxpooling2d_1', trainable: true, pool_size: [2, 2], strides: [2, 2], border_mode: 'valid', dim_ordering: 'tf' } },
    { class_name: 'BatchNormalization', config: { name: 'batchnormalization_1', trainable: true, epsilon: 0.001, mode: 0, axis: -1, gamma_regularizer: null, beta_regularizer: null, momentum: 0.99 } },
    { class_name: 'Flatten', config: { name: 'flatten_1', trainable: true } },
    {
      class_name: 'Dense',
      config: { name: 'dense_1', trainable: true, output_dim: 4, init: 'glorot_uniform', activation: 'tanh', W_regularizer: null, b_regularizer: null, activity_regularizer: null, W_constraint: null, b_constraint: null, bias: true, input_dim: 27 },
    },
    { class_name: 'Dropout', config: { name: 'dropout_1', trainable: true, p: 0.5 } },
    {
      class_name: 'Dense',
      config: { name: 'dense_2', trainable: true, output_dim: 2, init: 'glorot_uniform', activation: 'softmax', W_regularizer: null, b_regularizer: null, activity_regularizer: null, W_constraint: null, b_constraint: null, bias: true, input_dim: 4 },
    },
  ],
};

/** A Keras 1.2 functional model: int inputs, Embedding, Convolution1D, GlobalMaxPooling1D, Dense. */
const keras1Text = {
  class_name: 'Model',
  keras_version: '1.2.2',
  config: {
    name: 'model_1',
    layers: [
      { name: 'input_1', class_name: 'InputLayer', config: { batch_input_shape: [null, 7], input_dtype: 'int32', sparse: false, name: 'input_1' }, inbound_nodes: [] },
      {
        name: 'embedding_1',
        class_name: 'Embedding',
        config: { name: 'embedding_1', trainable: true, batch_input_shape: [null, 7], input_dtype: 'int32', input_dim: 12, output_dim: 4, init: 'uniform', input_length: 7, mask_zero: false, activity_regularizer: null, W_regularizer: null, W_constraint: null, dropout: 0.0 },
        inbound_nodes: [[['input_1', 0, 0]]],
      },
      {
        name: 'convolution1d_1',
        class_name: 'Convolution1D',
        config: {
          name: 'convolution1d_1',
          trainable: true,
          nb_filter: 5,
          filter_length: 3,
          init: 'glorot_uniform',
          activation: 'relu',
          border_mode: 'valid',
          subsample_length: 1,
          W_regularizer: null,
          b_regularizer: null,
          activity_regularizer: null,
          W_constraint: null,
          b_constraint: null,
          bias: true,
          input_dim: null,
          input_length: null,
        },
        inbound_nodes: [[['embedding_1', 0, 0]]],
      },
      { name: 'globalmaxpooling1d_1', class_name: 'GlobalMaxPooling1D', config: { name: 'globalmaxpooling1d_1', trainable: true }, inbound_nodes: [[['convolution1d_1', 0, 0]]] },
      {
        name: 'dense_1',
        class_name: 'Dense',
        config: { name: 'dense_1', trainable: true, output_dim: 1, init: 'glorot_uniform', activation: 'sigmoid', W_regularizer: null, b_regularizer: null, activity_regularizer: null, W_constraint: null, b_constraint: null, bias: true, input_dim: 5 },
        inbound_nodes: [[['globalmaxpooling1d_1', 0, 0]]],
      },
    ],
    input_layers: [['input_1', 0, 0]],
    output_layers: [['dense_1', 0, 0]],
  },
};

function seededTensor(shape: number[], seed: number, scale = 1): Tensor {
  let s = seed;
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor(
    shape,
    'float32',
    Float32Array.from({ length: n }, () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return (s / 4294967296 - 0.5) * 2 * scale;
    }),
  );
}

/** Random weights of the right shapes (variances positive), set into both models. */
function sameRandomWeights(a: Layer, b: Layer): void {
  const values = a.weights.map((w, i) => {
    const t = seededTensor([...w.shape], 100 + i, 0.7);
    if (w.path.includes('variance')) return new Tensor(t.shape, 'float32', t.data.map((v) => 0.5 + Math.abs(v)));
    return t;
  });
  a.setWeights(values);
  b.setWeights(values);
}

/** A layer's config without its (auto-generated) name. */
function unnamed(l: Layer): Record<string, unknown> {
  const { name: _n, ...rest } = JSON.parse(JSON.stringify(serialize(l).config));
  return rest;
}

function expectSameTensor(a: Tensor, b: Tensor): void {
  expect(a.shape).toEqual(b.shape);
  a.data.forEach((v, i) => expect(Math.abs(v - b.data[i])).toBeLessThan(1e-6));
}

describe('Keras 1 model configs', () => {
  it('a Keras 1 Sequential (CNN) loads as its Keras 2 equivalent and predicts the same with the same weights', async () => {
    const m1 = modelFromJSON(convertKeras1ModelConfig(JSON.stringify(keras1Cnn))) as Sequential;
    const m2 = new Sequential({
      layers: [
        new Conv2D({ filters: 3, kernelSize: 3, activation: 'relu', padding: 'same', inputShape: [6, 6, 2], kernelRegularizer: new L1L2({ l1: 0, l2: 0.01 }) }),
        new MaxPooling2D({ poolSize: 2 }),
        new BatchNormalization({}),
        new Flatten({}),
        new Dense({ units: 4, activation: 'tanh' }),
        new Dropout({ rate: 0.5 }),
        new Dense({ units: 2, activation: 'softmax' }),
      ],
    });
    expect(m1.layers.map((l) => l.className)).toEqual(['Conv2D', 'MaxPooling2D', 'BatchNormalization', 'Flatten', 'Dense', 'Dropout', 'Dense']);
    expect(m1.layers.map((l) => l.name)).toEqual(['convolution2d_1', 'maxpooling2d_1', 'batchnormalization_1', 'flatten_1', 'dense_1', 'dropout_1', 'dense_2']);
    // The same Keras 2 configs, apart from the names and the input_dim Keras 1 wrote on every Dense.
    m1.layers.forEach((l, i) => {
      const c1 = unnamed(l);
      const c2 = unnamed(m2.layers[i]);
      if (l.className === 'Dense') delete c1.batch_input_shape;
      expect(c1).toEqual(c2);
    });
    sameRandomWeights(m1, m2);
    const x = seededTensor([3, 6, 6, 2], 7);
    expectSameTensor(await m1.predict(x), await m2.predict(x));
    // One warning per (layer class, Keras 1 argument).
    const w = spy.warn.mock.calls.map((c) => String(c[0]));
    expect(w.filter((m) => m.startsWith('Update your `Dense` call'))).toHaveLength(1);
    expect(w.filter((m) => m.startsWith('Update your `Conv2D` call'))).toHaveLength(1);
  });

  it('a Keras 1 functional model (Embedding, Convolution1D) loads and predicts as its Keras 2 equivalent', async () => {
    const m1 = modelFromJSON(convertKeras1ModelConfig(keras1Text));
    const x = Input({ shape: [7], dtype: 'int32' });
    let h = new Embedding({ inputDim: 12, outputDim: 4, inputLength: 7 }).apply(x);
    h = new Conv1D({ filters: 5, kernelSize: 3, activation: 'relu' }).apply(h);
    h = new GlobalMaxPooling1D({}).apply(h);
    const m2 = new Model({ inputs: x, outputs: new Dense({ units: 1, activation: 'sigmoid' }).apply(h) });
    expect(m1.layers.map((l) => l.className)).toEqual(m2.layers.map((l) => l.className));
    expect(m1.inputs[0].dtype).toBe('int32');
    sameRandomWeights(m1, m2);
    const ids = new Tensor([2, 7], 'int32', Int32Array.from([1, 5, 3, 11, 0, 2, 7, 4, 4, 9, 10, 6, 1, 8]));
    expectSameTensor(onlyOutput(await m1.predict(ids)), await m2.predict(ids));
  });

  it('Keras 2 configs come back unchanged; a Keras 1 Merge is refused with what to use', () => {
    const k2 = JSON.parse(new Sequential({ layers: [new Dense({ units: 2, inputShape: [3] })] }).toJSON());
    expect(convertKeras1ModelConfig(k2)).toEqual(k2);
    const withMerge = {
      class_name: 'Sequential',
      config: [{ class_name: 'Merge', config: { name: 'merge_1', mode: 'sum', layers: [{ class_name: 'Sequential', config: [] }] } }],
    };
    expect(() => convertKeras1ModelConfig(withMerge)).toThrow(/`Merge \('merge_1'\)` was removed in Keras 2.*mode 'sum'.*Add.*functional Model/);
    expect(() => convertKeras1ModelConfig('{not json')).toThrow(/not valid JSON/);
  });
});
