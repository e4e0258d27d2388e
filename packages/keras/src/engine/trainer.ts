import { grad, ops, type DType, type HostTensor, type Sym } from '@keras-ts/spec';
import { Callback, CallbackList, History, type Logs } from '../callbacks/callback.js';
import { deserialize, lookupClass, type SerializedObject } from '../config/serialization.js';
import { Loss } from '../losses/loss.js';
import type { Metric } from '../metrics/metric.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { Tensor } from '../tensor.js';
import { asList, batchIndices, concatRows, sampleCount, shuffleRandom, takeRows, type TensorOrList } from './data.js';
import { FunctionCache, signatureOf, traceKeras } from './execute.js';
import { epochIterator, take, toBatch, type DataSource, type GeneratorItem } from './generators.js';
import { Layer } from './layer.js';
import type { TraceScope } from './scope.js';
import { convertLegacyTrainingArgs } from '../legacy/training-args.js';
import { MeanMetricWrapper } from '../metrics/reduction-metrics.js';
import { castInputs } from './input-cast.js';
import { checkMethodOptions, checkMetricId, readCompileArgs } from './trainer-args.js';

/**
 * A loss as `compile` takes it: a name (`'mse'`, `'categorical_crossentropy'`, ...), a Loss, a
 * serialized loss, or a function of (yTrue, yPred).
 */
export type LossId = string | Loss | SerializedObject | ((yTrue: Sym, yPred: Sym) => Sym);
/**
 * A metric as `compile` takes it: a name (`'accuracy'`, `'mae'`, ...), a Metric, a serialized
 * metric, or a function `(yTrue, yPred) => values` (averaged over the samples, as Keras'
 * `MeanMetricWrapper`; named after the function, or `metric_<n>` for an anonymous one, n being
 * its 1-based position in the output's list).
 */
export type MetricId = string | Metric | SerializedObject | ((yTrue: Sym, yPred: Sym) => Sym);

/**
 * The arguments of `compile`, as Keras 2's `compile`: the optimizer, the loss (one, one per output,
 * or by output name), the metrics, and their options.
 * @example model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] })
 */
export interface CompileArgs {
  /** Default 'rmsprop', as Keras 2. */
  optimizer?: string | Optimizer | SerializedObject;
  loss?: LossId | readonly LossId[] | Readonly<Record<string, LossId>>;
  metrics?: readonly (MetricId | readonly MetricId[])[] | Readonly<Record<string, MetricId | readonly MetricId[]>>;
  lossWeights?: readonly number[] | Readonly<Record<string, number>>;
  /** Metrics that receive the sample weights. */
  weightedMetrics?: readonly MetricId[] | null;
  /** Keras 2's eager mode: accepted, with no effect (steps always run as compiled graphs, with the same results). */
  runEagerly?: boolean | null;
  /** Keras 2's batches per compiled call: accepted, with no effect on results. */
  stepsPerExecution?: number | null;
  /** Keras 2's XLA compilation: accepted, with no effect on results. */
  jitCompile?: boolean | null;
}

/**
 * The arguments of `fit`, as Keras 2's `fit` in camelCase (`batchSize`, `epochs`,
 * `validationSplit`, `callbacks`, ...).
 * @example await model.fit(x, y, { epochs: 5, batchSize: 32, validationSplit: 0.1 })
 */
export interface FitArgs {
  /** @deprecated Keras 1 spelling of `epochs` (converted with a warning). */
  nbEpoch?: number;
  batchSize?: number;
  epochs?: number;
  verbose?: 0 | 1 | 2 | 'auto';
  callbacks?: readonly Callback[];
  validationSplit?: number;
  validationData?: readonly [TensorOrList, TensorOrList] | readonly [TensorOrList, TensorOrList, TensorOrList];
  shuffle?: boolean;
  classWeight?: Readonly<Record<string | number, number>> | null;
  sampleWeight?: TensorOrList | null;
  initialEpoch?: number;
  stepsPerEpoch?: number | null;
  validationBatchSize?: number | null;
  validationFreq?: number;
  /** Batches of the validation data to evaluate at the end of each epoch (all when unset). */
  validationSteps?: number | null;
  /** Seed of the per-epoch shuffle. */
  seed?: number;
  /**
   * Stops training when aborted. It is checked before each batch: the step under way completes
   * (the weights are those after the last completed step), the rest of the epoch is skipped (no
   * validation, no `onEpochEnd` for the partial epoch), `onTrainEnd` is called, and `fit` resolves
   * with the History of the epochs completed so far, as when a callback sets `stopTraining`
   * (Keras has no abort; stopping training returns normally there too). It does not reject.
   * @example
   * const controller = new AbortController();
   * setTimeout(() => controller.abort(), 60_000);
   * const history = await model.fit(x, y, { epochs: 100, signal: controller.signal });
   */
  signal?: AbortSignal;
}

/** The arguments of `evaluate`, as Keras 2's `evaluate` in camelCase. */
export interface EvaluateArgs {
  batchSize?: number;
  verbose?: 0 | 1 | 2 | 'auto';
  sampleWeight?: TensorOrList | null;
  callbacks?: readonly Callback[];
  steps?: number | null;
  /** Return the loss and metrics as a record keyed as in fit's logs (Keras 2's `return_dict`). */
  returnDict?: boolean;
}

/** The arguments of `predict`, as Keras 2's `predict` in camelCase. */
export interface PredictArgs {
  batchSize?: number;
  verbose?: 0 | 1 | 2 | 'auto';
  callbacks?: readonly Callback[];
  steps?: number | null;
}

/** A loss as a Loss object (plain functions are wrapped, as Keras' LossFunctionWrapper). */
class FunctionLoss extends Loss {
  static override readonly className = 'LossFunctionWrapper';
  constructor(private readonly fn: (yTrue: Sym, yPred: Sym) => Sym) {
    super({}, fn.name || 'loss');
  }
  call(yTrue: Sym, yPred: Sym): Sym {
    return this.fn(yTrue, yPred);
  }
}

