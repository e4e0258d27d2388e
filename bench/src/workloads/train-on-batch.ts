/**
 * `train_on_batch vs fit step`: what one `trainOnBatch` call costs against one step of `fit`, on
 * a deep, narrow MLP where the per-call overhead shows (Input 32 -> 60 x Dense 32 relu -> Dense 1,
 * 62 layers with the InputLayer; MSE, SGD). One run of the `fit` peer is `fit` for one epoch over
 * 16 batches of 32 (no shuffling); one run of the `train_on_batch` peer is 16 `trainOnBatch` calls
 * on the same batches (host tensors cut before timing). Both peers of a backend train the same
 * model, so the calls run the step that `fit` compiled. The target is the ratio of the medians,
 * train_on_batch per call / fit per step, measured in the same run: at most 1.15.
 */
import { Dense, Input, Model, SGD, Tensor, type KerasTensor } from '@keras-ts/keras';
import { oursName, randomData, useOurs, type OurBackend, type Peer, type Target, type Workload } from './common.js';

const WIDTH = 32;
const HIDDEN = 60;
const BATCH = 32;
const STEPS = 16;
const BACKENDS: readonly OurBackend[] = ['ts', 'onnx'];

function deepMlp(): Model {
  const input = Input({ shape: [WIDTH], name: 'x' });
  let h: KerasTensor = input;
  for (let i = 0; i < HIDDEN; i++) h = new Dense({ units: WIDTH, activation: 'relu', name: `d${i}` }).apply(h);
  const m = new Model({ inputs: input, outputs: new Dense({ units: 1, name: 'out' }).apply(h), name: 'deep_mlp' });
  m.compile({ optimizer: new SGD({ learningRate: 1e-3 }), loss: 'mse' });
  return m;
}

const fitName = (b: OurBackend): string => `${oursName(b)} fit`;
const batchName = (b: OurBackend): string => `${oursName(b)} train_on_batch`;

export function trainOnBatchWorkload(): Workload {
  const x = new Tensor([STEPS * BATCH, WIDTH], 'float32', randomData(STEPS * BATCH * WIDTH, 41));
  const y = new Tensor([STEPS * BATCH, 1], 'float32', randomData(STEPS * BATCH, 43));
  const xs = Array.from({ length: STEPS }, (_, s) => x.sliceRows(s * BATCH, (s + 1) * BATCH));
  const ys = Array.from({ length: STEPS }, (_, s) => y.sliceRows(s * BATCH, (s + 1) * BATCH));
  // One model per backend, shared by its two peers (built on that backend, as the other workloads').
  const models = new Map<OurBackend, Promise<Model>>();
  const model = (b: OurBackend) => {
    let m = models.get(b);
    if (!m) models.set(b, (m = useOurs(b).then(deepMlp)));
    return m;
  };
  const peers = BACKENDS.flatMap((b): Peer[] => [
    {
      name: fitName(b),
      async setup() {
        const m = await model(b);
        return async () => {
          await useOurs(b);
          await m.fit(x, y, { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0 });
        };
      },
    },
    {
      name: batchName(b),
      async setup() {
        const m = await model(b);
        return async () => {
          await useOurs(b);
          for (let s = 0; s < STEPS; s++) await m.trainOnBatch(xs[s], ys[s]);
        };
      },
    },
  ]);
  const targets: Target[] = BACKENDS.map((b) => ({ peer: batchName(b), against: fitName(b), min: 1 / 1.15, text: 'train_on_batch per call / fit per step <= 1.15x', asCost: true }));
  return {
    name: `train_on_batch vs fit step (${HIDDEN + 2}-layer MLP, ${STEPS} x b${BATCH})`,
    // Forward, input gradient and weight gradient: about three forward passes per sample.
    flops: 3 * STEPS * BATCH * 2 * (HIDDEN * WIDTH * WIDTH + WIDTH),
    peers,
    references: BACKENDS.map(fitName),
    checkAgainst: fitName('ts'),
    targets,
  };
}
