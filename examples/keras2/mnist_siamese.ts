/**
 * Port of Keras 2's `examples/mnist_siamese.py` (keras-team/keras, tag 2.3.1): a siamese MLP on
 * pairs of MNIST digits (a shared base network, the Euclidean distance in a Lambda with an
 * output-shape function, the contrastive loss and a distance-threshold accuracy), line by line.
 *
 * Deviations:
 * - Data loading: `mnist.loadData(200, 100)` is the synthetic stand-in of `datasets.ts`, not the
 *   download; Python's `random.randrange` (the negative pairs) is a seeded generator, so runs
 *   repeat.
 * - `epochs` (20 in the Python) is an option.
 * - NumPy's array lines (`astype`, `/= 255`, `np.where`, fancy indexing, `ravel`) are written
 *   with plain loops over the tensors' data.
 */
import { keras, onlyOutput, Tensor, type KerasTensor } from '@keras-ts/keras';
import type { Sym } from '@keras-ts/keras';
import { mnist, rng } from './datasets.js';
import { asFloat32, divide } from './np.js';

const K = keras.backend;
const { Model } = keras.models;
const { Input, Flatten, Dense, Dropout, Lambda } = keras.layers;
const { RMSprop } = keras.optimizers;

const num_classes = 10;

function euclidean_distance(vects: Sym | Sym[]): Sym {
  const [x, y] = vects as Sym[];
  const sum_square = K.sum(K.square(K.subtract(x, y)), 1, true);
  return K.sqrt(K.maximum(sum_square, K.epsilon()));
}

function eucl_dist_output_shape(shapes: readonly (number | null)[] | (readonly (number | null)[])[]): (number | null)[] {
  const [shape1] = shapes as (readonly (number | null)[])[];
  return [shape1[0], 1];
}

/** Contrastive loss from Hadsell-et-al.'06 (http://yann.lecun.com/exdb/publis/pdf/hadsell-chopra-lecun-06.pdf). */
function contrastive_loss(y_true: Sym, y_pred: Sym): Sym {
  const margin = 1;
  const square_pred = K.square(y_pred);
  const margin_square = K.square(K.maximum(K.subtract(margin, y_pred), 0));
  return K.mean(K.add(K.multiply(y_true, square_pred), K.multiply(K.subtract(1, y_true), margin_square)));
}

/** Positive and negative pair creation. Alternates between positive and negative pairs. */
function create_pairs(x: Tensor, digit_indices: number[][], random: () => number): [Tensor, Tensor, Tensor] {
  const a: number[] = [];
  const b: number[] = [];
  const labels: number[] = [];
  const n = Math.min(...Array.from({ length: num_classes }, (_, d) => digit_indices[d].length)) - 1;
  for (let d = 0; d < num_classes; d++) {
    for (let i = 0; i < n; i++) {
      let [z1, z2] = [digit_indices[d][i], digit_indices[d][i + 1]];
      a.push(z1), b.push(z2);
      const inc = 1 + Math.floor(random() * (num_classes - 1));
      const dn = (d + inc) % num_classes;
      [z1, z2] = [digit_indices[d][i], digit_indices[dn][i]];
      a.push(z1), b.push(z2);
      labels.push(1, 0);
    }
  }
  return [x.gatherRows(a), x.gatherRows(b), new Tensor([labels.length], 'float32', Float32Array.from(labels))];
}

/** Base network to be shared (eq. to feature extraction). */
function create_base_network(input_shape: number[]) {
  const input = Input({ shape: input_shape });
  let x = new Flatten().apply(input);
  x = new Dense({ units: 128, activation: 'relu' }).apply(x);
  x = new Dropout({ rate: 0.1 }).apply(x);
  x = new Dense({ units: 128, activation: 'relu' }).apply(x);
  x = new Dropout({ rate: 0.1 }).apply(x);
  x = new Dense({ units: 128, activation: 'relu' }).apply(x);
  return new Model(input, x);
}

/** Compute classification accuracy with a fixed threshold on distances. */
function compute_accuracy(y_true: Tensor, y_pred: Tensor): number {
  let right = 0;
  for (let i = 0; i < y_true.size; i++) right += Number(y_pred.data[i] < 0.5) === y_true.data[i] ? 1 : 0;
  return right / y_true.size;
}

/** Compute classification accuracy with a fixed threshold on distances. */
function accuracy(y_true: Sym, y_pred: Sym): Sym {
  return K.mean(K.equal(y_true, K.cast(K.less(y_pred, 0.5), y_true.dtype)));
}

/** Runs the program; returns the History and the accuracies it prints. */
export async function main(options: { epochs?: number } = {}) {
  const epochs = options.epochs ?? 20;
  const random = rng(7);

  // the data, split between train and test sets
  let [[x_train, y_train], [x_test, y_test]] = mnist.loadData(200, 100);
  x_train = divide(asFloat32(x_train), 255);
  x_test = divide(asFloat32(x_test), 255);
  const input_shape = x_train.shape.slice(1);

  // create training+test positive and negative pairs
  const where = (y: Tensor, i: number) => Array.from(y.data.keys()).filter((k) => y.data[k] === i);
  let digit_indices = Array.from({ length: num_classes }, (_, i) => where(y_train, i));
  const [tr_a, tr_b, tr_y] = create_pairs(x_train, digit_indices, random);

  digit_indices = Array.from({ length: num_classes }, (_, i) => where(y_test, i));
  const [te_a, te_b, te_y] = create_pairs(x_test, digit_indices, random);

  // network definition
  const base_network = create_base_network(input_shape);

  const input_a = Input({ shape: input_shape });
  const input_b = Input({ shape: input_shape });

  // because we re-use the same instance `base_network`,
  // the weights of the network
  // will be shared across the two branches
  const processed_a = base_network.apply(input_a);
  const processed_b = base_network.apply(input_b);

  const distance = onlyOutput(new Lambda({ function: euclidean_distance, outputShape: eucl_dist_output_shape }).apply([processed_a, processed_b]));

  const model = new Model([input_a, input_b], distance);

  // train
  const rms = new RMSprop();
  model.compile({ loss: contrastive_loss, optimizer: rms, metrics: [accuracy] });
  const history = await model.fit([tr_a, tr_b], tr_y, { batchSize: 128, epochs, validationData: [[te_a, te_b], te_y] });

  // compute final accuracy on training and test sets
  let y_pred = await model.predict([tr_a, tr_b]);
  const tr_acc = compute_accuracy(tr_y, y_pred);
  y_pred = await model.predict([te_a, te_b]);
  const te_acc = compute_accuracy(te_y, y_pred);

  console.log(`* Accuracy on training set: ${(100 * tr_acc).toFixed(2)}%`);
  console.log(`* Accuracy on test set: ${(100 * te_acc).toFixed(2)}%`);
  return { history, tr_acc, te_acc };
}
