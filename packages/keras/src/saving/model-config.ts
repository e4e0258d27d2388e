/** Rebuilding a model from the config a file holds, with errors that name the file. */
import { deserialize, type CustomObjects } from '../config/serialization';
import type { SymbolicShape } from '../engine/keras-tensor';
import type { Layer } from '../engine/layer';
import { Model } from '../engine/model';

/** Options of the loaders. */
export interface LoadOptions {
  /** User classes (layers, losses, ...) by name. */
  customObjects?: CustomObjects;
  /** Compile the model from the file's training configuration, when it has one (default true, as Keras). */
  compile?: boolean;
}

/** Parses JSON text; a failure names the file and the part. */
export function parseJson(text: string, file: string, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: ${what} is not valid JSON (${(e as Error).message})`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${file}: ${what} is not a JSON object`);
  return v as Record<string, unknown>;
}

/**
 * Rebuilds the model from `{class_name, config}` (Keras 2 or Keras 3 spellings; Keras 3's
 * `build_config` builds a model whose input shape the config does not carry).
 */
export function modelFromSpec(spec: Record<string, unknown>, file: string, custom?: CustomObjects): Model {
  if (typeof spec.class_name !== 'string' || !spec.config || typeof spec.config !== 'object') {
    throw new Error(`${file}: the model config must be {"class_name": ..., "config": {...}}, got keys ${Object.keys(spec).join(', ') || '(none)'}`);
  }
  let layer: Layer;
  try {
    layer = deserialize<Layer>('layer', spec, custom);
  } catch (e) {
    throw new Error(`${file}: cannot rebuild the model from its config: ${(e as Error).message}`);
  }
  if (!(layer instanceof Model)) throw new Error(`${file}: the config describes a '${spec.class_name}' layer, not a model`);
  const shape = (spec.build_config as { input_shape?: SymbolicShape | null } | undefined)?.input_shape;
  if (!layer.built && Array.isArray(shape) && shape.every((d) => d === null || typeof d === 'number')) {
    try {
      layer.maybeBuild(shape);
    } catch (e) {
      throw new Error(`${file}: cannot build the model for input shape [${shape.join(', ')}] (from build_config): ${(e as Error).message}`);
    }
  }
  return layer;
}
