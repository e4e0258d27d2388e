/**
 * Keras 2's model methods for files: `model.save`, `model.save_weights`, `model.load_weights`,
 * over the saving module (imported when called: saving imports the model classes).
 */
import { checkOptionsObject } from '../arguments/strict-args.js';
import type { ModelFormat } from '../saving/load-model.js';
import type { ModelSource } from '../saving/sources.js';
import type { Model } from './model.js';
import { KerasNotImplementedError } from '../errors.js';

/** The options of `model.save`. */
export interface SaveOptions {
  /** The format: `'keras'` (the default, a `.keras` zip), `'h5'` (Keras 2's HDF5) or `'tfjs'`; by default from the path's extension. */
  saveFormat?: ModelFormat;
}

/** The options of `model.loadWeights`. */
export interface LoadWeightsOptions {
  /** Keras 2's `by_name`: keras-ts matches weights by layer name when the saved layers and the model's have the same names, else by order; `true` is refused. */
  byName?: boolean;
}

/** `model.save(path, options)`: the whole model (architecture, weights, training config). */
export async function saveModelFile(model: Model, path: string, options: SaveOptions = {}): Promise<void> {
  checkOptionsObject(options, ['saveFormat'], `${model.className}.save`, "{ saveFormat: 'h5' }");
  const { saveModel, formatForPath } = await import('../saving/load-model.js');
  await saveModel(model, path, options.saveFormat ?? formatForPath(path));
}

/** `model.saveWeights(path)`: the weights (`.weights.h5` as Keras 3, `.h5` as Keras 2). */
export async function saveWeightsFile(model: Model, path: string): Promise<void> {
  const { saveWeights } = await import('../saving/weights-file.js');
  await saveWeights(model, path);
}

/** `model.loadWeights(source)`: weights from a file, URL or bytes, into this model. */
export async function loadWeightsFile(model: Model, source: ModelSource, options: LoadWeightsOptions = {}): Promise<void> {
  checkOptionsObject(options, ['byName'], `${model.className}.loadWeights`, '{}');
  if (options.byName) throw new KerasNotImplementedError(`${model.className}.loadWeights: byName is not supported; weights are matched by layer name when the saved layers have the model's names, else in order`);
  const { loadWeights } = await import('../saving/weights-file.js');
  await loadWeights(model, source);
}
