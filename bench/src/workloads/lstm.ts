/**
 * LSTM workload: LSTM(64) over 50 time steps of 32 features, batch 32, predict (the last
 * output, [32, 64]). Keras 2 defaults on both sides (tanh, sigmoid recurrent activation — tfjs'
 * default is hard_sigmoid, so it is set explicitly), the same weights.
 */
import * as tf from '@tensorflow/tfjs';
import { LSTM, Sequential, Tensor } from '@keras-ts/keras';
import { OURS, TFJS_CPU, copyWeightsByName, randomData, useTfjsCpu, useTs, type Peer, type Workload } from './common';

const BATCH = 32;
const STEPS = 50;
const FEATURES = 32;
const UNITS = 64;

export function lstmWorkload(): Workload {
  const shape = [BATCH, STEPS, FEATURES];
  const x = randomData(BATCH * STEPS * FEATURES, 31);
  let pair: Promise<{ ours: Sequential; theirs: tf.Sequential }> | null = null;
  const models = () =>
    (pair ??= (async () => {
      useTs();
      await useTfjsCpu();
      const ours = new Sequential({ layers: [new LSTM({ units: UNITS, inputShape: [STEPS, FEATURES], name: 'lstm' })] });
      const theirs = tf.sequential({
        // Our weights are copied in: skip tfjs' slow orthogonal initializer.
        layers: [tf.layers.lstm({ units: UNITS, inputShape: [STEPS, FEATURES], activation: 'tanh', recurrentActivation: 'sigmoid', recurrentInitializer: 'glorotUniform', name: 'lstm' })],
      });
      copyWeightsByName(ours.layers, theirs);
      return { ours, theirs };
    })());

  let oursOut: Float32Array = new Float32Array(0);
  let tfOut: Float32Array = new Float32Array(0);
  const ours: Peer = {
    name: OURS,
    async setup() {
      const { ours: m } = await models();
      const xt = new Tensor(shape, 'float32', x);
      return async () => {
        useTs();
        oursOut = ((await m.predict(xt, { batchSize: BATCH })) as Tensor).data as Float32Array;
      };
    },
    output: () => oursOut,
  };
  let xt: tf.Tensor | null = null;
  const tfjs: Peer = {
    name: TFJS_CPU,
    async setup() {
      const { theirs: m } = await models();
      xt = tf.tensor(x, shape);
      const input = xt;
      return async () => {
        await useTfjsCpu();
        const y = m.predict(input, { batchSize: BATCH }) as tf.Tensor;
        tfOut = y.dataSync() as Float32Array;
        y.dispose();
      };
    },
    output: () => tfOut,
    teardown: () => xt?.dispose(),
  };
  // Per step: x·W [B, F]x[F, 4U] and h·U [B, U]x[U, 4U].
  const flops = 2 * STEPS * BATCH * 4 * UNITS * (FEATURES + UNITS);
  return { name: `lstm${UNITS} ${STEPS} steps b${BATCH} predict`, flops, baseline: TFJS_CPU, peers: [ours, tfjs] };
}
