/**
 * Port of Keras 2's `examples/antirectifier.py` (keras-team/keras, tag 2.3.1): a custom layer
 * written with the backend functions (`K.mean`, `K.l2_normalize`, `K.relu`, `K.concatenate`) with
 * its own `compute_output_shape`, in an MLP on MNIST, line by line.
 *
 * Deviations:
 * - Data loading: `mnist.loadData()` is the synthetic stand-in of `datasets.ts` (256 training and
 *   64 test images), not the download.
 * - `epochs` (40 in the Python) is an option.
 * - `inputs -= K.mean(...)` and `-inputs` are `K.subtract` and `K.negative` (TypeScript has no
 *   operators on tensors); NumPy's array lines are the helpers of `np.ts`.
 */
import { keras, KerasShapeError, type InputShape, type SymbolicShape } from '@keras-ts/keras';
import type { Sym } from '@keras-ts/keras';
import { mnist } from './datasets.js';
import { asFloat32, divide, reshape } from './np.js';

const K = keras.backend;
const { Sequential } = keras.models;
const { layers } = keras;

/**
 * This is the combination of a sample-wise L2 normalization with the concatenation of the
 * positive part of the input with the negative part of the input. The result is a tensor of
 * samples that are twice as large as the input samples. It can be used in place of a ReLU.
 */
class Antirectifier extends layers.Layer {
  override computeOutputShape(input_shape: InputShape): SymbolicShape {
    const shape = [...(input_shape as SymbolicShape)];
    if (shape.length !== 2) throw new KerasShapeError(`Antirectifier: only valid for 2D tensors, got input shape ${JSON.stringify(shape)}`);
    shape[shape.length - 1] = (shape[shape.length - 1] as number) * 2;
    return shape;
  }

  override call(x: Sym | Sym[]): Sym {
    let inputs = x as Sym;
    inputs = K.subtract(inputs, K.mean(inputs, 1, true));
    inputs = K.l2_normalize(inputs, 1);
    const pos = K.relu(inputs);
    const neg = K.relu(K.negative(inputs));
    return K.concatenate([pos, neg], 1);
  }
}

/** Runs the program; returns the History. */
export async function main(options: { epochs?: number } = {}) {
  // global parameters
  const batch_size = 128;
  const num_classes = 10;
  const epochs = options.epochs ?? 40;

  // the data, split between train and test sets
  let [[x_train, y_train_labels], [x_test, y_test_labels]] = mnist.loadData();

  x_train = reshape(x_train, [x_train.shape[0], 784]);
  x_test = reshape(x_test, [x_test.shape[0], 784]);
  x_train = divide(asFloat32(x_train), 255);
  x_test = divide(asFloat32(x_test), 255);
  console.log(x_train.shape[0], 'train samples');
  console.log(x_test.shape[0], 'test samples');

  // convert class vectors to binary class matrices
  const y_train = keras.utils.toCategorical(y_train_labels, num_classes);
  const y_test = keras.utils.toCategorical(y_test_labels, num_classes);

  // build the model
  const model = new Sequential();
  model.add(new layers.Dense({ units: 256, inputShape: [784] }));
  model.add(new Antirectifier());
  model.add(new layers.Dropout({ rate: 0.1 }));
  model.add(new layers.Dense({ units: 256 }));
  model.add(new Antirectifier());
  model.add(new layers.Dropout({ rate: 0.1 }));
  model.add(new layers.Dense({ units: num_classes }));
  model.add(new layers.Activation({ activation: 'softmax' }));

  // compile the model
  model.compile({ loss: 'categorical_crossentropy', optimizer: 'rmsprop', metrics: ['accuracy'] });

  // train the model
  const history = await model.fit(x_train, y_train, { batchSize: batch_size, epochs, verbose: 1, validationData: [x_test, y_test] });
  return { history, outputShape: model.layers[1].computeOutputShape([null, 256]) };
}
