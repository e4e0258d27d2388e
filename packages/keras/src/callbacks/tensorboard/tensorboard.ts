import { z } from 'zod';
import { HAS_FILE_SYSTEM } from '#platform';
import { parseArgs } from '../../engine/layer.js';
import type { Variable } from '../../engine/variable.js';
import { Callback, type Logs } from '../callback.js';
import { EventFileWriter } from './event-file-writer.js';
import type { SummaryValue } from './event-proto.js';
import { histogramBuckets } from './histogram.js';
import { weightImages } from './weight-image.js';
import { KerasNotImplementedError, KerasValueError } from '../../errors.js';

const Args = z.object({
  logDir: z.string().min(1).default('logs'),
  histogramFreq: z.number().int().nonnegative().default(0),
  writeGraph: z.boolean().default(true),
  writeImages: z.boolean().default(false),
  writeStepsPerSecond: z.boolean().default(false),
  updateFreq: z
    .union([z.literal('epoch'), z.literal('batch'), z.number().int().positive()], { error: "expected 'epoch', 'batch' or a positive integer (a number of batches)" })
    .default('epoch'),
  profileBatch: z.union([z.number(), z.string(), z.array(z.number())]).default(0),
  embeddingsFreq: z.number().int().nonnegative().default(0),
  embeddingsMetadata: z.union([z.string(), z.record(z.string(), z.string())]).nullable().default(null),
  /** TF 1 arguments that tf.keras 2 still takes and ignores with a warning. */
  writeGrads: z.unknown().optional(),
  batchSize: z.unknown().optional(),
  embeddingsLayerNames: z.unknown().optional(),
  embeddingsData: z.unknown().optional(),
});

/**
 * The arguments of {@link TensorBoard} (all optional): `logDir` ('logs'), `histogramFreq` (0),
 * `writeGraph` (true), `writeImages` (false), `writeStepsPerSecond` (false),
 * `updateFreq` ('epoch', 'batch' or a number of batches), `profileBatch` (0; profiling is
 * refused), `embeddingsFreq` (0; embeddings are refused), `embeddingsMetadata` (null), and the
 * TF 1 arguments tf.keras 2 ignores with a warning: `writeGrads`, `batchSize`,
 * `embeddingsLayerNames`, `embeddingsData`.
 */
export type TensorBoardArgs = Partial<z.input<typeof Args>>;

const TF1_WARNINGS: [keyof TensorBoardArgs, string][] = [
  ['writeGrads', '`write_grads` will be ignored in TensorFlow 2.0 for the `TensorBoard` Callback.'],
  ['batchSize', '`batch_size` is no longer needed in the `TensorBoard` Callback and will be ignored in TensorFlow 2.0.'],
  ['embeddingsLayerNames', '`embeddings_layer_names` is not supported in TensorFlow 2.0. Instead, all `Embedding` layers will be visualized.'],
  ['embeddingsData', '`embeddings_data` is not supported in TensorFlow 2.0. Instead, all `Embedding` variables will be visualized.'],
];

/** What the callback reads from a model besides the Trainer API. */
interface ModelView {
  layers?: readonly { weights: readonly Variable[] }[];
  toJSON?: () => string;
  isFunctional?: boolean;
}

/**
 * Writes TensorBoard logs, as tf.keras 2's `TensorBoard` callback (Node only): TensorFlow event
 * files that TensorBoard reads (`tensorboard --logdir logs`), under `<logDir>/train` and
 * `<logDir>/validation`.
 *
 * - At the end of each epoch, `epoch_<name>` scalars at step `epoch` (0-based): the training logs
 *   in `train/` (with `epoch_learning_rate` when the optimizer follows a schedule, and
 *   `epoch_steps_per_second` with `writeStepsPerSecond`), the `val_*` logs without the prefix in
 *   `validation/`, where `evaluation_<name>_vs_iterations` is also written at step
 *   `optimizer.iterations` (tf.keras writes it when a validation pass or `evaluate` ends; `evaluate`
 *   with this callback writes it too).
 * - With `updateFreq` 'batch' or N, `batch_<name>` scalars of the running logs every N batches, at
 *   the step of the batch counted from 1 over the whole `fit` call (and `batch_steps_per_second`
 *   with `writeStepsPerSecond`).
 * - With `histogramFreq` N, every N epochs a histogram of each weight of each layer, tagged
 *   `<layer>/<weight>_0/histogram` (tf.keras' `dense/kernel:0` with `:` as `_`), and with
 *   `writeImages` the weights tf.keras draws as images (vectors, matrices, rank-3 kernels: see
 *   weight-image.ts), tagged `<layer>/<weight>_0/image`.
 * - With `writeGraph`, the model's Keras JSON as the `keras` summary (TensorBoard's conceptual
 *   graph, "graph_keras_model"), for Sequential and functional models as in tf.keras. The graph
 *   of TensorFlow ops that tf.keras also writes has no equivalent here: keras-ts does not run
 *   TensorFlow, so no op graph is written.
 *
 * Refused with an error, because they need TensorFlow itself: `profileBatch` other than 0 (the
 * TensorFlow profiler), `embeddingsFreq` other than 0 and `embeddingsMetadata` (the projector
 * reads a TensorFlow checkpoint). In a browser
 * build the constructor fails: there is no file system to write to.
 *
 * @example
 * await model.fit(x, y, {
 *   epochs: 5,
 *   validationSplit: 0.2,
 *   callbacks: [new TensorBoard({ logDir: 'logs/run1', histogramFreq: 1, updateFreq: 'batch' })],
 * });
 * // then: tensorboard --logdir logs
 */
