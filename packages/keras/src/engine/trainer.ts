import type { DType, ForeignTensor, Sym } from '@keras-ts/spec';
import type { CallbackList, History, Logs } from '../callbacks/callback.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { Tensor } from '../tensor.js';
import { asList, foreignInputs, sampleCount, shuffleRandom, type TensorOrList } from './data.js';
import { Layer } from './layer.js';
import type { Predictions } from './predictions.js';
import type { Scores } from './scores.js';
import { hasAddedLosses, traceCallableLosses } from './added-losses.js';
import { clearMetricsNames, metricsNamesOf, recordMetricsNames } from './metrics-names.js';
import { compiledLoss, modelMetrics, updateCompiledMetrics, type CompiledMetricsUpdater, type StepData, type StepLogs } from './training/custom-step.js';
import type { Metric } from '../metrics/metric.js';
import { testCallbacks } from './training/progress.js';
import { grad } from '@keras-ts/spec';
import { convertLegacyTrainingArgs } from '../legacy/training-args.js';
import { castInputs } from './input-cast.js';
import { checkMethodOptions, readCompileArgs } from './trainer-args.js';
import { readCompiled, type Compiled } from './training/compiled.js';
import { arraySource, predictBatches, splitValidation, testBatches, validationData, type Batch } from './training/data-adapter.js';
import { runTest } from './training/evaluate-loop.js';
import { runFit, trainOneBatch } from './training/fit-loop.js';
import { generatorBatches, generatorInputs, generatorSource, type DataSource, type GeneratorItem } from './training/generator-adapter.js';
import { buildMetrics, type LoopContext } from './training/loop-context.js';
import type { CompileArgs, EvaluateArgs, FitArgs, FitGeneratorArgs, GeneratorArgs, PredictArgs, TestOnBatchArgs, TrainOnBatchArgs } from './training/options.js';
import { runPredict } from './training/predict-loop.js';
import { sampleWeights, type ClassWeight } from './training/sample-weights.js';
import { StepFunctions } from './training/step-functions.js';
import { isSequenceLike, type SequenceLike } from './training/sequence-adapter.js';
import { sequenceFitArgs, type SequenceFitArgs } from './training/sequence-args.js';
import { KerasStateError, KerasValueError } from '../errors.js';

export type { CompileArgs, EvaluateArgs, FitArgs, PredictArgs, LossId, MetricId } from './training/options.js';

/** What {@link Trainer.prepare} reads besides the inputs and targets. */
interface PrepareOptions<T> {
  sampleWeight?: TensorOrList | null;
  classWeight?: ClassWeight;
  /** Check the targets against the model's outputs (default true). */
  checkTargets?: boolean;
  /** Count the targets' samples (default true) and the sample weights' (default false). */
  countTargets?: boolean;
  countSampleWeights?: boolean;
  /** The method's own argument checks, run once the inputs and targets are read. */
  check?: () => T;
}

/** The prepared call of a method over tensors: what its loop runs with, its data and sample count. */
interface Prepared<T> {
  ctx: LoopContext;
  data: Batch;
  n: number;
  checked: T;
}

/**
 * Training and inference for models: `compile`, `fit`, `evaluate`, `predict` and their batch
 * and generator variants, with Keras 2 semantics. Each step (forward, loss, gradients, optimizer
 * update, metric updates) is one graph, compiled once per batch signature on the backend and
 * shared by the loops and the batch methods.
 *
 * The parts are in `training/`: `compiled.ts` reads compile's arguments into a loss container
 * and a metrics container; `data-adapter.ts` and `generator-adapter.ts` turn data into batches;
 * `step-functions.ts` traces and caches the steps; `fit-loop.ts`, `evaluate-loop.ts` and
 * `predict-loop.ts` run them. This class reads each method's arguments and sets up its call.
 */
export abstract class Trainer extends Layer {
  stopTraining = false;
  history: History | null = null;
  private compiled: Compiled | null = null;
  private readonly steps = new StepFunctions(this, (xs, training) => this.forward(xs, training));
  private shuffleSeed = 1;

