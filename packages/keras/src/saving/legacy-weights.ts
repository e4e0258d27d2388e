/**
 * Keras 2's weights layout (legacy `.h5` full models under `model_weights`, and Keras 2 `.h5`
 * weight files at the root): attribute `layer_names` (every layer of `model.layers`), one group per
 * layer with attribute `weight_names` (`dense/kernel:0`, ...), and each weight as a dataset at
 * that name inside the layer's group (`model_weights/dense/dense/kernel:0`). Per layer, the order
 * is Keras 2's `trainable_weights + non_trainable_weights`.
 */
import type { Layer } from '../engine/layer.js';
import { KERAS_VERSION } from '../engine/model.js';
import type { Model } from '../engine/model.js';
import type { Variable } from '../engine/variable.js';
import { datasetShape, getDataset, getGroup, readStringListAttr, readTensor, writeStringListAttr, writeTensor, writeVlenStringAttr, type H5Group } from './hdf5-sandbox.js';
import { assignAll, checkFits, describeWeights, ownWeights, type WeightAssignment } from './weight-match.js';
import { describeValue, KerasFileError } from '../errors.js';
import { checkLimit, getLimits, type Limits } from '../limits/file-limits.js';

/** A layer's weights in Keras 2's saving order: trainable, then non-trainable. */
export function legacyWeights(layer: Layer): Variable[] {
  return [...layer.trainableWeights, ...layer.nonTrainableWeights];
}

/**
 * Keras 2's names of a layer's weights: the variable path scoped by the layer (`dense/kernel:0`,
 * `lstm/lstm_cell/kernel:0`), made unique within the layer.
 */
export function legacyWeightNames(layer: Layer, weights: readonly Variable[] = legacyWeights(layer)): string[] {
  const seen = new Set<string>();
  return weights.map((w) => {
    const base = w.path.startsWith(`${layer.name}/`) ? w.path : `${layer.name}/${w.path}`;
    let name = `${base}:0`;
    for (let k = 1; seen.has(name); k++) name = `${base}_${k}:0`;
    seen.add(name);
    return name;
  });
}

/** The backend name written into Keras 2 files. */
export const LEGACY_BACKEND = 'tensorflow';

/** Writes `model_weights` (or a Keras 2 weights file's root) into `g`. */
export function writeLegacyWeights(g: H5Group, model: Model, file: string): void {
  const layers = model.layers;
  writeStringListAttr(g, 'layer_names', layers.map((l) => l.name), file);
  writeVlenStringAttr(g, 'backend', LEGACY_BACKEND, 'ascii');
  writeVlenStringAttr(g, 'keras_version', KERAS_VERSION, 'ascii');
  for (const layer of [...layers].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const lg = g.create_group(layer.name);
    const ws = legacyWeights(layer);
    const names = legacyWeightNames(layer, ws);
    writeStringListAttr(lg, 'weight_names', names, file);
    ws.forEach((w, i) => writeTensor(lg, names[i], w.value));
  }
  // Keras 3 also records weights the model owns directly; Keras 2's loader ignores the group.
  const top = g.create_group('top_level_model_weights');
  const own = ownWeights(model);
  const ownNames = own.map((w) => `${w.path}:0`);
  writeStringListAttr(top, 'weight_names', ownNames, file);
  own.forEach((w, i) => writeTensor(top, ownNames[i], w.value));
}

/** Whether a group holds Keras 2's layout (`layer_names`, possibly split in `layer_names0`, ...). */
export function isLegacyLayout(g: H5Group): boolean {
  return readStringListAttr(g, 'layer_names') !== null;
}

interface SavedLayer {
  name: string;
  group: H5Group;
  weightNames: string[];
}

/**
 * Reads weights in Keras 2's layout into the model. Layers are matched by name when every saved
 * layer that has weights names a layer of the model; otherwise by order among the layers that
 * have weights (what Keras 2's `load_weights` does). Within a layer, weights go in order.
 */