function toLoss(id: LossId): Loss {
  if (id instanceof Loss) return id;
  if (typeof id === 'function') return new FunctionLoss(id);
  return deserialize<Loss>('loss', id);
}

export interface Compiled {
  optimizer: Optimizer;
  losses: (Loss | null)[];
  lossWeights: number[];
  metricIds: MetricId[][];
  weightedIds: MetricId[][];
  metrics: { output: number; metric: Metric; key: string; weighted: boolean }[] | null;
  config: CompileArgs;
}

/**
 * Training and inference for models: `compile`, `fit`, `evaluate`, `predict` and their batch
 * and generator variants, with Keras 2 semantics. Each step (forward, loss, gradients, optimizer
 * update, metric updates) is one graph, compiled once per batch shape on the backend.
 */
export abstract class Trainer extends Layer {
  stopTraining = false;
  history: History | null = null;
  private compiled: Compiled | null = null;
  private readonly steps = new FunctionCache();
  private shuffleSeed = 1;

  /** Output names, for per-output losses and metrics in logs. */
  abstract get outputNames(): string[];

  /** The optimizer given to `compile`. */
  get optimizer(): Optimizer {
    if (!this.compiled) throw new Error(`model '${this.name}' is not compiled: call compile() first`);
    return this.compiled.optimizer;
  }

  /** The model's outputs over symbolic inputs, as a list. */
  protected forward(xs: readonly Sym[], training: boolean): Sym[] {
    const out = this.apply(xs.length === 1 ? xs[0] : [...xs], { training }) as Sym | Sym[];
    return Array.isArray(out) ? out : [out];
  }

  /**
   * Configures training: with an options object, or Keras' positional form
   * `compile(optimizer, loss, metrics)`. Unknown options and metrics fail here.
   * @example model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
   * @example model.compile('adam', 'mse', ['mae']);
   */
  compile(args?: CompileArgs): void;
  compile(optimizer: CompileArgs['optimizer'], loss?: CompileArgs['loss'], metrics?: CompileArgs['metrics']): void;
  compile(a0?: CompileArgs | CompileArgs['optimizer'], a1?: CompileArgs['loss'], a2?: CompileArgs['metrics']): void {
    const args = readCompileArgs(a0, a1, a2, this.className) as CompileArgs;
    const names = this.outputNames;
    const n = names.length;
    const perOutput = <T>(v: T | readonly T[] | Readonly<Record<string, T>> | undefined, what: string, isItem: (x: unknown) => boolean): (T | null)[] => {
      if (v === undefined || v === null) return names.map(() => null);
      if (Array.isArray(v) && !(n === 1 && isItem(v))) {
        if (v.length !== n) throw new Error(`compile: '${what}' has ${v.length} entries but model '${this.name}' has ${n} output(s) (${names.join(', ')})`);
        return [...v];
      }
      if (typeof v === 'object' && !Array.isArray(v) && !isItem(v)) {
        const rec = v as Readonly<Record<string, T>>;
        for (const k of Object.keys(rec)) if (!names.includes(k)) throw new Error(`compile: '${what}' names output '${k}', but the outputs are ${names.join(', ')}`);
        return names.map((nm) => rec[nm] ?? null);
      }
      return names.map(() => v as T);
    };
    const isLossItem = (x: unknown) => typeof x === 'string' || typeof x === 'function' || x instanceof Loss || (!!x && typeof x === 'object' && 'class_name' in (x as object));
    const losses = perOutput<LossId>(args.loss as never, 'loss', isLossItem).map((l) => (l === null ? null : toLoss(l)));
    const lw = perOutput<number>(args.lossWeights as never, 'loss_weights', (x) => typeof x === 'number').map((w) => w ?? 1);
    const isMetricList = (x: unknown) => Array.isArray(x) && x.every((m) => !Array.isArray(m));
    let metricIds: MetricId[][];
    if (!args.metrics) metricIds = names.map(() => []);
    else if (Array.isArray(args.metrics) && args.metrics.some((m) => Array.isArray(m))) {
      metricIds = perOutput<readonly MetricId[]>(args.metrics as never, 'metrics', () => false).map((m) => [...(m ?? [])]);
    } else if (Array.isArray(args.metrics)) metricIds = names.map(() => [...(args.metrics as MetricId[])]);
    else metricIds = perOutput<MetricId | readonly MetricId[]>(args.metrics as never, 'metrics', isMetricList).map((m) => (m === null ? [] : Array.isArray(m) ? [...m] : [m as MetricId]));
    const wm = args.weightedMetrics ?? [];
    if (!Array.isArray(wm)) throw new Error(`compile: 'weighted_metrics' must be a list of metrics, got ${JSON.stringify(wm)?.slice(0, 80)}`);
    const weightedIds = names.map(() => [...(wm as readonly MetricId[])]);
    for (const id of [...metricIds.flat(), ...(wm as readonly MetricId[])]) checkMetricId(id, this.className);
    const optimizer = typeof args.optimizer === 'object' && args.optimizer && 'applyGradients' in args.optimizer ? (args.optimizer as Optimizer) : deserialize<Optimizer>('optimizer', args.optimizer ?? 'rmsprop');
    this.compiled = { optimizer, losses, lossWeights: lw, metricIds, weightedIds, metrics: null, config: args };
    this.steps.clear();
  }

  get isCompiled(): boolean {
    return this.compiled !== null;
  }

  /** The arguments given to `compile` (null before it), for saving the training config. */
  get compileArgs(): CompileArgs | null {
    return this.compiled?.config ?? null;
  }