export class TensorBoard extends Callback {
  static readonly className = 'TensorBoard';
  readonly args: z.infer<typeof Args>;
  /** `updateFreq` as a number of batches, or 'epoch'. */
  readonly updateFreq: number | 'epoch';
  private writers = new Map<'train' | 'validation', EventFileWriter>();
  private graphPending = false;
  private trainStep = 0;
  private batchStart = 0;
  private epochStart = 0;
  private epochStartIterations = 0;

  /** `new TensorBoard('logs')` (Keras' positional `log_dir`) or `new TensorBoard({ logDir: 'logs', ... })`. */
  constructor(args: TensorBoardArgs | string = {}) {
    super();
    this.args = parseArgs(Args, typeof args === 'string' ? { logDir: args } : args, 'TensorBoard');
    const a = this.args;
    if (!HAS_FILE_SYSTEM) throw new KerasNotImplementedError('TensorBoard: writing event files needs a file system, and this build has none (a browser); log with a LambdaCallback instead');
    for (const [key, message] of TF1_WARNINGS) if (a[key]) console.warn(message);
    checkProfileBatch(a.profileBatch);
    if (a.embeddingsFreq !== 0 || a.embeddingsMetadata !== null) {
      const given = a.embeddingsFreq !== 0 ? `embeddingsFreq ${a.embeddingsFreq}` : `embeddingsMetadata ${JSON.stringify(a.embeddingsMetadata)}`;
      throw new KerasNotImplementedError(`TensorBoard: ${given} is not supported: TensorBoard's projector reads the embeddings from a TensorFlow checkpoint, which keras-ts does not write; leave embeddingsFreq at 0 and embeddingsMetadata unset`);
    }
    // tf.keras draws the images with the histograms; without them writeImages would do nothing.
    if (a.writeImages && a.histogramFreq === 0) console.warn('TensorBoard: writeImages draws the weights when histograms are written: set histogramFreq (0 writes neither)');
    this.updateFreq = a.updateFreq === 'batch' ? 1 : a.updateFreq;
  }

  /** The directory this callback writes: `logDir`. */
  get logDir(): string {
    return this.args.logDir;
  }

  private writer(kind: 'train' | 'validation'): EventFileWriter {
    let w = this.writers.get(kind);
    if (!w) {
      w = new EventFileWriter(`${this.args.logDir.replace(/[\\/]+$/, '')}/${kind}`);
      this.writers.set(kind, w);
    }
    return w;
  }

  private async flush(): Promise<void> {
    for (const w of this.writers.values()) await w.flush();
  }

  private scalars(kind: 'train' | 'validation', step: number, values: [string, number][]): void {
    if (values.length === 0) return;
    const w = this.writer(kind);
    // One event per scalar, as tf.summary.scalar writes them.
    for (const [tag, v] of values) w.add({ wallTime: Date.now() / 1000, step, summary: [scalarValue(tag, v)] });
  }

  private iterations(): number {
    return this.model!.optimizer.iterations.value.data[0];
  }

  /** Keras: `set_model` starts new event files and writes the model's graph when `writeGraph`. */
  override setModel(model: Callback['model'] & object): void {
    super.setModel(model);
    this.writers = new Map();
    this.graphPending = this.args.writeGraph;
  }

  private async writeGraph(): Promise<void> {
    if (!this.graphPending) return;
    this.graphPending = false;
    const m = this.model as unknown as ModelView;
    const writable = m.isFunctional === true || this.model?.constructor.name === 'Sequential' || (this.model?.constructor as { className?: string }).className === 'Sequential';
    if (!writable || typeof m.toJSON !== 'function') return;
    let json: string;
    try {
      json = m.toJSON();
    } catch (e) {
      console.warn(`Model failed to serialize as JSON. Ignoring... ${(e as Error).message}`);
      return;
    }
    this.writer('train').add({
      wallTime: Date.now() / 1000,
      step: 0,
      summary: [{ tag: 'keras', tensor: { dtype: 'string', shape: [], values: [json] }, plugin: 'graph_keras_model', pluginContent: '1' }],
    });
    await this.flush();
  }

