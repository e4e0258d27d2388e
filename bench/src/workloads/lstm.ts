/**
 * LSTM workloads: LSTM(64) over 50 time steps of 32 features, batch 32, predict (the last
 * output, [32, 64]); and a classifier, that LSTM then Dense(10) softmax, trained for one epoch
 * over 1,024 such sequences with one-hot labels (batch 32, SGD 0.01, categorical crossentropy,
 * no shuffling). Keras 2 defaults on both sides (tanh, sigmoid recurrent activation — tfjs'
 * default is hard_sigmoid, so it is set explicitly), the same weights.
 */
import * as tf from '@tensorflow/tfjs';
import { Dense, LSTM, SGD, Sequential } from '@keras-ts/keras';
import { randomData, type Workload } from './common.js';
import { pythonTrainTarget } from './keras-peer.js';
import { modelWorkload, standardTargets } from './model-workload.js';

const BATCH = 32;
const STEPS = 50;
const FEATURES = 32;
const UNITS = 64;

export function lstmWorkload(): Workload {
  return modelWorkload({
    name: `lstm${UNITS} ${STEPS} steps b${BATCH} predict`,
    // Per step: x·W [B, F]x[F, 4U] and h·U [B, U]x[U, 4U].
    flops: 2 * STEPS * BATCH * 4 * UNITS * (FEATURES + UNITS),
    ours: () => new Sequential({ layers: [new LSTM({ units: UNITS, inputShape: [STEPS, FEATURES], name: 'lstm' })] }),
    theirs: () =>
      tf.sequential({
        // Our weights are copied in: skip tfjs' slow orthogonal initializer.
        layers: [tf.layers.lstm({ units: UNITS, inputShape: [STEPS, FEATURES], activation: 'tanh', recurrentActivation: 'sigmoid', recurrentInitializer: 'glorotUniform', name: 'lstm' })],
      }),
    task: { kind: 'predict', x: { shape: [BATCH, STEPS, FEATURES], data: randomData(BATCH * STEPS * FEATURES, 31) }, batch: BATCH },
    targets: standardTargets(),
  });
}

const TRAIN_SAMPLES = 1024;
const CLASSES = 10;
const LR = 0.01;

/** One-hot labels of `n` samples, a deterministic pseudo-random class each. */
function oneHot(n: number, seed: number): Float32Array {
  const u = randomData(n, seed, 0, CLASSES);
  const y = new Float32Array(n * CLASSES);
  for (let i = 0; i < n; i++) y[i * CLASSES + Math.min(CLASSES - 1, Math.floor(u[i]))] = 1;
  return y;
}

/** The LSTM classifier's training epoch; `runs` measured epochs (default 1). */
export function lstmTrainWorkload(runs = 1): Workload {
  const lstmFlops = 2 * STEPS * 4 * UNITS * (FEATURES + UNITS);
  return modelWorkload({
    name: `lstm${UNITS} classifier train epoch ${TRAIN_SAMPLES}/b${BATCH}`,
    // Forward, input gradient and weight gradient: about three forward passes per sample.
    flops: 3 * TRAIN_SAMPLES * (lstmFlops + 2 * UNITS * CLASSES),
    ours: () => {
      const m = new Sequential({
        layers: [new LSTM({ units: UNITS, inputShape: [STEPS, FEATURES], name: 'lstm' }), new Dense({ units: CLASSES, activation: 'softmax', name: 'd' })],
      });
      m.compile({ optimizer: new SGD({ learningRate: LR }), loss: 'categorical_crossentropy' });
      return m;
    },
    theirs: () => {
      const m = tf.sequential({
        layers: [
          tf.layers.lstm({ units: UNITS, inputShape: [STEPS, FEATURES], activation: 'tanh', recurrentActivation: 'sigmoid', recurrentInitializer: 'glorotUniform', name: 'lstm' }),
          tf.layers.dense({ units: CLASSES, activation: 'softmax', name: 'd' }),
        ],
      });
      m.compile({ optimizer: tf.train.sgd(LR), loss: 'categoricalCrossentropy' });
      return m;
    },
    task: {
      kind: 'train',
      x: { shape: [TRAIN_SAMPLES, STEPS, FEATURES], data: randomData(TRAIN_SAMPLES * STEPS * FEATURES, 33) },
      y: { shape: [TRAIN_SAMPLES, CLASSES], data: oneHot(TRAIN_SAMPLES, 34) },
      batch: BATCH,
    },
    python: {
      build: `keras.Sequential([keras.Input((${STEPS}, ${FEATURES})), keras.layers.LSTM(${UNITS}, name='lstm'), keras.layers.Dense(${CLASSES}, activation='softmax', name='d')])`,
      compile: `dict(optimizer=keras.optimizers.SGD(learning_rate=${LR}), loss='categorical_crossentropy')`,
    },
    // backend-onnx at least 2x faster than tfjs-layers on wasm, and not slower than Python Keras.
    targets: [...standardTargets(2), pythonTrainTarget()],
    // Seconds an epoch: no warm-up epoch (our peers and Python Keras' compile their step in setup).
    minRuns: runs,
    minTimeMs: 0,
    warmupRuns: 0,
    // 32 SGD steps in float32 from the same start.
    tolerance: 1e-3,
  });
}
