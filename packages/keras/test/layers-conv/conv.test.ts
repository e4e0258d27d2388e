import { describe, expect, it } from 'vitest';
import { createTsBackend } from '@keras-ts/backend-ts';
import { Conv1D, Conv2D, Conv3D, Convolution2D, Input, KerasTensor, Tensor, deserializeLayer, serialize, setBackend } from '../../src/index.js';
import { addBias, expectClose, naiveConv, randTensor } from './reference.js';

setBackend(createTsBackend());

const roundTrip = (l: { getConfig(): Record<string, unknown> } & object) => {
  const wire = JSON.parse(JSON.stringify(serialize(l)));
  return JSON.stringify(serialize(deserializeLayer(wire)));
};

describe('Conv config', () => {
  it('writes Keras 2 keys in Keras 2 order, tuples as lists', () => {
    const c = new Conv2D({ filters: 8, kernelSize: 3, padding: 'SAME', name: 'c' }).getConfig();
    expect(Object.keys(c)).toEqual([
      'name', 'trainable', 'dtype', 'filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'groups', 'activation', 'use_bias',
      'kernel_initializer', 'bias_initializer', 'kernel_regularizer', 'bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'bias_constraint',
    ]);
    expect(c).toMatchObject({ filters: 8, kernel_size: [3, 3], strides: [1, 1], padding: 'same', data_format: 'channels_last', dilation_rate: [1, 1], groups: 1, activation: 'linear', use_bias: true });
    expect(c.kernel_initializer).toEqual({ class_name: 'GlorotUniform', config: { seed: null } });
    expect(c.bias_initializer).toEqual({ class_name: 'Zeros', config: {} });
  });

  it('round-trips every argument', () => {
    const l = new Conv1D({
      filters: 4, kernelSize: 5, strides: 2, padding: 'causal', groups: 2, activation: 'relu', useBias: false,
      kernelInitializer: 'he_normal', biasInitializer: 'ones', kernelRegularizer: 'l2', activityRegularizer: 'l1', kernelConstraint: 'non_neg', inputShape: [10, 4],
    });
    expect(roundTrip(l)).toBe(JSON.stringify(serialize(l)));
    expect(l.getConfig().batch_input_shape).toEqual([null, 10, 4]);
  });

  it('reads a Keras 3 config (DTypePolicy, module, lora_rank null) and refuses LoRA', () => {
    const k3 = {
      module: 'keras.layers', class_name: 'Conv1D', registered_name: null,
      config: {
        name: 'c1', trainable: true, dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
        filters: 2, kernel_size: [3], strides: [1], padding: 'valid', data_format: 'channels_last', dilation_rate: [1], groups: 1, activation: 'linear', use_bias: true,
        kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null }, registered_name: null },
        bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null },
        kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null, lora_rank: null,
      },
    };
    const l = deserializeLayer(k3) as Conv1D;
    expect(l).toBeInstanceOf(Conv1D);
    expect(l.getConfig().dtype).toBe('float32');
    expect(l.getConfig()).not.toHaveProperty('lora_rank');
    expect(() => deserializeLayer({ ...k3, config: { ...k3.config, lora_rank: 4 } })).toThrow(/Conv1D 'c1'.*loraRank.*4.*LoRA is not supported/);
  });

  it('knows the Keras 2 alias Convolution2D', () => {
    expect(Convolution2D).toBe(Conv2D);
    expect(deserializeLayer({ class_name: 'Convolution2D', config: { filters: 2, kernel_size: 3 } })).toBeInstanceOf(Conv2D);
  });
});

