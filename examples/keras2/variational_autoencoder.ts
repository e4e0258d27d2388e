/**
 * Port of Keras 2's `examples/variational_autoencoder.py` (keras-team/keras, tag 2.3.1): a VAE
 * with MLP encoder and decoder on MNIST (three models sharing weights, the sampling in a Lambda,
 * the VAE loss added with `add_loss`, `fit(x_train, None)`), line by line.
 *
 * Deviations:
 * - Data loading: `mnist.loadData(128, 32)` is the synthetic stand-in of `datasets.ts`, not the
 *   download.
 * - `epochs` (50 in the Python) is an option; the `--weights` / `--mse` command-line flags are
 *   options of `main` (`weights`, `mse`).
 * - `plot_model` and `plot_results` (matplotlib figures) are left out: there is no plotting here.
 *   Instead `main` returns the encoder's `z_mean` of the test set, which `plot_results` plots.
 * - The weights are saved to the system's temporary folder instead of the working directory.
 * - Python's operators on tensors (`*=`, `+`, `-`) are `K.multiply`, `K.add`, `K.subtract`.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keras, onlyOutput, type KerasTensor, type Tensor } from '@keras-ts/keras';
import type { Sym } from '@keras-ts/keras';
import { mnist } from './datasets.js';
import { asFloat32, divide, reshape } from './np.js';

const K = keras.backend;
const { Lambda, Input, Dense } = keras.layers;
const { Model } = keras.models;
const { mse, binary_crossentropy } = keras.losses;

// reparameterization trick
// instead of sampling from Q(z|X), sample epsilon = N(0,I)
// z = z_mean + sqrt(var) * epsilon
function sampling(args: Sym | Sym[]): Sym {
  const [z_mean, z_log_var] = args as Sym[];
  const batch = K.shape(z_mean)[0] as number;
  const dim = K.int_shape(z_mean)[1] as number;
  // by default, random_normal has mean = 0 and std = 1.0
  const epsilon = K.random_normal([batch, dim]);
  return K.add(z_mean, K.multiply(K.exp(K.multiply(0.5, z_log_var)), epsilon));
}

/** Runs the program; returns the VAE's History and the encoder's z_mean of the test set. */
export async function main(options: { epochs?: number; mse?: boolean; weights?: string } = {}) {
  // MNIST dataset
  let [[x_train, _y_train], [x_test, y_test]] = mnist.loadData(128, 32);

  const image_size = x_train.shape[1];
  const original_dim = image_size * image_size;
  x_train = reshape(x_train, [-1, original_dim]);
  x_test = reshape(x_test, [-1, original_dim]);
  x_train = divide(asFloat32(x_train), 255);
  x_test = divide(asFloat32(x_test), 255);

  // network parameters
  const input_shape = [original_dim];
  const intermediate_dim = 512;
  const batch_size = 128;
  const latent_dim = 2;
  const epochs = options.epochs ?? 50;

  // VAE model = encoder + decoder
  // build encoder model
  const inputs = Input({ shape: input_shape, name: 'encoder_input' });
  let x = new Dense({ units: intermediate_dim, activation: 'relu' }).apply(inputs);
  const z_mean = new Dense({ units: latent_dim, name: 'z_mean' }).apply(x);
  const z_log_var = new Dense({ units: latent_dim, name: 'z_log_var' }).apply(x);

  // use reparameterization trick to push the sampling out as input
  // note that "output_shape" isn't necessary with the TensorFlow backend
  const z = onlyOutput(new Lambda({ function: sampling, outputShape: [latent_dim], name: 'z' }).apply([z_mean, z_log_var]));

  // instantiate encoder model
  const encoder = new Model(inputs, [z_mean, z_log_var, z], 'encoder');
  encoder.summary();

  // build decoder model
  const latent_inputs = Input({ shape: [latent_dim], name: 'z_sampling' });
  x = new Dense({ units: intermediate_dim, activation: 'relu' }).apply(latent_inputs);
  const outputs = new Dense({ units: original_dim, activation: 'sigmoid' }).apply(x);

  // instantiate decoder model
  const decoder = new Model(latent_inputs, outputs, 'decoder');
  decoder.summary();

  // instantiate VAE model
  const vae_outputs = decoder.apply(encoder.apply(inputs)[2]);
  const vae = new Model(inputs, vae_outputs, 'vae_mlp');

  // VAE loss = mse_loss or xent_loss + kl_loss
  let reconstruction_loss: KerasTensor;
  if (options.mse) reconstruction_loss = mse(inputs, vae_outputs);
  else reconstruction_loss = binary_crossentropy(inputs, vae_outputs);

  reconstruction_loss = K.multiply(reconstruction_loss, original_dim);
  let kl_loss = K.subtract(K.subtract(K.add(1, z_log_var), K.square(z_mean)), K.exp(z_log_var));
  kl_loss = K.sum(kl_loss, -1);
  kl_loss = K.multiply(kl_loss, -0.5);
  const vae_loss = K.mean(K.add(reconstruction_loss, kl_loss));
  vae.addLoss(vae_loss);
  vae.compile({ optimizer: 'adam' });
  vae.summary();

  let history = null;
  if (options.weights) await vae.loadWeights(options.weights);
  else {
    // train the autoencoder
    history = await vae.fit(x_train, null, { epochs, batchSize: batch_size, validationData: [x_test, null] });
    await vae.save_weights(join(tmpdir(), 'vae_mlp_mnist.h5'));
  }

  // what plot_results plots: the test digits in the latent space
  const [encoded] = await encoder.predict(x_test, { batchSize: batch_size });
  return { history, zMean: encoded, labels: y_test, weightsFile: join(tmpdir(), 'vae_mlp_mnist.h5') };
}
