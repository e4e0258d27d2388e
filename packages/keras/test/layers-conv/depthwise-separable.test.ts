import { describe, expect, it } from 'vitest';
import { createTsBackend } from '@keras-ts/backend-ts';
import { DepthwiseConv1D, DepthwiseConv2D, Input, KerasTensor, SeparableConv1D, SeparableConv2D, SeparableConvolution1D, Tensor, deserializeLayer, serialize, setBackend } from '../../src/index.js';
import { addBias, depthwiseAsGrouped, expectClose, naiveConv, randTensor } from './reference.js';

setBackend(createTsBackend());

const roundTrips = (l: DepthwiseConv1D | DepthwiseConv2D | SeparableConv1D | SeparableConv2D) => {
  const wire = JSON.parse(JSON.stringify(serialize(l)));
  expect(JSON.stringify(serialize(deserializeLayer(wire)))).toBe(JSON.stringify(wire));
};

describe('DepthwiseConv / SeparableConv config and weights', () => {
  it('DepthwiseConv2D: Keras 2 keys and order (Conv keys without filters and kernel_*, then depthwise_*)', () => {
    const l = new DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 2, name: 'dw' });
    expect(Object.keys(l.getConfig())).toEqual([
      'name', 'trainable', 'dtype', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'groups', 'activation', 'use_bias',
      'bias_initializer', 'bias_regularizer', 'activity_regularizer', 'bias_constraint', 'depth_multiplier', 'depthwise_initializer', 'depthwise_regularizer', 'depthwise_constraint',
    ]);
    roundTrips(l);
    roundTrips(new DepthwiseConv1D({ kernelSize: 2, strides: 2, padding: 'same', useBias: false, depthwiseInitializer: 'he_uniform', depthwiseRegularizer: 'l2', inputShape: [8, 3] }));
    l.apply(Input({ shape: [5, 5, 3] }));
    expect(l.weights.map((w) => w.path)).toEqual(['dw/depthwise_kernel', 'dw/bias']);
  });

  it('SeparableConv2D: Keras 2 keys and order (all of Conv\'s, then depthwise_* and pointwise_*)', () => {
    const l = new SeparableConv2D({ filters: 4, kernelSize: 3, name: 'sep' });
    expect(Object.keys(l.getConfig())).toEqual([
      'name', 'trainable', 'dtype', 'filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'groups', 'activation', 'use_bias',
      'kernel_initializer', 'bias_initializer', 'kernel_regularizer', 'bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'bias_constraint',
      'depth_multiplier', 'depthwise_initializer', 'pointwise_initializer', 'depthwise_regularizer', 'pointwise_regularizer', 'depthwise_constraint', 'pointwise_constraint',
    ]);
    roundTrips(l);
    roundTrips(new SeparableConv1D({ filters: 2, kernelSize: 3, padding: 'causal', depthMultiplier: 3, pointwiseInitializer: 'ones', pointwiseConstraint: 'non_neg' }));
    l.apply(Input({ shape: [6, 6, 2] }));
    expect(l.weights.map((w) => w.path)).toEqual(['sep/depthwise_kernel', 'sep/pointwise_kernel', 'sep/bias']);
    expect(SeparableConvolution1D).toBe(SeparableConv1D);
  });

  it('reads Keras 3 configs (no groups, no kernel_*)', () => {
    const l = deserializeLayer({ class_name: 'DepthwiseConv2D', config: { name: 'd3', kernel_size: [3, 3], strides: [1, 1], padding: 'same', data_format: 'channels_last', dilation_rate: [1, 1], depth_multiplier: 2, activation: 'linear', use_bias: true } });
    expect(l).toBeInstanceOf(DepthwiseConv2D);
    expect((l as DepthwiseConv2D).depthMultiplier).toBe(2);
  });
});

