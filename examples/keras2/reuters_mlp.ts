/**
 * Port of Keras 2's `examples/reuters_mlp.py` (keras-team/keras, tag 2.3.1): an MLP on the Reuters
 * newswire topic classification task (Tokenizer's binary matrices, to_categorical), line by line.
 *
 * Deviations:
 * - Data loading: `reuters.loadData()` is the synthetic stand-in of `datasets.ts` (word-index
 *   lists and 46 topics; 256 training and 64 test wires), not the download.
 * - `epochs` (5 in the Python) is an option.
 */
import { keras, scoreList } from '@keras-ts/keras';
import { reuters } from './datasets.js';

const { Sequential } = keras.models;
const { Dense, Dropout, Activation } = keras.layers;
const { Tokenizer } = keras.preprocessing.text;

/** Runs the program; returns the History and the test score and accuracy, which it prints as the Python does. */
export async function main(options: { epochs?: number } = {}) {
  const max_words = 1000;
  const batch_size = 32;
  const epochs = options.epochs ?? 5;

  console.log('Loading data...');
  const [[x_train_lists, y_train_labels], [x_test_lists, y_test_labels]] = reuters.loadData({ numWords: max_words });
  console.log(x_train_lists.length, 'train sequences');
  console.log(x_test_lists.length, 'test sequences');

  const num_classes = Math.max(...y_train_labels.data) + 1;
  console.log(num_classes, 'classes');

  console.log('Vectorizing sequence data...');
  const tokenizer = new Tokenizer({ numWords: max_words });
  const x_train = tokenizer.sequencesToMatrix(x_train_lists, 'binary');
  const x_test = tokenizer.sequencesToMatrix(x_test_lists, 'binary');
  console.log('x_train shape:', x_train.shape);
  console.log('x_test shape:', x_test.shape);

  console.log('Convert class vector to binary class matrix (for use with categorical_crossentropy)');
  const y_train = keras.utils.toCategorical(y_train_labels, num_classes);
  const y_test = keras.utils.toCategorical(y_test_labels, num_classes);
  console.log('y_train shape:', y_train.shape);
  console.log('y_test shape:', y_test.shape);

  console.log('Building model...');
  const model = new Sequential();
  model.add(new Dense({ units: 512, inputShape: [max_words] }));
  model.add(new Activation({ activation: 'relu' }));
  model.add(new Dropout({ rate: 0.5 }));
  model.add(new Dense({ units: num_classes }));
  model.add(new Activation({ activation: 'softmax' }));

  model.compile({ loss: 'categorical_crossentropy', optimizer: 'adam', metrics: ['accuracy'] });

  const history = await model.fit(x_train, y_train, { batchSize: batch_size, epochs, verbose: 1, validationSplit: 0.1 });
  const score = scoreList(await model.evaluate(x_test, y_test, { batchSize: batch_size, verbose: 1 }));
  console.log('Test score:', score[0]);
  console.log('Test accuracy:', score[1]);
  return { history, score };
}