  override async onTrainBegin(): Promise<void> {
    this.trainStep = 0;
    await this.writeGraph();
  }

  override async onTrainEnd(): Promise<void> {
    await this.flush();
  }

  override async onTestBegin(): Promise<void> {
    await this.writeGraph();
  }

  override async onPredictBegin(): Promise<void> {
    await this.writeGraph();
  }

  override async onTestEnd(logs: Logs = {}): Promise<void> {
    this.scalars('validation', this.iterations(), Object.entries(logs).map(([k, v]) => [`evaluation_${k}_vs_iterations`, v]));
    await this.flush();
  }

  override async onEpochBegin(): Promise<void> {
    if (this.args.writeStepsPerSecond) {
      this.epochStartIterations = this.iterations();
      this.epochStart = performance.now();
    }
  }

  override async onTrainBatchBegin(): Promise<void> {
    if (this.args.writeStepsPerSecond) this.batchStart = performance.now();
  }

  override async onTrainBatchEnd(_batch: number, logs: Logs = {}): Promise<void> {
    this.trainStep++;
    // tf.keras records batch summaries only with a batch-level updateFreq, when the step is a multiple of it.
    if (this.updateFreq === 'epoch' || this.trainStep % this.updateFreq !== 0) return;
    const values: [string, number][] = [];
    if (this.args.writeStepsPerSecond) values.push(['batch_steps_per_second', 1000 / Math.max(performance.now() - this.batchStart, 1e-6)]);
    for (const [k, v] of Object.entries(logs)) values.push([`batch_${k}`, v]);
    this.scalars('train', this.trainStep, values);
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    const train: [string, number][] = [];
    const val: [string, number][] = [];
    for (const [k, v] of Object.entries(logs)) (k.startsWith('val_') ? val : train).push([k.slice(k.startsWith('val_') ? 4 : 0), v]);
    if (train.length || val.length) {
      const opt = this.model!.optimizer;
      if (opt.schedule) train.push(['learning_rate', opt.learningRate]);
      if (this.args.writeStepsPerSecond) train.push(['steps_per_second', (this.iterations() - this.epochStartIterations) / Math.max((performance.now() - this.epochStart) / 1000, 1e-9)]);
      this.scalars('train', epoch, train.map(([k, v]) => [`epoch_${k}`, v]));
      this.scalars('validation', epoch, val.map(([k, v]) => [`epoch_${k}`, v]));
    }
    if (this.args.histogramFreq && epoch % this.args.histogramFreq === 0) this.logWeights(epoch);
    await this.flush();
  }

  private logWeights(epoch: number): void {
    const w = this.writer('train');
    for (const layer of (this.model as unknown as ModelView).layers ?? []) {
      for (const v of layer.weights) {
        const buckets = histogramBuckets(v.value.data as ArrayLike<number>);
        w.add({
          wallTime: Date.now() / 1000,
          step: epoch,
          summary: [{ tag: `${v.path.replace(/:/g, '_')}_0/histogram`, tensor: { dtype: 'double', shape: [buckets.length / 3, 3], values: buckets }, plugin: 'histograms' }],
        });
        const images = this.args.writeImages ? weightImages(v.shape, v.value.data as ArrayLike<number>) : null;
        if (images) {
          w.add({
            wallTime: Date.now() / 1000,
            step: epoch,
            summary: [{ tag: `${v.path.replace(/:/g, '_')}_0/image`, tensor: { dtype: 'string', shape: [images.length], values: images }, plugin: 'images' }],
          });
        }
      }
    }
  }
}

/** A scalar summary as TF 2's `tf.summary.scalar` writes it: a float32 scalar tensor for the "scalars" plugin. */
function scalarValue(tag: string, v: number): SummaryValue {
  return { tag, tensor: { dtype: 'float', shape: [], values: [v] }, plugin: 'scalars' };
}

/** tf.keras' check of `profile_batch` (a non-negative integer, a pair, or 'start,stop'), then the refusal of profiling. */
function checkProfileBatch(given: number | string | number[]): void {
  const parts = typeof given === 'string' ? given.split(',').map((s) => Number(s.trim())) : Array.isArray(given) ? given : [given];
  const [start, stop] = parts.length === 1 ? [parts[0], parts[0]] : parts;
  const ok = (parts.length === 1 || parts.length === 2) && parts.every((n) => Number.isInteger(n)) && start >= 0 && stop >= start;
  if (!ok) throw new KerasValueError(`TensorBoard: argument 'profileBatch' got ${JSON.stringify(given)}: profile_batch must be a non-negative integer or 2-tuple of positive integers. A pair of positive integers signifies a range of batches to profile.`);
  if (start !== 0 || stop !== 0) throw new KerasNotImplementedError(`TensorBoard: profileBatch ${JSON.stringify(given)} is not supported: profiling batches needs the TensorFlow profiler, which keras-ts does not run; leave profileBatch at 0`);
}
