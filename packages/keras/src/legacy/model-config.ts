import { convertLegacyLayerArgs } from './layer-args.js';
import { LegacyMerge } from './merge.js';
import { KerasConfigError } from '../errors.js';

type Spec = { class_name?: unknown; config?: unknown; [k: string]: unknown };

function convertLayerSpec(spec: unknown): unknown {
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) return spec;
  const s = spec as Spec;
  if (typeof s.class_name !== 'string') return spec;
  if (s.class_name === 'Merge') LegacyMerge.fromConfig((s.config ?? {}) as Record<string, unknown>);
  let config = s.config;
  if (s.class_name === 'Sequential' && Array.isArray(config)) {
    // Keras 1 wrote a Sequential's config as the bare list of its layers.
    config = { layers: config.map(convertLayerSpec) };
  } else if (config && typeof config === 'object' && !Array.isArray(config)) {
    const c: Record<string, unknown> = { ...(config as Record<string, unknown>) };
    if (Array.isArray(c.layers)) c.layers = c.layers.map(convertLayerSpec);
    if (c.layer && typeof c.layer === 'object') c.layer = convertLayerSpec(c.layer);
    // The layers convert their own Keras 1 arguments when constructed; InputLayer's `input_dtype`
    // is converted here too, as part of reading the model's structure.
    config = s.class_name === 'InputLayer' ? convertLegacyLayerArgs('InputLayer', c) : c;
  }
  return { ...s, config };
}

/**
 * Reads a Keras 1 model config (the JSON of `model.to_json()`, or the `model_config` of a Keras 1
 * HDF5 file; parsed or as text) in the shape Keras 2's loaders expect: a Sequential's bare list of
 * layers becomes `{layers: [...]}` (in nested models too), InputLayer's `input_dtype` becomes
 * `dtype`, and a Keras 1 `Merge` layer is refused with what to use instead. The layers' own
 * Keras 1 arguments (`output_dim`, `nb_filter`, `border_mode`, ...) are converted when they are
 * constructed. Keras 2 configs come back unchanged.
 *
 * @example
 * const model = modelFromJSON(convertKeras1ModelConfig(fs.readFileSync('keras1-model.json', 'utf8')));
 */
export function convertKeras1ModelConfig(json: string | Record<string, unknown>): Record<string, unknown> {
  let spec: unknown = json;
  if (typeof json === 'string') {
    try {
      spec = JSON.parse(json);
    } catch (e) {
      throw new KerasConfigError('BAD_CONFIG', `convertKeras1ModelConfig: not valid JSON (${(e as Error).message})`);
    }
  }
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) throw new KerasConfigError('BAD_CONFIG', `convertKeras1ModelConfig: expected a model config object, got ${JSON.stringify(spec)?.slice(0, 100)}`);
  const s = spec as Spec & { model_config?: unknown };
  if (s.model_config && typeof s.model_config === 'object') return { ...s, model_config: convertLayerSpec(s.model_config) };
  return convertLayerSpec(s) as Record<string, unknown>;
}