export function readLegacyWeights(g: H5Group, model: Model, file: string, limits: Readonly<Limits> = getLimits()): void {
  const layerNames = readStringListAttr(g, 'layer_names');
  if (layerNames === null) throw new KerasFileError('BAD_FILE', `${file}: not a Keras weights file: it has no 'layer_names' attribute`);
  // Each name costs a group lookup: a list longer than any model could be is refused first.
  checkLimit('maxLayers', layerNames.length, `${file}: 'layer_names' lists ${layerNames.length} layers`, limits);
  const listed = new Set<string>();
  for (const name of layerNames) {
    if (listed.has(name)) throw new KerasFileError('BAD_FILE', `${file}: 'layer_names' lists ${describeValue(name)} twice; Keras writes each layer once`);
    listed.add(name);
  }
  const saved: SavedLayer[] = [];
  for (const name of layerNames) {
    const group = getGroup(g, name);
    if (!group) throw new KerasFileError('BAD_FILE', `${file}: layer_names lists '${name}', but the file has no group '${name}'`);
    const weightNames = readStringListAttr(group, 'weight_names') ?? [];
    if (weightNames.length) saved.push({ name, group, weightNames });
  }
  const layers = model.layers.filter((l) => legacyWeights(l).length > 0);
  const byName = new Map(layers.map((l) => [l.name, l]));
  let pairs: [Layer, SavedLayer][];
  // By name through a map: linear in the layers, however long the file's list.
  const savedByName = new Map(saved.map((s) => [s.name, s]));
  if (saved.every((s) => byName.has(s.name)) && layers.every((l) => savedByName.has(l.name))) {
    pairs = layers.map((l) => [l, savedByName.get(l.name)!]);
  } else if (saved.length === layers.length) {
    pairs = layers.map((l, i) => [l, saved[i]]);
  } else {
    throw new KerasFileError('BAD_FILE',
      `${file}: the file has weights for ${saved.length} layer(s) (${saved.map((s) => s.name).join(', ') || 'none'}), ` +
        `the model has ${layers.length} layer(s) with weights (${layers.map((l) => l.name).join(', ') || 'none'})`,
    );
  }
  const assignments: WeightAssignment[] = [];
  for (const [layer, s] of pairs) {
    const ws = legacyWeights(layer);
    if (ws.length !== s.weightNames.length) {
      throw new KerasFileError('BAD_FILE',
        `${file}: layer '${layer.name}' (${layer.className}) has ${ws.length} weight(s) (${describeWeights(ws)}), ` +
          `but the file's layer '${s.name}' has ${s.weightNames.length} (${s.weightNames.join(', ')})`,
      );
    }
    ws.forEach((w, i) => {
      const n = s.weightNames[i];
      const ds = getDataset(s.group, n);
      if (!ds) throw new KerasFileError('BAD_FILE', `${file}: the group '${s.name}' lists weight '${n}' but has no such dataset`);
      const target = { variable: w, layer: layer.name, source: `${s.name}/${n}` };
      checkFits(file, target, datasetShape(ds, `${file}: ${s.name}/${n}`));
      assignments.push({ ...target, value: readTensor(ds, w.dtype, `${file}: ${s.name}/${n}`, w.shape) });
    });
  }
  const top = getGroup(g, 'top_level_model_weights');
  const topNames = top ? readStringListAttr(top, 'weight_names') ?? [] : [];
  const own = ownWeights(model);
  if (topNames.length !== own.length && (topNames.length || own.length)) {
    throw new KerasFileError('BAD_FILE', `${file}: the model owns ${own.length} weight(s) directly (${describeWeights(own)}), the file's top_level_model_weights has ${topNames.length}`);
  }
  own.forEach((w, i) => {
    const ds = getDataset(top!, topNames[i]);
    if (!ds) throw new KerasFileError('BAD_FILE', `${file}: top_level_model_weights lists '${topNames[i]}' but has no such dataset`);
    const target = { variable: w, layer: model.name, source: `top_level_model_weights/${topNames[i]}` };
    checkFits(file, target, datasetShape(ds, `${file}: ${target.source}`));
    assignments.push({ ...target, value: readTensor(ds, w.dtype, `${file}: ${target.source}`, w.shape) });
  });
  assignAll(file, assignments);
}