describe('Conv errors', () => {
  it('refuses channels_first', () => {
    expect(() => new Conv2D({ filters: 2, kernelSize: 3, dataFormat: 'channels_first', name: 'cf' })).toThrow(/Conv2D 'cf'.*dataFormat.*channels_first.*only 'channels_last' is supported/);
  });
  it('refuses causal padding outside Conv1D', () => {
    expect(() => new Conv2D({ filters: 2, kernelSize: 3, padding: 'causal', name: 'cc' })).toThrow(/Conv2D 'cc'.*padding.*"causal".*'valid', 'same'/);
    expect(() => new Conv1D({ filters: 2, kernelSize: 3, padding: 'full' })).toThrow(/padding.*"full".*'valid', 'same', 'causal'/);
  });
  it('refuses strides > 1 with dilation > 1', () => {
    expect(() => new Conv1D({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2, name: 'sd' })).toThrow(/Conv1D 'sd'.*strides.*dilation/);
  });
  it('checks tuple arguments', () => {
    expect(() => new Conv2D({ filters: 2, kernelSize: [3, 3, 3], name: 'k' })).toThrow(/Conv2D 'k': argument 'kernelSize' got \[3,3,3\]: expected an integer or a list of 2/);
    expect(() => new Conv2D({ filters: 2, kernelSize: 0 })).toThrow(/kernelSize.*each >= 1/);
    expect(() => new Conv2D({ filters: 0, kernelSize: 3 })).toThrow(/argument 'filters' got 0/);
    expect(() => new Conv2D({ filters: 3, kernelSize: 3, groups: 2, name: 'g' })).toThrow(/Conv2D 'g'.*groups.*2.*filters \(3\)/);
  });
  it('checks the input at build and call', () => {
    expect(() => new Conv2D({ filters: 2, kernelSize: 5, name: 'small' }).apply(Input({ shape: [3, 3, 1] }))).toThrow(/Conv2D 'small'.*<= 0.*\[null, 3, 3, 1\]/);
    expect(() => new Conv2D({ filters: 2, kernelSize: 3, groups: 2, name: 'gi' }).apply(Input({ shape: [5, 5, 3] }))).toThrow(/Conv2D 'gi'.*3 input channels.*groups = 2/);
    expect(() => new Conv2D({ filters: 2, kernelSize: 3, name: 'r' }).apply(Input({ shape: [5, 5] }))).toThrow(/Conv2D 'r' expects inputs of rank 4.*\[null, 5, 5\]/);
    const l = new Conv1D({ filters: 2, kernelSize: 3, name: 'ch' });
    l.apply(Input({ shape: [5, 3] }));
    expect(() => l.apply(randTensor([1, 5, 4], 1))).toThrow(/Conv1D 'ch' was built for inputs .* with 3 channel\(s\), got shape \[1, 5, 4\]/);
  });
});

describe('Conv math (against a direct implementation)', () => {
  it('Conv2D with groups and dilation, same padding', () => {
    const l = new Conv2D({ filters: 4, kernelSize: 3, dilationRate: 2, groups: 2, padding: 'same' });
    const x = randTensor([2, 7, 6, 4], 1);
    l.apply(Input({ shape: [7, 6, 4] }));
    const w = randTensor([3, 3, 2, 4], 2);
    const b = randTensor([4], 3);
    l.setWeights([w, b]);
    // TF 'same': total pad (k - 1) * d = 4 on each axis, split 2 / 2.
    expectClose(l.apply(x), addBias(naiveConv(x, w, [1, 1], [2, 2], [[2, 2], [2, 2]], 2), b));
  });

  it('Conv2D same with strides puts the extra padding at the end (TF)', () => {
    const l = new Conv2D({ filters: 2, kernelSize: 2, strides: 2, padding: 'same', useBias: false });
    const x = randTensor([1, 5, 5, 1], 4);
    l.apply(Input({ shape: [5, 5, 1] }));
    const w = randTensor([2, 2, 1, 2], 5);
    l.setWeights([w]);
    expectClose(l.apply(x), naiveConv(x, w, [2, 2], [1, 1], [[0, 1], [0, 1]]));
  });

  it('Conv3D strides 2 valid', () => {
    const l = new Conv3D({ filters: 3, kernelSize: [2, 3, 2], strides: 2 });
    const x = randTensor([2, 5, 6, 4, 2], 6);
    l.apply(Input({ shape: [5, 6, 4, 2] }));
    const w = randTensor([2, 3, 2, 2, 3], 7);
    const b = randTensor([3], 8);
    l.setWeights([w, b]);
    expectClose(l.apply(x), addBias(naiveConv(x, w, [2, 2, 2], [1, 1, 1], [[0, 0], [0, 0], [0, 0]]), b));
  });

  it('Conv1D takes extra leading batch axes (Keras 2)', () => {
    const l = new Conv1D({ filters: 2, kernelSize: 3, padding: 'causal' });
    const x = randTensor([2, 3, 6, 2], 9);
    const y = l.apply(x);
    expect(y.shape).toEqual([2, 3, 6, 2]);
    const [w, b] = l.getWeights();
    const flat = new Tensor([6, 6, 2], 'float32', x.data);
    const want = addBias(naiveConv(flat, w, [1], [1], [[2, 0]]), b);
    expectClose(y, new Tensor([2, 3, 6, 2], 'float32', want.data));
  });

  it('computes output shapes with unknown sizes', () => {
    expect(new Conv1D({ filters: 8, kernelSize: 3 }).computeOutputShape([null, null, 4])).toEqual([null, null, 8]);
    expect(new Conv1D({ filters: 8, kernelSize: 3, strides: 2 }).computeOutputShape([null, 10, 4])).toEqual([null, 4, 8]);
    expect(new Conv2D({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' }).computeOutputShape([null, 9, null, 4])).toEqual([null, 5, null, 8]);
    const y = new Conv1D({ filters: 8, kernelSize: 3, padding: 'causal' }).apply(Input({ shape: [20, 4] }));
    expect(y.shape).toEqual([null, 20, 8]);
  });
});