  /** Output names, for per-output losses and metrics in logs. */
  abstract get outputNames(): string[];

  /** The optimizer given to `compile`. */
  get optimizer(): Optimizer {
    if (!this.compiled) throw new KerasStateError(`model '${this.name}' is not compiled: call compile() first`);
    return this.compiled.optimizer;
  }

  /** The model's outputs over symbolic inputs, as a list. */
  protected forward(xs: readonly Sym[], training: boolean): Sym[] {
    const out = this.apply(xs.length === 1 ? xs[0] : [...xs], { training });
    traceCallableLosses(this);
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
    const args: CompileArgs = readCompileArgs(a0, a1, a2, this.className);
    this.compiled = readCompiled(args, this);
    this.steps.clear();
    clearMetricsNames(this);
  }

  get isCompiled(): boolean {
    return this.compiled !== null;
  }

  /** The arguments given to `compile` (null before it), for saving the training config. */
  get compileArgs(): CompileArgs | null {
    return this.compiled?.config ?? null;
  }

  /** The compiled set-up and steps for a method that needs a loss (`what` names it in the error). */
  private context(what: string): LoopContext {
    if (!this.compiled) throw new KerasStateError(`model '${this.name}' must be compiled before ${what}: call model.compile({ optimizer, loss })`);
    if (this.compiled.loss.isEmpty && !hasAddedLosses(this) && !this.usesCustomTrainStep && !this.usesCustomTestStep) throw new KerasStateError(`model '${this.name}' was compiled without a loss; ${what} needs one (or losses added with addLoss)`);
    return { model: this, compiled: this.compiled, steps: this.steps };
  }

  /**
   * The set-up the methods over tensors share: the compiled state (`what` names the method in
   * errors), the inputs prepared for the model, the targets checked against its outputs, the
   * method's own checks, the samples counted, and the per-output sample weights (class weights
   * folded in).
   */
  private prepare<T = undefined>(what: string, x: TensorOrList, y: TensorOrList | null, o: PrepareOptions<T> = {}): Prepared<T> {
    const ctx = this.context(what);
    const xs = this.modelInputs(x);
    const ys = asList(y);
    // As Keras 2: a model trained only by the losses it added (addLoss) takes no targets.
    const noTargets = ys.length === 0 && ctx.compiled.loss.isEmpty;
    if (o.checkTargets !== false && !noTargets) {
      const nOut = this.outputNames.length;
      if (ys.length !== nOut) throw new KerasValueError(`model '${this.name}' has ${nOut} output(s) (${this.outputNames.join(', ')}) but ${ys.length} target(s) were given`);
      if (xs.length === 0) throw new KerasValueError(`no inputs were given to model '${this.name}'`);
    }
    const checked = o.check?.() as T;
    const n = sampleCount([
      { what: 'x', tensors: xs },
      ...(o.countTargets === false ? [] : [{ what: 'y', tensors: ys }]),
      ...(o.countSampleWeights ? [{ what: 'sample_weight', tensors: o.sampleWeight ? asList(o.sampleWeight) : [] }] : []),
    ]);
    const sws = sampleWeights(ys, o.sampleWeight ?? null, o.classWeight ?? null, n);
    return { ctx, data: { xs, ys, sws, hasSw: !!o.sampleWeight || !!o.classWeight }, n, checked };
  }

  /**
   * The loss of a batch and its gradients with respect to the trainable weights (training mode,
   * no update). For checks against Keras and for custom training loops.
   */
  async computeLossAndGradients(x: TensorOrList, y: TensorOrList, sampleWeight?: TensorOrList | null): Promise<{ loss: Tensor; gradients: Tensor[] }> {
    const { ctx, data } = this.prepare('computing gradients', x, y, { sampleWeight, checkTargets: false, countTargets: false });
    // A gradient computation must not change state (BatchNormalization's moving statistics).
    return this.steps.gradients(ctx.compiled, data.xs, data.ys, data.sws);
  }

