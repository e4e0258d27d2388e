/**
 * Port of Keras 2's `examples/conv_lstm.py` (keras-team/keras, tag 2.3.1): a stack of ConvLSTM2D
 * layers with BatchNormalization and a Conv3D that predicts the next frame of artificial movies of
 * moving squares, then is fed its own predictions to extend a movie, line by line.
 *
 * Deviations:
 * - Data: the program makes its own movies; its `np.random` is a seeded generator here, so runs
 *   repeat.
 * - Sizes, so a test runs in seconds on the pure-TypeScript backend (each is an option): 16 movies
 *   (1200), of which 11 train (1000); frames of 8x8 pixels cut from 16x16 movies (40x40 from
 *   80x80); 4 filters per ConvLSTM2D (40); 8 frames predicted after the 7 known ones (16);
 *   `epochs` (300). The squares leave a 16x16 movie sooner than an 80x80 one, so the writes are
 *   clipped to the movie (which never happens at the Python's sizes). The unrolled ConvLSTM2D
 *   stack is slow to compile and run here: at the Python's sizes one step takes minutes.
 * - The movie kept for testing is the fifth after the training ones (`which = 1004` in the Python).
 * - The plots (`pylab`, one PNG per frame) are not drawn: the program returns the extended track and
 *   the ground truth it would plot.
 * - NumPy's array lines (`np.zeros`, slicing, `np.concatenate`) are written with loops over the
 *   tensors' data.
 */
import { keras, onlyOutput, Tensor } from '@keras-ts/keras';
import { rng } from './datasets.js';

const { Sequential } = keras.models;
const { ConvLSTM2D, BatchNormalization, Conv3D } = keras.layers;

/** The sizes the program runs at (see the header: the Python's are 1200 movies, 1000 to train, 40x40 frames, 40 filters). */
export interface ConvLstmOptions {
  epochs?: number;
  nSamples?: number;
  nFrames?: number;
  /** The frames of the test movie fed first (7 in the Python), and the frames then predicted one by one (16). */
  known?: number;
  predicted?: number;
  nTrain?: number;
  size?: number;
  filters?: number;
}

