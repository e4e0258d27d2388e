/**
 * Port of Keras 2's `examples/imdb_lstm.py` (keras-team/keras, tag 2.3.1): an LSTM on the IMDB
 * sentiment task, line by line.
 *
 * Deviations:
 * - Data loading: `imdb.loadData()` is the synthetic stand-in of `datasets.ts` (word-index lists
 *   and 0/1 labels; 64 training and 32 test reviews, for the run time of the pure TypeScript
 *   backend), not the download.
 * - `epochs` (15 in the Python) is an option, so the test runs 2 epochs.
 */
import { keras, scoreList } from '@keras-ts/keras';
import { imdb } from './datasets.js';

const { sequence } = keras.preprocessing;
const { Sequential } = keras.models;
const { Dense, Embedding, LSTM } = keras.layers;

/** Runs the program; returns the History and the test score and accuracy, which it prints as the Python does. */
export async function main(options: { epochs?: number } = {}) {
  const max_features = 20000;
  // cut texts after this number of words (among top max_features most common words)
  const maxlen = 80;
  const batch_size = 32;

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
  model.add(new Embedding({ inputDim: max_features, outputDim: 128 }));
  model.add(new LSTM({ units: 128, dropout: 0.2, recurrentDropout: 0.2 }));
  model.add(new Dense({ units: 1, activation: 'sigmoid' }));

  // try using different optimizers and different optimizer configs
  model.compile({ loss: 'binary_crossentropy', optimizer: 'adam', metrics: ['accuracy'] });

  console.log('Train...');
  const history = await model.fit(x_train, y_train, { batchSize: batch_size, epochs: options.epochs ?? 15, validationData: [x_test, y_test] });
  const [score, acc] = scoreList(await model.evaluate(x_test, y_test, { batchSize: batch_size, verbose: 1 }));
  console.log('Test score:', score);
  console.log('Test accuracy:', acc);
  return { history, score, acc };
}
