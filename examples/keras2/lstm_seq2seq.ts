/**
 * Port of Keras 2's `examples/lstm_seq2seq.py` (keras-team/keras, tag 2.3.1): a character-level
 * sequence-to-sequence model (an encoder LSTM whose states, `return_state=True`, start a decoder
 * LSTM through `initial_state`, trained with teacher forcing), saved, then rebuilt as an encoder
 * model and a decoder model for step-by-step decoding, line by line.
 *
 * Deviations:
 * - Data loading: the sentence pairs are made here (`pairs()`: short English phrases and a
 *   made-up translation), not read from `fra-eng/fra.txt`.
 * - `epochs` (100), `num_samples` (10000) and the number of sentences decoded at the end (100)
 *   are options; the model is saved in the system's temporary folder instead of `s2s.h5`.
 * - NumPy's array lines (`np.zeros`, index assignment, slices) are written with loops over the
 *   tensors' data.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keras, outputList, Tensor, type KerasTensor } from '@keras-ts/keras';
import { rng } from './datasets.js';
import { argmax } from './np.js';

const { Model } = keras.models;
const { Input, LSTM, Dense } = keras.layers;

/** Short phrases and a word-for-word "translation" (tab-separated, as fra.txt's lines). */
function pairs(n: number): string[] {
  const words: [string, string][] = [['go', 'va'], ['run', 'cours'], ['hi', 'salut'], ['wait', 'attends'], ['stop', 'arrete'], ['help', 'aide'], ['now', 'maintenant'], ['here', 'ici']];
  const r = rng(17);
  return Array.from({ length: n }, () => {
    const k = 1 + Math.floor(r() * 2);
    const chosen = Array.from({ length: k }, () => words[Math.floor(r() * words.length)]);
    return `${chosen.map((w) => w[0]).join(' ')}.\t${chosen.map((w) => w[1]).join(' ')} !`;
  });
}

