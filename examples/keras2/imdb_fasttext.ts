/**
 * Port of Keras 2's `examples/imdb_fasttext.py` (keras-team/keras, tag 2.3.1): fastText-style
 * averaged embeddings on IMDB, with its n-gram augmentation (`create_ngram_set`, `add_ngram`),
 * line by line.
 *
 * Deviations:
 * - Data loading: `imdb.loadData()` is the synthetic stand-in of `datasets.ts` (word-index lists
 *   and 0/1 labels; 128 training and 32 test reviews), not the download.
 * - `epochs` (5 in the Python) and `ngram_range` (1) are options, so the test also runs bigrams.
 * - Python's tuples as set and dict keys are strings (`'4,9'`): JavaScript compares arrays by
 *   identity.
 */
import { keras } from '@keras-ts/keras';
import { imdb } from './datasets.js';

const { sequence } = keras.preprocessing;
const { Sequential } = keras.models;
const { Dense, Embedding, GlobalAveragePooling1D } = keras.layers;

/** Extract a set of n-grams from a list of integers. */
export function create_ngram_set(input_list: readonly number[], ngram_value = 2): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + ngram_value <= input_list.length; i++) out.add(input_list.slice(i, i + ngram_value).join(','));
  return out;
}

/** Augment the input list of list (sequences) by appending n-grams values. */
export function add_ngram(sequences: readonly number[][], token_indice: Map<string, number>, ngram_range = 2): number[][] {
  const new_sequences: number[][] = [];
  for (const input_list of sequences) {
    const new_list = [...input_list];
    for (let ngram_value = 2; ngram_value <= ngram_range; ngram_value++) {
      for (let i = 0; i < new_list.length - ngram_value + 1; i++) {
        const ngram = new_list.slice(i, i + ngram_value).join(',');
        const index = token_indice.get(ngram);
        if (index !== undefined) new_list.push(index);
      }
    }
    new_sequences.push(new_list);
  }
  return new_sequences;
}

/** Runs the program; returns the History. */
export async function main(options: { epochs?: number; ngramRange?: number } = {}) {
  // Set parameters:
  // ngram_range = 2 will add bi-grams features
  const ngram_range = options.ngramRange ?? 1;
  let max_features = 20000;
  const maxlen = 400;
  const batch_size = 32;
  const embedding_dims = 50;
  const epochs = options.epochs ?? 5;

  console.log('Loading data...');
  let [[x_train_lists, y_train], [x_test_lists, y_test]] = imdb.loadData({ numWords: max_features });
  console.log(x_train_lists.length, 'train sequences');
  console.log(x_test_lists.length, 'test sequences');
  const meanLength = (xs: number[][]) => Math.trunc(xs.reduce((a, s) => a + s.length, 0) / xs.length);
  console.log(`Average train sequence length: ${meanLength(x_train_lists)}`);
  console.log(`Average test sequence length: ${meanLength(x_test_lists)}`);

  if (ngram_range > 1) {
    console.log(`Adding ${ngram_range}-gram features`);
    // Create set of unique n-gram from the training set.
    const ngram_set = new Set<string>();
    for (const input_list of x_train_lists) {
      for (let i = 2; i <= ngram_range; i++) for (const g of create_ngram_set(input_list, i)) ngram_set.add(g);
    }
    // Dictionary mapping n-gram token to a unique integer.
    // Integer values are greater than max_features in order
    // to avoid collision with existing features.
    const start_index = max_features + 1;
    const token_indice = new Map([...ngram_set].map((v, k) => [v, k + start_index]));

    // max_features is the highest integer that could be found in the dataset.
    max_features = Math.max(...token_indice.values()) + 1;

    // Augmenting x_train and x_test with n-grams features
    x_train_lists = add_ngram(x_train_lists, token_indice, ngram_range);
    x_test_lists = add_ngram(x_test_lists, token_indice, ngram_range);
    console.log(`Average train sequence length: ${meanLength(x_train_lists)}`);
    console.log(`Average test sequence length: ${meanLength(x_test_lists)}`);
  }

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

  // we add a GlobalAveragePooling1D, which will average the embeddings
  // of all words in the document
  model.add(new GlobalAveragePooling1D());

  // We project onto a single unit output layer, and squash it with a sigmoid:
  model.add(new Dense({ units: 1, activation: 'sigmoid' }));

  model.compile({ loss: 'binary_crossentropy', optimizer: 'adam', metrics: ['accuracy'] });

  const history = await model.fit(x_train, y_train, { batchSize: batch_size, epochs, validationData: [x_test, y_test] });
  return { history, maxFeatures: max_features };
}