  private requireCompiled(what: string): Compiled {
    if (!this.compiled) throw new Error(`model '${this.name}' must be compiled before ${what}: call model.compile({ optimizer, loss })`);
    if (this.compiled.losses.every((l) => l === null)) throw new Error(`model '${this.name}' was compiled without a loss; ${what} needs one`);
    return this.compiled;
  }

  /** Creates the metric objects once the shapes of targets and predictions are known. */
  private buildMetrics(c: Compiled, ys: readonly Tensor[], predShapes: readonly (readonly number[])[]): NonNullable<Compiled['metrics']> {
    if (c.metrics) return c.metrics;
    const multi = this.outputNames.length > 1;
    const out: NonNullable<Compiled['metrics']> = [];
    const make = (id: MetricId, i: number, weighted: boolean, k: number) => {
      let metric: Metric;
      if (typeof id === 'function') metric = new MeanMetricWrapper({ fn: id, name: id.name || `metric_${k + 1}` });
      else if (typeof id === 'string') {
        const lower = id.toLowerCase();
        let cls = id;
        if (lower === 'accuracy' || lower === 'acc') cls = accuracyClass(ys[i].shape, predShapes[i]);
        else if (lower === 'crossentropy' || lower === 'ce') cls = crossentropyClass(c.losses[i]);
        const found = lookupClass('metric', cls);
        if (!found) throw new Error(`compile: unknown metric '${id}'`);
        metric = deserialize<Metric>('metric', { class_name: found.className, config: { name: id } });
      } else metric = typeof id === 'object' && 'updateState' in id ? (id as Metric) : deserialize<Metric>('metric', id);
      out.push({ output: i, metric, key: multi ? `${this.outputNames[i]}_${metric.name}` : metric.name, weighted });
    };
    c.metricIds.forEach((ids, i) => ids.forEach((id, k) => make(id, i, false, k)));
    c.weightedIds.forEach((ids, i) => ids.forEach((id, k) => make(id, i, true, k)));
    c.metrics = out;
    return out;
  }

  /** Total loss (weighted per-output losses plus regularization) and the per-output losses. */
  private lossGraph(c: Compiled, ys: readonly Sym[], preds: readonly Sym[], sws: readonly Sym[], scope: TraceScope): { total: Sym; perOutput: Sym[] } {
    if (preds.length !== c.losses.length) throw new Error(`model '${this.name}' produced ${preds.length} outputs but was compiled for ${c.losses.length}`);
    const perOutput: Sym[] = [];
    let total: Sym | null = null;
    c.losses.forEach((loss, i) => {
      if (!loss) return;
      // As Keras 2's match_dtype_and_rank: labels [B] against predictions [B, n] become [B, 1].
      const yt = ys[i].rank === 1 && preds[i].rank === 2 ? ops.expandDims(ys[i], -1) : ys[i];
      const l = loss.compute(yt, preds[i], sws[i]);
      perOutput.push(l);
      const w = c.lossWeights[i] === 1 ? l : ops.mul(l, c.lossWeights[i]);
      total = total ? ops.add(total, w) : w;
    });
    for (const v of this.weights) if (v.regularizer) total = ops.add(total!, v.regularizer.penalty(v.read()));
    for (const extra of scope.losses) total = ops.add(total!, extra);
    return { total: total!, perOutput };
  }

  private updateMetrics(c: Compiled, ys: readonly Sym[], preds: readonly Sym[], sws: readonly Sym[], hasSw: boolean): void {
    for (const m of c.metrics ?? []) m.metric.updateState(ys[m.output], preds[m.output], m.weighted && hasSw ? sws[m.output] : null);
  }

  private stepKey(kind: string, tensors: readonly HostTensor[], extra = ''): string {
    return `${kind}|${signatureOf(tensors)}|${extra}|${this.trainableWeights.map((v) => v.id).join(',')}`;
  }

  /** Runs one training step on a batch; returns [total loss, ...per-output losses]. */
  private async trainStep(c: Compiled, xs: Tensor[], ys: Tensor[], sws: Tensor[], hasSw: boolean): Promise<Tensor[]> {
    const nx = xs.length;
    const ny = ys.length;
    const f = this.steps.get(this.stepKey('train', [...xs, ...ys, ...sws], String(hasSw)), () =>
      traceKeras(
        (ins, scope) => {
          const x = ins.slice(0, nx);
          const y = ins.slice(nx, nx + ny);
          const sw = ins.slice(nx + ny);
          const preds = this.forward(x, true);
          const { total, perOutput } = this.lossGraph(c, y, preds, sw, scope);
          const vars = this.trainableWeights;
          if (vars.length) {
            const grads = grad([total], vars.map((v) => v.read()));
            c.optimizer.applyGradients(grads, vars);
          }
          this.updateMetrics(c, y, preds, sw, hasSw);
          return [total, ...perOutput];
        },
        [...xs, ...ys, ...sws],
        true,
      ),
    );
    return f.run([...xs, ...ys, ...sws]);
  }

  private async testStep(c: Compiled, xs: Tensor[], ys: Tensor[], sws: Tensor[], hasSw: boolean): Promise<Tensor[]> {
    const nx = xs.length;
    const ny = ys.length;
    const f = this.steps.get(this.stepKey('test', [...xs, ...ys, ...sws], String(hasSw)), () =>
      traceKeras(
        (ins, scope) => {
          const x = ins.slice(0, nx);
          const y = ins.slice(nx, nx + ny);
          const sw = ins.slice(nx + ny);
          const preds = this.forward(x, false);
          const { total, perOutput } = this.lossGraph(c, y, preds, sw, scope);
          this.updateMetrics(c, y, preds, sw, hasSw);
          return [total, ...perOutput];
        },
        [...xs, ...ys, ...sws],
        false,
      ),
    );
    return f.run([...xs, ...ys, ...sws]);
  }