  /**
   * Trains for a number of epochs; returns the History (per-epoch means of the loss and metrics,
   * as Keras reports them).
   *
   * With a Keras `Sequence` (`utils.Sequence`, `ImageDataGenerator.flow(...)`) as `x`, the options
   * come second, and each epoch runs the Sequence's `length` batches (as `fitGenerator`).
   *
   * @example const history = await model.fit(x, y, { epochs: 10, batchSize: 32, validationSplit: 0.2 });
   * @example await model.fit(datagen.flow(x, y, { batchSize: 32 }), { epochs: 10 });
   */
  async fit(x: TensorOrList, y: TensorOrList | null, args?: FitArgs): Promise<History>;
  async fit(x: SequenceLike<GeneratorItem>, args?: SequenceFitArgs): Promise<History>;
  async fit(x: TensorOrList | SequenceLike<GeneratorItem>, yOrArgs?: TensorOrList | SequenceFitArgs | null, fitArgs?: FitArgs): Promise<History> {
    if (isSequenceLike(x)) return this.fitGenerator(x, sequenceFitArgs(yOrArgs, fitArgs, this.className));
    const y = yOrArgs as TensorOrList | null;
    let args: FitArgs = fitArgs ?? {};
    args = convertLegacyTrainingArgs('fit', args);
    checkMethodOptions('fit', args, this.className);
    args ??= {};
    const a = args;
    const { ctx, data, n, checked } = this.prepare('fit', x, y, {
      sampleWeight: a.sampleWeight,
      classWeight: a.classWeight,
      countSampleWeights: true,
      check: () => ({
        batchSize: checkPositiveInt(a.batchSize ?? 32, 'batch_size'),
        epochs: checkNonNegativeInt(a.epochs ?? 1, 'epochs'),
        initialEpoch: checkNonNegativeInt(a.initialEpoch ?? 0, 'initial_epoch'),
      }),
    });
    const { batchSize, epochs, initialEpoch } = checked;
    let train = data;
    let samples = n;
    let val: Batch | null = null;
    if (a.validationData) val = validationData(a.validationData, (v) => this.modelInputs(v));
    else if (a.validationSplit) ({ train, n: samples, validation: val } = splitValidation(data, n, a.validationSplit));
    this.maybeBuildFor(train.xs);
    // Metric objects need the shapes of targets and predictions.
    buildMetrics(ctx, train);
    const source = arraySource(train, samples, batchSize, { shuffle: a.shuffle ?? true, rand: shuffleRandom(a.seed ?? this.shuffleSeed++), stepsPerEpoch: a.stepsPerEpoch });
    const v = val;
    const validate = v ? (list: CallbackList) => runTest(ctx, testBatches(v, a.validationBatchSize ?? batchSize, a.validationSteps ?? null), list) : null;
    const history = await runFit(ctx, source, validate, { epochs, initialEpoch, verbose: a.verbose, callbacks: a.callbacks, validationFreq: a.validationFreq, batchSize, signal: a.signal });
    recordMetricsNames(this, Object.fromEntries(Object.keys(history.history).map((k) => [k, 0])));
    return history;
  }

  /**
   * The names of the values `evaluate` and `trainOnBatch` return, in order (Keras 2's
   * `metrics_names`): `['loss', ...]` once the model has trained or been evaluated on data, `[]`
   * before (as tf.keras 2).
   * @example await model.evaluate(x, y); model.metricsNames; // ['loss', 'accuracy']
   */
  get metricsNames(): string[] {
    return metricsNamesOf(this);
  }

  /** Keras' name for {@link metricsNames}. */
  get metrics_names(): string[] {
    return this.metricsNames;
  }

  private maybeBuildFor(xs: readonly Tensor[]): void {
    if (this.built) return;
    this.maybeBuild(xs.length === 1 ? [null, ...xs[0].shape.slice(1)] : xs.map((t) => [null, ...t.shape.slice(1)]));
  }