/** Runs the program; returns the History, the saved model's path and the decoded sentences. */
export async function main(options: { epochs?: number; numSamples?: number; decode?: number } = {}) {
  const batch_size = 64; // Batch size for training.
  const epochs = options.epochs ?? 100; // Number of epochs to train for.
  const latent_dim = 256; // Latent dimensionality of the encoding space.
  const num_samples = options.numSamples ?? 10000; // Number of samples to train on.

  // Vectorize the data.
  const input_texts: string[] = [];
  const target_texts: string[] = [];
  const input_characters = new Set<string>();
  const target_characters = new Set<string>();
  const lines = pairs(num_samples);
  for (const line of lines.slice(0, Math.min(num_samples, lines.length))) {
    let [input_text, target_text] = line.split('\t');
    // We use "tab" as the "start sequence" character
    // for the targets, and "\n" as "end sequence" character.
    target_text = '\t' + target_text + '\n';
    input_texts.push(input_text);
    target_texts.push(target_text);
    for (const char of input_text) input_characters.add(char);
    for (const char of target_text) target_characters.add(char);
  }
  // A padding space in both vocabularies, as fra.txt's sentences have.
  input_characters.add(' ');
  target_characters.add(' ');

  const input_chars = [...input_characters].sort();
  const target_chars = [...target_characters].sort();
  const num_encoder_tokens = input_chars.length;
  const num_decoder_tokens = target_chars.length;
  const max_encoder_seq_length = Math.max(...input_texts.map((t) => t.length));
  const max_decoder_seq_length = Math.max(...target_texts.map((t) => t.length));

  console.log('Number of samples:', input_texts.length);
  console.log('Number of unique input tokens:', num_encoder_tokens);
  console.log('Number of unique output tokens:', num_decoder_tokens);
  console.log('Max sequence length for inputs:', max_encoder_seq_length);
  console.log('Max sequence length for outputs:', max_decoder_seq_length);

  const input_token_index = new Map(input_chars.map((c, i) => [c, i]));
  const target_token_index = new Map(target_chars.map((c, i) => [c, i]));

  const n = input_texts.length;
  const zeros = (steps: number, tokens: number) => new Tensor([n, steps, tokens], 'float32', new Float32Array(n * steps * tokens));
  const encoder_input_data = zeros(max_encoder_seq_length, num_encoder_tokens);
  const decoder_input_data = zeros(max_decoder_seq_length, num_decoder_tokens);
  const decoder_target_data = zeros(max_decoder_seq_length, num_decoder_tokens);
  const set = (t: Tensor, i: number, step: number, k: number) => (t.data[(i * t.shape[1] + step) * t.shape[2] + k] = 1);

  input_texts.forEach((input_text, i) => {
    const target_text = target_texts[i];
    let t = 0;
    for (t = 0; t < input_text.length; t++) set(encoder_input_data, i, t, input_token_index.get(input_text[t])!);
    for (let s = t; s < max_encoder_seq_length; s++) set(encoder_input_data, i, s, input_token_index.get(' ')!);
    for (t = 0; t < target_text.length; t++) {
      // decoder_target_data is ahead of decoder_input_data by one timestep
      set(decoder_input_data, i, t, target_token_index.get(target_text[t])!);
      // decoder_target_data will be ahead by one timestep
      // and will not include the start character.
      if (t > 0) set(decoder_target_data, i, t - 1, target_token_index.get(target_text[t])!);
    }
    for (let s = t; s < max_decoder_seq_length; s++) set(decoder_input_data, i, s, target_token_index.get(' ')!);
    for (let s = t - 1; s < max_decoder_seq_length; s++) set(decoder_target_data, i, s, target_token_index.get(' ')!);
  });

  // Define an input sequence and process it.
  const encoder_inputs = Input({ shape: [null, num_encoder_tokens] });
  const encoder = new LSTM({ units: latent_dim, returnState: true });
  const [, state_h, state_c] = encoder.apply(encoder_inputs);
  // We discard `encoder_outputs` and only keep the states.
  const encoder_states = [state_h, state_c];

  // Set up the decoder, using `encoder_states` as initial state.
  const decoder_inputs = Input({ shape: [null, num_decoder_tokens] });
  // We set up our decoder to return full output sequences,
  // and to return internal states as well. We don't use the
  // return states in the training model, but we will use them in inference.
  const decoder_lstm = new LSTM({ units: latent_dim, returnSequences: true, returnState: true });
  let [decoder_outputs] = decoder_lstm.apply(decoder_inputs, { initial_state: encoder_states });
  const decoder_dense = new Dense({ units: num_decoder_tokens, activation: 'softmax' });
  decoder_outputs = decoder_dense.apply(decoder_outputs);

  // Define the model that will turn
  // `encoder_input_data` & `decoder_input_data` into `decoder_target_data`
  const model = new Model([encoder_inputs, decoder_inputs], decoder_outputs);

  // Run training
  model.compile({ optimizer: 'rmsprop', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  const history = await model.fit([encoder_input_data, decoder_input_data], decoder_target_data, { batchSize: batch_size, epochs, validationSplit: 0.2 });
  // Save model
  const savedPath = join(tmpdir(), 's2s.h5');
  await model.save(savedPath);

  // Next: inference mode (sampling).
  // Define sampling models
  const encoder_model = new Model(encoder_inputs, encoder_states);

  const decoder_state_input_h = Input({ shape: [latent_dim] });
  const decoder_state_input_c = Input({ shape: [latent_dim] });
  const decoder_states_inputs = [decoder_state_input_h, decoder_state_input_c];
  let [dec_out, dec_h, dec_c] = decoder_lstm.apply(decoder_inputs, { initial_state: decoder_states_inputs });
  const decoder_states = [dec_h, dec_c];
  dec_out = decoder_dense.apply(dec_out);
  const decoder_model = new Model([decoder_inputs, ...decoder_states_inputs], [dec_out, ...decoder_states]);

  // Reverse-lookup token index to decode sequences back to
  // something readable.
  const reverse_target_char_index = new Map(target_chars.map((c, i) => [i, c]));

  async function decode_sequence(input_seq: Tensor): Promise<string> {
    // Encode the input as state vectors.
    let states_value = outputList(await encoder_model.predict(input_seq));

    // Generate empty target sequence of length 1.
    let target_seq = new Tensor([1, 1, num_decoder_tokens], 'float32', new Float32Array(num_decoder_tokens));
    // Populate the first character of target sequence with the start character.
    target_seq.data[target_token_index.get('\t')!] = 1;

    // Sampling loop for a batch of sequences
    // (to simplify, here we assume a batch of size 1).
    let stop_condition = false;
    let decoded_sentence = '';
    while (!stop_condition) {
      const [output_tokens, h, c] = outputList(await decoder_model.predict([target_seq, ...states_value]));

      // Sample a token
      const sampled_token_index = argmax(output_tokens)[0];
      const sampled_char = reverse_target_char_index.get(sampled_token_index)!;
      decoded_sentence += sampled_char;

      // Exit condition: either hit max length
      // or find stop character.
      if (sampled_char === '\n' || decoded_sentence.length > max_decoder_seq_length) stop_condition = true;

      // Update the target sequence (of length 1).
      target_seq = new Tensor([1, 1, num_decoder_tokens], 'float32', new Float32Array(num_decoder_tokens));
      target_seq.data[sampled_token_index] = 1;

      // Update states
      states_value = [h, c];
    }
    return decoded_sentence;
  }

  const decoded: string[] = [];
  for (let seq_index = 0; seq_index < (options.decode ?? 100); seq_index++) {
    // Take one sequence (part of the training set)
    // for trying out decoding.
    const input_seq = encoder_input_data.sliceRows(seq_index, seq_index + 1);
    const decoded_sentence = await decode_sequence(input_seq);
    console.log('-');
    console.log('Input sentence:', input_texts[seq_index]);
    console.log('Decoded sentence:', decoded_sentence);
    decoded.push(decoded_sentence);
  }
  return { history, savedPath, decoded, maxDecoderSeqLength: max_decoder_seq_length, targetChars: target_chars };
}
