/**
 * One model workload, run by every contestant: the model built with our API on each of our
 * backends, and built directly with tfjs-layers on tfjs `cpu` and `wasm` — the same architecture
 * and the same weights (a reference model is built once on backend-ts; its weights are set on
 * each of our models and copied by layer name into each tfjs-layers model).
 *
 * - predict: host Float32Array in, host Float32Array out on every run (our `predict` uploads the
 *   host tensor; tfjs-layers' input is made with `tf.tensor` inside the timed run and its output
 *   read with `dataSync`), outputs cross-checked against tfjs-layers on `cpu`;
 * - train: `fit` for one epoch, no shuffling; every run trains further, so the cross-check
 *   compares the weights after each peer's first epoch (all start from the same weights and see
 *   the same batches). Our peers compile their training step in setup (a fit on the first rows,
 *   weights put back), so no timed epoch includes it.
 *
 * Predict workloads have one more peer, bare onnxruntime on keras-ts's own ONNX export of the
 * model (ort-peer.ts), the ceiling of backend-onnx, and those that say how Python Keras builds the
 * model (and, training, compiles it) one more, Python Keras on TensorFlow in a child process
 * (keras-peer.ts).
 *
 * The ratios are against tfjs-layers on `cpu` and on `wasm`.
 */
import * as tf from '@tensorflow/tfjs';
import { Tensor, onlyOutput, type Model } from '@keras-ts/keras';
import {
  OUR_BACKENDS,
  TFJS_BACKENDS,
  concat,
  copyWeightsByName,
  layersName,
  oursName,
  useOurs,
  useTfjs,
  type OurBackend,
  type Peer,
  type Target,
  type TfjsName,
  type Workload,
} from './common.js';
import { ortExportPeer, ortTarget } from './ort-peer.js';
import { pythonKerasPeer, type PythonModel } from './keras-peer.js';

interface Data {
  shape: number[];
  data: Float32Array;
}

export type Task = { kind: 'predict'; x: Data; batch: number } | { kind: 'train'; x: Data; y: Data; batch: number };

export interface ModelDef {
  name: string;
  /** Floating-point operations of one run. */
  flops: number;
  /** Builds our model on the current keras-ts backend (compiled, when the task trains). */
  ours(): Model;
  /** Builds the same model with tfjs-layers on the current tfjs backend (compiled, when the task trains). */
  theirs(): tf.LayersModel;
  /** Changes the reference model's initial weights once before they are shared (optional). */
  init?(reference: Model): void;
  task: Task;
  /**
   * How Python Keras builds the same model, for the Python Keras peer (keras-peer.ts): of a
   * predict workload, and of a training one when it also says how to compile it.
   */
  python?: PythonModel;
  targets?: Target[];
  minRuns?: number;
  minTimeMs?: number;
  warmupRuns?: number;
  tolerance?: number;
}

