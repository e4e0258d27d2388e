/**
 * Port of Keras 2's `examples/mnist_mlp.py` (keras-team/keras, tag 2.3.1): a simple deep MLP on
 * MNIST, line by line.
 *
 * Deviations:
 * - Data loading: `mnist.loadData()` is the synthetic stand-in of `datasets.ts` (MNIST's shapes and
 *   uint8 values, 256 training and 64 test images by default), not the download.
 * - `epochs` (20 in the Python) is an option, so the test runs 2 epochs.
 * - NumPy's array lines (`reshape`, `astype`, `/= 255`) are the helpers of `np.ts`.
 */
import { keras, scoreList, type Tensor } from '@keras-ts/keras';
import { mnist } from './datasets.js';
import { asFloat32, divide, reshape } from './np.js';

const { Sequential } = keras.models;
const { Dense, Dropout } = keras.layers;
const { RMSprop } = keras.optimizers;

/** Runs the program; returns the History and the test score, which it prints as the Python does. */
export async function main(options: { epochs?: number } = {}) {
  const batch_size = 128;
  const num_classes = 10;
  const epochs = options.epochs ?? 20;

  // the data, split between train and test sets
  let [[x_train, y_train_labels], [x_test, y_test_labels]] = mnist.loadData();

  x_train = reshape(x_train, [x_train.shape[0], 784]);
  x_test = reshape(x_test, [x_test.shape[0], 784]);
  x_train = asFloat32(x_train);
  x_test = asFloat32(x_test);
  x_train = divide(x_train, 255);
  x_test = divide(x_test, 255);
  console.log(x_train.shape[0], 'train samples');
  console.log(x_test.shape[0], 'test samples');

  // convert class vectors to binary class matrices
  const y_train = keras.utils.toCategorical(y_train_labels, num_classes);
  const y_test = keras.utils.toCategorical(y_test_labels, num_classes);

  const model = new Sequential();
  model.add(new Dense({ units: 512, activation: 'relu', inputShape: [784] }));
  model.add(new Dropout({ rate: 0.2 }));
  model.add(new Dense({ units: 512, activation: 'relu' }));
  model.add(new Dropout({ rate: 0.2 }));
  model.add(new Dense({ units: num_classes, activation: 'softmax' }));

  model.summary();

  model.compile({ loss: 'categorical_crossentropy', optimizer: new RMSprop(), metrics: ['accuracy'] });

  const history = await model.fit(x_train, y_train, { batchSize: batch_size, epochs, verbose: 1, validationData: [x_test, y_test] });
  const score = scoreList(await model.evaluate(x_test, y_test, { verbose: 0 }));
  console.log('Test loss:', score[0]);
  console.log('Test accuracy:', score[1]);
  return { history, score, model: model as { predict(x: Tensor): Promise<unknown> } };
}
