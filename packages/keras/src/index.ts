/**
 * `@keras-ts/keras`: the Keras 2 API over the spec's ops, on the backend you choose.
 *
 * @example
 * import { setBackend, Sequential, Dense, tensor } from '@keras-ts/keras';
 * import { createTsBackend } from '@keras-ts/backend-ts';
 * setBackend(createTsBackend());
 *
 * @module \@keras-ts/keras
 */
import type { Sym } from '@keras-ts/spec';
import type { ActivationFn } from './activations/activation.js';
import { deserialize, type CustomObjects } from './serialization/registry.js';
import { EagerFunctions } from './engine/eager.js';
import type { Loss } from './losses/loss.js';
import type { Metric } from './metrics/metric.js';
import type { Optimizer } from './optimizers/optimizer.js';
import type { Tensor } from './tensor.js';

export { setBackend, getBackend } from './backend.js';
/** The symbolic tensor that layers' `call`, Lambda functions and losses compute with (from `@keras-ts/spec`). */
export type { Sym } from '@keras-ts/spec';
export { Tensor, tensor, full, type TypedArrayData } from './tensor.js';
export { Variable } from './engine/variable.js';
export { Layer, parseArgs, configToArgs, type LayerArgs, type CallContext, type InputShape, type Mask, type WeightInitializer, type ApplyInputs, type ApplyKwargs, type LayerOutput, type Outputs, type ScoresOnRequest, type ScoresOutputs } from './engine/layer.js';
export { onlyOutput, outputList, type Predictions } from './engine/predictions.js';
export { onlyLoss, scoreList, type Scores } from './engine/scores.js';
export { argKeys, type ArgsDeclaration } from './engine/layer-arg-keys.js';
export { KerasTensor, type SymbolicShape } from './engine/keras-tensor.js';
export { setRandomSeed } from './engine/execute.js';
export { registerClass, serialize, type CustomObjects, type SerializedObject } from './serialization/registry.js';
export { deserialize, deserializeLayer, registeredNames, registerBuiltinLayers } from './serialization/public-registry.js';
export * from './activations/index.js';
export { Loss, type Reduction } from './losses/loss.js';
export { Metric } from './metrics/metric.js';
export { Optimizer } from './optimizers/optimizer.js';

export * from './layers/index.js';
export * from './optimizers/index.js';
export * from './initializers/index.js';
// Losses and metrics share class names (BinaryCrossentropy, ...): as in Keras, they live in
// their own namespaces: losses.BinaryCrossentropy, metrics.BinaryCrossentropy.
// The namespaces are the same modules as the `keras` namespace's and the subpath exports
// (`@keras-ts/keras/layers`, ...): layers.Input, regularizers.l2(), backend (Keras 2's K).
export * as losses from './namespaces/losses.js';
export * as metrics from './namespaces/metrics.js';
export * as optimizers from './namespaces/optimizers.js';
export * as initializers from './namespaces/initializers.js';
export * as layers from './namespaces/layers.js';
export * as callbacks from './namespaces/callbacks.js';
export * as regularizers from './namespaces/regularizers.js';
export * as constraints from './namespaces/constraints.js';
export * as activations from './namespaces/activations.js';
// Keras 2's keras.utils and keras.preprocessing (utils.toCategorical, preprocessing.sequence.padSequences, ...).
export * as utils from './namespaces/utils.js';
export * as preprocessing from './namespaces/preprocessing.js';
export * as models from './namespaces/models.js';
/** Keras 2's backend module, `K` (`import { backend as K } from '@keras-ts/keras'`). */
export * as backend from './namespaces/backend.js';
/** One namespace shaped like Keras: `keras.layers.Dense`, `keras.backend.mean`, `keras.models.Sequential`, ... */
export * as keras from './namespaces/keras.js';

/**
 * Rebuilds a loss from a name (`'mse'`) or its serialized form; `custom` supplies user classes by
 * name.
 */
export const deserializeLoss = (c: unknown, custom?: CustomObjects) => deserialize<Loss>('loss', c, custom);
/**
 * Rebuilds a metric from a name (`'accuracy'`) or its serialized form; `custom` supplies user
 * classes by name.
 */
export const deserializeMetric = (c: unknown, custom?: CustomObjects) => deserialize<Metric>('metric', c, custom);
/**
 * Rebuilds an optimizer from a name (`'adam'`) or its serialized form; `custom` supplies user
 * classes by name.
 * @example const opt = deserializeOptimizer({ class_name: 'Adam', config: { learning_rate: 0.01 } });
 */
export const deserializeOptimizer = (c: unknown, custom?: CustomObjects) => deserialize<Optimizer>('optimizer', c, custom);

const eager = new EagerFunctions();

/** Applies an activation to a concrete tensor. */
export async function runActivation(f: ActivationFn, x: Tensor): Promise<Tensor> {
  const [y] = await eager.run(`activation|${f.activationName}`, [x], ([s]: Sym[]) => [f(s)]);
  return y;
}
export * from './regularizers/index.js';
export * from './constraints/index.js';
export { Input, InputLayer } from './engine/input-layer.js';
export { Model, functionalFromConfig, type ModelArgs, type ModelOutputs, type SymOutputs } from './engine/model.js';
export { Sequential, type SequentialArgs } from './engine/sequential.js';
export type { CompileArgs, FitArgs, EvaluateArgs, PredictArgs, LossId, MetricId } from './engine/trainer.js';
export type { StepData, StepLogs, CompiledMetricsUpdater } from './engine/training/custom-step.js';
export type { AddedLoss } from './engine/added-losses.js';
export type { SaveOptions, LoadWeightsOptions } from './engine/model-files.js';
export * from './callbacks/index.js';
export * from './legacy/index.js';
export {
  KerasError,
  KerasValueError,
  KerasTypeError,
  KerasNotImplementedError,
  KerasStateError,
  KerasInternalError,
  KerasConfigError,
  KerasFileError,
  KerasLimitError,
  KerasShapeError,
  OpError,
  GraphError,
  isKerasError,
  printable,
  type KerasErrorCode,
} from './errors.js';
export { setMaxConfigWeightBytes, getMaxConfigWeightBytes } from './limits/weight-budget.js';
export { DEFAULT_LIMITS, LIMIT_FLAGS, getLimits, setLimits, type Limits } from './limits/file-limits.js';
export { loadModel, saveModel, modelToBytes, modelToFiles, saveWeights, loadWeights, loadModelFile, formatForPath, type LoadOptions, type ModelFormat, type ModelSource } from './saving/index.js';

export { modelFromJSON } from './model-from-json.js';
