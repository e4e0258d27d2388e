/**
 * The batch methods against the loops' steps: what one `trainOnBatch`, `testOnBatch` or
 * `predictOnBatch` call costs against one step of `fit`, `evaluate` or `predict` on the same
 * batch, on a deep, narrow MLP where the per-call overhead shows (Input 32 -> 60 x Dense 32 relu
 * -> Dense 1, 62 layers with the InputLayer; MSE, SGD). One run of a loop peer is the loop over
 * 16 batches of 32 (`fit` for one epoch without shuffling, `evaluate` and `predict` with batch
 * size 32); one run of a batch-method peer is 16 calls on the same batches (host tensors cut
 * before timing). All peers of a backend use one model, so the calls run the steps the loops
 * compiled. The target (issue 18) is the ratio of the medians, per call / per step, measured in
 * the same run: at most 1.2 for each of the three.
 */
import { Dense, Input, Model, SGD, Tensor, type KerasTensor } from '@keras-ts/keras';
import { oursName, randomData, useOurs, type OurBackend, type Peer, type Target, type Workload } from './common.js';

const WIDTH = 32;
const HIDDEN = 60;
const BATCH = 32;
const STEPS = 16;
const BACKENDS: readonly OurBackend[] = ['ts', 'onnx'];
/** Per call / per step, at most. */
const MAX_COST = 1.2;

function deepMlp(): Model {
  const input = Input({ shape: [WIDTH], name: 'x' });
  let h: KerasTensor = input;
  for (let i = 0; i < HIDDEN; i++) h = new Dense({ units: WIDTH, activation: 'relu', name: `d${i}` }).apply(h);
  const m = new Model({ inputs: input, outputs: new Dense({ units: 1, name: 'out' }).apply(h), name: 'deep_mlp' });
  m.compile({ optimizer: new SGD({ learningRate: 1e-3 }), loss: 'mse' });
  return m;
}

/** The data: all 16 batches as one tensor for the loops, and cut into batches for the batch methods. */
interface Data {
  readonly x: Tensor;
  readonly y: Tensor;
  readonly xs: readonly Tensor[];
  readonly ys: readonly Tensor[];
}

/** One comparison: the loop (`loop`, a Keras method name) and the batch method that should cost what one of its steps costs. */
interface Comparison {
  readonly loop: 'fit' | 'evaluate' | 'predict';
  readonly method: 'train_on_batch' | 'test_on_batch' | 'predict_on_batch';
  /** Runs the loop over all the batches. */
  readonly runLoop: (m: Model, d: Data) => Promise<unknown>;
  /** Runs the batch method on batch `s`. */
  readonly runBatch: (m: Model, d: Data, s: number) => Promise<unknown>;
}

const COMPARISONS: readonly Comparison[] = [
  {
    loop: 'fit',
    method: 'train_on_batch',
    runLoop: (m, d) => m.fit(d.x, d.y, { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0 }),
    runBatch: (m, d, s) => m.trainOnBatch(d.xs[s], d.ys[s]),
  },
  {
    loop: 'evaluate',
    method: 'test_on_batch',
    runLoop: (m, d) => m.evaluate(d.x, d.y, { batchSize: BATCH, verbose: 0 }),
    runBatch: (m, d, s) => m.testOnBatch(d.xs[s], d.ys[s]),
  },
  {
    loop: 'predict',
    method: 'predict_on_batch',
    runLoop: (m, d) => m.predict(d.x, { batchSize: BATCH, verbose: 0 }),
    runBatch: (m, d, s) => m.predictOnBatch(d.xs[s]),
  },
];

/** The three workloads: train_on_batch vs a fit step, test_on_batch vs an evaluate step, predict_on_batch vs a predict step. */
export function batchMethodWorkloads(): Workload[] {
  const x = new Tensor([STEPS * BATCH, WIDTH], 'float32', randomData(STEPS * BATCH * WIDTH, 41));
  const y = new Tensor([STEPS * BATCH, 1], 'float32', randomData(STEPS * BATCH, 43));
  const data: Data = {
    x,
    y,
    xs: Array.from({ length: STEPS }, (_, s) => x.sliceRows(s * BATCH, (s + 1) * BATCH)),
    ys: Array.from({ length: STEPS }, (_, s) => y.sliceRows(s * BATCH, (s + 1) * BATCH)),
  };
  // One model per backend, shared by its peers (built on that backend, as the other workloads').
  const models = new Map<OurBackend, Promise<Model>>();
  const model = (b: OurBackend) => {
    let m = models.get(b);
    if (!m) models.set(b, (m = useOurs(b).then(deepMlp)));
    return m;
  };
  return COMPARISONS.map((c) => {
    const loopName = (b: OurBackend): string => `${oursName(b)} ${c.loop}`;
    const batchName = (b: OurBackend): string => `${oursName(b)} ${c.method}`;
    const peers = BACKENDS.flatMap((b): Peer[] => [
      {
        name: loopName(b),
        async setup() {
          const m = await model(b);
          return async () => {
            await useOurs(b);
            await c.runLoop(m, data);
          };
        },
      },
      {
        name: batchName(b),
        async setup() {
          const m = await model(b);
          return async () => {
            await useOurs(b);
            for (let s = 0; s < STEPS; s++) await c.runBatch(m, data, s);
          };
        },
      },
    ]);
    const targets: Target[] = BACKENDS.map((b) => ({
      peer: batchName(b),
      against: loopName(b),
      min: 1 / MAX_COST,
      text: `${c.method} per call / ${c.loop} per step <= ${MAX_COST}x`,
      asCost: true,
    }));
    // Training: forward, input gradient and weight gradient, about three forward passes per sample.
    const passes = c.loop === 'fit' ? 3 : 1;
    return {
      name: `${c.method} vs ${c.loop} step (${HIDDEN + 2}-layer MLP, ${STEPS} x b${BATCH})`,
      flops: passes * STEPS * BATCH * 2 * (HIDDEN * WIDTH * WIDTH + WIDTH),
      peers,
      references: BACKENDS.map(loopName),
      checkAgainst: loopName('ts'),
      targets,
    };
  });
}