  /**
   * The loss and metrics on data, in inference mode. Returns the loss alone when there are no
   * metrics and one output, else [loss, ...per-output losses, ...metrics] (Keras' order; see
   * {@link Scores}: read it with `onlyLoss` or `scoreList`); with `returnDict: true`, a record by name.
   * @example const [loss, accuracy] = scoreList(await model.evaluate(x, y));
   * @example const { loss, accuracy } = await model.evaluate(x, y, { returnDict: true });
   */
  async evaluate(x: TensorOrList, y: TensorOrList | null, args?: EvaluateArgs & { returnDict?: false }): Promise<Scores>;
  async evaluate(x: TensorOrList, y: TensorOrList | null, args: EvaluateArgs & { returnDict: true }): Promise<Logs>;
  async evaluate(x: TensorOrList, y: TensorOrList | null, args?: EvaluateArgs): Promise<Scores | Logs>;
  async evaluate(x: TensorOrList, y: TensorOrList | null, args: EvaluateArgs = {}): Promise<Scores | Logs> {
    checkMethodOptions('evaluate', args, this.className);
    const logs = await this.evaluateLogs(x, y, args ?? {});
    if (args?.returnDict) return logs;
    return logValues(logs);
  }

  /**
   * Like `evaluate`, as a record keyed as in fit's logs. `fitCallbacks` (fit's validation) replaces
   * the callbacks of `args`: fit's own list gets the test hooks, as in tf.keras 2.
   */
  async evaluateLogs(x: TensorOrList, y: TensorOrList | null, args: EvaluateArgs = {}, fitCallbacks?: CallbackList): Promise<Logs> {
    checkMethodOptions('evaluate', args, this.className);
    args ??= {};
    const { ctx, data } = this.prepare('evaluate', x, y, { sampleWeight: args.sampleWeight });
    this.maybeBuildFor(data.xs);
    buildMetrics(ctx, data);
    const batchSize = checkPositiveInt(args.batchSize ?? 32, 'batch_size');
    const list = fitCallbacks ?? testCallbacks(this, args.verbose, args.steps ?? Math.ceil(data.xs[0].shape[0] / batchSize), args.callbacks);
    const logs = await runTest(ctx, testBatches(data, batchSize, args.steps ?? null), list);
    recordMetricsNames(this, logs);
    return logs;
  }

  /**
   * Predictions for inputs, in batches, in inference mode. When every input is a tensor of a
   * library the backend converts (a `tf.Tensor` on backend-tfjs), the predictions are that
   * library's tensors too, owned by the caller.
   * The result is typed from the model: one Tensor for a model with one output (a Sequential, a
   * functional model made with one output), a list for several (see {@link Predictions}).
   * @example const probs: Tensor = await model.predict(x);
   * @example const probs = await model.predict(tf.ones([1, 4])); // a tf.Tensor, on backend-tfjs
   */
  async predict(x: ForeignTensor | readonly ForeignTensor[], args?: PredictArgs): Promise<Predictions<ReturnType<this['call']>, ForeignTensor>>;
  async predict(x: TensorOrList, args?: PredictArgs): Promise<Predictions<ReturnType<this['call']>>>;
  async predict(x: TensorOrList, args: PredictArgs = {}): Promise<unknown> {
    checkMethodOptions('predict', args, this.className);
    const foreign = foreignInputs(x);
    args ??= {};
    const xs = this.modelInputs(x);
    const n = sampleCount([{ what: 'x', tensors: xs }]);
    const batchSize = checkPositiveInt(args.batchSize ?? 32, 'batch_size');
    this.maybeBuildFor(xs);
    const list = testCallbacks(this, args.verbose, args.steps ?? Math.ceil(n / batchSize), args.callbacks);
    const outs = await runPredict(this.steps, predictBatches(xs, n, batchSize, args.steps), list, `predict: no samples were given to model '${this.name}'`);
    const out = this.predictions(outs);
    if (!foreign) return out;
    return Array.isArray(out) ? out.map((t) => foreign.fromHost(t) as ForeignTensor) : (foreign.fromHost(out as Tensor) as ForeignTensor);
  }

