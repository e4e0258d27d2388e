/**
 * Port of Keras 2's `examples/mnist_cnn.py` (keras-team/keras, tag 2.3.1): a simple convnet on
 * MNIST, line by line.
 *
 * Deviations:
 * - Data loading: `mnist.loadData(64, 16)` is the synthetic stand-in of `datasets.ts` (MNIST's
 *   shapes and uint8 values; 64 training and 16 test images, for the run time of the pure
 *   TypeScript backend), not the download.
 * - `epochs` (12 in the Python) is an option, so the test runs 2 epochs.
 * - `Adadelta()` is `Adadelta({ learningRate: 1.0 })`: Keras 2.3.1's Adadelta defaulted to lr=1.0, tf.keras
 *   2's (which keras-ts follows) to 0.001, with which this program barely moves in a few epochs.
 * - NumPy's array lines (`reshape`, `astype`, `/= 255`) are the helpers of `np.ts`.
 */
import { keras, scoreList } from '@keras-ts/keras';
import { mnist } from './datasets.js';
import { asFloat32, divide, reshape } from './np.js';

const K = keras.backend;
const { Sequential } = keras.models;
const { Dense, Dropout, Flatten, Conv2D, MaxPooling2D } = keras.layers;

/** Runs the program; returns the History and the test score, which it prints as the Python does. */
export async function main(options: { epochs?: number } = {}) {
  const batch_size = 128;
  const num_classes = 10;
  const epochs = options.epochs ?? 12;

  // input image dimensions
  const [img_rows, img_cols] = [28, 28];

  // the data, split between train and test sets
  let [[x_train, y_train_labels], [x_test, y_test_labels]] = mnist.loadData(64, 16);

  let input_shape: number[];
  if (K.image_data_format() === ('channels_first' as string)) {
    x_train = reshape(x_train, [x_train.shape[0], 1, img_rows, img_cols]);
    x_test = reshape(x_test, [x_test.shape[0], 1, img_rows, img_cols]);
    input_shape = [1, img_rows, img_cols];
  } else {
    x_train = reshape(x_train, [x_train.shape[0], img_rows, img_cols, 1]);
    x_test = reshape(x_test, [x_test.shape[0], img_rows, img_cols, 1]);
    input_shape = [img_rows, img_cols, 1];
  }

  x_train = divide(asFloat32(x_train), 255);
  x_test = divide(asFloat32(x_test), 255);
  console.log('x_train shape:', x_train.shape);
  console.log(x_train.shape[0], 'train samples');
  console.log(x_test.shape[0], 'test samples');

  // convert class vectors to binary class matrices
  const y_train = keras.utils.toCategorical(y_train_labels, num_classes);
  const y_test = keras.utils.toCategorical(y_test_labels, num_classes);

  const model = new Sequential();
  model.add(new Conv2D({ filters: 32, kernelSize: [3, 3], activation: 'relu', inputShape: input_shape }));
  model.add(new Conv2D({ filters: 64, kernelSize: [3, 3], activation: 'relu' }));
  model.add(new MaxPooling2D({ poolSize: [2, 2] }));
  model.add(new Dropout({ rate: 0.25 }));
  model.add(new Flatten());
  model.add(new Dense({ units: 128, activation: 'relu' }));
  model.add(new Dropout({ rate: 0.5 }));
  model.add(new Dense({ units: num_classes, activation: 'softmax' }));

  model.compile({ loss: keras.losses.categoricalCrossentropy, optimizer: new keras.optimizers.Adadelta({ learningRate: 1.0 }), metrics: ['accuracy'] });

  const history = await model.fit(x_train, y_train, { batchSize: batch_size, epochs, verbose: 1, validationData: [x_test, y_test] });
  const score = scoreList(await model.evaluate(x_test, y_test, { verbose: 0 }));
  console.log('Test loss:', score[0]);
  console.log('Test accuracy:', score[1]);
  return { history, score };
}
