import { describe, expect, it } from 'vitest';
import { createTsBackend } from '@keras-ts/backend-ts';
import {
  AveragePooling2D,
  BatchNormalization,
  Conv1D,
  Conv2D,
  Conv2DTranspose,
  Conv3D,
  Cropping2D,
  Cropping3D,
  Dense,
  Dropout,
  Embedding,
  GaussianDropout,
  GaussianNoise,
  GlobalAveragePooling2D,
  GlobalMaxPooling3D,
  GRU,
  LSTM,
  MaxPooling1D,
  MaxPooling3D,
  PReLU,
  SeparableConv2D,
  SimpleRNN,
  SpatialDropout1D,
  SpatialDropout2D,
  UpSampling1D,
  UpSampling2D,
  ZeroPadding2D,
  ZeroPadding3D,
  deserializeLayer,
  serialize,
  setBackend,
  type Layer,
} from '../../src/index.js';
import { AtrousConvolution1D, AtrousConvolution2D, Deconvolution2D, Highway, LegacyMerge, MaxoutDense, TimeDistributedDense, convertLegacyLayerArgs, merge, resetLegacyWarnings } from '../../src/legacy/index.js';
import type { GRUArgs, LSTMArgs, SimpleRNNArgs } from '../../src/layers/recurrent/index.js';
import { captureLegacyWarnings } from './warnings.js';

setBackend(createTsBackend());

const spy = captureLegacyWarnings();

const warnings = (): string[] => spy.messages();
const config = (l: Layer): Record<string, unknown> => JSON.parse(JSON.stringify(serialize(l))).config;
// Keras 1 arguments are not part of the TypeScript argument types.
const k1 = <T>(a: Record<string, unknown>): T => a as T;

