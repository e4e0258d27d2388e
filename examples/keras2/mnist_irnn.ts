/**
 * Port of Keras 2's `examples/mnist_irnn.py` (keras-team/keras, tag 2.3.1): the IRNN experiment of
 * Le, Jaitly and Hinton, "A Simple Way to Initialize Recurrent Networks of Rectified Linear Units"
 * (arXiv:1504.00941): a SimpleRNN of ReLUs whose recurrent kernel starts as the identity reads
 * MNIST one pixel at a time, trained with RMSprop at a learning rate of 1e-6, line by line.
 *
 * Deviations:
 * - Data loading: `mnist.loadData()` is the synthetic stand-in of `datasets.ts` (MNIST's shapes and
 *   uint8 values), 64 training and 16 test images here (60000 and 10000), not the download.
 * - Size: the images are read at half resolution (every second row and column, 14x14), so a
 *   sequence is 196 pixels instead of 784: the time loop is unrolled when the model is traced, and
 *   784 steps take about a minute to compile and run on the pure-TypeScript backend (`stride: 1`
 *   runs the full 784).
 * - `epochs` (200 in the Python) is an option, so the test runs 2 epochs.
 * - NumPy's array lines (`reshape`, `astype`, `/= 255`) are the helpers of `np.ts`.
 */
import { keras, scoreList, Tensor } from '@keras-ts/keras';
import { mnist } from './datasets.js';
import { asFloat32, divide, reshape } from './np.js';

const { Sequential } = keras.models;
const { Dense, Activation, SimpleRNN } = keras.layers;
const { initializers } = keras;
const { RMSprop } = keras.optimizers;

/** Runs the program; returns the History and the test score and accuracy, which it prints as the Python does. */
export async function main(options: { epochs?: number; nTrain?: number; nTest?: number; stride?: number } = {}) {
  const batch_size = 32;
  const num_classes = 10;
  const epochs = options.epochs ?? 200;
  const hidden_units = 100;

  const learning_rate = 1e-6;
  // The Python sets clip_norm = 1.0 and never uses it.

  // the data, split between train and test sets
  let [[x_train, y_train_labels], [x_test, y_test_labels]] = mnist.loadData(options.nTrain ?? 64, options.nTest ?? 16);
  x_train = everyNth(x_train, options.stride ?? 2);
  x_test = everyNth(x_test, options.stride ?? 2);

  x_train = reshape(x_train, [x_train.shape[0], -1, 1]);
  x_test = reshape(x_test, [x_test.shape[0], -1, 1]);
  x_train = asFloat32(x_train);
  x_test = asFloat32(x_test);
  x_train = divide(x_train, 255);
  x_test = divide(x_test, 255);
  console.log('x_train shape:', x_train.shape);
  console.log(x_train.shape[0], 'train samples');
  console.log(x_test.shape[0], 'test samples');

  // convert class vectors to binary class matrices
  const y_train = keras.utils.toCategorical(y_train_labels, num_classes);
  const y_test = keras.utils.toCategorical(y_test_labels, num_classes);

  console.log('Evaluate IRNN...');
  const model = new Sequential();
  model.add(
    new SimpleRNN({
      units: hidden_units,
      kernelInitializer: new initializers.RandomNormal({ stddev: 0.001 }),
      recurrentInitializer: new initializers.Identity({ gain: 1.0 }),
      activation: 'relu',
      inputShape: x_train.shape.slice(1),
    }),
  );
  model.add(new Dense({ units: num_classes }));
  model.add(new Activation({ activation: 'softmax' }));
  const rmsprop = new RMSprop({ lr: learning_rate });
  model.compile({ loss: 'categorical_crossentropy', optimizer: rmsprop, metrics: ['accuracy'] });

  const history = await model.fit(x_train, y_train, { batchSize: batch_size, epochs, verbose: 1, validationData: [x_test, y_test] });

  const scores = scoreList(await model.evaluate(x_test, y_test, { verbose: 0 }));
  console.log('IRNN test score:', scores[0]);
  console.log('IRNN test accuracy:', scores[1]);
  return { history, scores };
}

/** `x[:, ::k, ::k]` for images [n, h, w] (the size deviation of the header). */
function everyNth(x: Tensor, k: number): Tensor {
  if (k === 1) return x;
  const [n, h, w] = x.shape;
  const [h2, w2] = [Math.ceil(h / k), Math.ceil(w / k)];
  const out = new Int32Array(n * h2 * w2);
  let at = 0;
  for (let i = 0; i < n; i++) for (let p = 0; p < h; p += k) for (let q = 0; q < w; q += k) out[at++] = x.data[(i * h + p) * w + q];
  return new Tensor([n, h2, w2], x.dtype, out);
}
