import { describe, expect, it } from 'vitest';
import { createTsBackend } from '@keras-ts/backend-ts';
import {
  Cropping1D,
  Cropping2D,
  Cropping3D,
  Permute,
  Tensor,
  UpSampling1D,
  UpSampling2D,
  UpSampling3D,
  ZeroPadding1D,
  ZeroPadding2D,
  ZeroPadding3D,
  deserializeLayer,
  setBackend,
  tensor,
  type Layer,
} from '../../src/index.js';
import { expectClose, expectRoundTrip, run } from './helpers.js';

setBackend(createTsBackend());

const iota = (shape: number[]) => new Tensor(shape, 'float32', Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i));
const toFirst = (rank: number) => new Permute({ dims: [rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)] });
const toLast = (rank: number) => new Permute({ dims: [...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1] });

/** A channels_first layer on transposed data equals the channels_last one. */
function expectSameAcrossFormats(last: Layer, first: Layer, shape: number[]): void {
  const x = iota(shape);
  const want = run(last, x);
  const got = run(toLast(shape.length), run(first, run(toFirst(shape.length), x)));
  expect(got.shape).toEqual(want.shape);
  expectClose(got, Array.from(want.data));
}

describe('Cropping', () => {
  it('1D crops the steps axis', () => {
    const y = run(new Cropping1D({ cropping: [1, 2] }), iota([1, 5, 1]));
    expect(Array.from(y.data)).toEqual([1, 2]);
    expect(run(new Cropping1D(), iota([1, 3, 1])).data[0]).toBe(1);
  });
  it('2D/3D accept an int, a tuple or pairs; channels_first matches channels_last', () => {
    expect(new Cropping2D({ cropping: 1 }).cropping).toEqual([[1, 1], [1, 1]]);
    expect(new Cropping2D({ cropping: [1, 2] }).cropping).toEqual([[1, 1], [2, 2]]);
    expect(new Cropping3D().cropping).toEqual([[1, 1], [1, 1], [1, 1]]);
    expectSameAcrossFormats(new Cropping2D({ cropping: [[1, 0], [0, 2]] }), new Cropping2D({ cropping: [[1, 0], [0, 2]], dataFormat: 'channels_first' }), [2, 4, 5, 3]);
    expectSameAcrossFormats(new Cropping3D({ cropping: [[1, 0], [0, 1], [1, 1]] }), new Cropping3D({ cropping: [[1, 0], [0, 1], [1, 1]], dataFormat: 'channels_first' }), [1, 3, 3, 4, 2]);
  });
  it('refuses cropping everything and bad arguments', () => {
    expect(() => run(new Cropping1D({ cropping: [2, 1], name: 'c1' }), iota([1, 3, 1]))).toThrow(/Cropping1D 'c1': cropping \[2, 1\] removes all 3 steps/);
    expect(() => run(new Cropping2D({ cropping: [[0, 0], [2, 2]], name: 'c2' }), iota([1, 3, 4, 1]))).toThrow(/Cropping2D 'c2': cropping .* removes all 4 entries of axis 2/);
    expect(() => new Cropping2D({ cropping: [1, 2, 3], name: 'c3' })).toThrow(/Cropping2D 'c3': argument 'cropping' got \[1,2,3\]/);
    expect(() => new Cropping1D({ cropping: -1 })).toThrow(/argument 'cropping' got -1/);
    expect(() => run(new Cropping2D({ name: 'c4' }), iota([1, 3, 4]))).toThrow(/Cropping2D 'c4' expects inputs of rank 4/);
  });
  it('configs in Keras 2 form', () => {
    expect(expectRoundTrip(new Cropping1D({ cropping: 2, name: 'a' }))).toEqual({ name: 'a', trainable: true, dtype: 'float32', cropping: [2, 2] });
    expect(expectRoundTrip(new Cropping2D({ cropping: [1, 2], name: 'b' }))).toEqual({ name: 'b', trainable: true, dtype: 'float32', cropping: [[1, 1], [2, 2]], data_format: 'channels_last' });
    expect(expectRoundTrip(new Cropping3D({ name: 'c' })).cropping).toEqual([[1, 1], [1, 1], [1, 1]]);
  });
});

