/**
 * Keras 3's weights layout (`model.weights.h5` inside `.keras`, and `.weights.h5` files): each
 * object's own variables in a group `<path>/vars` as datasets `0`, `1`, ... (trainable first, then
 * non-trainable, in creation order), with the object's name in the attribute `name`. Paths follow
 * the object tree, not layer names: a model's layers sit in `layers/<class>` named by Keras'
 * snake_case class name, numbered `dense`, `dense_1`, ... in the order of `model.layers`;
 * sublayers sit under their attribute name (`lstm/cell`, `bidirectional/forward_layer`).
 */
import { KerasFileError } from '../errors.js';
import { camelToSnake, toSnakeCase } from '../naming.js';
import { Layer } from '../engine/layer.js';
import { Model } from '../engine/model.js';
import type { Variable } from '../engine/variable.js';
import { datasetShape, getDataset, getGroup, readStringAttr, readTensor, ensureGroup, writeTensor, writeVlenStringAttr, type H5Group } from './hdf5-sandbox.js';
import { writeKeras3OptimizerState } from './optimizer-state.js';
import { assignAll, checkFits, describeWeights, kerasClassName, ownWeights, type WeightAssignment } from './weight-match.js';

/** Where Keras 3 keeps sublayers whose attribute name differs from our property's snake_case. */
const ATTRIBUTE_NAMES: Record<string, Record<string, string>> = {
  MultiHeadAttention: { queryDense: '_query_dense', keyDense: '_key_dense', valueDense: '_value_dense', outputDense: '_output_dense' },
};

/** Keras sorts attribute names with private ones (leading `_`) last. */
const nameKey = (s: string) => (s.startsWith('_') ? `~${s}` : s);

type Child = [attr: string, value: Layer | Layer[]];

function childrenOf(layer: Layer): Child[] {
  if (layer instanceof Model) return [['layers', layer.layers]];
  const renames = ATTRIBUTE_NAMES[kerasClassName(layer)] ?? {};
  const out: Child[] = [];
  for (const [prop, v] of Object.entries(layer)) {
    if (v instanceof Layer && v !== layer) out.push([renames[prop] ?? camelToSnake(prop), v]);
    else if (Array.isArray(v) && v.length && v.every((x) => x instanceof Layer)) out.push([renames[prop] ?? camelToSnake(prop), v as Layer[]]);
  }
  return out.sort((a, b) => (nameKey(a[0]) < nameKey(b[0]) ? -1 : nameKey(a[0]) > nameKey(b[0]) ? 1 : 0));
}

/** One object of the tree: its path, name and own variables. */
export interface Keras3Entry {
  path: string;
  layer: Layer;
  variables: Variable[];
  /** The model layer this object belongs to (itself for a model's layers; null for the model). */
  owner: Layer | null;
}

const join = (a: string, b: string) => (a ? `${a}/${b}` : b);

/** Every object of the model's tree, in Keras 3's visiting order (shared objects once). */
export function keras3Entries(model: Layer): Keras3Entry[] {
  const out: Keras3Entry[] = [];
  const visited = new Set<Layer>();
  const visit = (layer: Layer, path: string, owner: Layer | null) => {
    if (visited.has(layer)) return;
    visited.add(layer);
    out.push({ path, layer, variables: ownWeights(layer), owner });
    for (const [attr, child] of childrenOf(layer)) {
      if (child instanceof Layer) visit(child, join(path, attr), owner);
      else {
        const used = new Map<string, number>();
        for (const l of child) {
          const base = toSnakeCase(kerasClassName(l));
          const k = used.get(base);
          used.set(base, k === undefined ? 0 : k + 1);
          visit(l, join(join(path, attr), k === undefined ? base : `${base}_${k + 1}`), layer instanceof Model ? l : owner);
        }
      }
    }
  };
  visit(model, '', null);
  return out;
}

const varsPath = (path: string) => join(path, 'vars');

/** The path with the sublayer segments after the first `keep` characters spelled with a leading `_` toggled. */
function otherSpelling(path: string, keep: number): string {
  const rest = path.slice(keep).split('/').map((seg) => (seg === '' ? seg : seg.startsWith('_') ? seg.slice(1) : `_${seg}`));
  return path.slice(0, keep) + rest.join('/');
}

/** `layer 'lstm' (LSTM), sublayer 'lstm_cell' (LSTMCell)` for messages. */
function describeEntry(e: Keras3Entry): string {
  const self = `'${e.layer.name}' (${kerasClassName(e.layer)})`;
  if (!e.owner) return `model ${self}`;
  if (e.owner === e.layer) return `layer ${self}`;
  return `layer '${e.owner.name}' (${kerasClassName(e.owner)}), sublayer ${self}`;
}

