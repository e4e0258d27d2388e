/**
 * Reading and writing the files Keras writes: `.keras` archives, legacy `.h5` models, weights
 * files (`.weights.h5` in Keras 3's layout, `.h5` in Keras 2's) and TF.js layers models.
 */
export { saveModel, modelToBytes, modelToFiles, formatForPath, type LoadOptions, type ModelFormat, type ModelSource } from './load-model.js';
export { saveWeights, loadWeights } from './weights-file.js';
export { archiveConfig } from './keras3-config.js';

import { loadModel as loadAnyModel, type LoadOptions, type ModelSource } from './load-model.js';
import { registerBuiltinLayers } from '../layers/builtin-layers.js';
import type { Model } from '../engine/model.js';

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
 * It registers the built-in layers first ({@link registerBuiltinLayers}): a bundle that loads
 * models keeps every layer, one that does not keeps only the layers it uses.
 *
 * @example
 * const model = await loadModel('model.keras');
 * const fromWeb = await loadModel('https://example.com/models/mnist/model.json');
 * const fromInput = await loadModel(fileInput.files); // model.json + shards, or one .keras / .h5
 * const y = await model.predict(x);
 */
export function loadModel(source: ModelSource, options: LoadOptions = {}): Promise<Model> {
  registerBuiltinLayers();
  return loadAnyModel(source, options);
}

/**
 * For the conformance runner's `files` cases: loads one Keras file (any format `loadModel`
 * reads) without compiling it, ready for `predict`.
 * @example const model = await loadModelFile(join(caseRoot, c.files.keras));
 */
export function loadModelFile(path: string): Promise<Model> {
  return loadModel(path, { compile: false });
}
