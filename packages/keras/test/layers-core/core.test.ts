import { describe, expect, it } from 'vitest';
import { createTsBackend } from '@keras-ts/backend-ts';
import { ops, type Sym } from '@keras-ts/spec';
import {
  Activation,
  ActivityRegularization,
  Dropout,
  Embedding,
  Flatten,
  Masking,
  Permute,
  RepeatVector,
  Reshape,
  SpatialDropout1D,
  SpatialDropout2D,
  SpatialDropout3D,
  Tensor,
  deserializeLayer,
  setBackend,
  tensor,
} from '../../src/index.js';
import { expectClose, expectRoundTrip, ones, run, runTraced, floatMask } from './helpers.js';

setBackend(createTsBackend());

describe('Activation', () => {
  it('applies the activation and writes its name', () => {
    const layer = new Activation({ activation: 'relu', name: 'act' });
    expectClose(run(layer, tensor([[-1, 2]])), [0, 2]);
    expect(expectRoundTrip(layer)).toEqual({ name: 'act', trainable: true, dtype: 'float32', activation: 'relu' });
  });
  it('refuses unknown activations and a missing argument', () => {
    expect(() => new Activation({ activation: 'nope' })).toThrow(/unknown activation 'nope'/);
    // @ts-expect-error -- activation is left out on purpose
    expect(() => new Activation({})).toThrow(/Activation '.*': argument 'activation' got nothing/);
  });
});

describe('Dropout', () => {
  it('is the identity in inference and drops about `rate` in training, scaling the rest', () => {
    const layer = new Dropout({ rate: 0.3 });
    const x = ones([100, 100]);
    expectClose(run(layer, x), Array.from(x.data));
    const y = run(layer, x, true).data;
    let zeros = 0;
    for (const v of y) {
      if (v === 0) zeros++;
      else expect(v).toBeCloseTo(1 / 0.7, 5);
    }
    expect(zeros / y.length).toBeGreaterThan(0.27);
    expect(zeros / y.length).toBeLessThan(0.33);
  });
  it('draws a fresh mask on every run', () => {
    const layer = new Dropout({ rate: 0.5, seed: 42 });
    const a = run(layer, ones([10, 10]), true).data;
    const b = run(layer, ones([10, 10]), true).data;
    expect(Array.from(a)).not.toEqual(Array.from(b));
  });
  it('broadcasts the mask over noise_shape (null = the input size)', () => {
    const y = run(new Dropout({ rate: 0.5, noiseShape: [null, 1] }), ones([50, 8]), true);
    for (let r = 0; r < 50; r++) {
      const row = Array.from(y.data.slice(r * 8, r * 8 + 8));
      expect(new Set(row).size).toBe(1);
    }
  });
  it('rate 0 passes training inputs through; rate 1 drops everything', () => {
    expectClose(run(new Dropout({ rate: 0 }), tensor([[1, 2]]), true), [1, 2]);
    expectClose(run(new Dropout({ rate: 1 }), tensor([[1, 2]]), true), [0, 0]);
  });
  it('writes the Keras 2 config and refuses bad arguments', () => {
    const c = expectRoundTrip(new Dropout({ rate: 0.25, noiseShape: [null, 1], seed: 3, name: 'd' }));
    expect(c).toEqual({ name: 'd', trainable: true, dtype: 'float32', rate: 0.25, noise_shape: [null, 1], seed: 3 });
    expect(() => new Dropout({ rate: 1.5, name: 'bad' })).toThrow(/Dropout 'bad': argument 'rate' got 1.5: expected a rate between 0 and 1/);
    expect(() => run(new Dropout({ rate: 0.5, noiseShape: [3] }), ones([2, 2]), true)).toThrow(/noise_shape \[3\] has 1 entries; the input of shape \[2,\s?2\] has rank 2/);
  });
});

describe('SpatialDropout', () => {
  it('1D drops whole channels for every step', () => {
    const y = run(new SpatialDropout1D({ rate: 0.5 }), ones([20, 5, 8]), true);
    for (let b = 0; b < 20; b++)
      for (let c = 0; c < 8; c++) {
        const vals = new Set(Array.from({ length: 5 }, (_, t) => y.data[b * 40 + t * 8 + c]));
        expect(vals.size).toBe(1);
        expect([0, 2]).toContain([...vals][0]);
      }
  });
  it('2D channels_first drops whole feature maps', () => {
    const y = run(new SpatialDropout2D({ rate: 0.5, dataFormat: 'channels_first' }), ones([10, 6, 3, 3]), true);
    for (let m = 0; m < 60; m++) expect(new Set(Array.from(y.data.slice(m * 9, m * 9 + 9))).size).toBe(1);
  });
  it('3D checks the rank', () => {
    expect(() => run(new SpatialDropout3D({ rate: 0.5, name: 'sd3' }), ones([2, 3, 4]), true)).toThrow(/SpatialDropout3D 'sd3' expects inputs of rank 5/);
  });
  it('writes Dropout keys (data_format only when not the default)', () => {
    expect(expectRoundTrip(new SpatialDropout1D({ rate: 0.2, name: 's1' }))).toEqual({ name: 's1', trainable: true, dtype: 'float32', rate: 0.2, noise_shape: null, seed: null });
    expect(expectRoundTrip(new SpatialDropout2D({ rate: 0.2, name: 's2' })).data_format).toBeUndefined();
    expect(expectRoundTrip(new SpatialDropout3D({ rate: 0.2, dataFormat: 'channels_first' })).data_format).toBe('channels_first');
  });
  it('reads the Keras 3 config (no trainable key)', () => {
    const l = deserializeLayer({ class_name: 'SpatialDropout1D', config: { rate: 0.5, seed: null, name: 'sd', dtype: 'float32' } });
    expect(l.className).toBe('SpatialDropout1D');
  });
});

