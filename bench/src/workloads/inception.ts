/**
 * InceptionV3 workload: Keras' `InceptionV3(weights=None, input_shape=(299, 299, 3))` architecture
 * (include_top: the 5-conv stem with two max pools, mixed0-2 (35x35), mixed3 (reduction to
 * 17x17), mixed4-7 with factorized 1x7 / 7x1 convolutions, mixed8 (reduction to 8x8), mixed9-10
 * with split 1x3 / 3x1 branches, global average pooling, Dense 1000 softmax). Every convolution is
 * Keras' `conv2d_bn`: Conv2D without bias, BatchNormalization with `scale=False`, ReLU. Built from
 * our layers and from tfjs-layers with the same layer names and weights; predict on a batch of
 * 1 or 8 images.
 *
 * The architecture is written once ({@link inceptionV3}) over a small set of layer constructors,
 * as mobilenet.ts does, so both models are the same graph; BatchNormalization statistics are
 * randomized so the inference-mode normalization is really exercised.
 */
import * as tf from '@tensorflow/tfjs';
import {
  Activation,
  AveragePooling2D,
  BatchNormalization,
  Concatenate,
  Conv2D,
  Dense,
  GlobalAveragePooling2D,
  Input,
  MaxPooling2D,
  Model,
  type KerasTensor,
} from '@keras-ts/keras';
import { randomData, type Workload } from './common.js';
import { randomizeBatchNorm } from './mobilenet.js';
import { modelWorkload, standardTargets } from './model-workload.js';
import { pythonTarget } from './keras-peer.js';

const SIZE = 299;
const CLASSES = 1000;

/** The layer constructors the architecture needs, applied to a tensor of type T. */
interface Builder<T> {
  conv(x: T, name: string, filters: number, kh: number, kw: number, strides: number, padding: 'same' | 'valid'): T;
  /** BatchNormalization(scale=False), Keras' default epsilon 1e-3 and momentum 0.99. */
  bn(x: T, name: string): T;
  relu(x: T, name: string): T;
  /** MaxPooling2D 3x3, strides 2, valid. */
  maxPool(x: T, name: string): T;
  /** AveragePooling2D 3x3, strides 1, same. */
  avgPool(x: T, name: string): T;
  concat(xs: T[], name: string): T;
  gap(x: T, name: string): T;
  dense(x: T, name: string, units: number): T;
}

interface Feat<T> {
  t: T;
  h: number;
  w: number;
  c: number;
}

/**
 * keras.applications.InceptionV3 (Keras 2.x), include_top, on a [299, 299, 3] input. Returns the
 * output and the multiply-adds x 2 of one image.
 */
