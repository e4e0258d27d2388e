import { describe, expect, it } from 'vitest';
import { preprocessing, tensor, type Tensor } from '../../src/index.js';
import type { FillMode } from '../../src/preprocessing/image/sampling.js';
import { expectArray, loadFixture, type FixtureArray } from './fixtures.js';

const { ImageDataGenerator } = preprocessing.image;
const fixture = loadFixture('image-geometry.json');
const toTensor = (a: FixtureArray): Tensor => tensor(Float32Array.from(a.data), a.shape);
const image = toTensor(fixture.image);

/** Keras' snake_case transform parameters in camelCase. */
const params = (p: Record<string, unknown>) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()), v]));

describe('ImageDataGenerator.applyTransform: the geometry of keras-preprocessing 1.1.2 (SciPy sampling)', () => {
  for (const c of fixture.affine as { params: Record<string, number>; fill_mode: FillMode; order: 0 | 1; cval: number; expected: FixtureArray }[]) {
    it(`${JSON.stringify(c.params)} ${c.fill_mode} order ${c.order}`, () => {
      const gen = new ImageDataGenerator({ fillMode: c.fill_mode, cval: c.cval, interpolationOrder: c.order });
      expectArray(gen.applyTransform(image, params(c.params)), c.expected, 1e-5);
    });
  }

  for (const c of fixture.affine_channels_first as { params: Record<string, number>; expected: FixtureArray }[]) {
    it(`channels first: ${JSON.stringify(c.params)}`, () => {
      const gen = new ImageDataGenerator({ fillMode: 'reflect', dataFormat: 'channels_first' });
      const chw = tensor(Float32Array.from(c.expected.data.map(() => 0)), c.expected.shape);
      // The channels-first image: channel, row, column.
      const [h, w, ch] = image.shape;
      chw.data.forEach((_, i) => {
        const [k, r, col] = [Math.floor(i / (h * w)), Math.floor(i / w) % h, i % w];
        chw.data[i] = image.data[(r * w + col) * ch + k];
      });
      expectArray(gen.applyTransform(chw, params(c.params)), c.expected, 1e-5);
    });
  }

  it('a 90-degree rotation moves whole pixels, about the center keras-preprocessing 1.1.2 uses', () => {
    const gen = new ImageDataGenerator();
    const square = toTensor(fixture.square);
    const out = gen.applyTransform(square, { theta: 90 });
    expectArray(out, fixture.rotate90, 1e-6);
    // The center is (size / 2 + 0.5) = (2.5, 2.5): output (r, c) reads input (5 - c, r), a quarter
    // turn and a shift of one pixel, the rows past the edge filled with the nearest ones.
    expect((out.toArray() as number[][][]).map((row) => row.map((v) => v[0]))).toEqual([
      [12, 12, 12, 8],
      [13, 13, 13, 9],
      [14, 14, 14, 10],
      [15, 15, 15, 11],
    ]);
  });

  it('whole-pixel shifts move the image and fill the edge by each mode', () => {
    // A 1 x 5 image, shifted by 2 columns: output column c reads input column c + 2.
    const row = tensor(Float32Array.from([10, 20, 30, 40, 50]), [1, 5, 1]);
    const shifted = (fillMode: 'nearest' | 'constant' | 'reflect' | 'wrap') => Array.from(new ImageDataGenerator({ fillMode, cval: -1 }).applyTransform(row, { ty: 2 }).data);
    expect(shifted('nearest')).toEqual([30, 40, 50, 50, 50]);
    expect(shifted('constant')).toEqual([30, 40, 50, -1, -1]);
    expect(shifted('reflect')).toEqual([30, 40, 50, 50, 40]);
    // SciPy's wrap has period n - 1: the first and last columns overlap.
    expect(shifted('wrap')).toEqual([30, 40, 50, 20, 30]);
    // tx moves along the rows.
    const column = tensor(Float32Array.from([10, 20, 30, 40, 50]), [5, 1, 1]);
    expect(Array.from(new ImageDataGenerator({ fillMode: 'constant' }).applyTransform(column, { tx: -1 }).data)).toEqual([0, 10, 20, 30, 40]);
  });

  it('flips are exact', () => {
    const gen = new ImageDataGenerator();
    const x = tensor(Float32Array.from({ length: 12 }, (_, i) => i), [2, 3, 2]);
    expect(gen.applyTransform(x, { flipHorizontal: true }).toArray()).toEqual([
      [[4, 5], [2, 3], [0, 1]],
      [[10, 11], [8, 9], [6, 7]],
    ]);
    expect(gen.applyTransform(x, { flipVertical: true }).toArray()).toEqual([
      [[6, 7], [8, 9], [10, 11]],
      [[0, 1], [2, 3], [4, 5]],
    ]);
  });

  for (const c of fixture.apply_transform as { params: Record<string, unknown>; expected: FixtureArray }[]) {
    it(`apply_transform ${JSON.stringify(c.params)}`, () => {
      expectArray(new ImageDataGenerator().applyTransform(image, params(c.params)), c.expected, 1e-5);
    });
  }

  for (const c of fixture.brightness as { image: FixtureArray; brightness: number; expected: FixtureArray }[]) {
    it(`brightness ${c.brightness} on ${c.image.shape[2]} channel(s), through PIL's 8-bit image`, () => {
      expectArray(new ImageDataGenerator().applyTransform(toTensor(c.image), { brightness: c.brightness }), c.expected, 0);
    });
  }
});

describe('ImageDataGenerator standardization and fit (against keras-preprocessing 1.1.2)', () => {
  const batch = toTensor(fixture.batch);
  const first = tensor(batch.data.slice(0, batch.size / batch.shape[0]), batch.shape.slice(1));
  for (const c of fixture.standardize as { kwargs: Record<string, unknown>; mean: FixtureArray | null; std: FixtureArray | null; expected: FixtureArray }[]) {
    it(JSON.stringify(c.kwargs), () => {
      const gen = new ImageDataGenerator(params(c.kwargs));
      if (c.mean) gen.fit(batch);
      if (c.mean) expectArray(gen.mean!, c.mean, 1e-5);
      if (c.std) expectArray(gen.std!, c.std, 1e-5);
      expectArray(gen.standardize(first), c.expected, 1e-4);
    });
  }

  for (const c of fixture.zca as { x: FixtureArray; epsilon: number; probe: FixtureArray; mean: FixtureArray; expected: FixtureArray }[]) {
    it(`ZCA whitening of ${c.x.shape[0]} images of ${c.x.shape.slice(1).join('x')}`, () => {
      const gen = new ImageDataGenerator({ zcaWhitening: true, zcaEpsilon: c.epsilon });
      gen.fit(toTensor(c.x));
      expectArray(gen.mean!, c.mean, 1e-5);
      expectArray(gen.standardize(toTensor(c.probe)), c.expected, 1e-4);
    });
  }

  it('a preprocessing function runs first, on the augmented image', () => {
    const gen = new ImageDataGenerator({ preprocessingFunction: (x) => tensor(x.data.map((v) => v + 1), x.shape), rescale: 2 });
    expect(Array.from(gen.standardize(tensor(Float32Array.from([1, 2]), [1, 1, 2])).data)).toEqual([4, 6]);
    const bad = new ImageDataGenerator({ preprocessingFunction: () => tensor([1]) });
    expect(() => bad.standardize(tensor(Float32Array.from([1, 2]), [1, 1, 2]))).toThrow(/preprocessingFunction returned a tensor of shape \[1\]: expected a Tensor of shape \[1,1,2\]/);
  });
});
