/**
 * Port of Keras 2's `examples/cifar10_cnn.py` (keras-team/keras, tag 2.3.1): a convnet on CIFAR-10
 * trained with real-time data augmentation (`ImageDataGenerator`, `fit_generator` over its
 * `flow`), then saved and evaluated, line by line.
 *
 * Deviations:
 * - Data loading: `cifar10.loadData(64, 32)` is the synthetic stand-in of `datasets.ts` (CIFAR-10's
 *   shapes: uint8 [n, 32, 32, 3] images, [n, 1] labels), not the download.
 * - `epochs` (100 in the Python) and `data_augmentation` are options; the model is saved in the
 *   system's temporary folder instead of `./saved_models`.
 * - NumPy's array lines (`astype`, `/= 255`) are the helpers of `np.ts`.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keras, scoreList } from '@keras-ts/keras';
import { cifar10 } from './datasets.js';
import { asFloat32, divide } from './np.js';

const { ImageDataGenerator } = keras.preprocessing.image;
const { Sequential } = keras.models;
const { Dense, Dropout, Activation, Flatten, Conv2D, MaxPooling2D } = keras.layers;

/** Runs the program; returns the History and the test scores, which it prints as the Python does. */
export async function main(options: { epochs?: number; dataAugmentation?: boolean } = {}) {
  const batch_size = 32;
  const num_classes = 10;
  const epochs = options.epochs ?? 100;
  const data_augmentation = options.dataAugmentation ?? true;
  const save_dir = join(tmpdir(), 'saved_models');
  const model_name = 'keras_cifar10_trained_model.h5';

  // The data, split between train and test sets:
  let [[x_train, y_train_labels], [x_test, y_test_labels]] = cifar10.loadData(64, 32);
  console.log('x_train shape:', x_train.shape);
  console.log(x_train.shape[0], 'train samples');
  console.log(x_test.shape[0], 'test samples');

  // Convert class vectors to binary class matrices.
  const y_train = keras.utils.toCategorical(y_train_labels, num_classes);
  const y_test = keras.utils.toCategorical(y_test_labels, num_classes);

  const model = new Sequential();
  model.add(new Conv2D({ filters: 32, kernelSize: [3, 3], padding: 'same', inputShape: x_train.shape.slice(1) }));
  model.add(new Activation({ activation: 'relu' }));
  model.add(new Conv2D({ filters: 32, kernelSize: [3, 3] }));
  model.add(new Activation({ activation: 'relu' }));
  model.add(new MaxPooling2D({ poolSize: [2, 2] }));
  model.add(new Dropout({ rate: 0.25 }));

  model.add(new Conv2D({ filters: 64, kernelSize: [3, 3], padding: 'same' }));
  model.add(new Activation({ activation: 'relu' }));
  model.add(new Conv2D({ filters: 64, kernelSize: [3, 3] }));
  model.add(new Activation({ activation: 'relu' }));
  model.add(new MaxPooling2D({ poolSize: [2, 2] }));
  model.add(new Dropout({ rate: 0.25 }));

  model.add(new Flatten());
  model.add(new Dense({ units: 512 }));
  model.add(new Activation({ activation: 'relu' }));
  model.add(new Dropout({ rate: 0.5 }));
  model.add(new Dense({ units: num_classes }));
  model.add(new Activation({ activation: 'softmax' }));

  // initiate RMSprop optimizer
  const opt = new keras.optimizers.RMSprop({ learningRate: 0.0001, decay: 1e-6 });

  // Let's train the model using RMSprop
  model.compile({ loss: 'categorical_crossentropy', optimizer: opt, metrics: ['accuracy'] });

  x_train = divide(asFloat32(x_train), 255);
  x_test = divide(asFloat32(x_test), 255);

  let history;
  if (!data_augmentation) {
    console.log('Not using data augmentation.');
    history = await model.fit(x_train, y_train, { batchSize: batch_size, epochs, validationData: [x_test, y_test], shuffle: true });
  } else {
    console.log('Using real-time data augmentation.');
    // This will do preprocessing and realtime data augmentation:
    const datagen = new ImageDataGenerator({
      featurewiseCenter: false, // set input mean to 0 over the dataset
      samplewiseCenter: false, // set each sample mean to 0
      featurewiseStdNormalization: false, // divide inputs by std of the dataset
      samplewiseStdNormalization: false, // divide each input by its std
      zcaWhitening: false, // apply ZCA whitening
      zcaEpsilon: 1e-6, // epsilon for ZCA whitening
      rotationRange: 0, // randomly rotate images in the range (degrees, 0 to 180)
      // randomly shift images horizontally (fraction of total width)
      widthShiftRange: 0.1,
      // randomly shift images vertically (fraction of total height)
      heightShiftRange: 0.1,
      shearRange: 0, // set range for random shear
      zoomRange: 0, // set range for random zoom
      channelShiftRange: 0, // set range for random channel shifts
      // set mode for filling points outside the input boundaries
      fillMode: 'nearest',
      cval: 0, // value used for fill_mode = "constant"
      horizontalFlip: true, // randomly flip images
      verticalFlip: false, // randomly flip images
      // set rescaling factor (applied before any other transformation)
      rescale: null,
      // set function that will be applied on each input
      preprocessingFunction: null,
      // image data format, either "channels_first" or "channels_last"
      dataFormat: undefined,
      // fraction of images reserved for validation (strictly between 0 and 1)
      validationSplit: 0.0,
    });

    // Compute quantities required for feature-wise normalization
    // (std, mean, and principal components if ZCA whitening is applied).
    datagen.fit(x_train);

    // Fit the model on the batches generated by datagen.flow().
    history = await model.fitGenerator(datagen.flow(x_train, y_train, { batchSize: batch_size }), { epochs, validationData: [x_test, y_test], workers: 4 });
  }

  // Save model and weights
  const model_path = join(save_dir, model_name);
  const { mkdirSync } = await import('node:fs');
  mkdirSync(save_dir, { recursive: true });
  await model.save(model_path);
  console.log(`Saved trained model at ${model_path} `);

  // Score trained model.
  const scores = scoreList(await model.evaluate(x_test, y_test, { verbose: 1 }));
  console.log('Test loss:', scores[0]);
  console.log('Test accuracy:', scores[1]);
  return { history, scores, modelPath: model_path };
}