describe('Keras 1 layer arguments (Keras 2 legacy interfaces)', () => {
  it('Dense: every Keras 1 argument, converted, with one warning naming the Keras 2 call', () => {
    const d = new Dense(k1({ outputDim: 3, init: 'zeros', WRegularizer: 'l2', bRegularizer: 'l1', WConstraint: 'non_neg', bConstraint: 'unit_norm', bias: true }));
    expect(config(d)).toMatchObject({
      units: 3,
      use_bias: true,
      kernel_initializer: { class_name: 'Zeros' },
      kernel_regularizer: { class_name: 'L2' },
      bias_regularizer: { class_name: 'L1' },
      kernel_constraint: { class_name: 'NonNeg' },
      bias_constraint: { class_name: 'UnitNorm' },
    });
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toContain('Update your `Dense` call to the Keras 2 API: `Dense(units=3, kernel_initializer="zeros"');
    expect(warnings()[0]).toContain('units: 3');
    for (const old of ['output_dim', 'init', 'W_regularizer', 'b_regularizer', 'W_constraint', 'b_constraint', 'bias']) expect(warnings()[0]).toContain(`\`${old}\``);
    expect(new Dense(k1({ outputDim: 2, bias: false })).useBias).toBe(false);
  });

  it('warns once per (layer class, Keras 1 name)', () => {
    new Dense(k1({ outputDim: 2 }));
    new Dense(k1({ outputDim: 4 }));
    expect(warnings()).toHaveLength(1);
    new Dense(k1({ outputDim: 4, init: 'ones' }));
    expect(warnings()).toHaveLength(2);
    expect(warnings()[1]).toContain('kernel_initializer="ones"');
    expect(warnings()[1]).not.toContain('`output_dim`');
    new Dropout(k1({ p: 0.5 }));
    new Dropout(k1({ p: 0.5 }));
    expect(warnings()).toHaveLength(3);
    expect(warnings()[2]).toContain('`Dropout(rate=0.5)`');
  });

  it('reads snake_case, config camelCase and TypeScript camelCase spellings', () => {
    expect(new Dense(k1({ output_dim: 5 })).units).toBe(5);
    expect(config(new Dense(k1({ units: 5, W_regularizer: 'l2' })))).toMatchObject({ kernel_regularizer: { class_name: 'L2' } });
    expect(config(new Dense(k1({ units: 5, wRegularizer: 'l2' })))).toMatchObject({ kernel_regularizer: { class_name: 'L2' } });
    // snakeToCamel leaves `dropout_W` as it is; TypeScript users write `dropoutW`.
    expect(convertLegacyLayerArgs('LSTM', { units: 2, dropout_W: 0.1 })).toEqual({ units: 2, dropout: 0.1 });
    expect(convertLegacyLayerArgs('LSTM', { units: 2, dropoutW: 0.1, dropoutU: 0.2 })).toEqual({ units: 2, dropout: 0.1, recurrentDropout: 0.2 });
  });

  it('refuses an argument given in both spellings', () => {
    expect(() => new Dense(k1({ units: 3, outputDim: 3, name: 'both' }))).toThrow(/Dense 'both': the Keras 2 argument `units` \(units\) and its Keras 1 spelling `output_dim` were both given/);
    expect(() => new Conv2D(k1({ filters: 2, kernelSize: 3, nbRow: 3, nbCol: 3 }))).toThrow(/give either `kernel_size`/);
    expect(() => new Conv2D(k1({ filters: 2, nbRow: 3, name: 'half' }))).toThrow(/Conv2D 'half': the Keras 1 window arguments `nb_row`, `nb_col` must be given together \(missing `nb_col`\)/);
  });

  const cases: [string, () => Layer, Record<string, unknown>][] = [
    ['Dropout', () => new Dropout(k1({ p: 0.3 })), { rate: 0.3 }],
    ['SpatialDropout1D', () => new SpatialDropout1D(k1({ p: 0.3 })), { rate: 0.3 }],
    ['SpatialDropout2D', () => new SpatialDropout2D(k1({ p: 0.3, dimOrdering: 'tf' })), { rate: 0.3 }],
    ['MaxPooling1D', () => new MaxPooling1D(k1({ poolLength: 3, stride: 1, borderMode: 'same' })), { pool_size: [3], strides: [1], padding: 'same' }],
    ['AveragePooling2D', () => new AveragePooling2D(k1({ poolSize: [2, 2], borderMode: 'same', dimOrdering: 'tf' })), { pool_size: [2, 2], padding: 'same', data_format: 'channels_last' }],
    ['MaxPooling3D', () => new MaxPooling3D(k1({ borderMode: 'valid', dimOrdering: 'default' })), { padding: 'valid', data_format: 'channels_last' }],
    ['GlobalAveragePooling2D', () => new GlobalAveragePooling2D(k1({ dimOrdering: 'tf' })), { data_format: 'channels_last' }],
    ['GlobalMaxPooling3D', () => new GlobalMaxPooling3D(k1({ dimOrdering: 'tf' })), { data_format: 'channels_last' }],
    ['PReLU', () => new PReLU(k1({ init: 'ones' })), { alpha_initializer: { class_name: 'Ones' } }],
    ['GaussianNoise', () => new GaussianNoise(k1({ sigma: 0.1 })), { stddev: 0.1 }],
    ['GaussianDropout', () => new GaussianDropout(k1({ p: 0.2 })), { rate: 0.2 }],
    ['UpSampling1D', () => new UpSampling1D(k1({ length: 3 })), { size: 3 }],
    ['UpSampling2D', () => new UpSampling2D(k1({ size: [2, 3], dimOrdering: 'tf' })), { size: [2, 3], data_format: 'channels_last' }],
    [
      'Conv1D',
      () => new Conv1D(k1({ nbFilter: 4, filterLength: 3, subsampleLength: 2, borderMode: 'same', init: 'ones', bias: false, inputDim: 5, inputLength: 7 })),
      { filters: 4, kernel_size: [3], strides: [2], padding: 'same', use_bias: false, kernel_initializer: { class_name: 'Ones' }, batch_input_shape: [null, 7, 5] },
    ],
    [
      'Conv2D',
      () => new Conv2D(k1({ nbFilter: 4, nbRow: 3, nbCol: 2, subsample: [2, 1], borderMode: 'valid', dimOrdering: 'tf', WRegularizer: { name: 'L1L2Regularizer', l1: 0, l2: 0.01 } })),
      { filters: 4, kernel_size: [3, 2], strides: [2, 1], padding: 'valid', data_format: 'channels_last', kernel_regularizer: { class_name: 'L1L2', config: { l1: 0, l2: expect.closeTo(0.01, 6) } } },
    ],
    [
      'Conv2DTranspose (Deconvolution2D)',
      () => new Deconvolution2D(k1({ nbFilter: 3, nbRow: 2, nbCol: 2, outputShape: [null, 8, 8, 3], subsample: [2, 2], borderMode: 'same' })),
      { filters: 3, kernel_size: [2, 2], strides: [2, 2], padding: 'same' },
    ],
    [
      'SeparableConv2D',
      () => new SeparableConv2D(k1({ nbFilter: 4, nbRow: 3, nbCol: 3, init: 'ones', depthMultiplier: 2, bRegularizer: 'l2' })),
      { filters: 4, kernel_size: [3, 3], depth_multiplier: 2, depthwise_initializer: { class_name: 'Ones' }, pointwise_initializer: { class_name: 'Ones' }, bias_regularizer: { class_name: 'L2' } },
    ],
    ['Conv3D', () => new Conv3D(k1({ nbFilter: 2, kernelDim1: 1, kernelDim2: 2, kernelDim3: 3, dimOrdering: 'tf', subsample: [1, 1, 1] })), { filters: 2, kernel_size: [1, 2, 3], data_format: 'channels_last' }],
    [
      'BatchNormalization',
      () => new BatchNormalization(k1({ mode: 0, betaInit: 'ones', gammaInit: 'zeros', axis: -1 })),
      { beta_initializer: { class_name: 'Ones' }, gamma_initializer: { class_name: 'Zeros' } },
    ],
    ['ZeroPadding2D (dict)', () => new ZeroPadding2D(k1({ padding: { top_pad: 1, bottom_pad: 2, right_pad: 3 }, dimOrdering: 'tf' })), { padding: [[1, 2], [0, 3]], data_format: 'channels_last' }],
    ['ZeroPadding2D (four numbers)', () => new ZeroPadding2D(k1({ padding: [1, 2, 3, 4] })), { padding: [[1, 2], [3, 4]] }],
    ['ZeroPadding3D', () => new ZeroPadding3D(k1({ padding: [1, 1, 1], dimOrdering: 'tf' })), { data_format: 'channels_last' }],
    ['Cropping2D', () => new Cropping2D(k1({ cropping: [[1, 1], [0, 0]], dimOrdering: 'tf' })), { cropping: [[1, 1], [0, 0]], data_format: 'channels_last' }],
    ['Cropping3D', () => new Cropping3D(k1({ dimOrdering: 'tf' })), { data_format: 'channels_last' }],
  ];
  for (const [name, make, want] of cases) {
    it(`${name}: Keras 1 arguments give the Keras 2 config, warn once, and the config round-trips without warnings`, () => {
      const layer = make();
      expect(config(layer)).toMatchObject(want);
      const n = warnings().length;
      expect(n).toBeGreaterThan(0);
      make();
      expect(warnings()).toHaveLength(n);
      resetLegacyWarnings();
      const again = deserializeLayer(JSON.parse(JSON.stringify(serialize(layer))));
      expect(JSON.stringify(serialize(again))).toBe(JSON.stringify(serialize(layer)));
      expect(warnings()).toHaveLength(n);
    });
  }

  it("dim_ordering 'th' becomes channels_first, which the convolution and pooling layers refuse", () => {
    expect(() => new Conv2D(k1({ nbFilter: 2, nbRow: 3, nbCol: 3, dimOrdering: 'th', name: 'th_conv' }))).toThrow(/Conv2D 'th_conv': argument 'dataFormat' got "channels_first": only 'channels_last' is supported/);
    expect(warnings()[0]).toContain('data_format="channels_first"');
    expect(() => new AveragePooling2D(k1({ dimOrdering: 'th' }))).toThrow(/channels_first/);
  });

  it('Embedding: the conversion of its Keras 1 arguments; dropout is ignored with a warning (as Keras 2)', () => {
    const a: Record<string, unknown> = { inputDim: 10, outputDim: 4, init: 'ones', WRegularizer: 'l2', WConstraint: 'non_neg', dropout: 0.2, name: 'emb' };
    expect(convertLegacyLayerArgs('Embedding', a)).toEqual({ inputDim: 10, outputDim: 4, embeddingsInitializer: 'ones', embeddingsRegularizer: 'l2', embeddingsConstraint: 'non_neg', name: 'emb' });
    expect(a).toEqual({ inputDim: 10, outputDim: 4, init: 'ones', WRegularizer: 'l2', WConstraint: 'non_neg', dropout: 0.2, name: 'emb' });
    expect(warnings().some((w) => w.includes("Embedding 'emb'") && w.includes('SpatialDropout1D'))).toBe(true);
    expect(warnings().some((w) => w.includes('`Embedding(embeddings_initializer="ones"'))).toBe(true);
  });

  // Embedding passes Layer's constructor a copy of its arguments (without input_dim): it converts
  // them before copying, or the copy would keep the Keras 1 spellings.
  it('Embedding constructed with Keras 1 arguments', () => {
    const e = new Embedding(k1({ inputDim: 10, outputDim: 4, init: 'ones', WRegularizer: 'l2', WConstraint: 'non_neg', dropout: 0.2 }));
    expect(config(e)).toMatchObject({ input_dim: 10, output_dim: 4, embeddings_initializer: { class_name: 'Ones' }, embeddings_regularizer: { class_name: 'L2' }, embeddings_constraint: { class_name: 'NonNeg' } });
    expect(config(e)).not.toHaveProperty('dropout');
  });

  it('BatchNormalization: mode 0 is accepted, modes 1 and 2 are refused', () => {
    expect(() => new BatchNormalization(k1({ mode: 0 }))).not.toThrow();
    expect(() => new BatchNormalization(k1({ mode: 1, name: 'bn1' }))).toThrow(/BatchNormalization 'bn1': argument 'mode' got 1: the Keras 1 `mode` argument of BatchNormalization no longer exists in Keras 2, and its modes 1 and 2 are not supported/);
    expect(() => new BatchNormalization(k1({ mode: 2 }))).toThrow(/modes 1 and 2 are not supported/);
    expect(() => deserializeLayer({ class_name: 'BatchNormalization', config: { mode: 2, axis: -1, epsilon: 1e-3, momentum: 0.99 } })).toThrow(/mode/);
  });

  it('AtrousConvolution1D/2D build Conv1D/Conv2D with dilation_rate, in code and from configs', () => {
    const a2 = new AtrousConvolution2D(k1({ nbFilter: 2, nbRow: 3, nbCol: 3, atrousRate: [2, 2], borderMode: 'same' }));
    expect(a2).toBeInstanceOf(Conv2D);
    expect(serialize(a2).class_name).toBe('Conv2D');
    expect(config(a2)).toMatchObject({ filters: 2, kernel_size: [3, 3], dilation_rate: [2, 2], padding: 'same' });
    expect(warnings().some((w) => w.includes('`AtrousConvolution2D` layer is deprecated'))).toBe(true);
    const a1 = deserializeLayer({ class_name: 'AtrousConvolution1D', config: { nb_filter: 2, filter_length: 3, atrous_rate: 2, border_mode: 'valid' } });
    expect(a1).toBeInstanceOf(Conv1D);
    expect(config(a1)).toMatchObject({ filters: 2, kernel_size: [3], dilation_rate: [2] });
    expect(deserializeLayer({ class_name: 'AtrousConv2D', config: { nb_filter: 1, nb_row: 2, nb_col: 2, atrous_rate: [3, 3] } })).toBeInstanceOf(Conv2D);
    expect(new AtrousConvolution1D(k1({ nbFilter: 1, filterLength: 2 }))).toBeInstanceOf(Conv1D);
  });

  it('Deconvolution2D and Deconv2D configs load Conv2DTranspose', () => {
    const d = deserializeLayer({ class_name: 'Deconvolution2D', config: { nb_filter: 3, nb_row: 3, nb_col: 3, output_shape: [null, 14, 14, 3], border_mode: 'same', subsample: [2, 2], dim_ordering: 'tf' } });
    expect(d).toBeInstanceOf(Conv2DTranspose);
    expect(config(d)).toMatchObject({ filters: 3, kernel_size: [3, 3], strides: [2, 2], padding: 'same' });
    expect(deserializeLayer({ class_name: 'Deconv2D', config: { filters: 1, kernel_size: 2 } })).toBeInstanceOf(Conv2DTranspose);
  });

  it('Keras 1 input_dtype is dropped from layers (it was the input placeholder dtype)', () => {
    const d = deserializeLayer({ class_name: 'Dense', config: { output_dim: 2, batch_input_shape: [null, 3], input_dtype: 'float32' } });
    expect(config(d)).toMatchObject({ units: 2, batch_input_shape: [null, 3], dtype: 'float32' });
    expect(config(d)).not.toHaveProperty('input_dtype');
  });

  it('Keras 1 regularizer and constraint objects are read as Keras 2 ones', () => {
    const d = new Dense(
      k1({ outputDim: 2, WRegularizer: { name: 'WeightRegularizer', l1: 0.1, l2: 0 }, activityRegularizer: { name: 'ActivityRegularizer', l1: 0, l2: 0.2 }, WConstraint: { name: 'MaxNorm', m: 3, axis: 0 }, bConstraint: { name: 'MinMaxNorm', low: 0.5, high: 2, rate: 1, axis: 0 } }),
    );
    expect(config(d)).toMatchObject({
      kernel_regularizer: { class_name: 'L1L2', config: { l1: expect.closeTo(0.1, 6), l2: 0 } },
      activity_regularizer: { class_name: 'L1L2', config: { l2: expect.closeTo(0.2, 6) } },
      kernel_constraint: { class_name: 'MaxNorm', config: { max_value: 3, axis: 0 } },
      bias_constraint: { class_name: 'MinMaxNorm', config: { min_value: 0.5, max_value: 2 } },
    });
    expect(() => new Dense(k1({ units: 1, WRegularizer: { name: 'EigenvalueRegularizer', k: 1 } }))).toThrow(/EigenvalueRegularizer, which Keras 2 removed/);
  });
});

