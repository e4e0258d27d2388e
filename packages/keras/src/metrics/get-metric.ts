import type { Sym } from '@keras-ts/spec';
import { deserialize, lookupClass, type CustomObjects, type SerializedObject } from '../serialization/registry.js';
import { Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy } from './accuracy-metrics.js';
import { METRIC_FUNCTION_ALIASES, type MetricFn } from './functions.js';
import { CategoricalHinge, Hinge, SquaredHinge } from './hinge-metrics.js';
import { Metric } from './metric.js';
import { BinaryCrossentropy, CategoricalCrossentropy, KLDivergence, Poisson, SparseCategoricalCrossentropy } from './probabilistic-metrics.js';
import { MeanMetricWrapper } from './reduction-metrics.js';
import { CosineSimilarity, LogCoshError, MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredError, MeanSquaredLogarithmicError } from './regression-metrics.js';
import { KerasValueError } from '../errors.js';

/** A shape whose dimensions may be unknown (null), batch axis included. */
export type MaybeShape = readonly (number | null)[];

/** What `compile` knows about an output when it resolves `'accuracy'` / `'crossentropy'`. */
export interface MetricHint {
  /** The output's loss, by name (`'sparse_categorical_crossentropy'`, `'SparseCategoricalCrossentropy'`, ...). */
  loss?: string | null;
  /** The shape of the model output (y_pred), batch axis included. */
  outputShape?: MaybeShape | null;
  /** The shape of the targets (y_true), batch axis included, when known. */
  targetShape?: MaybeShape | null;
}

type Variant = 'binary' | 'sparse_categorical' | 'categorical';

const SPARSE_LOSSES = new Set(['sparse_categorical_crossentropy', 'SparseCategoricalCrossentropy']);

function variant(lossName: string | null | undefined, outputShape: MaybeShape, targetShape?: MaybeShape | null): Variant {
  const pLast = outputShape.length ? outputShape[outputShape.length - 1] : null;
  // Keras 2 (tf.keras 2.x compile_utils) decides from the shapes of y_true and y_pred. When the
  // targets' shape is not known yet, the loss says whether they are sparse: sparse losses take
  // class indices (one axis fewer), the others targets shaped like the output.
  const target: MaybeShape = targetShape ?? (lossName && SPARSE_LOSSES.has(lossName) ? outputShape.slice(0, -1) : outputShape);
  const tLast = target.length ? target[target.length - 1] : null;
  if (pLast === 1) return 'binary';
  if (target.length < outputShape.length || (tLast === 1 && pLast !== null && pLast > 1)) return 'sparse_categorical';
  return 'categorical';
}

/**
 * Which accuracy Keras 2 uses for `metrics=['accuracy']` (or `'acc'`): `binary_accuracy` when
 * the output has one unit on its last axis, `sparse_categorical_accuracy` when the targets are
 * class indices (one axis fewer than the output, or a last axis of 1 against several output
 * units), else `categorical_accuracy`.
 *
 * tf.keras 2.x decides from the shapes of the targets and the output. Pass `targetShape` when
 * it is known; otherwise the loss stands in for it (a sparse categorical crossentropy means
 * sparse targets, any other loss targets shaped like the output).
 *
 * @example
 * resolveAccuracy('sparse_categorical_crossentropy', [null, 10]); // 'sparse_categorical_accuracy'
 * resolveAccuracy('binary_crossentropy', [null, 1]); // 'binary_accuracy'
 * resolveAccuracy('categorical_crossentropy', [null, 10]); // 'categorical_accuracy'
 */
export function resolveAccuracy(
  lossName: string | null | undefined,
  outputShape: MaybeShape,
  targetShape?: MaybeShape | null,
): 'binary_accuracy' | 'sparse_categorical_accuracy' | 'categorical_accuracy' {
  return `${variant(lossName, outputShape, targetShape)}_accuracy` as const;
}

/**
 * Which crossentropy Keras 2 uses for `metrics=['crossentropy']` (or `'ce'`), by the same rule
 * as {@link resolveAccuracy}.
 *
 * @example
 * resolveCrossentropy(null, [null, 1]); // 'binary_crossentropy'
 */
export function resolveCrossentropy(
  lossName: string | null | undefined,
  outputShape: MaybeShape,
  targetShape?: MaybeShape | null,
): 'binary_crossentropy' | 'sparse_categorical_crossentropy' | 'categorical_crossentropy' {
  return `${variant(lossName, outputShape, targetShape)}_crossentropy` as const;
}