  private async predictStep(xs: Tensor[]): Promise<Tensor[]> {
    const f = this.steps.get(this.stepKey('predict', xs), () => traceKeras((ins) => this.forward(ins, false), xs, false));
    return f.run(xs);
  }

  /**
   * The loss of a batch and its gradients with respect to the trainable weights (training mode,
   * no update). For checks against Keras and for custom training loops.
   */
  async computeLossAndGradients(x: TensorOrList, y: TensorOrList, sampleWeight?: TensorOrList | null): Promise<{ loss: Tensor; gradients: Tensor[] }> {
    const c = this.requireCompiled('computing gradients');
    const xs = this.modelInputs(x);
    const ys = asList(y);
    const n = sampleCount([{ what: 'x', tensors: xs }]);
    const sws = this.sampleWeights(ys, sampleWeight ?? null, null, n);
    const nx = xs.length;
    const ny = ys.length;
    const f = this.steps.get(this.stepKey('grads', [...xs, ...ys, ...sws]), () =>
      traceKeras(
        (ins, scope) => {
          const preds = this.forward(ins.slice(0, nx), true);
          const { total } = this.lossGraph(c, ins.slice(nx, nx + ny), preds, ins.slice(nx + ny), scope);
          return [total, ...grad([total], this.trainableWeights.map((v) => v.read()))];
        },
        [...xs, ...ys, ...sws],
        true,
      ),
    );
    // A gradient computation must not change state (BatchNormalization's moving statistics).
    const saved = this.weights.map((w) => w.value);
    const [loss, ...gradients] = await f.run([...xs, ...ys, ...sws]);
    this.weights.forEach((w, i) => w.assign(saved[i]));
    return { loss, gradients };
  }

  /** Per-output sample weights (ones when none), class weights folded in as Keras does. */
  private sampleWeights(ys: readonly Tensor[], sampleWeight: TensorOrList | null, classWeight: FitArgs['classWeight'], n: number): Tensor[] {
    const given = sampleWeight ? asList(sampleWeight) : [];
    if (given.length > 1 && given.length !== ys.length) throw new Error(`sample_weight has ${given.length} entries for ${ys.length} outputs`);
    return ys.map((yt, i) => {
      const w = given.length ? (given.length === 1 ? given[0] : given[i]) : null;
      if (w && (w.rank < 1 || w.shape[0] !== n)) throw new Error(`sample_weight must have one weight per sample (${n}), got shape [${w.shape}]`);
      const out = w ? new Float32Array(w.data) : new Float32Array(n).fill(1);
      if (classWeight) {
        const cls = classIndices(yt);
        for (let k = 0; k < n; k++) {
          const cw = classWeight[cls[k]] ?? classWeight[String(cls[k])];
          if (cw === undefined) throw new Error(`class_weight has no weight for class ${cls[k]} (given for: ${Object.keys(classWeight).join(', ')})`);
          out[k] *= cw;
        }
      }
      return new Tensor([n], 'float32', out);
    });
  }

  private checkTargets(xs: Tensor[], ys: Tensor[]): void {
    const nOut = this.outputNames.length;
    if (ys.length !== nOut) throw new Error(`model '${this.name}' has ${nOut} output(s) (${this.outputNames.join(', ')}) but ${ys.length} target(s) were given`);
    if (xs.length === 0) throw new Error(`no inputs were given to model '${this.name}'`);
  }

  private metricLogs(c: Compiled): Promise<Logs> {
    return (async () => {
      const logs: Logs = {};
      for (const m of c.metrics ?? []) logs[m.key] = (await m.metric.resultValue()).data[0];
      return logs;
    })();
  }

  /** Runs batches of a test pass and returns the logs (loss, per-output losses, metrics). */
  private async runTest(c: Compiled, xs: Tensor[], ys: Tensor[], sws: Tensor[], hasSw: boolean, batchSize: number, callbacks: CallbackList | null, steps: number | null): Promise<Logs> {
    const n = xs[0].shape[0];
    let batches = batchIndices(n, batchSize, false, () => 0);
    if (steps !== null) batches = batches.slice(0, steps);
    for (const m of c.metrics ?? []) m.metric.resetState();
    const acc = new LossAccumulator();
    await callbacks?.call('onTestBegin', {});
    for (let b = 0; b < batches.length; b++) {
      await callbacks?.call('onTestBatchBegin', b, {});
      const rows = batches[b];
      const outs = await this.testStep(c, xs.map((x) => takeRows(x, rows)), ys.map((y) => takeRows(y, rows)), sws.map((w) => takeRows(w, rows)), hasSw);
      acc.add(outs, rows.length);
      await callbacks?.call('onTestBatchEnd', b, acc.logs(this.perOutputKeys(c)));
    }
    const logs = { ...acc.logs(this.perOutputKeys(c)), ...(await this.metricLogs(c)) };
    await callbacks?.call('onTestEnd', logs);
    return logs;
  }

  private perOutputKeys(c: Compiled): string[] {
    if (this.outputNames.length < 2) return [];
    return this.outputNames.filter((_, i) => c.losses[i]).map((nm) => `${nm}_loss`);
  }

