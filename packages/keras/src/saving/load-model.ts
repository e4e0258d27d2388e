/**
 * `loadModel(path)` and `saveModel(model, path)`: Keras' `load_model` and `model.save`, over
 * the `.keras` archive, the legacy `.h5` full model, Keras model JSON and TF.js' layers-model
 * format.
 */
import { clipMessage, KerasFileError, KerasNotImplementedError, KerasStateError, KerasValueError } from '../errors.js';
import type { Model } from '../engine/model.js';
import { Sequential } from '../engine/sequential.js';
import { downloadFiles } from './downloads.js';
import { h5ModelBytes, loadH5Model, saveH5Model } from './legacy-h5-model.js';
import { saveToIndexedDB } from './indexeddb.js';
import { resolveSource, type ModelSource, type ResolvedSource } from './sources.js';
import { describeContent, sniff } from './io.js';
import { kerasArchiveBytes, loadKerasModel, saveKerasModel } from './keras-format.js';
import { loadLimits, modelFromSpec, parseJson, type LoadOptions } from './model-config.js';
import { isTfjsModelJson, loadTfjsModel, saveTfjsModel, tfjsFiles } from './tfjs-format.js';

export type { LoadOptions, ModelSource };

/** The formats `saveModel` writes. */
export type ModelFormat = 'keras' | 'h5' | 'tfjs';

/**
 * Loads a model saved by Keras (2 or 3) or by this library, recognising the format by content:
 * a zip archive is a `.keras` file, HDF5 a legacy `.h5` model, JSON either TF.js' `model.json`
 * (with its weight shards beside it) or a model's `to_json()` (architecture only, fresh weights).
 * The model is compiled from the file's training configuration when it has one, unless
 * `compile: false`.
 *
 * The model can come from a file path (Node), an `http(s)` URL (a TF.js `model.json` fetches its
 * shards beside it), `indexeddb://name`, bytes (`ArrayBuffer`, a typed array, a `Blob` or `File`)
 * or a map of named files (`model.json` and its shards, as an `<input type=file multiple>` gives
 * them, or `{ 'model.json': bytes, 'group1-shard1of1.bin': bytes }`).
 *
 * @example
 * const model = await loadModel('model.keras');
 * const fromWeb = await loadModel('https://example.com/models/mnist/model.json');
 * const fromInput = await loadModel(fileInput.files); // model.json + shards, or one .keras / .h5
 * const y = await model.predict(x);
 */
export async function loadModel(source: ModelSource, options: LoadOptions = {}): Promise<Model> {
  try {
    return await loadModelFrom(await resolveSource(source, loadLimits(options)), options);
  } catch (e) {
    throw clipMessage(e);
  }
}

async function loadModelFrom({ name, bytes, shards }: ResolvedSource, options: LoadOptions): Promise<Model> {
  switch (sniff(bytes)) {
    case 'zip':
      return loadKerasModel(name, options, bytes);
    case 'hdf5':
      return loadH5Model(name, options, bytes);
    case 'json': {
      const limits = loadLimits(options);
      const json = parseJson(new TextDecoder().decode(bytes), name, 'the file', limits);
      if (isTfjsModelJson(json)) return loadTfjsModel(name, json, options, shards ?? undefined);
      const spec = (json.model_config ?? json) as Record<string, unknown>;
      return modelFromSpec(spec, name, options.customObjects, limits);
    }
    default:
      throw new KerasFileError('BAD_FILE', `${name}: not a model file: ${describeContent(bytes)}`);
  }
}

/** The format for a path's extension, or an error naming the choices. */
export function formatForPath(path: string): ModelFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith('.keras')) return 'keras';
  if (lower.endsWith('.weights.h5')) throw new KerasValueError(`saveModel: '${path}' names a weights file; use saveWeights(model, '${path}') for weights only, or a '.keras' or '.h5' name for the whole model`);
  if (lower.endsWith('.h5') || lower.endsWith('.hdf5')) return 'h5';
  if (lower.endsWith('.json')) return 'tfjs';
  throw new KerasValueError(`saveModel: cannot tell the format of '${path}': use '.keras' (Keras 3 archive), '.h5' (legacy HDF5) or '.json' (TF.js layers model), or pass the format`);
}

