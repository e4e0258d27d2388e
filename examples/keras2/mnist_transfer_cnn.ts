/**
 * Port of Keras 2's `examples/mnist_transfer_cnn.py` (keras-team/keras, tag 2.3.1): a convnet
 * trained on the digits 0-4, then its feature layers frozen (`trainable = False`) and the
 * classifier trained again on the digits 5-9, line by line.
 *
 * Deviations:
 * - Data loading: `mnist.loadData(96, 32)` is the synthetic stand-in of `datasets.ts`, not the
 *   download.
 * - `epochs` (5 in the Python) is an option.
 * - `optimizer='adadelta'` is `Adadelta({ learningRate: 1.0 })`: Keras 2.3.1's Adadelta defaulted
 *   to lr=1.0, tf.keras 2's (which keras-ts follows) to 0.001.
 * - NumPy's boolean-mask indexing (`x_train[y_train < 5]`) is a filter over the rows.
 */
import { keras, Tensor, scoreList, type History } from '@keras-ts/keras';
import { mnist } from './datasets.js';
import { asFloat32, divide, reshape } from './np.js';

const K = keras.backend;
const { Sequential } = keras.models;
const { Dense, Dropout, Activation, Flatten, Conv2D, MaxPooling2D } = keras.layers;

/** Runs the program; returns each training's History and score, and the feature weights around the second training. */
export async function main(options: { epochs?: number } = {}) {
  const now = () => performance.now();

  const batch_size = 128;
  const num_classes = 5;
  const epochs = options.epochs ?? 5;

  // input image dimensions
  const [img_rows, img_cols] = [28, 28];
  // number of convolutional filters to use
  const filters = 32;
  // size of pooling area for max pooling
  const pool_size = 2;
  // convolution kernel size
  const kernel_size = 3;

  const input_shape = K.image_data_format() === ('channels_first' as string) ? [1, img_rows, img_cols] : [img_rows, img_cols, 1];

  const results: { history: History; score: number[] }[] = [];

  async function train_model(model: InstanceType<typeof Sequential>, train: [Tensor, Tensor], test: [Tensor, Tensor], num_classes: number) {
    let x_train = reshape(train[0], [train[0].shape[0], ...input_shape]);
    let x_test = reshape(test[0], [test[0].shape[0], ...input_shape]);
    x_train = divide(asFloat32(x_train), 255);
    x_test = divide(asFloat32(x_test), 255);
    console.log('x_train shape:', x_train.shape);
    console.log(x_train.shape[0], 'train samples');
    console.log(x_test.shape[0], 'test samples');

    // convert class vectors to binary class matrices
    const y_train = keras.utils.toCategorical(train[1], num_classes);
    const y_test = keras.utils.toCategorical(test[1], num_classes);

    model.compile({ loss: 'categorical_crossentropy', optimizer: new keras.optimizers.Adadelta({ learningRate: 1.0 }), metrics: ['accuracy'] });

    const t = now();
    const history = await model.fit(x_train, y_train, { batchSize: batch_size, epochs, verbose: 1, validationData: [x_test, y_test] });
    console.log(`Training time: ${((now() - t) / 1000).toFixed(3)}s`);
    const score = scoreList(await model.evaluate(x_test, y_test, { verbose: 0 }));
    console.log('Test score:', score[0]);
    console.log('Test accuracy:', score[1]);
    results.push({ history, score });
  }

  // the data, split between train and test sets
  const [[x_train, y_train], [x_test, y_test]] = mnist.loadData(96, 32);

  // create two datasets one with digits below 5 and one with 5 and above
  const rows = (x: Tensor, y: Tensor, keep: (label: number) => boolean, shift: number): [Tensor, Tensor] => {
    const idx = Array.from(y.data.keys()).filter((i) => keep(y.data[i]));
    return [x.gatherRows(idx), new Tensor([idx.length], 'int32', Int32Array.from(idx, (i) => y.data[i] - shift))];
  };
  const train_lt5 = rows(x_train, y_train, (l) => l < 5, 0);
  const test_lt5 = rows(x_test, y_test, (l) => l < 5, 0);
  const train_gte5 = rows(x_train, y_train, (l) => l >= 5, 5);
  const test_gte5 = rows(x_test, y_test, (l) => l >= 5, 5);

  // define two groups of layers: feature (convolutions) and classification (dense)
  const feature_layers = [
    new Conv2D({ filters, kernelSize: kernel_size, padding: 'valid', inputShape: input_shape }),
    new Activation({ activation: 'relu' }),
    new Conv2D({ filters, kernelSize: kernel_size }),
    new Activation({ activation: 'relu' }),
    new MaxPooling2D({ poolSize: pool_size }),
    new Dropout({ rate: 0.25 }),
    new Flatten(),
  ];

  const classification_layers = [new Dense({ units: 128 }), new Activation({ activation: 'relu' }), new Dropout({ rate: 0.5 }), new Dense({ units: num_classes }), new Activation({ activation: 'softmax' })];

  // create complete model
  const model = new Sequential([...feature_layers, ...classification_layers]);

  // train model for 5-digit classification [0..4]
  await train_model(model, train_lt5, test_lt5, num_classes);

  // freeze feature layers and rebuild model
  for (const l of feature_layers) l.trainable = false;
  const featuresBefore = feature_layers[0].getWeights();

  // transfer: train dense layers for new classification task [5..9]
  await train_model(model, train_gte5, test_gte5, num_classes);
  return { results, featuresBefore, featuresAfter: feature_layers[0].getWeights() };
}
