/**
 * Stand-ins for `keras.datasets` (MNIST, CIFAR-10, IMDB, Reuters): `loadData()` gives arrays of
 * the real datasets' shapes and types (uint8 images as int32 tensors, word-index lists, integer
 * labels), made from a seed, with a pattern a model can learn (so a loss falls in a few epochs).
 * The real files are not downloaded: the ported programs' only deviation is this data loading.
 */
import { Tensor } from '@keras-ts/keras';

/** A seeded uniform generator in [0, 1) (an LCG; the same numbers on every machine). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

type Split<X, Y> = [[X, Y], [X, Y]];

/** Images of `h x w x c` uint8 values whose class draws a bar at a class-dependent place, plus noise. */
function images(n: number, h: number, w: number, c: number, classes: number, r: () => number, channelsAxis: boolean): [Tensor, Tensor] {
  const x = new Int32Array(n * h * w * c);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = Math.floor(r() * classes);
    y[i] = k;
    // A horizontal bar (classes 0..4) or a vertical one (5..9), at a class-dependent row/column.
    const pos = 2 + ((k % 5) * (Math.min(h, w) - 4)) / 5;
    for (let p = 0; p < h; p++)
      for (let q = 0; q < w; q++) {
        const onBar = k < 5 ? Math.abs(p - pos) < 2 : Math.abs(q - pos) < 2;
        for (let ch = 0; ch < c; ch++) {
          const v = (onBar ? 200 : 0) + Math.floor(r() * 56);
          x[((i * h + p) * w + q) * c + ch] = v;
        }
      }
  }
  return [new Tensor(channelsAxis ? [n, h, w, c] : [n, h, w], 'int32', x), new Tensor([n], 'int32', y)];
}

/** `keras.datasets.mnist.load_data()`: uint8 images [n, 28, 28] and labels 0..9. */
export const mnist = {
  loadData(nTrain = 256, nTest = 64, seed = 1): Split<Tensor, Tensor> {
    const r = rng(seed);
    return [images(nTrain, 28, 28, 1, 10, r, false), images(nTest, 28, 28, 1, 10, r, false)];
  },
};

/** `keras.datasets.cifar10.load_data()`: uint8 images [n, 32, 32, 3] and labels [n, 1]. */
export const cifar10 = {
  loadData(nTrain = 128, nTest = 32, seed = 2): Split<Tensor, Tensor> {
    const r = rng(seed);
    const withColumn = ([x, y]: [Tensor, Tensor]): [Tensor, Tensor] => [x, new Tensor([y.shape[0], 1], 'int32', y.data)];
    return [withColumn(images(nTrain, 32, 32, 3, 10, r, true)), withColumn(images(nTest, 32, 32, 3, 10, r, true))];
  },
};

/** Word-index lists of varied length (index 1 starts a text, as Keras' datasets); the class draws its own words more often. */
function texts(n: number, numWords: number, classes: number, minLen: number, maxLen: number, r: () => number): [number[][], Tensor] {
  const xs: number[][] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = Math.floor(r() * classes);
    const len = minLen + Math.floor(r() * (maxLen - minLen));
    const words = [1];
    for (let t = 1; t < len; t++) {
      // A third of the words are the class's own (4 + k*5 .. 4 + k*5 + 4); the rest any word.
      words.push(r() < 0.33 ? 4 + k * 5 + Math.floor(r() * 5) : 4 + Math.floor(r() * (numWords - 4)));
    }
    xs.push(words);
    ys.push(k);
  }
  return [xs, new Tensor([n], 'int32', Int32Array.from(ys))];
}

/** `keras.datasets.imdb.load_data(num_words)`: reviews as word-index lists, labels 0/1. */
export const imdb = {
  loadData(options: { numWords?: number; nTrain?: number; nTest?: number; seed?: number } = {}): Split<number[][], Tensor> {
    const r = rng(options.seed ?? 3);
    const numWords = options.numWords ?? 20000;
    return [texts(options.nTrain ?? 128, numWords, 2, 20, 140, r), texts(options.nTest ?? 32, numWords, 2, 20, 140, r)];
  },
};

/** `keras.datasets.reuters.load_data(num_words)`: newswires as word-index lists, 46 topics. */
export const reuters = {
  loadData(options: { numWords?: number; nTrain?: number; nTest?: number; seed?: number } = {}): Split<number[][], Tensor> {
    const r = rng(options.seed ?? 4);
    const numWords = Math.max(options.numWords ?? 1000, 240);
    return [texts(options.nTrain ?? 256, numWords, 46, 20, 100, r), texts(options.nTest ?? 64, numWords, 46, 20, 100, r)];
  },
};
