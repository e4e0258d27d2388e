import { deserialize, type CustomObjects } from './serialization/registry.js';
import type { Layer } from './engine/layer.js';
import type { Model } from './engine/model.js';
import { KerasConfigError, describeValue, KerasTypeError } from './errors.js';
import { registerBuiltinLayers } from './layers/builtin-layers.js';

/**
 * Rebuilds a model from Keras JSON (`model.to_json()` of Keras 2 or Keras 3, or a parsed object).
 * @example const model = modelFromJSON(fs.readFileSync('model.json', 'utf8'));
 */
export function modelFromJSON(json: string | Record<string, unknown>, customObjects?: CustomObjects): Model {
  let spec: unknown = json;
  if (typeof json === 'string') {
    try {
      spec = JSON.parse(json);
    } catch (e) {
      throw new KerasConfigError('BAD_CONFIG', `modelFromJSON: not valid JSON (${(e as Error).message})`);
    }
  }
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new KerasConfigError('BAD_CONFIG', `modelFromJSON: expected a model config object ({"class_name": ..., "config": {...}}), got ${describeValue(spec)}`);
  }
  const s = spec as { model_config?: unknown; class_name?: string };
  registerBuiltinLayers();
  const model = deserialize<Layer>('layer', s.model_config ?? spec, customObjects);
  if (!('compile' in model)) throw new KerasTypeError(`modelFromJSON: '${s.class_name}' is a layer, not a model`);
  return model as unknown as Model;
}