export function inceptionV3<T>(b: Builder<T>, input: T): { out: T; flops: number } {
  let flops = 0;
  let n = 0;
  const outSize = (size: number, k: number, s: number, padding: 'same' | 'valid') => (padding === 'same' ? Math.ceil(size / s) : Math.floor((size - k) / s) + 1);
  /** Keras' conv2d_bn. */
  const cbn = (x: Feat<T>, filters: number, kh: number, kw: number, strides = 1, padding: 'same' | 'valid' = 'same'): Feat<T> => {
    const id = ++n;
    const h = outSize(x.h, kh, strides, padding), w = outSize(x.w, kw, strides, padding);
    flops += 2 * h * w * kh * kw * x.c * filters;
    const t = b.relu(b.bn(b.conv(x.t, `conv2d_${id}`, filters, kh, kw, strides, padding), `batch_normalization_${id}`), `activation_${id}`);
    return { t, h, w, c: filters };
  };
  let pools = 0;
  const maxPool = (x: Feat<T>): Feat<T> => ({ t: b.maxPool(x.t, `max_pooling2d_${++pools}`), h: outSize(x.h, 3, 2, 'valid'), w: outSize(x.w, 3, 2, 'valid'), c: x.c });
  const avgPool = (x: Feat<T>): Feat<T> => ({ ...x, t: b.avgPool(x.t, `average_pooling2d_${++pools}`) });
  let concats = 0;
  const concat = (xs: Feat<T>[], name = `concatenate_${++concats}`): Feat<T> => ({ t: b.concat(xs.map((f) => f.t), name), h: xs[0].h, w: xs[0].w, c: xs.reduce((k, f) => k + f.c, 0) });

  let x: Feat<T> = { t: input, h: SIZE, w: SIZE, c: 3 };
  x = cbn(x, 32, 3, 3, 2, 'valid');
  x = cbn(x, 32, 3, 3, 1, 'valid');
  x = cbn(x, 64, 3, 3);
  x = maxPool(x);
  x = cbn(x, 80, 1, 1, 1, 'valid');
  x = cbn(x, 192, 3, 3, 1, 'valid');
  x = maxPool(x);

  // mixed 0, 1, 2: 35 x 35 x 256, 288, 288.
  for (let i = 0; i < 3; i++) {
    const b1 = cbn(x, 64, 1, 1);
    const b5 = cbn(cbn(x, 48, 1, 1), 64, 5, 5);
    const b3 = cbn(cbn(cbn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3);
    const bp = cbn(avgPool(x), i === 0 ? 32 : 64, 1, 1);
    x = concat([b1, b5, b3, bp], `mixed${i}`);
  }
  // mixed 3: 17 x 17 x 768.
  {
    const b3 = cbn(x, 384, 3, 3, 2, 'valid');
    const bd = cbn(cbn(cbn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3, 2, 'valid');
    x = concat([b3, bd, maxPool(x)], 'mixed3');
  }
  // mixed 4, 5, 6, 7: 17 x 17 x 768.
  [128, 160, 160, 192].forEach((c, i) => {
    const b1 = cbn(x, 192, 1, 1);
    const b7 = cbn(cbn(cbn(x, c, 1, 1), c, 1, 7), 192, 7, 1);
    const bd = cbn(cbn(cbn(cbn(cbn(x, c, 1, 1), c, 7, 1), c, 1, 7), c, 7, 1), 192, 1, 7);
    const bp = cbn(avgPool(x), 192, 1, 1);
    x = concat([b1, b7, bd, bp], `mixed${4 + i}`);
  });
  // mixed 8: 8 x 8 x 1280.
  {
    const b3 = cbn(cbn(x, 192, 1, 1), 320, 3, 3, 2, 'valid');
    const b7 = cbn(cbn(cbn(cbn(x, 192, 1, 1), 192, 1, 7), 192, 7, 1), 192, 3, 3, 2, 'valid');
    x = concat([b3, b7, maxPool(x)], 'mixed8');
  }
  // mixed 9, 10: 8 x 8 x 2048.
  for (let i = 0; i < 2; i++) {
    const b1 = cbn(x, 320, 1, 1);
    const b3 = cbn(x, 384, 1, 1);
    const b3s = concat([cbn(b3, 384, 1, 3), cbn(b3, 384, 3, 1)], `mixed9_${i}`);
    const bd = cbn(cbn(x, 448, 1, 1), 384, 3, 3);
    const bds = concat([cbn(bd, 384, 1, 3), cbn(bd, 384, 3, 1)]);
    const bp = cbn(avgPool(x), 192, 1, 1);
    x = concat([b1, b3s, bds, bp], `mixed${9 + i}`);
  }
  const g = b.gap(x.t, 'avg_pool');
  flops += 2 * x.c * CLASSES;
  return { out: b.dense(g, 'predictions', CLASSES), flops };
}

const oursBuilder: Builder<KerasTensor> = {
  conv: (x, name, filters, kh, kw, strides, padding) => new Conv2D({ filters, kernelSize: [kh, kw], strides, padding, useBias: false, name }).apply(x),
  bn: (x, name) => new BatchNormalization({ scale: false, name }).apply(x),
  relu: (x, name) => new Activation({ activation: 'relu', name }).apply(x),
  maxPool: (x, name) => new MaxPooling2D({ poolSize: 3, strides: 2, name }).apply(x),
  avgPool: (x, name) => new AveragePooling2D({ poolSize: 3, strides: 1, padding: 'same', name }).apply(x),
  concat: (xs, name) => new Concatenate({ name }).apply(xs),
  gap: (x, name) => new GlobalAveragePooling2D({ name }).apply(x),
  dense: (x, name, units) => new Dense({ units, activation: 'softmax', name }).apply(x),
};

type SymT = tf.SymbolicTensor;
const s = (v: unknown) => v as SymT;

const tfjsBuilder: Builder<SymT> = {
  conv: (x, name, filters, kh, kw, strides, padding) => s(tf.layers.conv2d({ filters, kernelSize: [kh, kw], strides, padding, useBias: false, name }).apply(x)),
  bn: (x, name) => s(tf.layers.batchNormalization({ scale: false, epsilon: 1e-3, momentum: 0.99, name }).apply(x)),
  relu: (x, name) => s(tf.layers.activation({ activation: 'relu', name }).apply(x)),
  maxPool: (x, name) => s(tf.layers.maxPooling2d({ poolSize: 3, strides: 2, name }).apply(x)),
  avgPool: (x, name) => s(tf.layers.averagePooling2d({ poolSize: 3, strides: 1, padding: 'same', name }).apply(x)),
  concat: (xs, name) => s(tf.layers.concatenate({ name }).apply(xs)),
  gap: (x, name) => s(tf.layers.globalAveragePooling2d({ name }).apply(x)),
  dense: (x, name, units) => s(tf.layers.dense({ units, activation: 'softmax', name }).apply(x)),
};

/** Builds nothing: for counting FLOPs. */
const countingBuilder: Builder<null> = {
  conv: () => null,
  bn: () => null,
  relu: () => null,
  maxPool: () => null,
  avgPool: () => null,
  concat: () => null,
  gap: () => null,
  dense: () => null,
};

/** InceptionV3 (299x299x3) predict on a batch of `batch` images. */
export function inceptionWorkload(batch: number): Workload {
  return modelWorkload({
    name: `inceptionv3 ${SIZE}x${SIZE} b${batch} predict`,
    flops: batch * inceptionV3(countingBuilder, null).flops,
    ours: () => {
      const inp = Input({ shape: [SIZE, SIZE, 3], name: 'input_1' });
      return new Model({ inputs: inp, outputs: inceptionV3(oursBuilder, inp).out, name: 'inception_v3' });
    },
    theirs: () => {
      const tin = tf.input({ shape: [SIZE, SIZE, 3], name: 'input_1' });
      return tf.model({ inputs: tin, outputs: inceptionV3(tfjsBuilder, tin).out });
    },
    init: randomizeBatchNorm,
    task: { kind: 'predict', x: { shape: [batch, SIZE, SIZE, 3], data: randomData(batch * SIZE * SIZE * 3, 43) }, batch },
    // Keras names these layers in creation order (conv2d, conv2d_1, ...; ours count from 1), in the same order as ours.
    python: { build: 'keras.applications.InceptionV3(weights=None)', rename: (n) => n.replace(/^(conv2d|batch_normalization)_(\d+)$/, (_, k: string, i: string) => (i === '1' ? k : `${k}_${Number(i) - 1}`)) },
    // keras-ts/onnx at least 2x faster than Python Keras at batch 1.
    targets: [...standardTargets(3), ...(batch === 1 ? [pythonTarget()] : [])],
    // A run takes 0.05-60 s (tfjs cpu at batch 8): two warm-up runs (backend-onnx builds its
    // session with the weights baked in on the second), then at least three measured runs and 3 s
    // per peer (a slow peer stops after three runs).
    minRuns: 3,
    minTimeMs: 3000,
    warmupRuns: 2,
  });
}
