/**
 * Port of Keras 2's `examples/addition_rnn.py` (keras-team/keras, tag 2.3.1): a sequence-to-sequence
 * LSTM that learns to add numbers given as strings ("535+61" -> "596"): an encoder LSTM,
 * RepeatVector, a decoder LSTM and a TimeDistributed Dense, with `predict_classes` to show its
 * guesses, line by line.
 *
 * Deviations:
 * - Data: the program makes its own data; its `np.random` is a seeded generator here, so runs
 *   repeat.
 * - `TRAINING_SIZE` (50000) and the number of iterations (199) are options, so the test trains on
 *   1,000 questions for 2 iterations.
 * - NumPy's array lines (`np.zeros`, fancy indexing, shuffling) are written with loops over the
 *   tensors' data.
 */
import { keras, Tensor } from '@keras-ts/keras';
import { rng } from './datasets.js';
import { argmax } from './np.js';

const { Sequential } = keras.models;
const { layers } = keras;

/**
 * Given a set of characters: encode them to a one-hot integer representation, decode the one-hot
 * or integer representation to their character output, decode a vector of probabilities to their
 * character output.
 */
class CharacterTable {
  readonly chars: string[];
  readonly char_indices: Map<string, number>;
  readonly indices_char: Map<number, string>;
  constructor(chars: string) {
    this.chars = [...new Set(chars)].sort();
    this.char_indices = new Map(this.chars.map((c, i) => [c, i]));
    this.indices_char = new Map(this.chars.map((c, i) => [i, c]));
  }

  /** One-hot encode given string C into `num_rows` rows, written into `out` at `offset`. */
  encode(C: string, num_rows: number, out: Uint8Array, offset: number): void {
    out.fill(0, offset, offset + num_rows * this.chars.length);
    [...C].forEach((c, i) => (out[offset + i * this.chars.length + this.char_indices.get(c)!] = 1));
  }

  /** Decode the given rows of probabilities or one-hot vectors (or, with calc_argmax false, indices) to characters. */
  decode(x: ArrayLike<number>, calc_argmax = true): string {
    const idx = calc_argmax ? argmax(new Tensor([x.length / this.chars.length, this.chars.length], 'float32', Float32Array.from(x))) : x;
    return Array.from(idx, (i) => this.indices_char.get(i)!).join('');
  }
}

const colors = { ok: '\u001b[92m', fail: '\u001b[91m', close: '\u001b[0m' };