/** Runs the program; returns the History, the extended track and the ground truth. */
export async function main(options: ConvLstmOptions = {}) {
  const { epochs = 300, nSamples = 16, nTrain = 11, nFrames = 15, known = 7, predicted = 8, size = 8, filters = 4 } = options;
  const random = rng(7);
  /** `np.random.randint(lo, hi)`. */
  const randint = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo));

  // We create a layer which take as input movies of shape
  // (n_frames, width, height, channels) and returns a movie
  // of identical shape.

  const seq = new Sequential();
  seq.add(new ConvLSTM2D({ filters, kernelSize: [3, 3], inputShape: [null, size, size, 1], padding: 'same', returnSequences: true }));
  seq.add(new BatchNormalization());

  seq.add(new ConvLSTM2D({ filters, kernelSize: [3, 3], padding: 'same', returnSequences: true }));
  seq.add(new BatchNormalization());

  seq.add(new ConvLSTM2D({ filters, kernelSize: [3, 3], padding: 'same', returnSequences: true }));
  seq.add(new BatchNormalization());

  seq.add(new ConvLSTM2D({ filters, kernelSize: [3, 3], padding: 'same', returnSequences: true }));
  seq.add(new BatchNormalization());

  seq.add(new Conv3D({ filters: 1, kernelSize: [3, 3, 3], activation: 'sigmoid', padding: 'same', dataFormat: 'channels_last' }));
  seq.compile({ loss: 'binary_crossentropy', optimizer: 'adadelta' });

  // Artificial data generation:
  // Generate movies with 3 to 7 moving squares inside.
  // The squares are of shape 1x1 or 2x2 pixels,
  // which move linearly over time.
  // For convenience we first create movies with bigger width and height (2 * size)
  // and at the end we select a size x size window.

  function generate_movies(n_samples = 1200, n_frames = 15): [Tensor, Tensor] {
    const row = 2 * size;
    const col = 2 * size;
    const noisy = new Float32Array(n_samples * n_frames * row * col);
    const shifted = new Float32Array(n_samples * n_frames * row * col);
    /** `movies[i, t, x0:x1, y0:y1, 0] += v`, clipped to the movie. */
    const addBox = (movies: Float32Array, i: number, t: number, x0: number, x1: number, y0: number, y1: number, v: number) => {
      for (let x = Math.max(x0, 0); x < Math.min(x1, row); x++)
        for (let y = Math.max(y0, 0); y < Math.min(y1, col); y++) movies[((i * n_frames + t) * row + x) * col + y] += v;
    };

    for (let i = 0; i < n_samples; i++) {
      // Add 3 to 7 moving squares
      const n = randint(3, 8);

      for (let j = 0; j < n; j++) {
        // Initial position
        const xstart = randint(size / 2, (3 * size) / 2);
        const ystart = randint(size / 2, (3 * size) / 2);
        // Direction of motion
        const directionx = randint(0, 3) - 1;
        const directiony = randint(0, 3) - 1;

        // Size of the square
        const w = randint(2, 4);

        for (let t = 0; t < n_frames; t++) {
          let x_shift = xstart + directionx * t;
          let y_shift = ystart + directiony * t;
          addBox(noisy, i, t, x_shift - w, x_shift + w, y_shift - w, y_shift + w, 1);

          // Make it more robust by adding noise.
          // The idea is that if during inference,
          // the value of the pixel is not exactly one,
          // we need to train the network to be robust and still
          // consider it as a pixel belonging to a square.
          if (randint(0, 2)) {
            const noise_f = (-1) ** randint(0, 2);
            addBox(noisy, i, t, x_shift - w - 1, x_shift + w + 1, y_shift - w - 1, y_shift + w + 1, noise_f * 0.1);
          }

          // Shift the ground truth by 1
          x_shift = xstart + directionx * (t + 1);
          y_shift = ystart + directiony * (t + 1);
          addBox(shifted, i, t, x_shift - w, x_shift + w, y_shift - w, y_shift + w, 1);
        }
      }
    }

    // Cut to a size x size window (and set what reached 1 or more to 1)
    const cut = (movies: Float32Array) => {
      const out = new Float32Array(n_samples * n_frames * size * size);
      let k = 0;
      for (let it = 0; it < n_samples * n_frames; it++)
        for (let x = size / 2; x < (3 * size) / 2; x++)
          for (let y = size / 2; y < (3 * size) / 2; y++) out[k++] = Math.min(movies[(it * row + x) * col + y], 1);
      return new Tensor([n_samples, n_frames, size, size, 1], 'float32', out);
    };
    return [cut(noisy), cut(shifted)];
  }

  // Train the network
  const [noisy_movies, shifted_movies] = generate_movies(nSamples, nFrames);
  const history = await seq.fit(firstSamples(noisy_movies, nTrain), firstSamples(shifted_movies, nTrain), { batchSize: 10, epochs, validationSplit: 0.05 });

  // Testing the network on one movie
  // feed it with the first `known` positions (7) and then
  // predict the new positions
  const which = nTrain + 4;
  let track = frames(sample(noisy_movies, which), 0, known);

  for (let j = 0; j < predicted; j++) {
    const new_pos = onlyOutput(await seq.predict(withBatchAxis(track)));
    const next = frames(sample(new_pos, 0), new_pos.shape[1] - 1, new_pos.shape[1]);
    track = concatenateFrames(track, next);
  }

  // And then compare the predictions
  // to the ground truth (the Python plots frame i of both side by side)
  const track2 = sample(noisy_movies, which);
  const groundTruth: Tensor[] = [];
  for (let i = 0; i < nFrames; i++) groundTruth.push(i >= 2 ? frames(sample(shifted_movies, which), i - 1, i) : frames(track2, i, i + 1));
  return { history, track, groundTruth };
}

/** `x[:n]` over the first axis. */
function firstSamples(x: Tensor, n: number): Tensor {
  const per = x.size / x.shape[0];
  return new Tensor([n, ...x.shape.slice(1)], x.dtype, x.data.slice(0, n * per));
}

/** `x[i]`. */
function sample(x: Tensor, i: number): Tensor {
  const per = x.size / x.shape[0];
  return new Tensor(x.shape.slice(1), x.dtype, x.data.slice(i * per, (i + 1) * per));
}

/** `movie[a:b]` (frames a to b). */
function frames(movie: Tensor, a: number, b: number): Tensor {
  const per = movie.size / movie.shape[0];
  return new Tensor([b - a, ...movie.shape.slice(1)], movie.dtype, movie.data.slice(a * per, b * per));
}

/** `movie[np.newaxis]`. */
function withBatchAxis(movie: Tensor): Tensor {
  return new Tensor([1, ...movie.shape], movie.dtype, movie.data);
}

/** `np.concatenate((a, b), axis=0)`. */
function concatenateFrames(a: Tensor, b: Tensor): Tensor {
  const out = new Float32Array(a.size + b.size);
  out.set(a.data as Float32Array);
  out.set(b.data as Float32Array, a.size);
  return new Tensor([a.shape[0] + b.shape[0], ...a.shape.slice(1)], 'float32', out);
}
