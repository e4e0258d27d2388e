/**
 * Port of Keras 2's `examples/imdb_cnn_lstm.py` (keras-team/keras, tag 2.3.1): a convolution,
 * pooling and an LSTM over embeddings on the IMDB sentiment task, line by line.
 *
 * Deviations:
 * - Data loading: `imdb.loadData()` is the synthetic stand-in of `datasets.ts` (word-index lists
 *   and 0/1 labels; 60 training and 30 test reviews), not the download.
 * - `epochs` (2 in the Python) is an option.
 */
import { keras, scoreList } from '@keras-ts/keras';
import { imdb } from './datasets.js';

const { sequence } = keras.preprocessing;
const { Sequential } = keras.models;
const { Dense, Dropout, Activation, Embedding, LSTM, Conv1D, MaxPooling1D } = keras.layers;

/** Runs the program; returns the History and the test score and accuracy, which it prints as the Python does. */
export async function main(options: { epochs?: number } = {}) {
  // Embedding
  const max_features = 20000;
  const maxlen = 100;
  const embedding_size = 128;

  // Convolution
  const kernel_size = 5;
  const filters = 64;
  const pool_size = 4;

  // LSTM
  const lstm_output_size = 70;

  // Training
  const batch_size = 30;
  const epochs = options.epochs ?? 2;

  console.log('Loading data...');
  const [[x_train_lists, y_train], [x_test_lists, y_test]] = imdb.loadData({ numWords: max_features, nTrain: 60, nTest: 30 });
  console.log(x_train_lists.length, 'train sequences');
  console.log(x_test_lists.length, 'test sequences');

  console.log('Pad sequences (samples x time)');
  const x_train = sequence.padSequences(x_train_lists, { maxlen });
  const x_test = sequence.padSequences(x_test_lists, { maxlen });
  console.log('x_train shape:', x_train.shape);
  console.log('x_test shape:', x_test.shape);

  console.log('Build model...');
  const model = new Sequential();
  model.add(new Embedding({ inputDim: max_features, outputDim: embedding_size, inputLength: maxlen }));
  model.add(new Dropout({ rate: 0.25 }));
  model.add(new Conv1D({ filters, kernelSize: kernel_size, padding: 'valid', activation: 'relu', strides: 1 }));
  model.add(new MaxPooling1D({ poolSize: pool_size }));
  model.add(new LSTM({ units: lstm_output_size }));
  model.add(new Dense({ units: 1 }));
  model.add(new Activation({ activation: 'sigmoid' }));

  model.compile({ loss: 'binary_crossentropy', optimizer: 'adam', metrics: ['accuracy'] });

  console.log('Train...');
  const history = await model.fit(x_train, y_train, { batchSize: batch_size, epochs, validationData: [x_test, y_test] });
  const [score, acc] = scoreList(await model.evaluate(x_test, y_test, { batchSize: batch_size, verbose: 1 }));
  console.log('Test score:', score);
  console.log('Test accuracy:', acc);
  return { history, score, acc };
}