/** Runs the program; returns the History of each iteration and the guesses it printed. */
export async function main(options: { trainingSize?: number; iterations?: number } = {}) {
  const random = rng(13);
  const randint = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo));

  // Parameters for the model and dataset.
  const TRAINING_SIZE = options.trainingSize ?? 50000;
  const DIGITS = 3;
  const REVERSE = true;

  // Maximum length of input is 'int + int' (e.g., '345+678'). Maximum length of
  // int is DIGITS.
  const MAXLEN = DIGITS + 1 + DIGITS;

  // All the numbers, plus sign and space for padding.
  const chars = '0123456789+ ';
  const ctable = new CharacterTable(chars);

  const questions: string[] = [];
  const expected: string[] = [];
  const seen = new Set<string>();
  console.log('Generating data...');
  while (questions.length < TRAINING_SIZE) {
    const f = () => Number(Array.from({ length: randint(1, DIGITS + 1) }, () => '0123456789'[randint(0, 10)]).join(''));
    const [a, b] = [f(), f()];
    // Skip any addition questions we've already seen
    // Also skip any such that x+Y == Y+x (hence the sorting).
    const key = [a, b].sort((p, q) => p - q).join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    // Pad the data with spaces such that it is always MAXLEN.
    const q = `${a}+${b}`;
    let query = q + ' '.repeat(MAXLEN - q.length);
    let ans = String(a + b);
    // Answers can be of maximum size DIGITS + 1.
    ans += ' '.repeat(DIGITS + 1 - ans.length);
    if (REVERSE) {
      // Reverse the query, e.g., '12+345  ' becomes '  543+21'. (Note the
      // space used for padding.)
      query = [...query].reverse().join('');
    }
    questions.push(query);
    expected.push(ans);
  }
  console.log('Total addition questions:', questions.length);

  console.log('Vectorization...');
  const n = questions.length;
  const c = ctable.chars.length;
  const xData = new Uint8Array(n * MAXLEN * c);
  const yData = new Uint8Array(n * (DIGITS + 1) * c);
  questions.forEach((sentence, i) => ctable.encode(sentence, MAXLEN, xData, i * MAXLEN * c));
  expected.forEach((sentence, i) => ctable.encode(sentence, DIGITS + 1, yData, i * (DIGITS + 1) * c));
  let x = new Tensor([n, MAXLEN, c], 'bool', xData);
  let y = new Tensor([n, DIGITS + 1, c], 'bool', yData);

  // Shuffle (x, y) in unison as the later parts of x will almost all be larger
  // digits.
  const indices = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = randint(0, i + 1);
    [indices[i], indices[j]] = [indices[j], indices[i]];
  }
  x = x.gatherRows(indices);
  y = y.gatherRows(indices);

  // Explicitly set apart 10% for validation data that we never train over.
  const split_at = n - Math.floor(n / 10);
  const [x_train, x_val] = [x.sliceRows(0, split_at), x.sliceRows(split_at, n)];
  const [y_train, y_val] = [y.sliceRows(0, split_at), y.sliceRows(split_at, n)];

  console.log('Training Data:');
  console.log(x_train.shape);
  console.log(y_train.shape);

  console.log('Validation Data:');
  console.log(x_val.shape);
  console.log(y_val.shape);

  // Try replacing GRU, or SimpleRNN.
  const RNN = layers.LSTM;
  const HIDDEN_SIZE = 128;
  const BATCH_SIZE = 128;
  const LAYERS = 1;

  console.log('Build model...');
  const model = new Sequential();
  // "Encode" the input sequence using an RNN, producing an output of HIDDEN_SIZE.
  // Note: In a situation where your input sequences have a variable length,
  // use input_shape=(None, num_feature).
  model.add(new RNN({ units: HIDDEN_SIZE, inputShape: [MAXLEN, c] }));
  // As the decoder RNN's input, repeatedly provide with the last output of
  // RNN for each time step. Repeat 'DIGITS + 1' times as that's the maximum
  // length of output, e.g., when DIGITS=3, max output is 999+999=1998.
  model.add(new layers.RepeatVector({ n: DIGITS + 1 }));
  // The decoder RNN could be multiple layers stacked or a single layer.
  for (let l = 0; l < LAYERS; l++) {
    // By setting return_sequences to True, return not only the last output but
    // all the outputs so far in the form of (num_samples, timesteps,
    // output_dim). This is necessary as TimeDistributed in the below expects
    // the first dimension to be the timesteps.
    model.add(new RNN({ units: HIDDEN_SIZE, returnSequences: true }));
  }

  // Apply a dense layer to the every temporal slice of an input. For each of step
  // of the output sequence, decide which character should be chosen.
  model.add(new layers.TimeDistributed({ layer: new layers.Dense({ units: c, activation: 'softmax' }) }));
  model.compile({ loss: 'categorical_crossentropy', optimizer: 'adam', metrics: ['accuracy'] });
  model.summary();

  // Train the model each generation and show predictions against the validation
  // dataset.
  const histories = [];
  const guesses: { q: string; correct: string; guess: string }[] = [];
  for (let iteration = 1; iteration < 1 + (options.iterations ?? 199); iteration++) {
    console.log();
    console.log('-'.repeat(50));
    console.log('Iteration', iteration);
    histories.push(await model.fit(x_train, y_train, { batchSize: BATCH_SIZE, epochs: 1, validationData: [x_val, y_val] }));
    // Select 10 samples from the validation set at random so we can visualize
    // errors.
    for (let i = 0; i < 10; i++) {
      const ind = randint(0, x_val.shape[0]);
      const [rowx, rowy] = [x_val.gatherRows([ind]), y_val.gatherRows([ind])];
      const preds = await model.predictClasses(rowx, { verbose: 0 });
      const q = ctable.decode(rowx.data);
      const correct = ctable.decode(rowy.data);
      const guess = ctable.decode(preds.data, false);
      const shown = REVERSE ? [...q].reverse().join('') : q;
      console.log('Q', shown, 'T', correct, correct === guess ? colors.ok + '☑' + colors.close : colors.fail + '☒' + colors.close, guess);
      guesses.push({ q: shown, correct, guess });
    }
  }
  return { histories, guesses };
}