  /**
   * Trains for a number of epochs; returns the History (per-epoch means of the loss and metrics,
   * as Keras reports them).
   *
   * @example const history = await model.fit(x, y, { epochs: 10, batchSize: 32, validationSplit: 0.2 });
   */
  async fit(x: TensorOrList, y: TensorOrList, args: FitArgs = {}): Promise<History> {
    convertLegacyTrainingArgs('fit', args);
    checkMethodOptions('fit', args, this.className);
    args ??= {};
    const c = this.requireCompiled('fit');
    let xs = this.modelInputs(x);
    let ys = asList(y);
    this.checkTargets(xs, ys);
    const batchSize = checkPositiveInt(args.batchSize ?? 32, 'batch_size');
    const epochs = checkNonNegativeInt(args.epochs ?? 1, 'epochs');
    const initialEpoch = checkNonNegativeInt(args.initialEpoch ?? 0, 'initial_epoch');
    let n = sampleCount([
      { what: 'x', tensors: xs },
      { what: 'y', tensors: ys },
      { what: 'sample_weight', tensors: args.sampleWeight ? asList(args.sampleWeight) : [] },
    ]);
    let sws = this.sampleWeights(ys, args.sampleWeight ?? null, args.classWeight ?? null, n);
    const hasSw = !!args.sampleWeight || !!args.classWeight;
    let val: { xs: Tensor[]; ys: Tensor[]; sws: Tensor[]; hasSw: boolean } | null = null;
    if (args.validationData) {
      const [vx, vy, vw] = args.validationData as unknown as [TensorOrList, TensorOrList, TensorOrList?];
      const vxs = this.modelInputs(vx);
      const vys = asList(vy);
      const vn = sampleCount([{ what: 'validation x', tensors: vxs }, { what: 'validation y', tensors: vys }]);
      val = { xs: vxs, ys: vys, sws: this.sampleWeights(vys, vw ?? null, null, vn), hasSw: !!vw };
    } else if (args.validationSplit) {
      const split = args.validationSplit;
      if (!(split > 0 && split < 1)) throw new Error(`fit: validation_split must be between 0 and 1, got ${split}`);
      // Keras takes the last fraction of the samples, before any shuffling.
      const at = Math.floor(n * (1 - split));
      if (at === 0 || at === n) throw new Error(`fit: validation_split=${split} leaves no ${at === 0 ? 'training' : 'validation'} samples out of ${n}`);
      val = { xs: xs.map((t) => t.sliceRows(at, n)), ys: ys.map((t) => t.sliceRows(at, n)), sws: sws.map((t) => t.sliceRows(at, n)), hasSw };
      xs = xs.map((t) => t.sliceRows(0, at));
      ys = ys.map((t) => t.sliceRows(0, at));
      sws = sws.map((t) => t.sliceRows(0, at));
      n = at;
    }
    this.maybeBuildFor(xs);
    // Metric objects need the shapes of targets and predictions.
    this.buildMetrics(c, ys, this.predictionShapes(xs));

    const shuffle = args.shuffle ?? true;
    const rand = shuffleRandom(args.seed ?? this.shuffleSeed++);
    const source: BatchSource = {
      steps: args.stepsPerEpoch ?? Math.ceil(n / batchSize),
      samples: n,
      *batches() {
        let bs = batchIndices(n, batchSize, shuffle, rand);
        if (args.stepsPerEpoch) bs = bs.slice(0, args.stepsPerEpoch);
        for (const rows of bs) yield { xs: xs.map((t) => takeRows(t, rows)), ys: ys.map((t) => takeRows(t, rows)), sws: sws.map((t) => takeRows(t, rows)), hasSw };
      },
    };
    const validate = val
      ? () => this.runTest(c, val!.xs, val!.ys, val!.sws, val!.hasSw, args.validationBatchSize ?? batchSize, null, args.validationSteps ?? null)
      : null;
    return this.runFit(c, source, validate, { epochs, initialEpoch, verbose: args.verbose, callbacks: args.callbacks, validationFreq: args.validationFreq, batchSize, signal: args.signal });
  }

  /** The epoch loop shared by fit over tensors and over generators. */
  protected async runFit(
    c: Compiled,
    source: BatchSource,
    validate: (() => Promise<Logs>) | null,
    opts: { epochs: number; initialEpoch: number; verbose?: FitArgs['verbose']; callbacks?: readonly Callback[]; validationFreq?: number; batchSize?: number; signal?: AbortSignal },
  ): Promise<History> {
    const history = new History();
    const verbose = opts.verbose === 'auto' || opts.verbose === undefined ? 1 : opts.verbose;
    const progress = await makeProgress(verbose);
    // Keras 2's order: the progress bar first, the user's callbacks, History last (so it records
    // what callbacks add to the logs, such as 'lr').
    const list = new CallbackList([...(progress ? [progress] : []), ...(opts.callbacks ?? []), history]);
    for (const cb of list.callbacks) {
      cb.setModel(this);
      cb.setParams({ epochs: opts.epochs, steps: source.steps, verbose, batchSize: opts.batchSize, samples: source.samples });
    }
    this.history = history;
    this.stopTraining = false;
    await list.call('onTrainBegin', {});
    const keys = this.perOutputKeys(c);
    for (let epoch = opts.initialEpoch; epoch < opts.epochs; epoch++) {
      await list.call('onEpochBegin', epoch, {});
      for (const m of c.metrics ?? []) m.metric.resetState();
      const acc = new LossAccumulator();
      let b = 0;
      let aborted = false;
      for await (const batch of source.batches(epoch)) {
        if (opts.signal?.aborted) {
          aborted = true;
          break;
        }
        await list.call('onTrainBatchBegin', b, {});
        if (!c.metrics) this.buildMetrics(c, batch.ys, this.predictionShapes(batch.xs));
        const outs = await this.trainStep(c, batch.xs, batch.ys, batch.sws, batch.hasSw);
        acc.add(outs, batch.xs[0].shape[0]);
        await list.call('onTrainBatchEnd', b, { ...acc.logs(keys), ...(verbose === 1 && progress ? await this.metricLogs(c) : {}) });
        b++;
        if (this.stopTraining) break;
      }
      if (aborted) break;
      if (b === 0) throw new Error(`fit: the data gave no batches in epoch ${epoch + 1}`);
      // As Keras 2: data that runs out before the expected steps ends training after this epoch.
      const ranOut = source.steps !== null && b < source.steps && !this.stopTraining;
      if (ranOut) {
        console.warn(`Your input ran out of data; interrupting training. Make sure that your dataset or generator can generate at least steps_per_epoch * epochs batches (in this case, ${(source.steps ?? 0) * opts.epochs} batches).`);
        this.stopTraining = true;
      }
      const logs: Logs = { ...acc.logs(keys), ...(await this.metricLogs(c)) };
      if (validate && (epoch - opts.initialEpoch) % (opts.validationFreq ?? 1) === 0) {
        const vlogs = await validate();
        for (const [k, v] of Object.entries(vlogs)) logs[`val_${k}`] = v;
      }
      await list.call('onEpochEnd', epoch, logs);
      if (this.stopTraining || opts.signal?.aborted) break;
    }
    await list.call('onTrainEnd', {});
    return history;
  }

