/**
 * Runs each ported Keras 2 program to the end (2 epochs on its synthetic data) and checks that the
 * loss falls and that what the Python program prints is there and sensible.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTsBackend } from '@keras-ts/backend-ts';
import { setBackend, type History } from '@keras-ts/keras';
import { add_ngram, create_ngram_set } from './imdb_fasttext.js';

setBackend(createTsBackend());

// The programs print as the Python does (summaries, progress bars): kept off the test output.
beforeAll(() => {
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(console, 'log').mockImplementation(() => {});
});
afterAll(() => vi.restoreAllMocks());

const EPOCHS = 2;
const SLOW = 240_000;

function expectLossFalls(history: History | null, key = 'loss'): void {
  const loss = history!.history[key];
  expect(loss).toHaveLength(EPOCHS);
  for (const v of loss) expect(Number.isFinite(v)).toBe(true);
  expect(loss[EPOCHS - 1]).toBeLessThan(loss[0]);
}

/** A loss and an accuracy as `model.evaluate` returns them (printed as 'Test loss' / 'Test accuracy'). */
function expectScore(loss: number, acc: number): void {
  expect(Number.isFinite(loss)).toBe(true);
  expect(loss).toBeGreaterThanOrEqual(0);
  expect(acc).toBeGreaterThanOrEqual(0);
  expect(acc).toBeLessThanOrEqual(1);
}