describe('Flatten', () => {
  it('flattens to [batch, -1]; rank 1 becomes [batch, 1]', () => {
    const y = run(new Flatten(), tensor([[[1, 2], [3, 4]]]));
    expect(y.shape).toEqual([1, 4]);
    expect(run(new Flatten(), tensor([1, 2, 3])).shape).toEqual([3, 1]);
  });
  it('refuses channels_first clearly', () => {
    expect(() => new Flatten({ dataFormat: 'channels_first', name: 'f' })).toThrow(/Flatten 'f': data_format 'channels_first' is not supported.*channels_last/);
    expect(expectRoundTrip(new Flatten({ name: 'f2' }))).toEqual({ name: 'f2', trainable: true, dtype: 'float32', data_format: 'channels_last' });
  });
});

describe('Reshape', () => {
  it('resolves one -1 and keeps the batch axis', () => {
    const y = run(new Reshape({ targetShape: [-1, 3] }), new Tensor([2, 6], 'float32', Float32Array.from({ length: 12 }, (_, i) => i)));
    expect(y.shape).toEqual([2, 2, 3]);
    expect(Array.from(y.data)).toEqual(Array.from({ length: 12 }, (_, i) => i));
  });
  it('refuses bad targets with the shapes', () => {
    expect(() => new Reshape({ targetShape: [-1, -1], name: 'r' })).toThrow(/Reshape 'r': argument 'targetShape' .*at most one dimension may be -1/);
    expect(() => new Reshape({ targetShape: [0, 2] })).toThrow(/expected positive sizes or -1/);
    expect(() => run(new Reshape({ targetShape: [5], name: 'r5' }), ones([2, 6]))).toThrow(/Reshape 'r5': cannot reshape a sample of shape \[6\] \(6 elements\) to target_shape \[5\]/);
    expect(() => run(new Reshape({ targetShape: [-1, 4] }), ones([2, 6]))).toThrow(/total size must be unchanged/);
  });
  it('round-trips', () => {
    expect(expectRoundTrip(new Reshape({ targetShape: [3, -1], name: 'r' })).target_shape).toEqual([3, -1]);
  });
});

describe('Permute and RepeatVector', () => {
  it('permutes the non-batch axes (1-based)', () => {
    const x = new Tensor([1, 2, 3], 'float32', Float32Array.from([1, 2, 3, 4, 5, 6]));
    const y = run(new Permute({ dims: [2, 1] }), x);
    expect(y.shape).toEqual([1, 3, 2]);
    expect(Array.from(y.data)).toEqual([1, 4, 2, 5, 3, 6]);
  });
  it('refuses non-permutations and wrong ranks', () => {
    expect(() => new Permute({ dims: [0, 1], name: 'p' })).toThrow(/Permute 'p': argument 'dims' got \[0,1\]: expected a permutation of 1..n/);
    expect(() => run(new Permute({ dims: [2, 1], name: 'p2' }), ones([2, 3]))).toThrow(/Permute 'p2' with dims \[2, 1\] expects inputs of rank 3/);
  });
  it('repeats a vector n times', () => {
    const y = run(new RepeatVector({ n: 2 }), tensor([[1, 2], [3, 4]]));
    expect(y.toArray()).toEqual([[[1, 2], [1, 2]], [[3, 4], [3, 4]]]);
    expect(() => run(new RepeatVector({ n: 2, name: 'rv' }), ones([1, 2, 3]))).toThrow(/RepeatVector 'rv' expects inputs of rank 2/);
    expect(() => new RepeatVector({ n: 1.5 })).toThrow(/argument 'n' got 1.5/);
    expect(expectRoundTrip(new RepeatVector({ n: 3, name: 'rv3' }))).toEqual({ name: 'rv3', trainable: true, dtype: 'float32', n: 3 });
  });
});

