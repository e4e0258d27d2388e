/**
 * Port of Keras 2's `examples/mnist_denoising_autoencoder.py` (keras-team/keras, tag 2.3.1): a
 * convolutional autoencoder (strided Conv2D encoder, Conv2DTranspose decoder, `K.int_shape` to
 * size the decoder) trained to remove noise from MNIST digits, line by line.
 *
 * Deviations:
 * - Data loading: `mnist.loadData(128, 32)` is the synthetic stand-in of `datasets.ts`, not the
 *   download; `np.random.normal` (the noise) is a seeded Box-Muller generator.
 * - `epochs` (30 in the Python) is an option.
 * - The figure of original, noisy and denoised digits (matplotlib, PIL) is left out: there is no
 *   plotting here; `main` returns the denoised test digits it shows.
 * - NumPy's array lines (`reshape`, `astype`, `/ 255`, `+ noise`, `np.clip`) are written with the
 *   helpers of `np.ts` and a loop.
 */
import { keras, Tensor, type KerasTensor } from '@keras-ts/keras';
import { mnist, rng } from './datasets.js';
import { asFloat32, divide, reshape } from './np.js';

const K = keras.backend;
const { Activation, Dense, Input, Conv2D, Flatten, Reshape, Conv2DTranspose } = keras.layers;
const { Model } = keras.models;

/** Runs the program; returns the History and the denoised test digits. */
export async function main(options: { epochs?: number } = {}) {
  const random = rng(1337);
  /** `np.random.normal(loc, scale)` by Box-Muller. */
  const normal = (loc: number, scale: number) => loc + scale * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

  // MNIST dataset
  let [[x_train], [x_test]] = mnist.loadData(128, 32);

  const image_size = x_train.shape[1];
  x_train = reshape(x_train, [-1, image_size, image_size, 1]);
  x_test = reshape(x_test, [-1, image_size, image_size, 1]);
  x_train = divide(asFloat32(x_train), 255);
  x_test = divide(asFloat32(x_test), 255);

  // Generate corrupted MNIST images by adding noise with normal dist
  // centered at 0.5 and std=0.5, then clipped to [0, 1]
  const noisy = (x: Tensor) => new Tensor(x.shape, 'float32', Float32Array.from(x.data, (v) => Math.min(Math.max(v + normal(0.5, 0.5), 0), 1)));
  const x_train_noisy = noisy(x_train);
  const x_test_noisy = noisy(x_test);

  // Network parameters
  const input_shape = [image_size, image_size, 1];
  const batch_size = 128;
  const kernel_size = 3;
  const latent_dim = 16;
  // Encoder/Decoder number of CNN layers and filters per layer
  const layer_filters = [32, 64];

  // Build the Autoencoder Model
  // First build the Encoder Model
  const inputs = Input({ shape: input_shape, name: 'encoder_input' });
  let x: KerasTensor = inputs;
  // Stack of Conv2D blocks
  // Notes:
  // 1) Use Batch Normalization before ReLU on deep networks
  // 2) Use MaxPooling2D as alternative to strides>1
  // - faster but not as good as strides>1
  for (const filters of layer_filters) {
    x = new Conv2D({ filters, kernelSize: kernel_size, strides: 2, activation: 'relu', padding: 'same' }).apply(x);
  }

  // Shape info needed to build Decoder Model
  const shape = K.int_shape(x) as number[];

  // Generate the latent vector
  x = new Flatten().apply(x);
  const latent = new Dense({ units: latent_dim, name: 'latent_vector' }).apply(x);

  // Instantiate Encoder Model
  const encoder = new Model(inputs, latent, 'encoder');
  encoder.summary();

  // Build the Decoder Model
  const latent_inputs = Input({ shape: [latent_dim], name: 'decoder_input' });
  x = new Dense({ units: shape[1] * shape[2] * shape[3] }).apply(latent_inputs);
  x = new Reshape({ targetShape: [shape[1], shape[2], shape[3]] }).apply(x);

  // Stack of Transposed Conv2D blocks
  // Notes:
  // 1) Use Batch Normalization before ReLU on deep networks
  // 2) Use UpSampling2D as alternative to strides>1
  // - faster but not as good as strides>1
  for (const filters of [...layer_filters].reverse()) {
    x = new Conv2DTranspose({ filters, kernelSize: kernel_size, strides: 2, activation: 'relu', padding: 'same' }).apply(x);
  }

  x = new Conv2DTranspose({ filters: 1, kernelSize: kernel_size, padding: 'same' }).apply(x);

  const outputs = new Activation({ activation: 'sigmoid', name: 'decoder_output' }).apply(x);

  // Instantiate Decoder Model
  const decoder = new Model(latent_inputs, outputs, 'decoder');
  decoder.summary();

  // Autoencoder = Encoder + Decoder
  // Instantiate Autoencoder Model
  const autoencoder = new Model(inputs, decoder.apply(encoder.apply(inputs)), 'autoencoder');
  autoencoder.summary();

  autoencoder.compile({ loss: 'mse', optimizer: 'adam' });

  // Train the autoencoder
  const history = await autoencoder.fit(x_train_noisy, x_train, { validationData: [x_test_noisy, x_test], epochs: options.epochs ?? 30, batchSize: batch_size });

  // Predict the Autoencoder output from corrupted test images
  const x_decoded = await autoencoder.predict(x_test_noisy);
  return { history, x_decoded, encoderShape: shape };
}
