/**
 * Reading and writing the files Keras writes: `.keras` archives, legacy `.h5` models, weights
 * files (`.weights.h5` in Keras 3's layout, `.h5` in Keras 2's) and TF.js layers models.
 */
export { loadModel, saveModel, modelToBytes, modelToFiles, formatForPath, type LoadOptions, type ModelFormat, type ModelSource } from './load-model.js';
export { saveWeights, loadWeights } from './weights-file.js';
export { archiveConfig } from './keras3-config.js';

import { loadModel } from './load-model.js';
import type { Model } from '../engine/model.js';

/**
 * For the conformance runner's `files` cases: loads one Keras file (any format `loadModel`
 * reads) without compiling it, ready for `predict`.
 * @example const model = await loadModelFile(join(caseRoot, c.files.keras));
 */
export function loadModelFile(path: string): Promise<Model> {
  return loadModel(path, { compile: false });
}
