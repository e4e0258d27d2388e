/**
 * The arguments of the training methods, as Keras 2's keyword arguments in camelCase: `compile`,
 * `fit`, `evaluate`, `predict`, their generator forms and the batch methods. (`trainer-args.ts`
 * checks them at the call.)
 */
import type { Sym } from '@keras-ts/spec';
import type { Callback } from '../../callbacks/callback.js';
import type { SerializedObject } from '../../serialization/registry.js';
import type { Loss } from '../../losses/loss.js';
import type { Metric } from '../../metrics/metric.js';
import type { Optimizer } from '../../optimizers/optimizer.js';
import type { TensorOrList } from '../data.js';
import type { DataSource, GeneratorItem } from './generator-adapter.js';

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
  validationData?: readonly [TensorOrList, TensorOrList | null] | readonly [TensorOrList, TensorOrList | null, TensorOrList];
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
  /** 0: silent; 1: a progress bar; 2: one line at the end; 'auto' (the default, as Keras 2): 1. */
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
  /** 0: silent; 1: a progress bar; 2: one line at the end; 'auto' (the default, as Keras 2): 1. */
  verbose?: 0 | 1 | 2 | 'auto';
  callbacks?: readonly Callback[];
  steps?: number | null;
}

/** The arguments of `fitGenerator` (Keras 2's `fit_generator`). */
export interface FitGeneratorArgs {
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
}

/** The arguments of `evaluateGenerator` and `predictGenerator` (Keras 2's `evaluate_generator`, `predict_generator`). */
export interface GeneratorArgs {
  steps?: number | null;
  callbacks?: readonly Callback[];
  /** 0 (the default, as Keras 2's generator methods): silent; 1: a progress bar; 2: one line at the end. */
  verbose?: number;
  maxQueueSize?: number;
  workers?: number;
  useMultiprocessing?: boolean;
}

/** The arguments of `trainOnBatch`. */
export interface TrainOnBatchArgs {
  sampleWeight?: TensorOrList | null;
  classWeight?: FitArgs['classWeight'];
  /** Return the loss and metrics as a record keyed as in fit's logs (Keras 2's `return_dict`). */
  returnDict?: boolean;
}

/** The arguments of `testOnBatch`. */
export interface TestOnBatchArgs {
  sampleWeight?: TensorOrList | null;
  /** Return the loss and metrics as a record keyed as in fit's logs (Keras 2's `return_dict`). */
  returnDict?: boolean;
}
