/**
 * Port of Keras 2's `examples/imdb_cnn.py` (keras-team/keras, tag 2.3.1): a 1D convnet for text
 * classification on IMDB, line by line.
 *
 * Deviations:
 * - Data loading: `imdb.loadData()` is the synthetic stand-in of `datasets.ts` (word-index lists
 *   and 0/1 labels; 64 training and 32 test reviews, for the run time of the pure TypeScript
 *   backend), not the download.
 * - `epochs` (2 in the Python) is an option.
 */
import { keras } from '@keras-ts/keras';
import { imdb } from './datasets.js';

const { sequence } = keras.preprocessing;
const { Sequential } = keras.models;
const { Dense, Dropout, Activation, Embedding, Conv1D, GlobalMaxPooling1D } = keras.layers;

/** Runs the program; returns the History. */
export async function main(options: { epochs?: number } = {}) {
  // set parameters:
  const max_features = 5000;
  const maxlen = 400;
  const batch_size = 32;
  const embedding_dims = 50;
  const filters = 250;
  const kernel_size = 3;
  const hidden_dims = 250;
  const epochs = options.epochs ?? 2;

  console.log('Loading data...');
  const [[x_train_lists, y_train], [x_test_lists, y_test]] = imdb.loadData({ numWords: max_features, nTrain: 64, nTest: 32 });
  console.log(x_train_lists.length, 'train sequences');
  console.log(x_test_lists.length, 'test sequences');

  console.log('Pad sequences (samples x time)');
  const x_train = sequence.padSequences(x_train_lists, { maxlen });
  const x_test = sequence.padSequences(x_test_lists, { maxlen });
  console.log('x_train shape:', x_train.shape);
  console.log('x_test shape:', x_test.shape);

  console.log('Build model...');
  const model = new Sequential();

  // we start off with an efficient embedding layer which maps
  // our vocab indices into embedding_dims dimensions
  model.add(new Embedding({ inputDim: max_features, outputDim: embedding_dims, inputLength: maxlen }));
  model.add(new Dropout({ rate: 0.2 }));

  // we add a Convolution1D, which will learn filters
  // word group filters of size filter_length:
  model.add(new Conv1D({ filters, kernelSize: kernel_size, padding: 'valid', activation: 'relu', strides: 1 }));
  // we use max pooling:
  model.add(new GlobalMaxPooling1D());

  // We add a vanilla hidden layer:
  model.add(new Dense({ units: hidden_dims }));
  model.add(new Dropout({ rate: 0.2 }));
  model.add(new Activation({ activation: 'relu' }));

  // We project onto a single unit output layer, and squash it with a sigmoid:
  model.add(new Dense({ units: 1 }));
  model.add(new Activation({ activation: 'sigmoid' }));

  model.compile({ loss: 'binary_crossentropy', optimizer: 'adam', metrics: ['accuracy'] });
  const history = await model.fit(x_train, y_train, { batchSize: batch_size, epochs, validationData: [x_test, y_test] });
  return { history };
}
