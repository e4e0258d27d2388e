/**
 * @keras-ts/keras: the Keras 2 API over the spec's ops, on the backend you choose.
 *
 * @example
 * import { setBackend, Sequential, Dense, tensor } from '@keras-ts/keras';
 * import { createTsBackend } from '@keras-ts/backend-ts';
 * setBackend(createTsBackend());
 */
import type { Sym } from '@keras-ts/spec';
import type { ActivationFn } from './activations/activation';
import { deserialize, type CustomObjects } from './config/serialization';
import { EagerFunctions } from './engine/eager';
import type { Layer } from './engine/layer';
import type { Loss } from './losses/loss';
import type { Metric } from './metrics/metric';
import type { Optimizer } from './optimizers/optimizer';
import type { Tensor } from './tensor';
import { KerasConfigError, describeValue } from './errors';

export { setBackend, getBackend } from './backend';
export { Tensor, tensor, full } from './tensor';
export { Variable } from './engine/variable';
export { Layer, parseArgs, configToArgs, type LayerArgs, type CallContext, type InputShape, type Mask, type WeightInitializer } from './engine/layer';
export { KerasTensor, type SymbolicShape } from './engine/keras-tensor';
export { setRandomSeed } from './engine/execute';
export { registerClass, serialize, deserialize, type CustomObjects, type SerializedObject } from './config/serialization';
export * from './activations/index';
export { Loss, type Reduction } from './losses/loss';
export { Metric } from './metrics/metric';
export { Optimizer } from './optimizers/optimizer';

export * from './layers/index';
export * from './optimizers/index';
export * from './initializers/index';
// Losses and metrics share class names (BinaryCrossentropy, ...): as in Keras, they live in
// their own namespaces: losses.BinaryCrossentropy, metrics.BinaryCrossentropy.
export * as losses from './losses/index';
export * as metrics from './metrics/index';
export * as optimizers from './optimizers/index';
export * as initializers from './initializers/index';
export * as layers from './layers/index';
export * as callbacks from './callbacks/index';
export * as regularizers from './regularizers/index';
export * as constraints from './constraints/index';

export const deserializeLayer = (c: unknown, custom?: CustomObjects) => deserialize<Layer>('layer', c, custom);
export const deserializeLoss = (c: unknown, custom?: CustomObjects) => deserialize<Loss>('loss', c, custom);
export const deserializeMetric = (c: unknown, custom?: CustomObjects) => deserialize<Metric>('metric', c, custom);
export const deserializeOptimizer = (c: unknown, custom?: CustomObjects) => deserialize<Optimizer>('optimizer', c, custom);

const eager = new EagerFunctions();

/** Applies an activation to a concrete tensor. */
export async function runActivation(f: ActivationFn, x: Tensor): Promise<Tensor> {
  const [y] = await eager.run(`activation|${f.activationName}`, [x], ([s]: Sym[]) => [f(s)]);
  return y;
}
export * from './regularizers/index';
export * from './constraints/index';
export { Input, InputLayer } from './engine/input-layer';
export { Model, functionalFromConfig, type ModelArgs } from './engine/model';
export { Sequential, type SequentialArgs } from './engine/sequential';
export type { CompileArgs, FitArgs, EvaluateArgs, PredictArgs, LossId, MetricId } from './engine/trainer';
export * from './callbacks/index';
export * from './legacy/index';
export { KerasError, KerasConfigError, KerasFileError, KerasShapeError, isKerasError, type KerasErrorCode } from './errors';
export { setMaxConfigWeightBytes, getMaxConfigWeightBytes } from './config/weight-budget';
export { loadModel, saveModel, saveWeights, loadWeights, loadModelFile, formatForPath, type LoadOptions, type ModelFormat } from './saving/index';

/**
 * Rebuilds a model from Keras JSON (`model.to_json()` of Keras 2 or Keras 3, or a parsed object).
 * @example const model = modelFromJSON(fs.readFileSync('model.json', 'utf8'));
 */
export function modelFromJSON(json: string | Record<string, unknown>, customObjects?: CustomObjects): import('./engine/model').Model {
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
  return model as unknown as import('./engine/model').Model;
}
