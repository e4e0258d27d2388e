/**
 * Weights-only files: `saveWeights(model, path)` / `loadWeights(model, path)`, as Keras'
 * `model.save_weights` / `model.load_weights`.
 *
 * - `*.weights.h5`: Keras 3's layout (`layers/<name>/vars/0`, ...), what Keras 3 writes.
 * - other `*.h5` / `*.hdf5`: Keras 2's layout (`layer_names`, per-layer `weight_names`,
 *   `dense/kernel:0`, ...), what Keras 2's `save_weights('w.h5')` writes.
 *
 * Loading goes by content, not by name: either HDF5 layout (and a legacy full-model `.h5`, whose
 * `model_weights` it reads), a `.keras` archive's weights, or a TF.js `model.json`'s weights.
 */
import { clipMessage, KerasFileError, KerasStateError, KerasValueError } from '../errors.js';
import type { Model } from '../engine/model.js';
import { getGroup, newH5Bytes, withH5Bytes } from './hdf5-sandbox.js';
import { describeContent, sniff, writeBytesAtomically } from './io.js';
import { resolveSource, type ModelSource } from './sources.js';
import { readArchive, readArchiveWeights } from './keras-format.js';
import { isKeras3Layout, readKeras3Weights, writeKeras3Weights } from './keras3-weights.js';
import { readKeras3OptimizerState } from './optimizer-state.js';
import { isLegacyLayout, readLegacyWeights, writeLegacyWeights } from './legacy-weights.js';
import { parseJson } from './model-config.js';
import { isTfjsModelJson, loadTfjsWeights } from './tfjs-format.js';

/**
 * Saves the model's weights. `.weights.h5` gets Keras 3's layout, any other `.h5`/`.hdf5` Keras
 * 2's. The file is written to a temporary file and renamed over `path` at the end.
 * @example await saveWeights(model, 'model.weights.h5');
 */
export async function saveWeights(model: Model, path: string): Promise<void> {
  if (!model.built) throw new KerasStateError(`saveWeights: model '${model.name}' is not built yet, so it has no weights to save to ${path}: build it (give it an input shape, or call it on data) first`);
  const lower = path.toLowerCase();
  if (lower.endsWith('.weights.h5')) {
    await writeBytesAtomically(path, await newH5Bytes((f) => writeKeras3Weights(f, model), path));
  } else if (lower.endsWith('.h5') || lower.endsWith('.hdf5')) {
    await writeBytesAtomically(path, await newH5Bytes((f) => writeLegacyWeights(f, model, path), path));
  } else {
    throw new KerasValueError(`saveWeights: cannot tell the format of '${path}': use a name ending in '.weights.h5' (Keras 3 layout) or '.h5' (Keras 2 layout)`);
  }
}

/**
 * Loads weights into a built model from a `.weights.h5` (Keras 3), a Keras 2 `.h5` weights file
 * or full model, a `.keras` archive or a TF.js `model.json`: a path, a URL, bytes or named files,
 * as {@link loadModel} takes them. Counts and shapes must fit; the model is unchanged when they
 * do not.
 * @example await loadWeights(model, 'model.weights.h5');
 */
export async function loadWeights(model: Model, source: ModelSource): Promise<void> {
  try {
    await loadWeightsFrom(model, source);
  } catch (e) {
    throw clipMessage(e);
  }
}

async function loadWeightsFrom(model: Model, source: ModelSource): Promise<void> {
  if (!model.built) {
    throw new KerasStateError(`loadWeights: model '${model.name}' is not built yet: build it (give it an input shape, or call it on data) before loading weights from ${typeof source === 'string' ? source : 'the source given'}`);
  }
  const { name: path, bytes, shards } = await resolveSource(source);
  const kind = sniff(bytes);
  if (kind === 'hdf5') {
    await withH5Bytes(bytes, (f) => {
      if (isLegacyLayout(f)) return readLegacyWeights(f, model, path);
      const mw = getGroup(f, 'model_weights');
      if (mw && isLegacyLayout(mw)) return readLegacyWeights(mw, model, path);
      if (isKeras3Layout(f)) {
        readKeras3Weights(f, model, path);
        return readKeras3OptimizerState(f, model, path);
      }
      throw new KerasFileError('BAD_FILE', `${path}: an HDF5 file, but not Keras weights: no 'layer_names' attribute, 'model_weights' group or 'vars'/'layers' groups (root: ${f.keys().join(', ') || 'empty'})`);
    }, path);
  } else if (kind === 'zip') {
    await readArchiveWeights(readArchive(bytes, path), model, path);
  } else if (kind === 'json') {
    const json = parseJson(new TextDecoder().decode(bytes), path, 'the file');
    if (!isTfjsModelJson(json)) throw new KerasFileError('BAD_FILE', `${path}: a JSON file without 'weightsManifest': it holds no weights`);
    await loadTfjsWeights(model, path, json, shards ?? undefined);
  } else {
    throw new KerasFileError('BAD_FILE', `${path}: not a weights file: ${describeContent(bytes)}`);
  }
}
