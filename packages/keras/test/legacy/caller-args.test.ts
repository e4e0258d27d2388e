import { describe, expect, it } from 'vitest';
import { createTsBackend } from '@keras-ts/backend-ts';
import {
  AveragePooling1D,
  AveragePooling2D,
  AveragePooling3D,
  BatchNormalization,
  Conv1D,
  Conv2D,
  Conv2DTranspose,
  Conv3D,
  ConvLSTM2D,
  Cropping2D,
  Cropping3D,
  Dense,
  Dropout,
  Embedding,
  GaussianDropout,
  GaussianNoise,
  GlobalAveragePooling2D,
  GlobalAveragePooling3D,
  GlobalMaxPooling2D,
  GlobalMaxPooling3D,
  GRU,
  Input,
  InputLayer,
  LSTM,
  MaxPooling1D,
  MaxPooling2D,
  MaxPooling3D,
  Model,
  PReLU,
  SeparableConv2D,
  Sequential,
  SimpleRNN,
  SpatialDropout1D,
  SpatialDropout2D,
  SpatialDropout3D,
  Tensor,
  UpSampling1D,
  UpSampling2D,
  UpSampling3D,
  ZeroPadding2D,
  ZeroPadding3D,
  serialize,
  setBackend,
  type KerasTensor,
} from '../../src/index.js';
import type { ModelArgs } from '../../src/engine/model.js';
import type { ConvLSTMArgs, GRUArgs, LSTMArgs, SimpleRNNArgs } from '../../src/layers/recurrent/index.js';
import { AtrousConvolution1D, AtrousConvolution2D, convertLegacyLayerArgs } from '../../src/legacy/index.js';
import { LAYER_RULES } from '../../src/legacy/layer-rules.js';
import { captureLegacyWarnings } from './warnings.js';

setBackend(createTsBackend());

const spy = captureLegacyWarnings();

type Args = Record<string, unknown>;
const k1 = <T>(a: Args): T => a as T;

const isPlain = (v: unknown): v is Args | unknown[] => Array.isArray(v) || (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype);

/** A copy of the plain objects and arrays in `v` (other objects, such as KerasTensors, as they are). */
function snapshot<T>(v: T): T {
  if (Array.isArray(v)) return v.map(snapshot) as T;
  if (isPlain(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, snapshot(x)])) as T;
  return v;
}