  private maybeBuildFor(xs: readonly Tensor[]): void {
    if (this.built) return;
    this.maybeBuild(xs.length === 1 ? [null, ...xs[0].shape.slice(1)] : xs.map((t) => [null, ...t.shape.slice(1)]));
  }

  /** Output shapes for a batch of one (by tracing the forward pass). */
  private predictionShapes(xs: readonly Tensor[]): number[][] {
    const traced = traceKeras((ins) => this.forward(ins, false), xs.map((t) => ({ shape: [1, ...t.shape.slice(1)], dtype: t.dtype })), false);
    return traced.graph.outputs.slice(0, traced.results).map((id) => [...traced.graph.nodes[id].shape]);
  }

  /**
   * The loss and metrics on data, in inference mode. Returns the loss alone when there are no
   * metrics and one output, else [loss, ...per-output losses, ...metrics] (Keras' order).
   */
  async evaluate(x: TensorOrList, y: TensorOrList, args?: EvaluateArgs & { returnDict?: false }): Promise<number | number[]>;
  async evaluate(x: TensorOrList, y: TensorOrList, args: EvaluateArgs & { returnDict: true }): Promise<Logs>;
  async evaluate(x: TensorOrList, y: TensorOrList, args?: EvaluateArgs): Promise<number | number[] | Logs>;
  async evaluate(x: TensorOrList, y: TensorOrList, args: EvaluateArgs = {}): Promise<number | number[] | Logs> {
    checkMethodOptions('evaluate', args, this.className);
    const logs = await this.evaluateLogs(x, y, args ?? {});
    if (args?.returnDict) return logs;
    const values = Object.values(logs);
    return values.length === 1 ? values[0] : values;
  }

  /** Like `evaluate`, as a record keyed as in fit's logs. */
  async evaluateLogs(x: TensorOrList, y: TensorOrList, args: EvaluateArgs = {}): Promise<Logs> {
    checkMethodOptions('evaluate', args, this.className);
    args ??= {};
    const c = this.requireCompiled('evaluate');
    const xs = this.modelInputs(x);
    const ys = asList(y);
    this.checkTargets(xs, ys);
    const n = sampleCount([{ what: 'x', tensors: xs }, { what: 'y', tensors: ys }]);
    const sws = this.sampleWeights(ys, args.sampleWeight ?? null, null, n);
    this.maybeBuildFor(xs);
    this.buildMetrics(c, ys, this.predictionShapes(xs));
    const list = new CallbackList([...(args.callbacks ?? [])]);
    for (const cb of list.callbacks) cb.setModel(this);
    return this.runTest(c, xs, ys, sws, !!args.sampleWeight, checkPositiveInt(args.batchSize ?? 32, 'batch_size'), list, args.steps ?? null);
  }

  /**
   * Predictions for inputs, in batches, in inference mode.
   * @example const probs = (await model.predict(x)) as Tensor;
   */
  async predict(x: TensorOrList, args: PredictArgs = {}): Promise<Tensor | Tensor[]> {
    checkMethodOptions('predict', args, this.className);
    args ??= {};
    const xs = this.modelInputs(x);
    const n = sampleCount([{ what: 'x', tensors: xs }]);
    const batchSize = checkPositiveInt(args.batchSize ?? 32, 'batch_size');
    this.maybeBuildFor(xs);
    const list = new CallbackList([...(args.callbacks ?? [])]);
    for (const cb of list.callbacks) cb.setModel(this);
    await list.call('onPredictBegin', {});
    let batches = batchIndices(n, batchSize, false, () => 0);
    if (args.steps) batches = batches.slice(0, args.steps);
    const parts: Tensor[][] = [];
    for (let b = 0; b < batches.length; b++) {
      await list.call('onPredictBatchBegin', b, {});
      parts.push(await this.predictStep(xs.map((t) => takeRows(t, batches[b]))));
      await list.call('onPredictBatchEnd', b, {});
    }
    await list.call('onPredictEnd', {});
    if (parts.length === 0) throw new Error(`predict: no samples were given to model '${this.name}'`);
    const outs = parts[0].map((_, k) => concatRows(parts.map((p) => p[k])));
    return outs.length === 1 && !this.returnsListOutput ? outs[0] : outs;
  }

