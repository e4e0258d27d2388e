/**
 * LSTM workload: LSTM(64) over 50 time steps of 32 features, batch 32, predict (the last
 * output, [32, 64]). Keras 2 defaults on both sides (tanh, sigmoid recurrent activation — tfjs'
 * default is hard_sigmoid, so it is set explicitly), the same weights.
 */
import * as tf from '@tensorflow/tfjs';
import { LSTM, Sequential } from '@keras-ts/keras';
import { randomData, type Workload } from './common.js';
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