describe('DepthwiseConv / SeparableConv errors', () => {
  it('refuses causal padding on depthwise convolutions and SeparableConv2D, and groups', () => {
    expect(() => new DepthwiseConv1D({ kernelSize: 3, padding: 'causal', name: 'dc' })).toThrow(/DepthwiseConv1D 'dc'.*padding.*"causal"/);
    expect(() => new SeparableConv2D({ filters: 2, kernelSize: 3, padding: 'causal' })).toThrow(/padding.*"causal"/);
    expect(() => new DepthwiseConv2D({ kernelSize: 3, groups: 2, name: 'g' })).toThrow(/DepthwiseConv2D 'g'.*groups.*2/);
    expect(() => new SeparableConv2D({ filters: 2, kernelSize: 3, depthMultiplier: 0, name: 'dm' })).toThrow(/SeparableConv2D 'dm'.*depthMultiplier.*0/);
    expect(() => new DepthwiseConv2D({ kernelSize: 3, dataFormat: 'channels_first' })).toThrow(/channels_first/);
  });
  it('checks the input rank', () => {
    expect(() => new DepthwiseConv2D({ kernelSize: 3, name: 'r' }).apply(Input({ shape: [5, 5] }))).toThrow(/DepthwiseConv2D 'r' expects inputs of rank 4/);
    expect(() => new SeparableConv1D({ filters: 2, kernelSize: 3, name: 'n' }).apply(Input({ shape: [5, null] }))).toThrow(/SeparableConv1D 'n'.*channel axis.*must be known/);
  });
});

describe('DepthwiseConv / SeparableConv math (against a direct implementation)', () => {
  it('DepthwiseConv2D, depth_multiplier 2, strides 2, same: output channel c * M + m', () => {
    const l = new DepthwiseConv2D({ kernelSize: 3, strides: 2, padding: 'same', depthMultiplier: 2 });
    const x = randTensor([2, 6, 5, 3], 21);
    const y = l.apply(x);
    const [w, b] = l.getWeights();
    // same: 6 -> 3 (total pad 1: 0 before), 5 -> 3 (total pad 2: 1 before)
    expectClose(y, addBias(naiveConv(x, depthwiseAsGrouped(w), [2, 2], [1, 1], [[0, 1], [1, 1]], 3), b));
  });

  it('DepthwiseConv1D with dilation', () => {
    const l = new DepthwiseConv1D({ kernelSize: 2, dilationRate: 3, depthMultiplier: 3, useBias: false });
    const x = randTensor([1, 8, 2], 22);
    const y = l.apply(x);
    expectClose(y, naiveConv(x, depthwiseAsGrouped(l.getWeights()[0]), [1], [3], [[0, 0]], 2));
  });

  it('SeparableConv1D causal with strides and depth_multiplier: depthwise then pointwise', () => {
    const l = new SeparableConv1D({ filters: 3, kernelSize: 3, strides: 2, padding: 'causal', depthMultiplier: 2 });
    const x = randTensor([2, 7, 2], 23);
    const y = l.apply(x);
    const [dw, pw, b] = l.getWeights();
    const d = naiveConv(x, depthwiseAsGrouped(dw), [2], [1], [[2, 0]], 2);
    expectClose(y, addBias(naiveConv(d, pw, [1], [1], [[0, 0]]), b));
    expect(y.shape).toEqual([2, 4, 3]);
  });

  it('SeparableConv2D with dilation, same', () => {
    const l = new SeparableConv2D({ filters: 2, kernelSize: 3, dilationRate: 2, padding: 'same' });
    const x = randTensor([1, 6, 7, 2], 24);
    const y = l.apply(x);
    const [dw, pw, b] = l.getWeights();
    const d = naiveConv(x, depthwiseAsGrouped(dw), [1, 1], [2, 2], [[2, 2], [2, 2]], 2);
    expectClose(y, addBias(naiveConv(d, pw, [1, 1], [1, 1], [[0, 0], [0, 0]]), b));
  });

  it('computes output shapes', () => {
    expect(new DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 4 }).computeOutputShape([null, 8, null, 3])).toEqual([null, 6, null, 12]);
    const y = new SeparableConv1D({ filters: 5, kernelSize: 3, strides: 2 }).apply(Input({ shape: [9, 2] }));
    expect(y.shape).toEqual([null, 4, 5]);
  });
});