/** The metric class of each Keras 2 metric function name; `getMetric` names the metric after the string given. */
const FUNCTION_CLASSES: Readonly<Record<string, new (args: { name: string }) => Metric>> = {
  accuracy: Accuracy,
  binary_accuracy: BinaryAccuracy,
  categorical_accuracy: CategoricalAccuracy,
  sparse_categorical_accuracy: SparseCategoricalAccuracy,
  top_k_categorical_accuracy: TopKCategoricalAccuracy,
  sparse_top_k_categorical_accuracy: SparseTopKCategoricalAccuracy,
  mean_squared_error: MeanSquaredError,
  mean_absolute_error: MeanAbsoluteError,
  mean_absolute_percentage_error: MeanAbsolutePercentageError,
  mean_squared_logarithmic_error: MeanSquaredLogarithmicError,
  logcosh: LogCoshError,
  cosine_similarity: CosineSimilarity,
  binary_crossentropy: BinaryCrossentropy,
  categorical_crossentropy: CategoricalCrossentropy,
  sparse_categorical_crossentropy: SparseCategoricalCrossentropy,
  poisson: Poisson,
  kullback_leibler_divergence: KLDivergence,
  hinge: Hinge,
  squared_hinge: SquaredHinge,
  categorical_hinge: CategoricalHinge,
};

/** What `compile(metrics=...)` accepts for one metric. */
export type MetricIdentifier = string | Metric | SerializedObject | MetricFn;

/**
 * A metric from what `compile(metrics=[...])` accepts, as Keras 2's `compile_utils`:
 * - a `Metric` instance: as is;
 * - `'accuracy'` / `'acc'` (any case): binary, categorical or sparse categorical accuracy,
 *   chosen by {@link resolveAccuracy} from the hint, named as written (the history key);
 *   without a hint, exact-match `Accuracy` (what `keras.metrics.get('accuracy')` gives);
 * - `'crossentropy'` / `'ce'`: likewise with {@link resolveCrossentropy} (binary without a hint);
 * - a metric function name (`'mse'`, `'mean_absolute_error'`, `'binary_accuracy'`, ...): the
 *   mean of that function, named as written;
 * - a class name (`'AUC'`, `'Precision'`) or a serialized `{class_name, config}`: deserialized;
 * - a function over symbolic tensors: wrapped in `MeanMetricWrapper`, named after the function.
 *
 * @example
 * getMetric('acc', { loss: 'sparse_categorical_crossentropy', outputShape: [null, 10] }); // SparseCategoricalAccuracy named 'acc'
 * getMetric('mse'); // MeanSquaredError named 'mse'
 * getMetric('AUC'); // AUC named 'auc'
 */
export function getMetric(identifier: MetricIdentifier, hint: MetricHint = {}, custom?: CustomObjects): Metric {
  if (identifier instanceof Metric) return identifier;
  if (typeof identifier === 'function') {
    const name = identifier.name;
    if (!name) throw new KerasValueError('getMetric: a metric function needs a name (the history key); wrap it in new MeanMetricWrapper({ fn, name })');
    return new MeanMetricWrapper({ fn: identifier, name });
  }
  if (typeof identifier === 'string') {
    const lower = identifier.toLowerCase();
    if (lower === 'accuracy' || lower === 'acc' || lower === 'crossentropy' || lower === 'ce') {
      const isAcc = lower === 'accuracy' || lower === 'acc';
      let fnName: string;
      if (hint.outputShape) fnName = isAcc ? resolveAccuracy(hint.loss, hint.outputShape, hint.targetShape) : resolveCrossentropy(hint.loss, hint.outputShape, hint.targetShape);
      else fnName = isAcc ? 'accuracy' : 'binary_crossentropy';
      return new FUNCTION_CLASSES[fnName]({ name: identifier });
    }
    if (!(custom && identifier in custom)) {
      const fnName = METRIC_FUNCTION_ALIASES[identifier] ?? identifier;
      const cls = FUNCTION_CLASSES[fnName];
      if (cls) return new cls({ name: identifier });
    }
    if (!lookupClass('metric', identifier, custom)) {
      const c = custom?.[identifier];
      if (typeof c === 'function') return new MeanMetricWrapper({ fn: c as unknown as (t: Sym, p: Sym) => Sym, name: identifier });
    }
    return deserialize<Metric>('metric', identifier, custom);
  }
  return deserialize<Metric>('metric', identifier, custom);
}