  /**
   * Keras 2's fit_generator: trains on batches from a generator, array or (async) iterable of
   * `[x, y]` / `[x, y, sampleWeight]`. Arrays restart each epoch; iterators continue where they
   * stopped, so give `stepsPerEpoch` for endless generators.
   *
   * @example await model.fitGenerator(batches(), { stepsPerEpoch: 100, epochs: 5 });
   */
  async fitGenerator(generator: DataSource<GeneratorItem>, args: FitGeneratorArgs = {}): Promise<History> {
    args = convertLegacyTrainingArgs('fit_generator', args, generator);
    checkMethodOptions('fitGenerator', args, this.className);
    args ??= {};
    const a = args;
    const ctx = this.context('fit_generator');
    const order = { shuffle: a.shuffle ?? true, rand: shuffleRandom(this.shuffleSeed++) };
    const source = generatorSource(generator, a.stepsPerEpoch ?? null, (item) => {
      const batch = this.castBatch(item);
      if (a.classWeight) batch.sws = sampleWeights(batch.ys, batch.hasSw ? batch.sws : null, a.classWeight, batch.ys[0].shape[0]);
      batch.hasSw ||= !!a.classWeight;
      this.maybeBuildFor(batch.xs);
      return batch;
    }, order);
    const vd = a.validationData;
    let validate: ((list: CallbackList) => Promise<Logs>) | null = null;
    if (isTensorData(vd)) {
      const [vx, vy] = vd;
      validate = (list) => this.evaluateLogs(vx, vy, { steps: a.validationSteps ?? null, verbose: 0 }, list);
    } else if (vd) {
      validate = (list) => this.evaluateGeneratorLogs(vd, { steps: a.validationSteps ?? null }, list);
    }
    return runFit(ctx, source, validate, { epochs: a.epochs ?? 1, initialEpoch: a.initialEpoch ?? 0, verbose: a.verbose, callbacks: a.callbacks, validationFreq: a.validationFreq, signal: a.signal });
  }

  /** Keras 2's evaluate_generator: the loss and metrics over a generator's batches. */
  async evaluateGenerator(generator: DataSource<GeneratorItem>, args: GeneratorArgs = {}): Promise<Scores> {
    args = convertLegacyTrainingArgs('evaluate_generator', args, generator);
    checkMethodOptions('evaluateGenerator', args, this.className);
    const logs = await this.evaluateGeneratorLogs(generator, args ?? {});
    return logValues(logs);
  }

  private evaluateGeneratorLogs(generator: DataSource<GeneratorItem>, args: Pick<GeneratorArgs, 'steps' | 'callbacks' | 'verbose'>, fitCallbacks?: CallbackList): Promise<Logs> {
    const ctx = this.context('evaluate_generator');
    // Keras 2's evaluate_generator defaults to verbose=0.
    const list = fitCallbacks ?? testCallbacks(this, (args.verbose ?? 0) as 0 | 1 | 2, args.steps ?? null, args.callbacks);
    return runTest(ctx, generatorBatches(generator, args.steps ?? null, (b) => this.castBatch(b)), list, 'evaluate_generator: the generator gave no batches');
  }