/** Freezes the plain objects and arrays in `v`: a write to them throws (ES modules are strict). */
function deepFreeze<T>(v: T): T {
  if (isPlain(v)) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

/** Runs `use` on `args` frozen, and checks that they hold what they held before. */
function expectUnchanged(args: Args, use: (a: Args) => unknown): void {
  const before = snapshot(args);
  use(deepFreeze(args));
  expect(args).toEqual(before);
}

const regularizer = { name: 'L1L2Regularizer', l1: 0, l2: 0.01 };

/** Keras 1 arguments per class that has Keras 1 conversions (every class of LAYER_RULES). */
const keras1: Record<string, [Args, (a: Args) => unknown]> = {
  Dense: [{ outputDim: 3, init: 'zeros', WRegularizer: regularizer, bias: true, inputDtype: 'float32' }, (a) => new Dense(k1(a))],
  Dropout: [{ p: 0.3 }, (a) => new Dropout(k1(a))],
  SpatialDropout1D: [{ p: 0.3 }, (a) => new SpatialDropout1D(k1(a))],
  SpatialDropout2D: [{ p: 0.3, dimOrdering: 'tf' }, (a) => new SpatialDropout2D(k1(a))],
  SpatialDropout3D: [{ p: 0.3, dimOrdering: 'tf' }, (a) => new SpatialDropout3D(k1(a))],
  Embedding: [{ inputDim: 10, outputDim: 4, init: 'ones', WRegularizer: 'l2', WConstraint: 'non_neg', dropout: 0.2, inputLength: 5 }, (a) => new Embedding(k1(a))],
  MaxPooling1D: [{ poolLength: 3, stride: 1, borderMode: 'same' }, (a) => new MaxPooling1D(k1(a))],
  AveragePooling1D: [{ poolLength: 2, borderMode: 'valid' }, (a) => new AveragePooling1D(k1(a))],
  MaxPooling2D: [{ poolSize: [2, 2], borderMode: 'same', dimOrdering: 'tf' }, (a) => new MaxPooling2D(k1(a))],
  AveragePooling2D: [{ poolSize: [2, 2], borderMode: 'same', dimOrdering: 'tf' }, (a) => new AveragePooling2D(k1(a))],
  MaxPooling3D: [{ borderMode: 'valid', dimOrdering: 'default' }, (a) => new MaxPooling3D(k1(a))],
  AveragePooling3D: [{ borderMode: 'valid', dimOrdering: 'tf' }, (a) => new AveragePooling3D(k1(a))],
  GlobalMaxPooling2D: [{ dimOrdering: 'tf' }, (a) => new GlobalMaxPooling2D(k1(a))],
  GlobalAveragePooling2D: [{ dimOrdering: 'tf' }, (a) => new GlobalAveragePooling2D(k1(a))],
  GlobalMaxPooling3D: [{ dimOrdering: 'tf' }, (a) => new GlobalMaxPooling3D(k1(a))],
  GlobalAveragePooling3D: [{ dimOrdering: 'tf' }, (a) => new GlobalAveragePooling3D(k1(a))],
  PReLU: [{ init: 'ones' }, (a) => new PReLU(k1(a))],
  GaussianNoise: [{ sigma: 0.1 }, (a) => new GaussianNoise(k1(a))],
  GaussianDropout: [{ p: 0.2 }, (a) => new GaussianDropout(k1(a))],
  SimpleRNN: [{ outputDim: 2, init: 'ones', innerInit: 'zeros', dropout_W: 0.1, dropout_U: 0.2, inputDim: 3, inputLength: 5, WRegularizer: 'l2' }, (a) => new SimpleRNN(k1<SimpleRNNArgs>(a))],
  GRU: [{ outputDim: 2, innerActivation: 'sigmoid', consumeLess: 'cpu', forgetBiasInit: 'zero', inputDim: 3 }, (a) => new GRU(k1<GRUArgs>(a))],
  LSTM: [{ outputDim: 3, forgetBiasInit: 'one', innerActivation: 'sigmoid', dropout_W: 0.1, URegularizer: regularizer, inputDim: 4, inputLength: 2 }, (a) => new LSTM(k1<LSTMArgs>(a))],
  UpSampling1D: [{ length: 3 }, (a) => new UpSampling1D(k1(a))],
  UpSampling2D: [{ size: [2, 3], dimOrdering: 'tf' }, (a) => new UpSampling2D(k1(a))],
  UpSampling3D: [{ dimOrdering: 'tf' }, (a) => new UpSampling3D(k1(a))],
  Conv1D: [{ nbFilter: 4, filterLength: 3, subsampleLength: 2, borderMode: 'same', init: 'ones', bias: false, inputDim: 5, inputLength: 7 }, (a) => new Conv1D(k1(a))],
  Conv2D: [{ nbFilter: 4, nbRow: 3, nbCol: 2, subsample: [2, 1], borderMode: 'valid', dimOrdering: 'tf', WRegularizer: regularizer, bConstraint: { name: 'MaxNorm', m: 3, axis: 0 } }, (a) => new Conv2D(k1(a))],
  Conv2DTranspose: [{ nbFilter: 3, nbRow: 2, nbCol: 2, outputShape: [null, 8, 8, 3], subsample: [2, 2], borderMode: 'same' }, (a) => new Conv2DTranspose(k1(a))],
  SeparableConv2D: [{ nbFilter: 4, nbRow: 3, nbCol: 3, init: 'ones', depthMultiplier: 2, bRegularizer: 'l2' }, (a) => new SeparableConv2D(k1(a))],
  Conv3D: [{ nbFilter: 2, kernelDim1: 1, kernelDim2: 2, kernelDim3: 3, dimOrdering: 'tf', subsample: [1, 1, 1] }, (a) => new Conv3D(k1(a))],
  ConvLSTM2D: [{ nbFilter: 2, nbRow: 3, nbCol: 3, borderMode: 'same', dimOrdering: 'tf', innerActivation: 'sigmoid', forgetBiasInit: 'one', dropout_W: 0.1 }, (a) => new ConvLSTM2D(k1<ConvLSTMArgs>(a))],
  BatchNormalization: [{ mode: 0, betaInit: 'ones', gammaInit: 'zeros' }, (a) => new BatchNormalization(k1(a))],
  ZeroPadding2D: [{ padding: { top_pad: 1, bottom_pad: 2, right_pad: 3 }, dimOrdering: 'tf' }, (a) => new ZeroPadding2D(k1(a))],
  ZeroPadding3D: [{ padding: [1, 1, 1], dimOrdering: 'tf' }, (a) => new ZeroPadding3D(k1(a))],
  Cropping2D: [{ cropping: [[1, 1], [0, 0]], dimOrdering: 'tf' }, (a) => new Cropping2D(k1(a))],
  Cropping3D: [{ dimOrdering: 'tf' }, (a) => new Cropping3D(k1(a))],
  InputLayer: [{ batchInputShape: [null, 3], inputDtype: 'int32', name: 'k1_input' }, (a) => new InputLayer(k1(a))],
  Model: [{}, (a) => new Model(k1<ModelArgs>(a))],
  // No constructor reads `Functional` arguments (functional configs load through fromConfig).
  Functional: [{ input: 'x', output: 'y' }, (a) => convertLegacyLayerArgs('Functional', a)],
};

describe("Keras 1 conversion never changes the caller's arguments", () => {
  it('every class with Keras 1 conversions has a case here', () => {
    expect(Object.keys(keras1).sort()).toEqual(Object.keys(LAYER_RULES).sort());
  });

  for (const [name, [args, make]] of Object.entries(keras1)) {
    it(`${name}: constructed from Keras 1 arguments, which stay as given`, () => {
      let a = args;
      if (name === 'Model') {
        const x = Input({ shape: [3] });
        a = { input: x, output: new Dense({ units: 2 }).apply(x) };
      }
      expectUnchanged(a, make);
      expect(spy.warn).toHaveBeenCalled();
      // A second construction from the same object converts it the same way, without warning again.
      const n = spy.warn.mock.calls.length;
      make(a);
      expect(spy.warn.mock.calls.length).toBe(n);
    });
  }

  it('AtrousConvolution1D/2D: atrous_rate and the Conv arguments stay as given', () => {
    expectUnchanged({ nbFilter: 2, filterLength: 3, atrousRate: 2, borderMode: 'same' }, (a) => new AtrousConvolution1D(k1(a)));
    expectUnchanged({ nbFilter: 2, nbRow: 3, nbCol: 3, atrousRate: [2, 2], dimOrdering: 'tf' }, (a) => new AtrousConvolution2D(k1(a)));
  });

  it('the converted values reach the layer', () => {
    const e = new Embedding(k1(deepFreeze({ inputDim: 10, outputDim: 4, init: 'ones', inputLength: 5 })));
    expect(serialize(e).config).toMatchObject({ embeddings_initializer: { class_name: 'Ones' }, batch_input_shape: [null, 5] });
    const l = new LSTM(k1<LSTMArgs>(deepFreeze({ outputDim: 3, innerActivation: 'sigmoid', inputDim: 4, inputLength: 2 })));
    expect([l.units, l.batchInputShape]).toEqual([3, [null, 2, 4]]);
  });
});

describe("compile and the training methods never change the caller's options", () => {
  const x = new Tensor([4, 3], 'float32', Float32Array.from({ length: 12 }, (_, i) => i / 12));
  const y = new Tensor([4, 1], 'float32', Float32Array.from([0, 1, 0, 1]));
  const batches: [Tensor, Tensor][] = [0, 1].map((i) => [x.sliceRows(2 * i, 2 * i + 2), y.sliceRows(2 * i, 2 * i + 2)]);
  const model = () => new Sequential([new Dense({ units: 1, inputShape: [3] })]);

  it('compile, then fit with nb_epoch', async () => {
    const m = model();
    expectUnchanged({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] }, (a) => m.compile(k1(a)));
    const opts = { nbEpoch: 2, batchSize: 2, verbose: 0 };
    const before = snapshot(opts);
    const h = await m.fit(x, y, k1(deepFreeze(opts)));
    expect(opts).toEqual(before);
    expect(h.history.loss).toHaveLength(2);
  });

  it('fitGenerator, evaluateGenerator and predictGenerator with Keras 1 names', async () => {
    const m = model();
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const fitOpts = deepFreeze({ samplesPerEpoch: 2, nbEpoch: 2, nbValSamples: 1, validationData: batches, verbose: 0 });
    const evalOpts = deepFreeze({ valSamples: 2 });
    const predictOpts = deepFreeze({ valSamples: 1 });
    const before = snapshot([fitOpts, evalOpts, predictOpts]);
    const h = await m.fitGenerator(batches, k1(fitOpts));
    expect(h.history.loss).toHaveLength(2);
    await m.evaluateGenerator(batches, k1(evalOpts));
    expect((await m.predictGenerator(batches, k1(predictOpts))).shape).toEqual([2, 1]);
    expect([fitOpts, evalOpts, predictOpts]).toEqual(before);
  });
});
