/**
 * `loadModel(path)` and `saveModel(model, path)`: Keras' `load_model` and `model.save`, over
 * the `.keras` archive, the legacy `.h5` full model, Keras model JSON and TF.js' layers-model
 * format.
 */
import { clipMessage, KerasFileError } from '../errors.js';
import type { Model } from '../engine/model.js';
import { Sequential } from '../engine/sequential.js';
import { loadH5Model, saveH5Model } from './h5-format.js';
import { describeContent, readBytes, sniff } from './io.js';
import { loadKerasModel, saveKerasModel } from './keras-format.js';
import { modelFromSpec, parseJson, type LoadOptions } from './model-config.js';
import { isTfjsModelJson, loadTfjsModel, saveTfjsModel } from './tfjs-format.js';

export type { LoadOptions };

/** The formats `saveModel` writes. */
export type ModelFormat = 'keras' | 'h5' | 'tfjs';

/**
 * Loads a model saved by Keras (2 or 3) or by this library, recognising the format by content:
 * a zip archive is a `.keras` file, HDF5 a legacy `.h5` model, JSON either TF.js' `model.json`
 * (with its weight shards beside it) or a model's `to_json()` (architecture only, fresh weights).
 * The model is compiled from the file's training configuration when it has one, unless
 * `compile: false`.
 *
 * @example
 * const model = await loadModel('model.keras');
 * const y = await model.predict(x);
 */
export async function loadModel(path: string, options: LoadOptions = {}): Promise<Model> {
  try {
    return await loadModelFrom(path, options);
  } catch (e) {
    throw clipMessage(e);
  }
}

async function loadModelFrom(path: string, options: LoadOptions): Promise<Model> {
  const bytes = await readBytes(path);
  switch (sniff(bytes)) {
    case 'zip':
      return loadKerasModel(path, options, bytes);
    case 'hdf5':
      return loadH5Model(path, options, bytes);
    case 'json': {
      const json = parseJson(new TextDecoder().decode(bytes), path, 'the file');
      if (isTfjsModelJson(json)) return loadTfjsModel(path, json, options);
      const spec = (json.model_config ?? json) as Record<string, unknown>;
      return modelFromSpec(spec, path, options.customObjects);
    }
    default:
      throw new KerasFileError('BAD_FILE', `${path}: not a model file: ${describeContent(bytes)}`);
  }
}

/** The format for a path's extension, or an error naming the choices. */
export function formatForPath(path: string): ModelFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith('.keras')) return 'keras';
  if (lower.endsWith('.weights.h5')) throw new Error(`saveModel: '${path}' names a weights file; use saveWeights(model, '${path}') for weights only, or a '.keras' or '.h5' name for the whole model`);
  if (lower.endsWith('.h5') || lower.endsWith('.hdf5')) return 'h5';
  if (lower.endsWith('.json')) return 'tfjs';
  throw new Error(`saveModel: cannot tell the format of '${path}': use '.keras' (Keras 3 archive), '.h5' (legacy HDF5) or '.json' (TF.js layers model), or pass the format`);
}

/**
 * Saves the whole model (config, weights and, when compiled, the training configuration), as
 * Keras' `model.save`. The format comes from the extension unless given: `.keras` (the archive
 * Keras 3 loads), `.h5` (legacy HDF5, Keras 2 layout) or `.json` (TF.js layers model; weight
 * shards are written beside it). Files are written to temporary files and renamed into place at
 * the end, so a failed save leaves existing files as they were.
 *
 * @example
 * await saveModel(model, 'model.keras');
 * await saveModel(model, 'model.h5');
 */
export async function saveModel(model: Model, path: string, format: ModelFormat = formatForPath(path)): Promise<void> {
  if (!(model instanceof Sequential) && !model.isFunctional) {
    throw new Error(`saveModel: model '${model.name}' is a subclassed ${model.className}; only Sequential and functional models can be saved whole (their config rebuilds them). Use saveWeights(model, path) for its weights`);
  }
  if (!model.built || model.outputs.length === 0) {
    throw new Error(`saveModel: model '${model.name}' has not been built yet: give its first layer an input shape, or call it on data, before saving it`);
  }
  switch (format) {
    case 'keras':
      return saveKerasModel(model, path);
    case 'h5':
      return saveH5Model(model, path);
    case 'tfjs':
      return saveTfjsModel(model, path);
    default:
      throw new Error(`saveModel: unknown format '${String(format)}': expected 'keras', 'h5' or 'tfjs'`);
  }
}
