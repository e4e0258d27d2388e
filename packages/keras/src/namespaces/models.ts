/**
 * `keras.models`: `Model`, `Sequential`, and loading and saving (`loadModel` / `load_model`,
 * `saveModel` / `save_model`, `modelFromJSON` / `model_from_json`).
 * @example const model = new models.Sequential([new layers.Dense({ units: 1, inputShape: [3] })]);
 * @module
 */
import { loadModel, saveModel } from '../saving/index.js';
import { modelFromJSON } from '../model-from-json.js';

export { Model } from '../engine/model.js';
export { Sequential } from '../engine/sequential.js';
export { loadModel, saveModel, modelFromJSON };
/** Keras' name for {@link loadModel}. */
export const load_model = loadModel;
/** Keras' name for {@link saveModel}. */
export const save_model = saveModel;
/** Keras' name for {@link modelFromJSON}. */
export const model_from_json = modelFromJSON;