  /**
   * Keras 2's fit_generator: trains on batches from a generator, array or (async) iterable of
   * `[x, y]` / `[x, y, sampleWeight]`. Arrays restart each epoch; iterators continue where they
   * stopped, so give `stepsPerEpoch` for endless generators.
   *
   * @example await model.fitGenerator(batches(), { stepsPerEpoch: 100, epochs: 5 });
   */
  async fitGenerator(
    generator: DataSource<GeneratorItem>,
    args: {
      stepsPerEpoch?: number | null;
      epochs?: number;
      verbose?: FitArgs['verbose'];
      callbacks?: readonly Callback[];
      validationData?: DataSource<GeneratorItem> | FitArgs['validationData'] | null;
      validationSteps?: number | null;
      validationFreq?: number;
      classWeight?: FitArgs['classWeight'];
      initialEpoch?: number;
      maxQueueSize?: number;
      workers?: number;
      useMultiprocessing?: boolean;
      shuffle?: boolean;
      /** Stops training when aborted (see {@link FitArgs.signal}). */
      signal?: AbortSignal;
    } = {},
  ): Promise<History> {
    convertLegacyTrainingArgs('fit_generator', args, generator);
    checkMethodOptions('fitGenerator', args, this.className);
    args ??= {};
    const c = this.requireCompiled('fit_generator');
    const steps = args.stepsPerEpoch ?? null;
    const reiterable = Array.isArray(generator);
    let shared: AsyncIterator<GeneratorItem> | Iterator<GeneratorItem> | null = null;
    let step = 0;
    const source: BatchSource = {
      steps,
      batches: (_epoch: number) => {
        const it = reiterable ? epochIterator(generator) : (shared ??= epochIterator(generator));
        const self = this;
        return (async function* () {
          for await (const item of take(it, steps)) {
            const batch = self.castBatch(toBatch(item, step++, true));
            if (args.classWeight) batch.sws = self.sampleWeightsFor(batch.ys, batch.hasSw ? batch.sws : null, args.classWeight);
            batch.hasSw ||= !!args.classWeight;
            self.maybeBuildFor(batch.xs);
            yield batch;
          }
        })();
      },
    };
    const vd = args.validationData;
    let validate: (() => Promise<Logs>) | null = null;
    if (vd && Array.isArray(vd) && vd.length >= 2 && !Array.isArray(vd[0]) && vd[0] instanceof Tensor) {
      const [vx, vy] = vd as [TensorOrList, TensorOrList];
      validate = () => this.evaluateLogs(vx, vy, { steps: args.validationSteps ?? null });
    } else if (vd) {
      validate = () => this.evaluateGeneratorLogs(vd as DataSource<GeneratorItem>, { steps: args.validationSteps ?? null });
    }
    return this.runFit(c, source, validate, { epochs: args.epochs ?? 1, initialEpoch: args.initialEpoch ?? 0, verbose: args.verbose, callbacks: args.callbacks, validationFreq: args.validationFreq, signal: args.signal });
  }

  /** Keras 2's evaluate_generator: the loss and metrics over a generator's batches. */
  async evaluateGenerator(generator: DataSource<GeneratorItem>, args: { steps?: number | null; callbacks?: readonly Callback[]; verbose?: number; maxQueueSize?: number; workers?: number; useMultiprocessing?: boolean } = {}): Promise<number | number[]> {
    convertLegacyTrainingArgs('evaluate_generator', args, generator);
    checkMethodOptions('evaluateGenerator', args, this.className);
    const logs = await this.evaluateGeneratorLogs(generator, args ?? {});
    const values = Object.values(logs);
    return values.length === 1 ? values[0] : values;
  }

  private async evaluateGeneratorLogs(generator: DataSource<GeneratorItem>, args: { steps?: number | null; callbacks?: readonly Callback[] }): Promise<Logs> {
    const c = this.requireCompiled('evaluate_generator');
    for (const m of c.metrics ?? []) m.metric.resetState();
    const acc = new LossAccumulator();
    let step = 0;
    for await (const item of take(epochIterator(generator), args.steps ?? null)) {
      const batch = this.castBatch(toBatch(item, step++, true));
      if (!c.metrics) this.buildMetrics(c, batch.ys, this.predictionShapes(batch.xs));
      acc.add(await this.testStep(c, batch.xs, batch.ys, batch.sws, batch.hasSw), batch.xs[0].shape[0]);
    }
    if (step === 0) throw new Error('evaluate_generator: the generator gave no batches');
    return { ...acc.logs(this.perOutputKeys(c)), ...(await this.metricLogs(c)) };
  }

  /** Keras 2's predict_generator: predictions for a generator's inputs (`x`, `[x]` or `[x, y]` items). */
  async predictGenerator(generator: DataSource<GeneratorItem | TensorOrList>, args: { steps?: number | null; callbacks?: readonly Callback[]; verbose?: number; maxQueueSize?: number; workers?: number; useMultiprocessing?: boolean } = {}): Promise<Tensor | Tensor[]> {
    convertLegacyTrainingArgs('predict_generator', args, generator);
    checkMethodOptions('predictGenerator', args, this.className);
    args ??= {};
    const parts: Tensor[][] = [];
    let step = 0;
    for await (const item of take(epochIterator(generator), args.steps ?? null)) {
      const xs = item instanceof Tensor ? [item] : Array.isArray(item) && item[0] instanceof Tensor && item.length === 1 ? [item[0] as Tensor] : toBatch(item as GeneratorItem, step, false).xs;
      step++;
      parts.push(await this.predictStep(this.modelInputs(xs)));
    }
    if (parts.length === 0) throw new Error('predict_generator: the generator gave no batches');
    const outs = parts[0].map((_, k) => concatRows(parts.map((p) => p[k])));
    return outs.length === 1 && !this.returnsListOutput ? outs[0] : outs;
  }

  /**
   * The dtypes of the model's inputs, when known (a functional or built Sequential model); a
   * subclassed model gives none, and its inputs are passed as they are.
   */
  protected get inputDtypes(): (DType | undefined)[] {
    return [];
  }

  /**
   * Inputs as a list of tensors for the model: the model built for them if it was not, and bool
   * or int32 data for a float32 input cast to float32, as Keras casts inputs to their Input's dtype.
   */
  private modelInputs(x: TensorOrList): Tensor[] {
    const xs = asList(x);
    if (xs.length) this.maybeBuildFor(xs);
    return castInputs(xs, this.inputDtypes);
  }