/** The workload of a model definition, with one peer per contestant. */
export function modelWorkload(def: ModelDef): Workload {
  let reference: Promise<Model> | null = null;
  const ref = () =>
    (reference ??= (async () => {
      await useOurs('ts');
      const m = def.ours();
      def.init?.(m);
      return m;
    })());

  const task = def.task;
  const oursPeer = (b: OurBackend): Peer => {
    let out: Float32Array | null = null;
    return {
      name: oursName(b),
      async setup() {
        const r = await ref();
        await useOurs(b);
        const m = b === 'ts' ? r : def.ours();
        if (m !== r) m.setWeights(r.getWeights());
        const x = new Tensor(task.x.shape, 'float32', task.x.data);
        if (task.kind === 'predict') {
          return async () => {
            await useOurs(b);
            out = onlyOutput(await m.predict(x, { batchSize: task.batch, verbose: 0 })).data as Float32Array;
          };
        }
        const y = new Tensor(task.y.shape, 'float32', task.y.data);
        // Trace and compile the training steps an epoch runs on the first rows: the run of up to
        // 8 full batches `fit` trains in one go when nothing watches the batches (see keras'
        // engine/training/batch-runs.ts), a full batch alone and the last, smaller one. Then put
        // the weights back: the timed epochs train from the shared start, as the Python Keras
        // peer does after its own warm-up.
        const n = task.x.shape[0];
        const warm = Math.min(n, 8 * task.batch + (n % task.batch));
        const start = m.getWeights();
        await m.fit(x.sliceRows(0, warm), y.sliceRows(0, warm), { epochs: 1, batchSize: task.batch, shuffle: false, verbose: 0 });
        m.setWeights(start);
        return async () => {
          await useOurs(b);
          await m.fit(x, y, { epochs: 1, batchSize: task.batch, shuffle: false, verbose: 0 });
          out ??= concat(m.getWeights().map((w) => w.data as Float32Array));
        };
      },
      output: () => out ?? new Float32Array(0),
    };
  };

  const layersPeer = (n: TfjsName): Peer => {
    let out: Float32Array | null = null;
    let model: tf.LayersModel | null = null;
    const held: tf.Tensor[] = [];
    return {
      name: layersName(n),
      async setup() {
        const r = await ref();
        await useTfjs(n);
        const m = (model = def.theirs());
        copyWeightsByName(r.layers, m);
        if (task.kind === 'predict') {
          return async () => {
            await useTfjs(n);
            const x = tf.tensor(task.x.data, task.x.shape);
            const y = m.predict(x, { batchSize: task.batch }) as tf.Tensor;
            out = y.dataSync() as Float32Array;
            y.dispose();
            x.dispose();
          };
        }
        const x = tf.tensor(task.x.data, task.x.shape);
        const y = tf.tensor(task.y.data, task.y.shape);
        held.push(x, y);
        return async () => {
          await useTfjs(n);
          await m.fit(x, y, { epochs: 1, batchSize: task.batch, shuffle: false, verbose: 0, yieldEvery: 'never' });
          out ??= concat(m.getWeights().map((w) => w.dataSync() as Float32Array));
        };
      },
      output: () => out ?? new Float32Array(0),
      teardown() {
        held.splice(0).forEach((t) => t.dispose());
        model?.dispose();
      },
    };
  };

  // The reference model is the backend-ts peer's own: every peer is set up (and has copied the
  // initial weights) before any peer runs.
  // Predict workloads also run bare onnxruntime on keras-ts's own export of the model (ort-peer.ts).
  const ort = task.kind === 'predict' ? [ortExportPeer(ref, def.ours, task.x, task.batch)] : [];
  // And Python Keras on TensorFlow, when the workload says how it builds the model.
  const py =
    task.kind === 'predict' && def.python
      ? [pythonKerasPeer(ref, def.python, task.x)]
      : task.kind === 'train' && def.python?.compile
        ? [pythonKerasPeer(ref, def.python, task.x, { y: task.y, batch: task.batch })]
        : [];
  const peers = [...OUR_BACKENDS.map(oursPeer), ...ort, ...py, ...TFJS_BACKENDS.map(layersPeer)];
  return {
    name: def.name,
    flops: def.flops,
    peers,
    references: TFJS_BACKENDS.map(layersName),
    checkAgainst: layersName('cpu'),
    // Every predict workload: keras-ts/onnx within 1.15x of onnxruntime on its own export.
    targets: [...(def.targets ?? []), ...(task.kind === 'predict' ? [ortTarget()] : [])],
    minRuns: def.minRuns,
    minTimeMs: def.minTimeMs,
    warmupRuns: def.warmupRuns,
    tolerance: def.tolerance,
  };
}

/** The targets for a model workload: backend-ts >= 3x tfjs cpu; backend-tfjs within 1.15x of tfjs-layers; backend-onnx >= `onnx`x tfjs wasm. */
export function standardTargets(onnx?: number): Target[] {
  const t: Target[] = [
    { peer: oursName('ts'), against: layersName('cpu'), min: 3, text: '>= 3x faster' },
    { peer: oursName('tfjs-cpu'), against: layersName('cpu'), min: 1 / 1.15, text: 'overhead <= 1.15x' },
    { peer: oursName('tfjs-wasm'), against: layersName('wasm'), min: 1 / 1.15, text: 'overhead <= 1.15x' },
  ];
  if (onnx !== undefined) t.push({ peer: oursName('onnx'), against: layersName('wasm'), min: onnx, text: `>= ${onnx}x faster` });
  return t;
}
