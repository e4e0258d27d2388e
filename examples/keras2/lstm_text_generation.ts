/**
 * Port of Keras 2's `examples/lstm_text_generation.py` (keras-team/keras, tag 2.3.1): a character
 * LSTM that learns a text and writes new text at the end of each epoch (a LambdaCallback sampling
 * with temperatures), line by line.
 *
 * Deviations:
 * - Data loading: the corpus is a short text made here (`corpus()`), not Nietzsche's writings
 *   downloaded with `get_file`.
 * - `epochs` (60 in the Python) and the length of each generated text (400 characters) are
 *   options, so the test writes 20 characters per temperature after each of 2 epochs.
 * - Python's `random` and `np.random.multinomial` are a seeded generator, so runs repeat.
 */
import { keras, Tensor } from '@keras-ts/keras';
import { rng } from './datasets.js';

const { LambdaCallback } = keras.callbacks;
const { Sequential } = keras.models;
const { Dense, LSTM } = keras.layers;
const { RMSprop } = keras.optimizers;

/** A small corpus with repeated words and phrases, which a character model learns to continue. */
function corpus(): string {
  const phrases = ['the will to power ', 'beyond good and evil ', 'what does not kill me makes me stronger ', 'the eternal return of the same ', 'all things are subject to interpretation '];
  const r = rng(11);
  let text = '';
  while (text.length < 1500) text += phrases[Math.floor(r() * phrases.length)];
  return text;
}

/** Runs the program; returns the History and the texts written after each epoch. */
export async function main(options: { epochs?: number; generate?: number } = {}) {
  const random = rng(5);
  const text = corpus().toLowerCase();
  console.log('corpus length:', text.length);

  const chars = [...new Set(text)].sort();
  console.log('total chars:', chars.length);
  const char_indices = new Map(chars.map((c, i) => [c, i]));
  const indices_char = new Map(chars.map((c, i) => [i, c]));

  // cut the text in semi-redundant sequences of maxlen characters
  const maxlen = 40;
  const step = 3;
  const sentences: string[] = [];
  const next_chars: string[] = [];
  for (let i = 0; i < text.length - maxlen; i += step) {
    sentences.push(text.slice(i, i + maxlen));
    next_chars.push(text[i + maxlen]);
  }
  console.log('nb sequences:', sentences.length);

  console.log('Vectorization...');
  const x = new Tensor([sentences.length, maxlen, chars.length], 'bool', new Uint8Array(sentences.length * maxlen * chars.length));
  const y = new Tensor([sentences.length, chars.length], 'bool', new Uint8Array(sentences.length * chars.length));
  sentences.forEach((sentence, i) => {
    [...sentence].forEach((char, t) => (x.data[(i * maxlen + t) * chars.length + char_indices.get(char)!] = 1));
    y.data[i * chars.length + char_indices.get(next_chars[i])!] = 1;
  });

  // build the model: a single LSTM
  console.log('Build model...');
  const model = new Sequential();
  model.add(new LSTM({ units: 128, inputShape: [maxlen, chars.length] }));
  model.add(new Dense({ units: chars.length, activation: 'softmax' }));

  const optimizer = new RMSprop({ learningRate: 0.01 });
  model.compile({ loss: 'categorical_crossentropy', optimizer });

  // helper function to sample an index from a probability array
  function sample(preds: ArrayLike<number>, temperature = 1.0): number {
    const logits = Array.from(preds, (p) => Math.log(p) / temperature);
    const exp_preds = logits.map(Math.exp);
    const total = exp_preds.reduce((a, b) => a + b, 0);
    let u = random() * total;
    for (let k = 0; k < exp_preds.length; k++) if ((u -= exp_preds[k]) < 0) return k;
    return exp_preds.length - 1;
  }

  const written: string[] = [];
  const length = options.generate ?? 400;
  // Function invoked at end of each epoch. Prints generated text.
  async function on_epoch_end(epoch: number): Promise<void> {
    console.log();
    console.log(`----- Generating text after Epoch: ${epoch}`);
    const start_index = Math.floor(random() * (text.length - maxlen - 1));
    for (const diversity of [0.2, 0.5, 1.0, 1.2]) {
      console.log('----- diversity:', diversity);
      let generated = '';
      let sentence = text.slice(start_index, start_index + maxlen);
      generated += sentence;
      console.log('----- Generating with seed: "' + sentence + '"');
      process.stdout.write(generated);
      for (let i = 0; i < length; i++) {
        const x_pred = new Tensor([1, maxlen, chars.length], 'float32', new Float32Array(maxlen * chars.length));
        [...sentence].forEach((char, t) => (x_pred.data[t * chars.length + char_indices.get(char)!] = 1));
        const preds = (await model.predict(x_pred, { verbose: 0 })).data;
        const next_index = sample(preds, diversity);
        const next_char = indices_char.get(next_index)!;
        sentence = sentence.slice(1) + next_char;
        generated += next_char;
        process.stdout.write(next_char);
      }
      written.push(generated);
      console.log();
    }
  }

  const print_callback = new LambdaCallback({ onEpochEnd: on_epoch_end });
  const history = await model.fit(x, y, { batchSize: 128, epochs: options.epochs ?? 60, callbacks: [print_callback] });
  return { history, written, chars };
}
