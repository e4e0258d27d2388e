/**
 * A compiled model's optimizer state in files, in `Optimizer.variables` order (Keras 3's:
 * iterations, the learning rate unless a schedule gives it, then the slots):
 * - Keras 3 layout (`model.weights.h5` of `.keras`, and `.weights.h5`): datasets `0`, `1`, ... of
 *   the group `optimizer/vars`, with the optimizer's name in the attribute `name`;
 * - legacy `.h5` (as Keras 3's legacy saver writes it): the group `optimizer_weights` whose
 *   attribute `weight_names` lists the datasets (`<optimizer>/<variable>`) in order.
 * Loading builds the optimizer for the model's trainable weights first, as Keras does, so that
 * its slots exist. A state that does not fit (another optimizer or model) is skipped with a
 * warning, as Keras skips it; the model's weights load either way.
 */
import type { HostTensor } from '@keras-ts/spec';
import { Model } from '../engine/model.js';
import type { Layer } from '../engine/layer.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { datasetShape, ensureGroup, getDataset, getGroup, readStringListAttr, readTensor, writeStringListAttr, writeTensor, writeVlenStringAttr, type H5Dataset, type H5Group } from './hdf5-sandbox.js';

const KERAS3_GROUP = 'optimizer/vars';
const LEGACY_GROUP = 'optimizer_weights';

/** The optimizer of a compiled model (null otherwise). */
function compiledOptimizer(model: Layer): Optimizer | null {
  return model instanceof Model && model.isCompiled ? model.optimizer : null;
}

/** Writes a compiled model's optimizer variables in Keras 3's layout below `root`. */
export function writeKeras3OptimizerState(root: H5Group, model: Layer): void {
  const opt = compiledOptimizer(model);
  if (!opt) return;
  const g = ensureGroup(root, KERAS3_GROUP);
  writeVlenStringAttr(g, 'name', opt.name, 'utf8');
  opt.variables.forEach((v, i) => writeTensor(g, String(i), v.value));
}

/**
 * The name of an optimizer variable in a legacy file, as Keras 3's legacy saver names them:
 * `<optimizer>/iteration`, `<optimizer>/learning_rate`, `<optimizer>/<model>_<layer>_<weight>_<slot>`.
 */
function legacyName(opt: Optimizer, model: Layer, path: string): string {
  const own = path.startsWith(`${opt.name}/`) ? path.slice(opt.name.length + 1) : path;
  if (own === 'iterations') return `${opt.name}/iteration`;
  if (own === 'learning_rate' || own === 'u_product') return `${opt.name}/${own}`;
  return `${opt.name}/${model.name}_${own.replace(/\//g, '_')}`;
}

/** Writes a compiled model's optimizer variables into a legacy `.h5` file's root. */
export function writeLegacyOptimizerState(root: H5Group, model: Layer, file: string): void {
  const opt = compiledOptimizer(model);
  if (!opt) return;
  const g = root.create_group(LEGACY_GROUP);
  const vars = opt.variables;
  const names = vars.map((v) => legacyName(opt, model, v.path));
  writeStringListAttr(g, 'weight_names', names, `${file}: optimizer weight names`);
  vars.forEach((v, i) => writeTensor(ensureGroup(g, names[i].split('/').slice(0, -1).join('/')), names[i].split('/').at(-1)!, v.value));
}

/** Restores the state from datasets listed in order; skips (with a warning) when it does not fit. */
function restore(model: Model, opt: Optimizer, file: string, datasets: readonly { where: string; ds: H5Dataset | null }[]): void {
  opt.build(model.trainableWeights);
  const vars = opt.variables;
  const skip = (why: string) => console.warn(`${file}: the optimizer state was not loaded (${why}); training starts from a fresh '${opt.name}' state`);
  if (datasets.length !== vars.length) return skip(`the file holds ${datasets.length} optimizer variable(s), the model's ${opt.name} has ${vars.length}`);
  const values: HostTensor[] = [];
  for (let i = 0; i < vars.length; i++) {
    const { where, ds } = datasets[i];
    if (!ds) return skip(`no dataset '${where}'`);
    const shape = datasetShape(ds, `${file}: ${where}`);
    if (shape.length !== vars[i].shape.length || shape.some((d, k) => d !== vars[i].shape[k])) {
      return skip(`'${where}' has shape [${shape.join(', ')}] where '${vars[i].path}' has [${vars[i].shape.join(', ')}]`);
    }
    values.push(readTensor(ds, vars[i].dtype, `${file}: ${where}`, vars[i].shape));
  }
  opt.setWeights(values);
}

/** Restores a compiled model's optimizer state from Keras 3's `optimizer/vars`, if the file has it. */
export function readKeras3OptimizerState(root: H5Group, model: Layer, file: string): void {
  const opt = compiledOptimizer(model);
  const g = getGroup(root, KERAS3_GROUP);
  if (!opt || !g || !(model instanceof Model)) return;
  const keys = g.keys().filter((k) => /^\d+$/.test(k));
  restore(model, opt, file, keys.map((_, i) => ({ where: `${KERAS3_GROUP}/${i}`, ds: getDataset(g, String(i)) })));
}

/** Restores a compiled model's optimizer state from a legacy file's `optimizer_weights`, if it has it. */
export function readLegacyOptimizerState(root: H5Group, model: Layer, file: string): void {
  const opt = compiledOptimizer(model);
  const g = getGroup(root, LEGACY_GROUP);
  if (!opt || !g || !(model instanceof Model)) return;
  const names = readStringListAttr(g, 'weight_names') ?? [];
  // Keras 2 (tf.keras) names them `Adam/dense/kernel/m:0` and orders them its own way (its
  // optimizers before 2.11 made all `m` slots, then all `v`): not read, rather than misplaced.
  if (names.some((n) => n.endsWith(':0'))) {
    console.warn(`${file}: the optimizer state was not loaded (it was written by Keras 2, whose optimizer variables are ordered differently); training starts from a fresh '${opt.name}' state`);
    return;
  }
  restore(model, opt, file, names.map((n) => ({ where: `${LEGACY_GROUP}/${n}`, ds: getDataset(g, n) })));
}