  /** Keras 2's predict_generator: predictions for a generator's inputs (`x`, `[x]` or `[x, y]` items). */
  async predictGenerator(generator: DataSource<GeneratorItem | TensorOrList>, args?: GeneratorArgs): Promise<Predictions<ReturnType<this['call']>>>;
  async predictGenerator(generator: DataSource<GeneratorItem | TensorOrList>, args: GeneratorArgs = {}): Promise<unknown> {
    args = convertLegacyTrainingArgs('predict_generator', args, generator);
    checkMethodOptions('predictGenerator', args, this.className);
    args ??= {};
    // Keras 2's predict_generator defaults to verbose=0.
    const list = testCallbacks(this, (args.verbose ?? 0) as 0 | 1 | 2, args.steps ?? null, args.callbacks);
    const outs = await runPredict(this.steps, generatorInputs(generator, args.steps ?? null, (xs) => this.modelInputs(xs)), list, 'predict_generator: the generator gave no batches');
    return this.predictions(outs);
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

  /** Whether predictions come back as a list (several outputs). */
  protected get returnsListOutput(): boolean {
    return this.outputNames.length > 1;
  }

  /** Predictions as `predict` returns them: one tensor, or a list for several outputs. */
  private predictions(outs: Tensor[]): Tensor | Tensor[] {
    return outs.length === 1 && !this.returnsListOutput ? outs[0] : outs;
  }

  /**
   * One training step on one batch; returns the loss (and metrics, as evaluate: {@link Scores},
   * or a record by name with `returnDict: true`). The step is the one `fit` compiles for a batch
   * of the same signature (and the reverse).
   * @example const loss = onlyLoss(await model.trainOnBatch(x, y));
   */
  async trainOnBatch(x: TensorOrList, y: TensorOrList | null, args?: TrainOnBatchArgs & { returnDict?: false }): Promise<Scores>;
  async trainOnBatch(x: TensorOrList, y: TensorOrList | null, args: TrainOnBatchArgs & { returnDict: true }): Promise<Logs>;
  async trainOnBatch(x: TensorOrList, y: TensorOrList | null, args?: TrainOnBatchArgs): Promise<Scores | Logs>;
  async trainOnBatch(x: TensorOrList, y: TensorOrList | null, args: TrainOnBatchArgs = {}): Promise<Scores | Logs> {
    checkMethodOptions('trainOnBatch', args, this.className);
    args ??= {};
    const { ctx, data, n } = this.prepare('train_on_batch', x, y, { sampleWeight: args.sampleWeight, classWeight: args.classWeight });
    this.maybeBuildFor(data.xs);
    buildMetrics(ctx, data);
    const logs = await trainOneBatch(ctx, data, n);
    recordMetricsNames(this, logs);
    return args.returnDict ? logs : logValues(logs);
  }

  /**
   * The loss (and metrics) on one batch, without training: {@link Scores}, or a record by name
   * with `returnDict: true`.
   * @example const [loss, mae] = scoreList(await model.testOnBatch(x, y));
   */
  async testOnBatch(x: TensorOrList, y: TensorOrList | null, args?: TestOnBatchArgs & { returnDict?: false }): Promise<Scores>;
  async testOnBatch(x: TensorOrList, y: TensorOrList | null, args: TestOnBatchArgs & { returnDict: true }): Promise<Logs>;
  async testOnBatch(x: TensorOrList, y: TensorOrList | null, args?: TestOnBatchArgs): Promise<Scores | Logs>;
  async testOnBatch(x: TensorOrList, y: TensorOrList | null, args: TestOnBatchArgs = {}): Promise<Scores | Logs> {
    checkMethodOptions('testOnBatch', args, this.className);
    args ??= {};
    // One test step on the batch, as trainOnBatch's: no callbacks, no progress bar (Keras 2).
    const { ctx, data } = this.prepare('test_on_batch', x, y, { sampleWeight: args.sampleWeight });
    this.maybeBuildFor(data.xs);
    buildMetrics(ctx, data);
    const logs = await runTest(ctx, [data], null);
    recordMetricsNames(this, logs);
    return args.returnDict ? logs : logValues(logs);
  }

  /** Predictions for one batch. */
  async predictOnBatch(x: TensorOrList): Promise<Predictions<ReturnType<this['call']>>>;
  async predictOnBatch(x: TensorOrList): Promise<unknown> {
    const xs = asList(x);
    return this.predict(x, { batchSize: Math.max(1, xs[0]?.shape[0] ?? 1), verbose: 0 });
  }

  /**
   * tf.keras 2.2+'s `train_step`: override it to customize what `fit` does with each batch (traced
   * into one graph, over symbolic tensors). `data` is `[x, y, sampleWeight]`; return the log values
   * (symbolic scalars, metric objects or numbers). The default: the forward pass in training mode,
   * `compiledLoss`, the gradients applied by the optimizer, `compiledMetrics.updateState`, and
   * every metric of `metrics` by name.
   * @example
   * override trainStep([x, y]: StepData) {
   *   const yPred = this.apply(x, { training: true });
   *   const loss = this.compiledLoss(y, yPred);
   *   const vars = this.trainableWeights;
   *   this.optimizer.applyGradients(grad([loss], vars.map((v) => v.read())), vars);
   *   this.compiledMetrics.updateState(y, yPred);
   *   return Object.fromEntries(this.metrics.map((m) => [m.name, m]));
   * }
   */
  trainStep(data: StepData): StepLogs {
    const [x, y, sw] = data;
    const yPred = this.apply(x, { training: true });
    const loss = this.compiledLoss(y, yPred, sw);
    const vars = this.trainableWeights;
    if (vars.length) this.optimizer.applyGradients(grad([loss], vars.map((v) => v.read())), vars);
    this.compiledMetrics.updateState(y, yPred, sw);
    return Object.fromEntries(this.metrics.map((m) => [m.name, m]));
  }

  /**
   * tf.keras 2.2+'s `test_step`: override it to customize what `evaluate` (and fit's validation)
   * does with each batch; as {@link trainStep}, without the update.
   */
  testStep(data: StepData): StepLogs {
    const [x, y, sw] = data;
    const yPred = this.apply(x, { training: false });
    this.compiledLoss(y, yPred, sw);
    this.compiledMetrics.updateState(y, yPred, sw);
    return Object.fromEntries(this.metrics.map((m) => [m.name, m]));
  }

  /** Whether a subclass overrides {@link trainStep} (fit then runs it for each batch). */
  get usesCustomTrainStep(): boolean {
    return this.trainStep !== Trainer.prototype.trainStep;
  }

  /** Whether a subclass overrides {@link testStep} (evaluate then runs it for each batch). */
  get usesCustomTestStep(): boolean {
    return this.testStep !== Trainer.prototype.testStep;
  }

  /**
   * Inside a custom step: the compiled losses of `y` and `yPred` (with regularization and added
   * losses), as tf.keras' `compiled_loss`; updates the `loss` tracker of `metrics`.
   */
  compiledLoss(y: Sym | Sym[] | null, yPred: Sym | Sym[], sampleWeight?: Sym | Sym[] | null): Sym {
    return compiledLoss(this, y, yPred, sampleWeight);
  }

  /** Inside a custom step: tf.keras' `compiled_metrics` (`updateState(y, yPred, sampleWeight)`). */
  get compiledMetrics(): CompiledMetricsUpdater {
    return { updateState: updateCompiledMetrics };
  }

  /** tf.keras' `model.metrics`: the `loss` tracker, then the compiled metrics (made by the first batch). */
  get metrics(): Metric[] {
    return modelMetrics(this, this.compiled);
  }

  /** Frees compiled steps (they are rebuilt on the next call). */
  resetCompiledSteps(): void {
    this.steps.clear();
  }
}

/** Logs as the methods return them: the one value, or the values in order. */
function logValues(logs: Logs): Scores {
  const values = Object.values(logs);
  return values.length === 1 ? values[0] : values;
}

/** Whether fitGenerator's validation data is `[x, y]` tensors (else it is a generator of batches). */
function isTensorData(vd: FitGeneratorArgs['validationData']): vd is NonNullable<FitArgs['validationData']> {
  return !!vd && Array.isArray(vd) && vd.length >= 2 && !Array.isArray(vd[0]) && vd[0] instanceof Tensor;
}

function checkPositiveInt(v: number, what: string): number {
  if (!Number.isInteger(v) || v <= 0) throw new KerasValueError(`${what} must be a positive integer, got ${v}`);
  return v;
}

function checkNonNegativeInt(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 0) throw new KerasValueError(`${what} must be a non-negative integer, got ${v}`);
  return v;
}