describe('recurrent layers (Keras 1 arguments)', () => {
  it('the conversion of SimpleRNN/GRU/LSTM arguments', () => {
    const a: Record<string, unknown> = {
      outputDim: 4,
      init: 'ones',
      innerInit: 'zeros',
      innerActivation: 'sigmoid',
      forgetBiasInit: 'one',
      WRegularizer: 'l2',
      URegularizer: 'l1',
      bRegularizer: 'l2',
      dropout_W: 0.1,
      dropout_U: 0.2,
      consumeLess: 'gpu',
      inputDim: 3,
      inputLength: 5,
      returnSequences: true,
    };
    expect(convertLegacyLayerArgs('LSTM', a)).toEqual({
      units: 4,
      kernelInitializer: 'ones',
      recurrentInitializer: 'zeros',
      recurrentActivation: 'sigmoid',
      unitForgetBias: true,
      kernelRegularizer: 'l2',
      recurrentRegularizer: 'l1',
      biasRegularizer: 'l2',
      dropout: 0.1,
      recurrentDropout: 0.2,
      implementation: 2,
      inputShape: [5, 3],
      returnSequences: true,
    });
    const w = warnings();
    expect(w.some((m) => m.startsWith('Update your `LSTM` call to the Keras 2 API: `LSTM(') && m.includes('units=4') && m.includes('implementation=2'))).toBe(true);
    expect(w.some((m) => m.includes('`input_dim` and `input_length` arguments of recurrent layers'))).toBe(true);
    expect(convertLegacyLayerArgs('GRU', { outputDim: 2, consumeLess: 'cpu', forgetBiasInit: 'zero' })).toEqual({ units: 2, implementation: 0, resetAfter: false });
    expect(warnings().some((m) => m.includes('reset_after=False'))).toBe(true);
    expect(warnings().some((m) => m.includes('`forget_bias_init` ("zero") is ignored in Keras 2'))).toBe(true);
    expect(convertLegacyLayerArgs('SimpleRNN', { output_dim: 2, consume_less: 'mem', input_dim: null, input_length: null })).toEqual({ units: 2, implementation: 1 });
  });

  // SimpleRNN, GRU, LSTM and ConvLSTM pass Layer's constructor a copy of their arguments
  // (`super({ ...args, cell: undefined })`): they convert them before copying.
  it('LSTM, GRU and SimpleRNN constructed with Keras 1 arguments', () => {
    const l = new LSTM(k1<LSTMArgs>({ outputDim: 3, innerActivation: 'sigmoid', dropout_W: 0.1, consumeLess: 'mem', forgetBiasInit: 'one' }));
    expect(config(l)).toMatchObject({ units: 3, recurrent_activation: 'sigmoid', dropout: 0.1, implementation: 1, unit_forget_bias: true });
    expect(config(new GRU(k1<GRUArgs>({ outputDim: 2, init: 'ones' })))).toMatchObject({ units: 2, kernel_initializer: { class_name: 'Ones' } });
    expect(config(new SimpleRNN(k1<SimpleRNNArgs>({ outputDim: 2, dropout_U: 0.3 })))).toMatchObject({ units: 2, recurrent_dropout: 0.3 });
  });
});