  /** A generator batch with its inputs prepared by {@link modelInputs}. */
  private castBatch(batch: Batch): Batch {
    return { ...batch, xs: this.modelInputs(batch.xs) };
  }

  /** Sample weights for a batch with class weights folded in. */
  private sampleWeightsFor(ys: readonly Tensor[], given: readonly Tensor[] | null, classWeight: FitArgs['classWeight']): Tensor[] {
    return this.sampleWeights(ys, given ? [...given] : null, classWeight, ys[0].shape[0]);
  }

  /** Whether predictions come back as a list (several outputs). */
  protected get returnsListOutput(): boolean {
    return this.outputNames.length > 1;
  }

  /** One training step on one batch; returns the loss (and metrics, as evaluate). */
  async trainOnBatch(x: TensorOrList, y: TensorOrList, args: { sampleWeight?: TensorOrList | null; classWeight?: FitArgs['classWeight'] } = {}): Promise<number | number[]> {
    checkMethodOptions('trainOnBatch', args, this.className);
    args ??= {};
    const c = this.requireCompiled('train_on_batch');
    const xs = this.modelInputs(x);
    const ys = asList(y);
    this.checkTargets(xs, ys);
    const n = sampleCount([{ what: 'x', tensors: xs }, { what: 'y', tensors: ys }]);
    const sws = this.sampleWeights(ys, args.sampleWeight ?? null, args.classWeight ?? null, n);
    this.maybeBuildFor(xs);
    this.buildMetrics(c, ys, this.predictionShapes(xs));
    for (const m of c.metrics ?? []) m.metric.resetState();
    const outs = await this.trainStep(c, xs, ys, sws, !!args.sampleWeight || !!args.classWeight);
    const acc = new LossAccumulator();
    acc.add(outs, n);
    const values = Object.values({ ...acc.logs(this.perOutputKeys(c)), ...(await this.metricLogs(c)) });
    return values.length === 1 ? values[0] : values;
  }

  /** The loss (and metrics) on one batch, without training. */
  async testOnBatch(x: TensorOrList, y: TensorOrList, args: { sampleWeight?: TensorOrList | null } = {}): Promise<number | number[]> {
    checkMethodOptions('testOnBatch', args, this.className);
    args ??= {};
    const xs = asList(x);
    return this.evaluate(x, y, { batchSize: xs[0]?.shape[0] || 1, sampleWeight: args.sampleWeight ?? null });
  }

  /** Predictions for one batch. */
  async predictOnBatch(x: TensorOrList): Promise<Tensor | Tensor[]> {
    const xs = asList(x);
    return this.predict(x, { batchSize: Math.max(1, xs[0]?.shape[0] ?? 1) });
  }

  /** Frees compiled steps (they are rebuilt on the next call). */
  resetCompiledSteps(): void {
    this.steps.clear();
  }
}

/** Keras' choice for 'accuracy': binary when the prediction has one unit, sparse when the labels have one fewer axis or one column. */
function accuracyClass(yShape: readonly number[], pShape: readonly number[]): string {
  const pLast = pShape.at(-1) ?? 1;
  const tLast = yShape.at(-1) ?? 1;
  if (pLast === 1) return 'BinaryAccuracy';
  if (yShape.length < pShape.length || (tLast === 1 && pLast > 1)) return 'SparseCategoricalAccuracy';
  return 'CategoricalAccuracy';
}

function crossentropyClass(loss: Loss | null): string {
  const name = loss ? (loss.constructor as { className?: string }).className ?? '' : '';
  if (name.includes('Sparse')) return 'SparseCategoricalCrossentropy';
  if (name.includes('Binary')) return 'BinaryCrossentropy';
  return 'CategoricalCrossentropy';
}

/** The class of each sample for class weights: the label, or the argmax of a one-hot row. */
function classIndices(y: Tensor): number[] {
  const n = y.shape[0];
  const row = y.size / Math.max(n, 1);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    if (row === 1) out.push(Math.round(y.data[i]));
    else {
      let best = 0;
      for (let k = 1; k < row; k++) if (y.data[i * row + k] > y.data[i * row + best]) best = k;
      out.push(best);
    }
  }
  return out;
}

/** One batch of a training or test pass. */
export interface Batch {
  xs: Tensor[];
  ys: Tensor[];
  sws: Tensor[];
  hasSw: boolean;
}

/** Where an epoch's batches come from: tensors cut into batches, or a generator. */
export interface BatchSource {
  /** Steps per epoch, when known (for the progress bar). */
  steps: number | null;
  samples?: number;
  batches(epoch: number): Iterable<Batch> | AsyncIterable<Batch>;
}

/** Batch-size-weighted means of the step losses, as Keras' loss trackers. */
class LossAccumulator {
  private sums: number[] = [];
  private count = 0;
  add(outs: readonly Tensor[], batch: number): void {
    outs.forEach((o, i) => (this.sums[i] = (this.sums[i] ?? 0) + o.data[0] * batch));
    this.count += batch;
  }
  logs(perOutputKeys: readonly string[]): Logs {
    const mean = (i: number) => Math.fround(this.sums[i] / Math.max(this.count, 1));
    const logs: Logs = { loss: mean(0) };
    perOutputKeys.forEach((k, i) => (logs[k] = mean(i + 1)));
    return logs;
  }
}

function checkPositiveInt(v: number, what: string): number {
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${what} must be a positive integer, got ${v}`);
  return v;
}

function checkNonNegativeInt(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 0) throw new Error(`${what} must be a non-negative integer, got ${v}`);
  return v;
}

/** The progress bar for verbose 1 and 2 (ProgbarLogger), loaded lazily. */
async function makeProgress(verbose: number): Promise<Callback | null> {
  if (verbose === 0) return null;
  const { ProgbarLogger } = await import('../callbacks/progbar.js');
  return new ProgbarLogger({ verbose });
}

