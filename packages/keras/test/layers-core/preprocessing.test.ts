import { describe, expect, it } from 'vitest';
import { createTsBackend } from '@keras-ts/backend-ts';
import { Normalization, Rescaling, Tensor, deserializeLayer, setBackend, tensor } from '../../src/index.js';
import { expectClose, expectRoundTrip, run } from './helpers.js';

setBackend(createTsBackend());

describe('Rescaling', () => {
  it('computes x * scale + offset, per channel when given lists', () => {
    expectClose(run(new Rescaling({ scale: 1 / 255 }), tensor([[255, 0]])), [1, 0]);
    expectClose(run(new Rescaling({ scale: [2, 3], offset: [1, 0] }), tensor([[1, 2]])), [3, 6]);
    expectClose(run(new Rescaling({ scale: 2, offset: -1 }), new Tensor([1, 2], 'int32', Int32Array.from([1, 2]))), [1, 3]);
  });
  it('config and errors', () => {
    expect(expectRoundTrip(new Rescaling({ scale: 0.5, name: 'r' }))).toEqual({ name: 'r', trainable: true, dtype: 'float32', scale: 0.5, offset: 0 });
    expect(() => run(new Rescaling({ scale: [1, 2, 3], name: 'rc' }), tensor([[1, 2]]))).toThrow(/Rescaling 'rc': scale has 3 values but the inputs of shape \[1, 2\] have 2 channels/);
    // @ts-expect-error -- scale is left out on purpose
    expect(() => new Rescaling({})).toThrow(/argument 'scale' got nothing/);
  });
});

describe('Normalization', () => {
  const data = tensor([[0, 7, 4], [2, 9, 6], [0, 7, 4], [2, 9, 6]]);
  it('adapts mean, variance and count per feature (Keras docs example)', () => {
    const n = new Normalization({ axis: -1 });
    n.adapt(data);
    expect(n.weights.map((w) => w.name)).toEqual(['mean', 'variance', 'count']);
    expect(n.weights.every((w) => !w.trainable)).toBe(true);
    const [mean, variance, count] = n.getWeights();
    expectClose(mean, [1, 8, 5]);
    expectClose(variance, [1, 1, 1]);
    expect(count.dtype).toBe('int32');
    expect(count.data[0]).toBe(4);
    expectClose(run(n, tensor([[0, 7, 4]])), [-1, -1, -1]);
  });
  it('axis null keeps one mean and variance for everything', () => {
    const n = new Normalization({ axis: null });
    n.adapt(tensor([1, 2, 3, 4, 5]));
    expectClose(run(n, tensor([1, 2, 3])), [-1.4142135, -0.70710677, 0]);
    expect(n.getWeights()[0].shape).toEqual([]);
  });
  it('adapts from nested arrays too', () => {
    const n = new Normalization();
    n.adapt([[1, 10], [3, 30]]);
    expectClose(n.getWeights()[0], [2, 20]);
    expectClose(n.getWeights()[1], [1, 100]);
  });
  it('adapting again starts over', () => {
    const n = new Normalization();
    n.adapt(data);
    n.adapt(tensor([[10, 10, 10], [12, 12, 12]]));
    expectClose(n.getWeights()[0], [11, 11, 11]);
    expect(n.getWeights()[2].data[0]).toBe(2);
  });
  it('keeps several axes; given mean and variance broadcast; invert undoes', () => {
    const n = new Normalization({ axis: [1, 2] });
    const x = new Tensor([2, 2, 2], 'float32', Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]));
    n.adapt(x);
    expectClose(n.getWeights()[0], [3, 4, 5, 6]);
    expectClose(n.getWeights()[1], [4, 4, 4, 4]);
    const given = new Normalization({ mean: [[1], [2]], variance: 4, axis: [1, 2] });
    expectClose(run(given, new Tensor([1, 2, 2], 'float32', Float32Array.from([1, 3, 2, 4]))), [0, 1, 0, 1]);
    expectClose(run(new Normalization({ mean: 1, variance: 4, invert: true }), tensor([[1, -1]])), [3, -1]);
  });
  it('floors the standard deviation at 1e-7', () => {
    expectClose(run(new Normalization({ mean: 0, variance: 0 }), tensor([[1e-7]])), [1]);
  });
  it('writes the Keras 2 config; the given statistics are not weights', () => {
    const n = new Normalization({ mean: [0.1, -0.2], variance: [1.5, 0.5], name: 'n' });
    expect(expectRoundTrip(n)).toEqual({ name: 'n', trainable: true, dtype: 'float32', axis: [-1], invert: false, mean: [0.1, -0.2], variance: [1.5, 0.5] });
    n.maybeBuild([null, 2]);
    expect(n.weights).toHaveLength(0);
    const k3 = deserializeLayer({ class_name: 'Normalization', config: { name: 'n3', axis: [-1], invert: false, mean: null, variance: null } }) as Normalization;
    expect(k3.axis).toEqual([-1]);
  });
  it('errors are clear', () => {
    expect(() => new Normalization({ mean: 1, name: 'nm' })).toThrow(/Normalization 'nm': when setting values directly, both mean and variance must be given/);
    expect(() => new Normalization({ mean: 1, variance: 1, name: 'nf' }).adapt(data)).toThrow(/Normalization 'nf' was created with a fixed mean 1 and variance 1; it cannot adapt/);
    expect(() => new Normalization({ axis: 2, name: 'na' }).maybeBuild([null, 3])).toThrow(/Normalization 'na': every axis must be in \[-2, 2\) for inputs of shape \[None, 3\]; got axis \[2\]/);
    expect(() => new Normalization({ axis: 1, name: 'nu' }).maybeBuild([null, null])).toThrow(/the kept axis 1 of the input shape \[None, None\] must be known/);
    expect(() => new Normalization({ mean: [1, 2], variance: 1, name: 'nb' }).maybeBuild([null, 3])).toThrow(/Normalization 'nb': mean \[1,2\] does not broadcast to the shape \[3\]/);
    const n = new Normalization({ name: 'ns' });
    n.adapt(data);
    expect(() => run(n, tensor([[1, 2]]))).toThrow(/Normalization 'ns' was built for inputs of rank 2 with sizes 3 at axis 1; got shape \[1,\s?2\]/);
  });
});
