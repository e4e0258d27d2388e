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
import { deserialize, type CustomObjects } from './config/serialization.js';
import { EagerFunctions } from './engine/eager.js';
import type { Layer } from './engine/layer.js';
import type { Loss } from './losses/loss.js';
import type { Metric } from './metrics/metric.js';
import type { Optimizer } from './optimizers/optimizer.js';
import type { Tensor } from './tensor.js';
import { KerasConfigError, describeValue } from './errors.js';

export { setBackend, getBackend } from './backend.js';
export { Tensor, tensor, full } from './tensor.js';
export { Variable } from './engine/variable.js';
export { Layer, parseArgs, configToArgs, type LayerArgs, type CallContext, type InputShape, type Mask, type WeightInitializer } from './engine/layer.js';
export { argKeys, type ArgsDeclaration } from './engine/layer-arg-keys.js';
export { KerasTensor, type SymbolicShape } from './engine/keras-tensor.js';
export { setRandomSeed } from './engine/execute.js';
export { registerClass, registeredNames, serialize, deserialize, type CustomObjects, type SerializedObject } from './config/serialization.js';
export * from './activations/index.js';
export { Loss, type Reduction } from './losses/loss.js';
export { Metric } from './metrics/metric.js';
export { Optimizer } from './optimizers/optimizer.js';

export * from './layers/index.js';
export * from './optimizers/index.js';
export * from './initializers/index.js';
// Losses and metrics share class names (BinaryCrossentropy, ...): as in Keras, they live in
// their own namespaces: losses.BinaryCrossentropy, metrics.BinaryCrossentropy.
export * as losses from './losses/index.js';
export * as metrics from './metrics/index.js';
export * as optimizers from './optimizers/index.js';
export * as initializers from './initializers/index.js';
export * as layers from './layers/index.js';
export * as callbacks from './callbacks/index.js';
export * as regularizers from './regularizers/index.js';
export * as constraints from './constraints/index.js';
// Keras 2's keras.utils and keras.preprocessing (utils.toCategorical, preprocessing.sequence.padSequences, ...).
export * as utils from './utils/index.js';
export * as preprocessing from './preprocessing/index.js';

/**
 * Rebuilds a layer from its serialized form (`{ class_name, config }`); `custom` supplies user
 * classes by name.
 * @example const dense = deserializeLayer({ class_name: 'Dense', config: { units: 4 } });
 */
export const deserializeLayer = (c: unknown, custom?: CustomObjects) => deserialize<Layer>('layer', c, custom);
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
export { Model, functionalFromConfig, type ModelArgs } from './engine/model.js';
export { Sequential, type SequentialArgs } from './engine/sequential.js';
export type { CompileArgs, FitArgs, EvaluateArgs, PredictArgs, LossId, MetricId } from './engine/trainer.js';
export * from './callbacks/index.js';
export * from './legacy/index.js';
export { KerasError, KerasConfigError, KerasFileError, KerasShapeError, isKerasError, printable, type KerasErrorCode } from './errors.js';
export { setMaxConfigWeightBytes, getMaxConfigWeightBytes } from './config/weight-budget.js';
export { loadModel, saveModel, modelToBytes, modelToFiles, saveWeights, loadWeights, loadModelFile, formatForPath, type LoadOptions, type ModelFormat, type ModelSource } from './saving/index.js';

/**
 * Rebuilds a model from Keras JSON (`model.to_json()` of Keras 2 or Keras 3, or a parsed object).
 * @example const model = modelFromJSON(fs.readFileSync('model.json', 'utf8'));
 */
export function modelFromJSON(json: string | Record<string, unknown>, customObjects?: CustomObjects): import('./engine/model.js').Model {
  let spec: unknown = json;
  if (typeof json === 'string') {
    try {
      spec = JSON.parse(json);
    } catch (e) {
      throw new Error(`modelFromJSON: not valid JSON (${(e as Error).message})`);
    }
  }
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new KerasConfigError('BAD_CONFIG', `modelFromJSON: expected a model config object ({"class_name": ..., "config": {...}}), got ${describeValue(spec)}`);
  }
  const s = spec as { model_config?: unknown; class_name?: string };
  const model = deserialize<Layer>('layer', s.model_config ?? spec, customObjects);
  if (!('compile' in model)) throw new Error(`modelFromJSON: '${s.class_name}' is a layer, not a model`);
  return model as unknown as import('./engine/model.js').Model;
}
