import { createTsBackend } from '@keras-ts/backend-ts';
import {
  Adam,
  AveragePooling2D,
  BatchNormalization,
  Conv2D,
  Conv2DTranspose,
  Dense,
  DepthwiseConv2D,
  Embedding,
  GlobalAveragePooling1D,
  GlobalAveragePooling2D,
  RMSprop,
  UpSampling2D,
  Dropout,
  Flatten,
  MaxPooling2D,
  SGD,
  Sequential,
  Tensor,
  onlyOutput,
  setBackend,
  setRandomSeed,
  type Layer,
  type Model,
  type Optimizer,
} from '@keras-ts/keras';
import type { Backend } from '@keras-ts/spec';
import { describe, expect, it } from 'vitest';
import { createOnnxBackend, type OnnxBackend } from '@keras-ts/backend-onnx';
import { createOnnxWebBackend } from '@keras-ts/backend-onnx/web';

/** A small seeded generator (LCG), so both backends see the same data. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function uniform(shape: number[], seed: number): Tensor {
  const r = seeded(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor(shape, 'float32', Float32Array.from({ length: n }, () => r() * 2 - 1));
}

function classes(n: number, k: number): Tensor {
  return new Tensor([n], 'int32', Int32Array.from({ length: n }, (_, i) => (i * 7 + 3) % k));
}

interface Run {
  weights: Tensor[];
  loss: number[];
  predictions: Tensor;
}

/**
 * Builds the model on `backend`, gives it `initial` weights (so both runs start alike), fits it
 * and returns the trained weights, the loss history and predictions.
 */
async function train(
  backend: Backend,
  make: () => Model,
  optimizer: () => Optimizer,
  loss: string,
  x: Tensor,
  y: Tensor,
  initial: Tensor[] | null,
  epochs: number,
  batchSize: number,
): Promise<Run & { initial: Tensor[] }> {
  setBackend(backend);
  const model = make();
  model.compile({ optimizer: optimizer(), loss });
  await model.predict(x.shape[0] > 4 ? sliceRows(x, 4) : x); // builds the weights
  if (initial) model.setWeights(initial);
  const start = model.getWeights();
  setRandomSeed(1234);
  const h = await model.fit(x, y, { epochs, batchSize, verbose: 0, seed: 7 });
  const predictions = onlyOutput(await model.predict(x));
  return { weights: model.getWeights(), loss: h.history.loss, predictions, initial: start };
}

function sliceRows(x: Tensor, n: number): Tensor {
  const row = x.size / x.shape[0];
  return new Tensor([n, ...x.shape.slice(1)], x.dtype, x.data.slice(0, n * row));
}

function expectSameWeights(a: Tensor[], b: Tensor[], tol: number): void {
  expect(b.length).toBe(a.length);
  a.forEach((w, i) => {
    expect(b[i].shape).toEqual(w.shape);
    let worst = 0;
    for (let j = 0; j < w.size; j++) worst = Math.max(worst, Math.abs(w.data[j] - b[i].data[j]));
    expect(worst, `weight ${i} ${JSON.stringify(w.shape)}: worst difference ${worst}`).toBeLessThanOrEqual(tol);
  });
}

async function compare(makeOnnx: () => Promise<OnnxBackend>, make: () => Model, optimizer: () => Optimizer, loss: string, x: Tensor, y: Tensor, epochs: number, batchSize: number): Promise<void> {
  const ts = await train(createTsBackend(), make, optimizer, loss, x, y, null, epochs, batchSize);
  const onnx = await makeOnnx();
  try {
    const ox = await train(onnx, make, optimizer, loss, x, y, ts.initial, epochs, batchSize);
    // Training changed the weights, on both backends alike.
    expect(ts.weights.some((w, i) => w.data.some((v, j) => v !== ts.initial[i].data[j]))).toBe(true);
    expectSameWeights(ts.weights, ox.weights, 1e-4);
    ts.loss.forEach((l, i) => expect(Math.abs(l - ox.loss[i])).toBeLessThan(1e-4));
    expectSameWeights([ts.predictions], [ox.predictions], 1e-4);
  } finally {
    onnx.dispose();
  }
}

/** backend-onnx on each ONNX Runtime binding: onnxruntime-node, and onnxruntime-web's WebAssembly build (which runs in Node too). */
const RUNTIMES: readonly (readonly [string, () => Promise<OnnxBackend>])[] = [
  ['onnxruntime-node', async () => createOnnxBackend()],
  ['onnxruntime-web', () => createOnnxWebBackend({ numThreads: 1 })],
];

for (const [runtime, makeOnnx] of RUNTIMES) {
  describe(`training on backend-onnx (${runtime}) matches backend-ts`, () => {
    it('an MLP trained with SGD (momentum) for 3 epochs', async () => {
      const make = () =>
        new Sequential({
          layers: [
            new Dense({ units: 16, activation: 'relu', inputShape: [8] }) as Layer,
            new Dense({ units: 8, activation: 'tanh' }),
            new Dense({ units: 3, activation: 'softmax' }),
          ],
        });
      await compare(makeOnnx, make, () => new SGD({ learningRate: 0.1, momentum: 0.9 }), 'sparse_categorical_crossentropy', uniform([64, 8], 1), classes(64, 3), 3, 16);
    });

    it('a CNN with pooling, batch norm and dropout trained with Adam for 3 epochs', async () => {
      const make = () =>
        new Sequential({
          layers: [
            new Conv2D({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [8, 8, 2] }) as Layer,
            new MaxPooling2D({ poolSize: 2 }),
            new BatchNormalization({}),
            new Conv2D({ filters: 6, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
            new AveragePooling2D({ poolSize: 2, padding: 'same' }),
            new Flatten({}),
            new Dense({ units: 8, activation: 'tanh' }),
            new Dropout({ rate: 0.25 }),
            new Dense({ units: 3, activation: 'softmax' }),
          ],
        });
      await compare(makeOnnx, make, () => new Adam({ learningRate: 0.01 }), 'sparse_categorical_crossentropy', uniform([40, 8, 8, 2], 2), classes(40, 3), 3, 8);
    });

    it('transposed, depthwise and upsampling convolutions trained with RMSprop', async () => {
      const make = () =>
        new Sequential({
          layers: [
            new Conv2D({ filters: 3, kernelSize: 2, strides: 2, activation: 'tanh', inputShape: [6, 6, 2] }) as Layer,
            new UpSampling2D({ size: 2, interpolation: 'bilinear' }),
            new Conv2DTranspose({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
            new DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 2, padding: 'valid' }),
            new UpSampling2D({ size: 2 }),
            new GlobalAveragePooling2D({}),
            new Dense({ units: 2 }),
          ],
        });
      await compare(makeOnnx, make, () => new RMSprop({ learningRate: 0.01 }), 'mse', uniform([24, 6, 6, 2], 3), uniform([24, 2], 4), 2, 6);
    });

    it('an embedding (gather gradients with repeated ids) trained with SGD', async () => {
      const ids = new Tensor([32, 5], 'int32', Int32Array.from({ length: 160 }, (_, i) => (i * 7) % 11));
      const make = () =>
        new Sequential({
          layers: [new Embedding({ inputDim: 11, outputDim: 4, inputShape: [5] }) as Layer, new GlobalAveragePooling1D({}), new Dense({ units: 3, activation: 'softmax' })],
        });
      await compare(makeOnnx, make, () => new SGD({ learningRate: 0.5 }), 'sparse_categorical_crossentropy', ids, classes(32, 3), 3, 8);
    });
  });
}