/**
 * Writes the model's variables in Keras 3's layout below `root`, and a compiled model's optimizer
 * variables in `optimizer/vars` (see optimizer-state.ts), as Keras 3 does.
 */
export function writeKeras3Weights(root: H5Group, model: Layer): void {
  for (const e of keras3Entries(model)) {
    const g = ensureGroup(root, varsPath(e.path));
    writeVlenStringAttr(g, 'name', e.layer.name, 'utf8');
    e.variables.forEach((v, i) => writeTensor(g, String(i), v.value));
  }
  writeKeras3OptimizerState(root, model);
}

/** Whether a file's root looks like Keras 3's layout (a `vars` group, and `layers` for models). */
export function isKeras3Layout(root: H5Group): boolean {
  const keys = root.keys();
  return keys.includes('vars') || keys.includes('layers');
}

/**
 * Keras 3 numbers a model's layers in the order of `model.layers`. When the file's groups carry
 * exactly the model's (unique) layer names but at other positions, the file was written with the
 * layers in another order: follow the names. Returns our path -> the file's path for the
 * top-level layers that move (empty when the positions agree, or names do not identify layers).
 */
function layerOrderRemap(root: H5Group, entries: readonly Keras3Entry[]): Map<string, string> {
  const top = entries.filter((e) => /^layers\/[^/]+$/.test(e.path));
  const layersGroup = getGroup(root, 'layers');
  if (!layersGroup || top.length === 0) return new Map();
  const savedName = new Map<string, string>();
  for (const k of layersGroup.keys()) {
    const vars = getGroup(layersGroup, `${k}/vars`);
    const n = vars ? readStringAttr(vars, 'name') : null;
    if (n !== null) savedName.set(`layers/${k}`, n);
  }
  if (top.every((e) => savedName.get(e.path) === e.layer.name)) return new Map();
  const names = top.map((e) => e.layer.name);
  const fileByName = new Map([...savedName].map(([p, n]) => [n, p]));
  const unique = (xs: string[]) => new Set(xs).size === xs.length;
  if (!unique(names) || !unique([...savedName.values()]) || savedName.size !== top.length || !names.every((n) => fileByName.has(n))) return new Map();
  return new Map(top.map((e) => [e.path, fileByName.get(e.layer.name)!]));
}

/**
 * Reads the model's variables from Keras 3's layout below `root`: by path, as Keras 3 does.
 * Counts and shapes must fit; nothing is assigned unless everything does.
 */
export function readKeras3Weights(root: H5Group, model: Layer, file: string): void {
  const assignments: WeightAssignment[] = [];
  const present = () => {
    const g = getGroup(root, 'layers');
    return g ? g.keys().join(', ') : '(no layers group)';
  };
  const entries = keras3Entries(model);
  const remap = layerOrderRemap(root, entries);
  for (const e of entries) {
    const prefix = e.path.split('/').slice(0, 2).join('/');
    const mapped = remap.get(prefix);
    const path = mapped ? mapped + e.path.slice(prefix.length) : e.path;
    let where = varsPath(path);
    let g = getGroup(root, where);
    // Keras 3.16 keeps a sublayer held in a private attribute under `_name`, 3.15 under `name`.
    const other = varsPath(otherSpelling(path, prefix.length));
    if (!g && other !== where && (g = getGroup(root, other))) where = other;
    const label = describeEntry(e);
    if (!g) {
      if (e.variables.length === 0) continue;
      throw new KerasFileError('BAD_FILE', `${file}: no weights for ${label}: expected the group '${where}' (Keras 3 layout); the file's layers are: ${present()}`);
    }
    const keys = g.keys().filter((k) => /^\d+$/.test(k));
    const savedAs = readStringAttr(g, 'name');
    if (keys.length !== e.variables.length) {
      throw new KerasFileError('BAD_FILE',
        `${file}: ${label} has ${e.variables.length} weight(s) (${describeWeights(e.variables)}), ` +
          `but the group '${where}'${savedAs && savedAs !== e.layer.name ? ` (saved from '${savedAs}')` : ''} holds ${keys.length}`,
      );
    }
    e.variables.forEach((v, i) => {
      const ds = getDataset(g, String(i));
      if (!ds) throw new KerasFileError('BAD_FILE', `${file}: ${label}: the group '${where}' has no dataset '${i}'`);
      const source = `${where}/${i}`;
      const target = { variable: v, layer: e.layer.name, source };
      checkFits(file, target, datasetShape(ds, `${file}: ${source}`));
      assignments.push({ ...target, value: readTensor(ds, v.dtype, `${file}: ${source}`, v.shape) });
    });
  }
  assignAll(file, assignments);
}