describe('layers removed in Keras 2', () => {
  const removed: [string, new (a?: Record<string, unknown>) => unknown, Record<string, unknown>, RegExp][] = [
    ['MaxoutDense', MaxoutDense, { output_dim: 8, nb_feature: 3, name: 'mx' }, /The Keras 1 layer `MaxoutDense \('mx'\)` was removed in Keras 2.*3 Dense layers.*Maximum.*units: 8/],
    ['TimeDistributedDense', TimeDistributedDense, { output_dim: 5 }, /`TimeDistributedDense` was removed in Keras 2.*new TimeDistributed\(\{ layer: new Dense\(\{ units: 5 \}\) \}\)/],
    ['Highway', Highway, { activation: 'relu' }, /`Highway` was removed in Keras 2.*Dense layers/],
    ['Merge', LegacyMerge, { mode: 'concat', concat_axis: 1 }, /`Merge` was removed in Keras 2.*mode 'concat'.*Concatenate\(\{ axis: 1 \}\)/],
  ];
  for (const [name, Cls, cfg, message] of removed) {
    it(`${name} fails when constructed and when named in a config`, () => {
      expect(() => new Cls(cfg)).toThrow(message);
      expect(() => deserializeLayer({ class_name: name, config: cfg })).toThrow(message);
    });
  }

  it('Merge names the Keras 2 layer for each mode; merge() fails too', () => {
    const m = (mode: string) => () => new LegacyMerge({ mode, dot_axes: [1, 1] });
    expect(m('sum')).toThrow(/Add/);
    expect(m('mul')).toThrow(/Multiply/);
    expect(m('ave')).toThrow(/Average/);
    expect(m('max')).toThrow(/Maximum/);
    expect(m('dot')).toThrow(/Dot \(`new Dot\(\{ axes: \[1,1\] \}\)/);
    expect(m('cos')).toThrow(/normalize: true/);
    expect(() => merge([], { mode: 'sum' })).toThrow(/The Keras 1 function `merge` was removed in Keras 2.*add\(\[a, b\]\)/);
  });
});