describe('Keras 2 example programs, ported', () => {
  it('mnist_mlp', async () => {
    const { main } = await import('./mnist_mlp.js');
    const { history, score } = await main({ epochs: EPOCHS });
    expectLossFalls(history);
    expectScore(score[0], score[1]);
  }, SLOW);

  it('mnist_cnn', async () => {
    const { main } = await import('./mnist_cnn.js');
    const { history, score } = await main({ epochs: EPOCHS });
    expectLossFalls(history);
    expectScore(score[0], score[1]);
  }, SLOW);

  it('antirectifier (a custom layer over K, with its compute_output_shape)', async () => {
    const { main } = await import('./antirectifier.js');
    const { history, outputShape } = await main({ epochs: EPOCHS });
    expectLossFalls(history);
    expect(outputShape).toEqual([null, 512]);
  }, SLOW);

  it('reuters_mlp', async () => {
    const { main } = await import('./reuters_mlp.js');
    const { history, score } = await main({ epochs: EPOCHS });
    expectLossFalls(history);
    expectScore(score[0], score[1]);
    expect(history.history).toHaveProperty('val_loss');
  }, SLOW);

  it('imdb_fasttext, unigrams and bigrams', async () => {
    // The Python docstrings' examples of the n-gram helpers.
    expect([...create_ngram_set([1, 4, 9, 4, 1, 4], 2)].sort()).toEqual(['1,4', '4,1', '4,9', '9,4']);
    const ti = new Map([['1,3', 1337], ['9,2', 42], ['4,5', 2017]]);
    expect(add_ngram([[1, 3, 4, 5], [1, 3, 7, 9, 2]], ti, 2)).toEqual([[1, 3, 4, 5, 1337, 2017], [1, 3, 7, 9, 2, 1337, 42]]);
    ti.set('7,9,2', 2018);
    expect(add_ngram([[1, 3, 4, 5], [1, 3, 7, 9, 2]], ti, 3)).toEqual([[1, 3, 4, 5, 1337, 2017], [1, 3, 7, 9, 2, 1337, 42, 2018]]);
    const { main } = await import('./imdb_fasttext.js');
    expectLossFalls((await main({ epochs: EPOCHS })).history);
    const bigrams = await main({ epochs: EPOCHS, ngramRange: 2 });
    expectLossFalls(bigrams.history);
    expect(bigrams.maxFeatures).toBeGreaterThan(20001);
  }, SLOW);

  it('imdb_cnn', async () => {
    const { main } = await import('./imdb_cnn.js');
    expectLossFalls((await main({ epochs: EPOCHS })).history);
  }, SLOW);

  it('imdb_lstm', async () => {
    const { main } = await import('./imdb_lstm.js');
    const { history, score, acc } = await main({ epochs: EPOCHS });
    expectLossFalls(history);
    expectScore(score, acc);
  }, SLOW);

  it('imdb_cnn_lstm', async () => {
    const { main } = await import('./imdb_cnn_lstm.js');
    const { history, score, acc } = await main({ epochs: EPOCHS });
    expectLossFalls(history);
    expectScore(score, acc);
  }, SLOW);

  it('imdb_bidirectional_lstm', async () => {
    const { main } = await import('./imdb_bidirectional_lstm.js');
    expectLossFalls((await main({ epochs: EPOCHS })).history);
  }, SLOW);

  it('variational_autoencoder (Lambda sampling, add_loss, fit(x, None), save_weights)', async () => {
    const { main } = await import('./variational_autoencoder.js');
    const { history, zMean, weightsFile } = await main({ epochs: EPOCHS });
    expectLossFalls(history);
    expectLossFalls(history, 'val_loss');
    expect(zMean.shape).toEqual([32, 2]);
    // The saved weights load back (the program's --weights path).
    const again = await main({ weights: weightsFile });
    expect(again.history).toBeNull();
    expect(Array.from(again.zMean.data)).toEqual(Array.from(zMean.data));
  }, SLOW);

  it('mnist_siamese (shared network, Lambda with an output-shape function, contrastive loss)', async () => {
    const { main } = await import('./mnist_siamese.js');
    const { history, tr_acc, te_acc } = await main({ epochs: EPOCHS });
    expectLossFalls(history);
    for (const a of [tr_acc, te_acc]) expectScore(0, a);
    expect(history.history).toHaveProperty('val_accuracy');
  }, SLOW);

  it('lstm_text_generation (LambdaCallback writing text with temperatures)', async () => {
    const { main } = await import('./lstm_text_generation.js');
    const { history, written, chars } = await main({ epochs: EPOCHS, generate: 10 });
    expectLossFalls(history);
    // Four temperatures after each epoch: the 40-character seed and 10 new characters of the corpus's alphabet.
    expect(written).toHaveLength(4 * EPOCHS);
    for (const w of written) {
      expect(w).toHaveLength(50);
      for (const c of w) expect(chars).toContain(c);
    }
  }, SLOW);

  it('cifar10_cnn (ImageDataGenerator augmentation, fit_generator over flow, save)', async () => {
    const { main } = await import('./cifar10_cnn.js');
    const { history, scores, modelPath } = await main({ epochs: EPOCHS });
    // Augmentation and dropout make the training loss noisy over 2 steps an epoch: the validation loss is checked.
    expectLossFalls(history, 'val_loss');
    expectScore(scores[0], scores[1]);
    const { loadModel } = await import('@keras-ts/keras');
    expect((await loadModel(modelPath)).layers).toHaveLength(18);
  }, SLOW);

  it('addition_rnn (encoder LSTM, RepeatVector, TimeDistributed, predict_classes)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { main } = await import('./addition_rnn.js');
    const { histories, guesses } = await main({ trainingSize: 1000, iterations: EPOCHS });
    const losses = histories.map((h) => h.history.loss[0]);
    expect(losses[EPOCHS - 1]).toBeLessThan(losses[0]);
    // Ten validation questions per iteration, each answer and guess four characters of the table.
    expect(guesses).toHaveLength(10 * EPOCHS);
    for (const g of guesses) {
      expect(g.correct).toMatch(/^[0-9 ]{4}$/);
      expect(g.guess).toMatch(/^[0-9+ ]{4}$/);
      const [a, b] = g.q.trim().split('+').map(Number);
      expect(Number(g.correct.trim())).toBe(a + b);
    }
    warn.mockRestore();
  }, SLOW);

  it('lstm_seq2seq (return_state, initial_state, encoder and decoder models for inference)', async () => {
    const { main } = await import('./lstm_seq2seq.js');
    const { history, savedPath, decoded, maxDecoderSeqLength, targetChars } = await main({ epochs: EPOCHS, numSamples: 128, decode: 2 });
    expectLossFalls(history);
    expectLossFalls(history, 'val_loss');
    const { loadModel } = await import('@keras-ts/keras');
    expect((await loadModel(savedPath)).inputs).toHaveLength(2);
    // The decoding loop stops at '\n' or past the longest target, with characters of the targets.
    for (const d of decoded) {
      expect(d.length).toBeLessThanOrEqual(maxDecoderSeqLength + 1);
      for (const c of d) expect(targetChars).toContain(c);
    }
  }, SLOW);

  it('mnist_transfer_cnn (feature layers frozen with trainable = false)', async () => {
    const { main } = await import('./mnist_transfer_cnn.js');
    const { results, featuresBefore, featuresAfter } = await main({ epochs: EPOCHS });
    expect(results).toHaveLength(2);
    for (const r of results) {
      expectLossFalls(r.history);
      expectScore(r.score[0], r.score[1]);
    }
    // The frozen convolution did not change in the second training.
    featuresBefore.forEach((w, i) => expect(Array.from(featuresAfter[i].data)).toEqual(Array.from(w.data)));
  }, SLOW);

  it('mnist_denoising_autoencoder (strided Conv2D, Conv2DTranspose, K.int_shape)', async () => {
    const { main } = await import('./mnist_denoising_autoencoder.js');
    const { history, x_decoded, encoderShape } = await main({ epochs: EPOCHS });
    expectLossFalls(history);
    expect(encoderShape).toEqual([null, 7, 7, 64]);
    expect(x_decoded.shape).toEqual([32, 28, 28, 1]);
    for (const v of x_decoded.data) expect(v >= 0 && v <= 1).toBe(true);
  }, SLOW);

  it('babi_rnn (its bAbI parser, two LSTM encoders merged with layers.concatenate)', async () => {
    const { main, tokenize, parse_stories } = await import('./babi_rnn.js');
    // The Python docstring's example, and a story with its supporting facts.
    expect(tokenize('Bob dropped the apple. Where is the apple?')).toEqual(['Bob', 'dropped', 'the', 'apple', '.', 'Where', 'is', 'the', 'apple', '?']);
    const story = ['1 Mary moved to the bathroom.', '2 John went to the hallway.', '3 Mary got the milk there.', '4 Where is the milk?\tbathroom\t3 1'];
    expect(parse_stories(story, true)).toEqual([[[['Mary', 'got', 'the', 'milk', 'there', '.'], ['Mary', 'moved', 'to', 'the', 'bathroom', '.']], ['Where', 'is', 'the', 'milk', '?'], 'bathroom']]);
    const { history, loss, acc } = await main({ epochs: EPOCHS });
    expectLossFalls(history);
    expectScore(loss, acc);
  }, SLOW);

  it('conv_lstm (four ConvLSTM2D with BatchNormalization, a Conv3D; a movie extended by its own predictions)', async () => {
    const { main } = await import('./conv_lstm.js');
    const { history, track, groundTruth } = await main({ epochs: EPOCHS });
    expectLossFalls(history);
    expect(history.history.val_loss).toHaveLength(EPOCHS);
    // The 7 known frames then 8 predicted ones (sigmoid outputs), beside 15 ground-truth frames.
    expect(track.shape).toEqual([15, 8, 8, 1]);
    for (const v of track.data.slice(7 * 64)) expect(v >= 0 && v <= 1).toBe(true);
    expect(groundTruth).toHaveLength(15);
    for (const g of groundTruth) expect(g.shape).toEqual([1, 8, 8, 1]);
  }, SLOW);

  it('mnist_irnn (SimpleRNN of ReLUs with an identity recurrent kernel, RMSprop(lr=1e-6))', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const { main } = await import('./mnist_irnn.js');
      const { history, scores } = await main({ epochs: EPOCHS });
      expectLossFalls(history);
      expectScore(scores[0], scores[1]);
      // Keras 2's `lr` is read, with its deprecation warning.
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/RMSprop: the `lr` argument is deprecated/));
    } finally {
      warn.mockRestore();
    }
  }, SLOW);
});
