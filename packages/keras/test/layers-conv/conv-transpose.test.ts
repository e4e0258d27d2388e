import { describe, expect, it } from 'vitest';
import { createTsBackend } from '@keras-ts/backend-ts';
import { Conv1DTranspose, Conv2DTranspose, Conv3DTranspose, Convolution2DTranspose, Input, KerasTensor, Tensor, deserializeLayer, serialize, setBackend } from '../../src/index.js';
import { addBias, expectClose, naiveConvTranspose, randTensor } from './reference.js';

setBackend(createTsBackend());

describe('ConvTranspose config', () => {
  it('writes Keras 2 keys in Keras 2 order (groups from Conv, output_padding last)', () => {
    const c = new Conv2DTranspose({ filters: 4, kernelSize: 3, strides: 2, outputPadding: 1 }).getConfig();
    expect(Object.keys(c)).toEqual([
      'name', 'trainable', 'dtype', 'filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'groups', 'activation', 'use_bias',
      'kernel_initializer', 'bias_initializer', 'kernel_regularizer', 'bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'bias_constraint', 'output_padding',
    ]);
    expect(c).toMatchObject({ kernel_size: [3, 3], strides: [2, 2], groups: 1, output_padding: [1, 1] });
    expect(new Conv1DTranspose({ filters: 1, kernelSize: 2 }).getConfig().output_padding).toBeNull();
  });

  it('round-trips, and reads Keras 3 configs (no groups, output_padding after padding)', () => {
    const l = new Conv1DTranspose({ filters: 2, kernelSize: 4, strides: 3, outputPadding: 2, dilationRate: 1, activation: 'relu', inputShape: [7, 3] });
    const wire = JSON.parse(JSON.stringify(serialize(l)));
    expect(JSON.stringify(serialize(deserializeLayer(wire)))).toBe(JSON.stringify(wire));
    const k3 = { class_name: 'Conv2DTranspose', config: { name: 't', filters: 2, kernel_size: [3, 3], strides: [2, 2], padding: 'same', output_padding: null, data_format: 'channels_last', dilation_rate: [1, 1], activation: 'linear', use_bias: true } };
    expect((deserializeLayer(k3) as Conv2DTranspose).getConfig().groups).toBe(1);
    expect(Convolution2DTranspose).toBe(Conv2DTranspose);
  });
});

describe('ConvTranspose errors', () => {
  it('refuses output_padding >= strides, groups and causal padding', () => {
    expect(() => new Conv2DTranspose({ filters: 2, kernelSize: 3, strides: 2, outputPadding: 2, name: 'op' })).toThrow(/Conv2DTranspose 'op'.*outputPadding.*less than its stride/);
    expect(() => new Conv2DTranspose({ filters: 2, kernelSize: 3, groups: 2, name: 'g' })).toThrow(/Conv2DTranspose 'g'.*groups.*2/);
    expect(() => new Conv1DTranspose({ filters: 2, kernelSize: 3, padding: 'causal' })).toThrow(/padding.*"causal"/);
    expect(() => new Conv3DTranspose({ filters: 2, kernelSize: 3, dataFormat: 'channels_first' })).toThrow(/channels_first/);
  });
  it('refuses an output size that is no transpose of a convolution (as TF)', () => {
    const l = new Conv1DTranspose({ filters: 2, kernelSize: 2, strides: 2, padding: 'same', outputPadding: 0, name: 'bad' });
    expect(() => l.apply(Input({ shape: [5, 3] }))).toThrow(/Conv1DTranspose 'bad'.*output length 8.*input of length 5/);
  });
  it('checks the input rank and channels', () => {
    expect(() => new Conv2DTranspose({ filters: 2, kernelSize: 3, name: 'r' }).apply(Input({ shape: [2, 5, 5, 3] }))).toThrow(/Conv2DTranspose 'r' expects inputs of rank 4/);
    const l = new Conv2DTranspose({ filters: 2, kernelSize: 3, name: 'c' });
    l.apply(Input({ shape: [4, 4, 3] }));
    expect(() => l.apply(randTensor([1, 4, 4, 2], 1))).toThrow(/Conv2DTranspose 'c' was built for .* 3 channel/);
  });
});

describe('ConvTranspose math (TF conv_transpose semantics, against a direct scatter)', () => {
  const check = (l: Conv1DTranspose | Conv2DTranspose, xShape: number[], wantSpatial: number[], st: number[], dil: number[], padBefore: number[]) => {
    const x = randTensor(xShape, 11);
    const y = l.apply(x);
    const [w, b] = l.getWeights();
    const want = naiveConvTranspose(x, w, wantSpatial, st, dil, padBefore);
    expectClose(y, b ? addBias(want, b) : want);
  };

  it('valid with output_padding: the extra row gets only the bias', () => {
    const l = new Conv1DTranspose({ filters: 2, kernelSize: 3, strides: 2, outputPadding: 1, biasInitializer: 'ones' });
    // (5 - 1) * 2 + 3 + 1 = 12
    check(l, [2, 5, 3], [12], [2], [1], [0]);
    const y = l.apply(randTensor([1, 5, 3], 3));
    expect([y.data[22], y.data[23]]).toEqual([1, 1]);
  });

  it('valid with kernel smaller than the stride leaves gaps', () => {
    // 4 * 3 + max(2 - 3, 0) = 12
    check(new Conv1DTranspose({ filters: 1, kernelSize: 2, strides: 3 }), [1, 4, 2], [12], [3], [1], [0]);
  });

  it('same, even kernel: the padding of the forward conv on the output (TF)', () => {
    // out 2 * 4 = 8; the forward 'same' conv of 8 with k 4, s 2 pads 2 in total, 1 before.
    check(new Conv2DTranspose({ filters: 2, kernelSize: 4, strides: 2, padding: 'same' }), [1, 4, 3, 2], [8, 6], [2, 2], [1, 1], [1, 1]);
  });

  it('same with output_padding', () => {
    // (3 - 1) * 2 + 3 - 2 * 1 + 1 = 6; total pad max((3 - 1) * 2 + 3 - 6, 0) = 1, 0 before.
    check(new Conv2DTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', outputPadding: 1 }), [2, 3, 3, 2], [6, 6], [2, 2], [1, 1], [0, 0]);
  });

  it('dilation', () => {
    // valid, k 3, d 2: 5 + (5 - 1) = 9
    check(new Conv1DTranspose({ filters: 2, kernelSize: 3, dilationRate: 2 }), [1, 5, 2], [9], [1], [2], [0]);
    // same, stride 1: the output keeps the input's size, pad (5 - 1) / 2 = 2 before.
    check(new Conv2DTranspose({ filters: 1, kernelSize: 3, dilationRate: 2, padding: 'same' }), [1, 5, 4, 2], [5, 4], [1, 1], [2, 2], [2, 2]);
  });

  it('computes output shapes (deconv_output_length), unknown sizes stay unknown', () => {
    expect(new Conv2DTranspose({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' }).computeOutputShape([null, 7, null, 2])).toEqual([null, 14, null, 4]);
    expect(new Conv1DTranspose({ filters: 4, kernelSize: 5, strides: 2, outputPadding: 1 }).computeOutputShape([null, 3, 2])).toEqual([null, 10, 4]);
    const y = new Conv3DTranspose({ filters: 2, kernelSize: 3 }).apply(Input({ shape: [2, 3, 4, 1] }));
    expect(y.shape).toEqual([null, 4, 5, 6, 2]);
  });
});