/**
 * The model as files in memory, in a format: one file for `keras` and `h5`, `model.json` and its
 * shards for `tfjs`. What {@link saveModel} writes, for a browser or a server that stores bytes.
 *
 * @example
 * const { files } = await modelToFiles(model, 'keras');
 * await upload(files['model.keras']);
 */
export async function modelToFiles(model: Model, format: ModelFormat = 'keras', name?: string): Promise<{ main: string; files: Record<string, Uint8Array> }> {
  checkSavable(model);
  switch (format) {
    case 'keras': {
      const main = name ?? 'model.keras';
      return { main, files: { [main]: await kerasArchiveBytes(model, main) } };
    }
    case 'h5': {
      const main = name ?? 'model.h5';
      return { main, files: { [main]: await h5ModelBytes(model, main) } };
    }
    case 'tfjs':
      return tfjsFiles(model, name ?? 'model.json');
    default:
      throw new KerasValueError(`saveModel: unknown format '${String(format)}': expected 'keras', 'h5' or 'tfjs'`);
  }
}

/**
 * The model as the bytes of one file: a `.keras` archive (default) or a legacy `.h5`.
 * @example const bytes = await modelToBytes(model); // a .keras archive
 */
export async function modelToBytes(model: Model, format: 'keras' | 'h5' = 'keras'): Promise<Uint8Array> {
  const { main, files } = await modelToFiles(model, format);
  return files[main];
}

function checkSavable(model: Model): void {
  if (!(model instanceof Sequential) && !model.isFunctional) {
    throw new KerasNotImplementedError(`saveModel: model '${model.name}' is a subclassed ${model.className}; only Sequential and functional models can be saved whole (their config rebuilds them). Use saveWeights(model, path) for its weights`);
  }
  if (!model.built || model.outputs.length === 0) {
    throw new KerasStateError(`saveModel: model '${model.name}' has not been built yet: give its first layer an input shape, or call it on data, before saving it`);
  }
}

/**
 * Saves the whole model (config, weights and, when compiled, the training configuration), as
 * Keras' `model.save`. The format comes from the extension unless given: `.keras` (the archive
 * Keras 3 loads), `.h5` (legacy HDF5, Keras 2 layout) or `.json` (TF.js layers model; weight
 * shards are written beside it). Files are written to temporary files and renamed into place at
 * the end, so a failed save leaves existing files as they were.
 *
 * In a browser, `indexeddb://name` stores the model in IndexedDB (a `.keras` archive unless a
 * format is given; `loadModel('indexeddb://name')` reads it back), and `downloads://name` hands
 * the file to the user as a download. {@link modelToBytes} gives the bytes themselves.
 *
 * @example
 * await saveModel(model, 'model.keras');
 * await saveModel(model, 'model.h5');
 * await saveModel(model, 'indexeddb://my-model');
 */
export async function saveModel(model: Model, path: string, format?: ModelFormat): Promise<void> {
  checkSavable(model);
  const store = /^indexeddb:\/\//i.exec(path);
  if (store) {
    const { main, files } = await modelToFiles(model, format ?? 'keras');
    return saveToIndexedDB(path.slice(store[0].length), { main, files: new Map(Object.entries(files)) });
  }
  const download = /^downloads:\/\//i.exec(path);
  if (download) {
    const base = path.slice(download[0].length) || 'model';
    const fmt = format ?? (/\.(keras|h5|hdf5|json)$/i.test(base) ? formatForPath(base) : 'keras');
    const ext = { keras: '.keras', h5: '.h5', tfjs: '.json' }[fmt];
    const { files } = await modelToFiles(model, fmt, /\.(keras|h5|hdf5|json)$/i.test(base) ? base : `${base}${ext}`);
    return downloadFiles(files);
  }
  switch (format ?? formatForPath(path)) {
    case 'keras':
      return saveKerasModel(model, path);
    case 'h5':
      return saveH5Model(model, path);
    case 'tfjs':
      return saveTfjsModel(model, path);
    default:
      throw new KerasValueError(`saveModel: unknown format '${String(format)}': expected 'keras', 'h5' or 'tfjs'`);
  }
}
