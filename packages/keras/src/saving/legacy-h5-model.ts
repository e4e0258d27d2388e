/**
 * The legacy HDF5 full-model format (`model.save('model.h5')`): root attributes `keras_version`,
 * `backend`, `model_config` (the model's JSON) and `training_config` (when compiled); the weights
 * in Keras 2's layout under `model_weights`. Reads files written by Keras 2 and by Keras 3's legacy
 * saver; writes Keras 2's layout, and a compiled model's optimizer state in `optimizer_weights`
 * as Keras 3's legacy saver writes it (see optimizer-state.ts).
 */
import { interchangeConfig } from '../serialization/interchange.js';
import { KerasFileError } from '../errors.js';
import type { Model } from '../engine/model.js';
import { KERAS_VERSION } from '../engine/model.js';
import { compileFromConfig, trainingConfigOf } from './compile-config.js';
import { attrDeclaredBytes, getGroup, readStringAttr, newH5Bytes, withH5Bytes, writeVlenStringAttr, type H5Group } from './hdf5-sandbox.js';
import { checkLimit, showBytes } from '../limits/file-limits.js';
import { readBytes, writeBytesAtomically } from './io.js';
import { isLegacyLayout, LEGACY_BACKEND, readLegacyWeights, writeLegacyWeights } from './legacy-weights.js';
import { loadLimits, modelFromSpecWithin, parseJson, type LoadOptions } from './model-config.js';
import { readLegacyOptimizerState, writeLegacyOptimizerState } from './optimizer-state.js';

/** Writes the root attributes and `model_weights` of a legacy `.h5` model into an open file. */
export function writeH5Model(root: H5Group, model: Model, file: string): void {
  writeVlenStringAttr(root, 'keras_version', KERAS_VERSION, 'utf8');
  writeVlenStringAttr(root, 'backend', LEGACY_BACKEND, 'utf8');
  // The dialect Keras 2 and Keras 3 both read (serialization/interchange.ts).
  const config = interchangeConfig(model.wireClassName, model.getConfig(), { inputDtype: model.inputs[0]?.dtype, inputKey: 'batch_input_shape' });
  writeVlenStringAttr(root, 'model_config', JSON.stringify({ class_name: model.wireClassName, config }), 'ascii');
  const training = trainingConfigOf(model);
  if (training) writeVlenStringAttr(root, 'training_config', JSON.stringify(training), 'ascii');
  writeLegacyWeights(root.create_group('model_weights'), model, file);
  writeLegacyOptimizerState(root, model, file);
}

/**
 * Saves a model as a legacy `.h5` file (Keras 2's layout), through a temporary file renamed over
 * the target at the end.
 */
export async function saveH5Model(model: Model, file: string): Promise<void> {
  await writeBytesAtomically(file, await h5ModelBytes(model, file));
}

/** A model as the bytes of a legacy `.h5` file (`file` names it in messages). */
export function h5ModelBytes(model: Model, file: string): Promise<Uint8Array> {
  return newH5Bytes((f) => writeH5Model(f, model, file), file);
}

/** Loads a legacy `.h5` full model (the file is known to be HDF5). */
export async function loadH5Model(file: string, options: LoadOptions = {}, bytes?: Uint8Array): Promise<Model> {
  const limits = loadLimits(options);
  const data = bytes ?? (await readBytes(file, limits));
  const size = data.length;
  return withH5Bytes(data, (f) => {
    // A fixed-length attribute's size is in its header: held to the limit before it is read.
    const declared = attrDeclaredBytes(f, 'model_config');
    if (declared !== null) checkLimit('maxConfigBytes', declared, `${file}: its 'model_config' attribute declares ${showBytes(declared)}`, limits);
    const configText = readStringAttr(f, 'model_config');
    if (configText === null) {
      const weightsOnly = isLegacyLayout(f) || f.keys().includes('vars') || f.keys().includes('layers');
      throw new KerasFileError('BAD_FILE',
        weightsOnly
          ? `${file}: holds weights only (no 'model_config' attribute); build the model and use loadWeights(model, '${file}')`
          : `${file}: not a Keras model file: it has no 'model_config' attribute (root groups: ${f.keys().join(', ') || 'none'})`,
      );
    }
    const spec = parseJson(configText, file, "the 'model_config' attribute", limits);
    // The config may not declare more weights than the file can hold.
    const model = modelFromSpecWithin(spec, file, size, 'the whole file', options.customObjects, limits);
    const weights = getGroup(f, 'model_weights');
    if (!weights) throw new KerasFileError('BAD_FILE', `${file}: has a model_config but no 'model_weights' group`);
    readLegacyWeights(weights, model, file, limits);
    const training = readStringAttr(f, 'training_config');
    if ((options.compile ?? true) && training) {
      compileFromConfig(model, parseJson(training, file, "the 'training_config' attribute", limits), file, options.customObjects);
      readLegacyOptimizerState(f, model, file);
    }
    return model;
  }, file, limits);
}
