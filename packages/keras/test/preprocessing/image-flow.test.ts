import { createTsBackend } from '@keras-ts/backend-ts';
import { describe, expect, it, vi } from 'vitest';
import { Adam, Conv2D, Dense, Flatten, Sequential, Tensor, preprocessing, setBackend, tensor, scoreList } from '../../src/index.js';

setBackend(createTsBackend());
const { ImageDataGenerator } = preprocessing.image;

/** n images of 2 x 2 x 1 whose pixels are all the image's index. */
function indexed(n: number): Tensor {
  return tensor(Float32Array.from({ length: n * 4 }, (_, i) => Math.floor(i / 4)), [n, 2, 2, 1]);
}
const firstPixels = (t: Tensor) => Array.from({ length: t.shape[0] }, (_, i) => t.data[i * (t.size / t.shape[0])]);

describe('ImageDataGenerator.flow', () => {
  it('batches the images with their labels, in order without shuffle', () => {
    const x = indexed(10);
    const y = tensor(Int32Array.from({ length: 10 }, (_, i) => i % 3), [10], 'int32');
    const it = new ImageDataGenerator().flow(x, y, { batchSize: 4, shuffle: false });
    expect(it.length).toBe(3);
    const [bx, by] = it.getItem(2);
    expect(bx.shape).toEqual([2, 2, 2, 1]);
    expect(firstPixels(bx)).toEqual([8, 9]);
    expect(by.dtype).toBe('int32');
    expect(Array.from(by.data)).toEqual([2, 0]);
  });

  it('shuffles each epoch; the same seed gives the same batches', () => {
    const gen = new ImageDataGenerator({ rotationRange: 30, widthShiftRange: 0.2, zoomRange: 0.1 });
    const x = tensor(Float32Array.from({ length: 6 * 5 * 5 }, (_, i) => Math.sin(i)), [6, 5, 5, 1]);
    const a = gen.flow(x, null, { batchSize: 3, seed: 11 });
    const b = gen.flow(x, null, { batchSize: 3, seed: 11 });
    const c = gen.flow(x, null, { batchSize: 3, seed: 12 });
    for (let i = 0; i < 2; i++) expect(Array.from(a.getItem(i).data)).toEqual(Array.from(b.getItem(i).data));
    a.onEpochEnd();
    b.onEpochEnd();
    expect(Array.from(a.getItem(0).data)).toEqual(Array.from(b.getItem(0).data));
    expect(Array.from(c.getItem(0).data)).not.toEqual(Array.from(gen.flow(x, null, { batchSize: 3, seed: 11 }).getItem(0).data));
    // Every sample once per epoch.
    const order = gen.flow(indexed(7), null, { batchSize: 3, seed: 5 });
    const seen = [0, 1, 2].flatMap((i) => firstPixels(new ImageDataGenerator().flow(indexed(7), null, { batchSize: 3, seed: 5 }).getItem(i)));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(order.length).toBe(3);
  });

  it('is an endless iterator as Keras (next(): passes of n samples, the last batch short)', () => {
    const it = new ImageDataGenerator().flow(indexed(5), null, { batchSize: 2, shuffle: false });
    const sizes: number[] = [];
    let k = 0;
    for (const batch of it) {
      sizes.push(batch.shape[0]);
      if (++k === 6) break;
    }
    expect(sizes).toEqual([2, 2, 1, 2, 2, 1]);
    expect(firstPixels(it.next().value)).toEqual([0, 1]);
  });

  it('random flips give each image or its mirror', () => {
    const x = tensor(Float32Array.from([1, 2, 3, 4, 5, 6]), [1, 2, 3, 1]);
    const gen = new ImageDataGenerator({ horizontalFlip: true });
    const seen = new Set<string>();
    const it = gen.flow(x, null, { batchSize: 1, seed: 3 });
    for (let i = 0; i < 20; i++) seen.add(Array.from(it.next().value.data).join());
    expect([...seen].sort()).toEqual(['1,2,3,4,5,6', '3,2,1,6,5,4']);
  });

  it('gives sample weights third, and the training or validation subset', () => {
    const x = indexed(10);
    const y = tensor(Float32Array.from({ length: 10 }, (_, i) => i % 2));
    const sw = tensor(Float32Array.from({ length: 10 }, (_, i) => i / 10));
    const gen = new ImageDataGenerator({ validationSplit: 0.2 });
    const [, , w] = gen.flow(x, y, { sampleWeight: sw, shuffle: false, batchSize: 10 }).getItem(0) as [Tensor, Tensor, Tensor];
    expect(w.data[3]).toBeCloseTo(0.3);
    const val = gen.flow(x, y, { subset: 'validation', shuffle: false });
    const train = gen.flow(x, y, { subset: 'training', shuffle: false });
    expect(firstPixels(val.getItem(0)[0])).toEqual([0, 1]);
    expect(firstPixels(train.getItem(0)[0])).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('names bad arguments', () => {
    const gen = new ImageDataGenerator();
    // @ts-expect-error -- 'batch_size' is deliberately not an argument here, to check the runtime error
    expect(() => gen.flow(indexed(4), null, { batch_size: 2 })).toThrow(/ImageDataGenerator.flow: unknown argument 'batch_size' \(got 2\); did you mean 'batchSize'\?/);
    expect(() => gen.flow(tensor(Float32Array.from([1, 2, 3, 4]), [2, 2]))).toThrow(/ImageDataGenerator.flow: argument 'x' got "an array of shape \[2, 2\]": expected images of rank 4/);
    expect(() => gen.flow(indexed(4), tensor([1, 2, 3]))).toThrow(/x has 4 samples, y has 3/);
    // @ts-expect-error -- 'saveToDir' is not supported, on purpose
    expect(() => gen.flow(indexed(4), null, { saveToDir: '/tmp' })).toThrow(/saveToDir' is not supported/);
    expect(() => gen.flow(indexed(4), null, { subset: 'validation' })).toThrow(/no validationSplit/);
    // @ts-expect-error -- 'rotation_range' is deliberately not an argument here, to check the runtime error
    expect(() => new ImageDataGenerator({ rotation_range: 10 })).toThrow(/ImageDataGenerator: unknown argument 'rotation_range' \(got 10\); did you mean 'rotationRange'\?/);
    // @ts-expect-error -- fillMode = 'mirror' is not an allowed value, to check the runtime error
    expect(() => new ImageDataGenerator({ fillMode: 'mirror' })).toThrow(/ImageDataGenerator: argument 'fillMode' got "mirror": expected 'nearest', 'constant', 'reflect', 'wrap'/);
    // @ts-expect-error -- zoomRange = [1] is not an allowed value, to check the runtime error
    expect(() => new ImageDataGenerator({ zoomRange: [1] })).toThrow(/argument 'zoomRange' got \[1\]: expected a number or a list of two numbers/);
    // @ts-expect-error -- interpolationOrder = 3 is not an allowed value, to check the runtime error
    expect(() => new ImageDataGenerator({ interpolationOrder: 3 })).toThrow(/argument 'interpolationOrder' got 3: expected 0 \(nearest pixel\) or 1 \(bilinear\)/);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(new ImageDataGenerator({ featurewiseStdNormalization: true }).config.featurewiseCenter).toBe(true);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/overrides setting of `featurewiseCenter`/));
    warn.mockRestore();
  });
});

describe('fit with ImageDataGenerator.flow', () => {
  it('trains a tiny CNN on augmented images', async () => {
    // 8 x 8 images: a vertical bar (class 0) or a horizontal bar (class 1) at a random place.
    const n = 48;
    const x = new Float32Array(n * 64);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = i % 2;
      const at = 1 + ((i * 5) % 6);
      for (let k = 0; k < 8; k++) x[i * 64 + (y[i] === 0 ? k * 8 + at : at * 8 + k)] = 1;
    }
    const images = new Tensor([n, 8, 8, 1], 'float32', x);
    const labels = new Tensor([n], 'int32', y);
    const model = new Sequential({
      layers: [
        new Conv2D({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 1], kernelInitializer: { class_name: 'GlorotUniform', config: { seed: 1 } } }),
        new Flatten(),
        new Dense({ units: 2, activation: 'softmax', kernelInitializer: { class_name: 'GlorotUniform', config: { seed: 2 } } }),
      ],
    });
    model.compile({ optimizer: new Adam({ learningRate: 0.03 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const datagen = new ImageDataGenerator({ widthShiftRange: 1, heightShiftRange: 1, horizontalFlip: true, verticalFlip: false, fillMode: 'constant' });
    const h = await model.fit(datagen.flow(images, labels, { batchSize: 8, seed: 1 }), { epochs: 6, verbose: 0 });
    expect(h.epoch.length).toBe(6);
    expect(h.history.loss[5]).toBeLessThan(h.history.loss[0] * 0.5);
    expect(h.history.accuracy[5]).toBeGreaterThan(0.9);
    const [, accuracy] = scoreList(await model.evaluate(images, labels));
    expect(accuracy).toBeGreaterThan(0.9);
  });
});