describe('UpSampling', () => {
  it('1D repeats each step', () => {
    expect(run(new UpSampling1D(), tensor([[[1], [2]]])).toArray()).toEqual([[[1], [1], [2], [2]]]);
  });
  it('2D nearest repeats pixels; bilinear uses half-pixel centers', () => {
    const y = run(new UpSampling2D({ size: [1, 2] }), tensor([[[[1], [2]]]]));
    expect(Array.from(y.data)).toEqual([1, 1, 2, 2]);
    const b = run(new UpSampling2D({ size: [1, 2], interpolation: 'bilinear' }), tensor([[[[0], [4]]]]));
    expectClose(b, [0, 1, 3, 4]);
  });
  it('2D and 3D channels_first match channels_last', () => {
    expectSameAcrossFormats(new UpSampling2D({ size: [2, 3] }), new UpSampling2D({ size: [2, 3], dataFormat: 'channels_first' }), [2, 2, 3, 2]);
    expectSameAcrossFormats(new UpSampling2D({ interpolation: 'bilinear' }), new UpSampling2D({ interpolation: 'bilinear', dataFormat: 'channels_first' }), [1, 3, 2, 2]);
    expectSameAcrossFormats(new UpSampling3D({ size: [1, 2, 3] }), new UpSampling3D({ size: [1, 2, 3], dataFormat: 'channels_first' }), [1, 2, 2, 2, 2]);
  });
  it('3D repeats voxels along each axis', () => {
    const y = run(new UpSampling3D({ size: [2, 1, 1] }), iota([1, 2, 1, 1, 1]));
    expect(Array.from(y.data)).toEqual([0, 0, 1, 1]);
  });
  it('refuses unsupported interpolations and bad sizes', () => {
    expect(() => new UpSampling2D({ interpolation: 'bicubic', name: 'u' })).toThrow(/UpSampling2D 'u': interpolation 'bicubic' is not supported by keras-ts; expected 'nearest' or 'bilinear'/);
    expect(() => new UpSampling2D({ interpolation: 'cubic', name: 'u2' })).toThrow(/interpolation 'cubic' is unknown/);
    expect(() => new UpSampling1D({ size: 0, name: 'u3' })).toThrow(/UpSampling1D 'u3': argument 'size' got 0/);
    expect(() => new UpSampling3D({ size: [1, 2] })).toThrow(/argument 'size' got \[1,2\]/);
  });
  it('configs in Keras 2 form', () => {
    expect(expectRoundTrip(new UpSampling1D({ name: 'a' }))).toEqual({ name: 'a', trainable: true, dtype: 'float32', size: 2 });
    expect(expectRoundTrip(new UpSampling2D({ name: 'b' }))).toEqual({ name: 'b', trainable: true, dtype: 'float32', size: [2, 2], data_format: 'channels_last', interpolation: 'nearest' });
    expect(expectRoundTrip(new UpSampling3D({ size: 3, name: 'c' }))).toEqual({ name: 'c', trainable: true, dtype: 'float32', size: [3, 3, 3], data_format: 'channels_last' });
  });
});

describe('ZeroPadding', () => {
  it('1D pads the steps axis (channels_first from Keras 3 pads the last axis)', () => {
    expect(run(new ZeroPadding1D({ padding: [1, 2] }), tensor([[[5]]])).toArray()).toEqual([[[0], [5], [0], [0]]]);
    expect(run(new ZeroPadding1D({ padding: 1, dataFormat: 'channels_first' }), tensor([[[5, 6]]])).toArray()).toEqual([[[0, 5, 6, 0]]]);
  });
  it('2D/3D pad the spatial axes; channels_first matches channels_last', () => {
    expect(run(new ZeroPadding2D(), tensor([[[[1]]]])).shape).toEqual([1, 3, 3, 1]);
    expectSameAcrossFormats(new ZeroPadding2D({ padding: [[1, 0], [2, 1]] }), new ZeroPadding2D({ padding: [[1, 0], [2, 1]], dataFormat: 'channels_first' }), [1, 2, 3, 2]);
    expectSameAcrossFormats(new ZeroPadding3D({ padding: [1, 0, 2] }), new ZeroPadding3D({ padding: [1, 0, 2], dataFormat: 'channels_first' }), [1, 2, 2, 2, 2]);
  });
  it('configs in Keras 2 form (ZeroPadding1D writes data_format only when not the default)', () => {
    expect(expectRoundTrip(new ZeroPadding1D({ name: 'a' }))).toEqual({ name: 'a', trainable: true, dtype: 'float32', padding: [1, 1] });
    expect(expectRoundTrip(new ZeroPadding1D({ dataFormat: 'channels_first' })).data_format).toBe('channels_first');
    expect(expectRoundTrip(new ZeroPadding2D({ padding: 2, name: 'b' }))).toEqual({ name: 'b', trainable: true, dtype: 'float32', padding: [[2, 2], [2, 2]], data_format: 'channels_last' });
    const k3 = deserializeLayer({ class_name: 'ZeroPadding1D', config: { name: 'z3', padding: [1, 2], data_format: 'channels_last' } });
    expect(k3.getConfig().padding).toEqual([1, 2]);
    // @ts-expect-error -- padding pair with three entries, wrong on purpose
    expect(() => new ZeroPadding3D({ padding: [[1, 2, 3]], name: 'zb' })).toThrow(/ZeroPadding3D 'zb': argument 'padding'/);
    // @ts-expect-error -- dataFormat = 'nchw' is not an allowed value, to check the runtime error
    expect(() => new ZeroPadding2D({ dataFormat: 'nchw', name: 'zf' })).toThrow(/ZeroPadding2D 'zf': argument 'dataFormat' got "nchw"/);
  });
});