describe('Masking', () => {
  it('zeroes steps whose features all equal mask_value and computes the mask', () => {
    const layer = new Masking({ maskValue: 5 });
    const x = tensor([[[5, 5], [1, 5], [5, 5], [0, 0]]]);
    const [y, m] = runTraced([x], ([s]) => [layer.apply(s), floatMask(layer.computeMask(s, null))]);
    expect(y.toArray()).toEqual([[[0, 0], [1, 5], [0, 0], [0, 0]]]);
    expect(m.toArray()).toEqual([[0, 1, 0, 1]]);
    expect(expectRoundTrip(new Masking({ name: 'm' }))).toEqual({ name: 'm', trainable: true, dtype: 'float32', mask_value: 0 });
  });
});

describe('Embedding', () => {
  const emb = () => {
    const e = new Embedding({ inputDim: 3, outputDim: 2, maskZero: true, name: 'e' });
    e.maybeBuild([null, 2]);
    e.setWeights([tensor([[0, 0], [1, 2], [3, 4]])]);
    return e;
  };
  it('looks up rows for int32 and float indices, and masks index 0', () => {
    const e = emb();
    expect(run(e, new Tensor([1, 3], 'int32', Int32Array.from([2, 0, 1]))).toArray()).toEqual([[[3, 4], [0, 0], [1, 2]]]);
    expect(run(e, tensor([[2, 1]])).toArray()).toEqual([[[3, 4], [1, 2]]]);
    const x = new Tensor([1, 3], 'int32', Int32Array.from([2, 0, 1]));
    const [m] = runTraced([x], ([s]) => [floatMask(e.computeMask(s, null))]);
    expect(m.toArray()).toEqual([[1, 0, 1]]);
  });
  it('defaults: uniform(-0.05, 0.05) embeddings, no mask', () => {
    const e = new Embedding({ inputDim: 50, outputDim: 4 });
    e.maybeBuild([null, 3]);
    const w = e.getWeights()[0].data;
    expect(Math.max(...w)).toBeLessThanOrEqual(0.05);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(-0.05);
    // @ts-expect-error -- inputs null on purpose: computeMask must cope with no inputs
    expect(e.computeMask(null, null)).toBeNull();
    expect(e.batchInputShape).toBeNull(); // input_dim is the vocabulary, not an input shape
  });
  it('input_length sets the input shape (Keras 2) and is checked', () => {
    const e = new Embedding({ inputDim: 5, outputDim: 2, inputLength: 3, name: 'el' });
    expect(e.batchInputShape).toEqual([null, 3]);
    const c = expectRoundTrip(e);
    expect(c.batch_input_shape).toEqual([null, 3]);
    expect(Object.keys(c).filter((k) => !['name', 'trainable', 'dtype', 'batch_input_shape'].includes(k))).toEqual([
      'input_dim', 'output_dim', 'embeddings_initializer',
      'embeddings_regularizer', 'activity_regularizer', 'embeddings_constraint', 'mask_zero', 'input_length',
    ]);
    expect(c.input_length).toBe(3);
    expect(c.embeddings_initializer).toEqual({ class_name: 'RandomUniform', config: { minval: -0.05, maxval: 0.05, seed: null } });
    expect(() => run(e, new Tensor([1, 2], 'int32', Int32Array.from([1, 2])))).toThrow(/Embedding 'el': input_length is 3, but the input has shape \[1,\s?2\]/);
  });
  it('reads Keras 3 configs; refuses non-neutral Keras 3 options', () => {
    const base = { name: 'k3', input_dim: 4, output_dim: 2, mask_zero: false, embeddings_initializer: 'uniform' };
    expect(deserializeLayer({ class_name: 'Embedding', config: { ...base, quantization_config: null, lora_rank: null } }).className).toBe('Embedding');
    expect(() => deserializeLayer({ class_name: 'Embedding', config: { ...base, lora_rank: 4 } })).toThrow(/Embedding 'k3': argument 'lora_rank' = 4 is not supported/);
    expect(() => new Embedding({ inputDim: 0, outputDim: 2, name: 'z' })).toThrow(/Embedding 'z': argument 'inputDim' got 0/);
  });
});

describe('ActivityRegularization', () => {
  it('adds (l1 * sum|x| + l2 * sum x^2) / batch to the losses on every call (Keras 2: evaluate counts it too), passes x through', () => {
    const layer = new ActivityRegularization({ l1: 0.1, l2: 0.01 });
    const x = tensor([[1, -2], [3, 0]]);
    const [y, loss] = runTraced([x], ([s], scope) => [layer.apply(s), ...scope.losses], true);
    expectClose(y, [1, -2, 3, 0]);
    expectClose(loss, [(0.1 * 6 + 0.01 * 14) / 2]);
    const [, inference] = runTraced([x], ([s], scope) => [layer.apply(s), ...scope.losses], false);
    expectClose(inference, [(0.1 * 6 + 0.01 * 14) / 2]);
    expect(expectRoundTrip(new ActivityRegularization({ l1: 0.5, name: 'ar' }))).toEqual({ name: 'ar', trainable: true, dtype: 'float32', l1: 0.5, l2: 0 });
  });
});
