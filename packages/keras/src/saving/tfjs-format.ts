/**
 * TensorFlow.js' layers-model format: `model.json` with `modelTopology` (the model's Keras JSON,
 * either the config itself or `{model_config, keras_version, backend, training_config}` as the
 * converter writes it) and `weightsManifest` (`[{paths, weights: [{name, shape, dtype,
 * quantization?}]}]`); the weights of a group are its binary shards concatenated in order, each
 * weight taking its bytes in turn. Quantized weights are dequantized (`uint8`/`uint16`:
 * `q * scale + min`; `float16`).
 */
import { sizeOf, type DType } from '@keras-ts/spec';
import { KERAS_VERSION, type Model } from '../engine/model.js';
import type { Variable } from '../engine/variable.js';
import { Tensor } from '../tensor.js';
import { compileFromConfig, trainingConfigOf } from './compile-config.js';
import { decodeFloat16 } from './hdf5-sandbox.js';
import { nodeModules, removeQuietly, tempPathBeside } from './io.js';
import { checkShardPath, fileShards, type ShardSource } from './shards.js';
import { crc32 } from './zip-reader.js';
import { checkDeclaredShape, describeValue, KerasFileError, KerasNotImplementedError } from '../errors.js';
import { legacyWeightNames, legacyWeights, LEGACY_BACKEND } from './legacy-weights.js';
import { loadLimits, modelFromSpecWithin, type LoadOptions } from './model-config.js';
import { checkLimit, getLimits, type Limits } from '../limits/file-limits.js';
import { assignAll, describeWeights, type WeightAssignment } from './weight-match.js';

interface ManifestWeight {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; scale?: number; min?: number; original_dtype?: string };
}

interface ManifestGroup {
  paths: string[];
  weights: ManifestWeight[];
}

/** The converter's default shard size (4 MiB). */
const SHARD_BYTES = 4 * 1024 * 1024;

/** Every model weight with its TF.js name (Keras 2's name without `:0`), in Keras 2's saving order. */
function namedWeights(model: Model): { name: string; variable: Variable; layer: string }[] {
  const out: { name: string; variable: Variable; layer: string }[] = [];
  const seen = new Set<Variable>();
  for (const layer of model.layers) {
    const ws = legacyWeights(layer);
    const names = legacyWeightNames(layer, ws);
    ws.forEach((w, i) => {
      if (seen.has(w)) return;
      seen.add(w);
      out.push({ name: names[i].replace(/:0$/, ''), variable: w, layer: layer.name });
    });
  }
  return out;
}

/** A TF.js layers model as files: `model.json` (named `<stem>.json`) and its shards, by file name. */
export interface TfjsFiles {
  /** The model.json file's name (`model.json`, or `<stem>.json`). */
  readonly main: string;
  readonly files: Record<string, Uint8Array>;
}

/**
 * The model in TF.js' layers-model format, in memory: `model.json` and its shards
 * (`group1-shard1of1.bin`, ..., prefixed with the stem when it is not `model`, so that several
 * models can share a folder).
 */
export function tfjsFiles(model: Model, jsonName = 'model.json'): TfjsFiles {
  const weights = namedWeights(model);
  const manifestWeights: ManifestWeight[] = [];
  const chunks: Uint8Array[] = [];
  for (const { name, variable } of weights) {
    const v = variable.value;
    if (v.dtype !== 'float32' && v.dtype !== 'int32') throw new KerasNotImplementedError(`cannot save ${jsonName}: weight '${name}' is ${v.dtype}; TF.js files hold float32 and int32 weights`);
    const data = v.dtype === 'float32' ? Float32Array.from(v.data) : Int32Array.from(v.data);
    chunks.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    manifestWeights.push({ name, shape: [...v.shape], dtype: v.dtype });
  }
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) (all.set(c, at), (at += c.length));
  const nShards = Math.max(1, Math.ceil(total / SHARD_BYTES));
  const stem = jsonName.replace(/\.json$/i, '');
  const prefix = stem === 'model' ? '' : `${stem}.`;
  const shardNames = Array.from({ length: nShards }, (_, i) => `${prefix}group1-shard${i + 1}of${nShards}.bin`);
  const training = trainingConfigOf(model);
  const json = {
    format: 'layers-model',
    generatedBy: `keras v${KERAS_VERSION}`,
    convertedBy: 'keras-ts',
    modelTopology: {
      keras_version: KERAS_VERSION,
      backend: LEGACY_BACKEND,
      model_config: { class_name: model.wireClassName, config: model.getConfig() },
      ...(training ? { training_config: training } : {}),
    },
    weightsManifest: [{ paths: shardNames, weights: manifestWeights }],
  };
  const files: Record<string, Uint8Array> = { [jsonName]: new TextEncoder().encode(JSON.stringify(json)) };
  shardNames.forEach((n, i) => (files[n] = all.subarray(i * SHARD_BYTES, Math.min(total, (i + 1) * SHARD_BYTES))));
  return { main: jsonName, files };
}

/**
 * Saves the model in TF.js' layers-model format: `file` is the `model.json`, the shards go beside
 * it, named by their content (`group1-shard1of1.<crc32>.bin`). The save is atomic as a whole:
 * the shards are written first under new names (a shard of the same name already holds the same
 * bytes), and `model.json` is renamed into place last, so until that rename the folder holds the
 * previous model whole, and after it the new one. Shards of the previous `model.json` that the new
 * one does not use are removed afterwards; a failure removes what this save wrote.
 */
export async function saveTfjsModel(model: Model, file: string): Promise<void> {
  const { fs, path } = await nodeModules();
  const dir = path.dirname(file);
  const jsonName = path.basename(file);
  const { files } = tfjsFiles(model, jsonName);
  const st = await fs.stat(dir).catch(() => null);
  if (!st?.isDirectory()) throw new KerasFileError('BAD_FILE', `cannot save to ${file}: the directory ${dir} does not exist`);
  // Content-addressed shard names, and the manifest that names them.
  const json = JSON.parse(new TextDecoder().decode(files[jsonName])) as { weightsManifest: { paths: string[] }[] };
  const shards = new Map<string, Uint8Array>();
  for (const g of json.weightsManifest) {
    g.paths = g.paths.map((p) => {
      const named = p.replace(/\.bin$/, `.${crc32(files[p]).toString(16).padStart(8, '0')}.bin`);
      shards.set(named, files[p]);
      return named;
    });
  }
  const previous = await previousShards(file);
  const written: string[] = [];
  const tmpJson = await tempPathBeside(file);
  try {
    for (const [name, bytes] of shards) {
      const target = path.join(dir, name);
      const tmp = await tempPathBeside(target);
      written.push(tmp);
      await fs.writeFile(tmp, bytes);
      await fs.rename(tmp, target);
      written[written.length - 1] = target;
    }
    await fs.writeFile(tmpJson, JSON.stringify(json));
    await fs.rename(tmpJson, file);
  } catch (e) {
    await removeQuietly(tmpJson);
    // Only shards no previous model uses: a shard of the same content may be the previous model's.
    for (const f of written) if (!previous.has(path.basename(f))) await removeQuietly(f);
    throw new KerasFileError('BAD_FILE', `cannot save ${file}: ${(e as Error).message}`);
  }
  for (const old of previous) if (!shards.has(old)) await removeQuietly(path.join(dir, old));
}

/** The shard file names (inside its folder) that the `model.json` at `file` uses now, if any. */
async function previousShards(file: string): Promise<Set<string>> {
  const { fs } = await nodeModules();
  const out = new Set<string>();
  try {
    const json = JSON.parse(await fs.readFile(file, 'utf8')) as { weightsManifest?: { paths?: unknown }[] };
    for (const g of json.weightsManifest ?? []) {
      for (const p of Array.isArray(g.paths) ? g.paths : []) if (typeof p === 'string' && /^[^/\\]+$/.test(p) && p !== '.' && p !== '..') out.add(p);
    }
  } catch {
    // no previous model (or not one of ours): nothing to clean up
  }
  return out;
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** Decodes one manifest weight from its bytes (dequantizing when quantized). */
function decodeWeight(w: ManifestWeight, bytes: Uint8Array, want: DType): Tensor {
  const n = sizeOf(w.shape);
  const q = w.quantization;
  const out = new Float32Array(n);
  const copy = bytes.slice();
  const buf = copy.buffer;
  if (q) {
    if (q.dtype === 'uint8' || q.dtype === 'uint16') {
      const src = q.dtype === 'uint8' ? new Uint8Array(buf, 0, n) : new Uint16Array(buf, 0, n);
      const scale = q.scale ?? 1;
      const min = q.min ?? 0;
      for (let i = 0; i < n; i++) out[i] = src[i] * scale + min;
    } else if (q.dtype === 'float16') out.set(decodeFloat16(copy, n));
    else throw new KerasNotImplementedError(`quantization dtype '${q.dtype}' is not supported (uint8, uint16 and float16 are)`);
  } else if (w.dtype === 'float32') out.set(new Float32Array(buf, 0, n));
  else if (w.dtype === 'int32') out.set(new Int32Array(buf, 0, n));
  else if (w.dtype === 'bool') out.set(new Uint8Array(buf, 0, n));
  else throw new KerasNotImplementedError(`dtype '${w.dtype}' is not supported (float32, int32 and bool are)`);
  const t = new Tensor(w.shape, 'float32', out);
  if (want === 'float32') return t;
  return new Tensor(w.shape, want, Int32Array.from(out, (x) => Math.round(x)));
}

function byteLength(w: ManifestWeight): number {
  const dt = w.quantization?.dtype ?? w.dtype;
  const b = BYTES[dt];
  if (b === undefined) throw new KerasFileError('BAD_FILE', `weight '${w.name}' has dtype '${dt}', which TF.js files cannot hold here (float32, int32, bool; quantized uint8, uint16, float16)`);
  return b * sizeOf(w.shape);
}

/**
 * Checks the manifest's structure, every weight's shape, dtype and quantization, and that every
 * shard path stays inside the model's directory (a manifest must not make the loader read
 * `/etc/passwd`, `../../secret` or `/dev/zero`).
 */
function checkManifest(m: unknown, file: string, limits: Readonly<Limits>): ManifestGroup[] {
  if (!Array.isArray(m)) throw new KerasFileError('BAD_FILE', `${file}: 'weightsManifest' must be a list of {paths, weights} groups`);
  // Each shard costs a file-system lookup (or a request): counted before any is made.
  const shards = m.reduce((n: number, g: { paths?: unknown }) => n + (g && Array.isArray(g.paths) ? g.paths.length : 0), 0);
  checkLimit('maxShards', shards, `${file}: the weightsManifest lists ${shards} shard files`, limits);
  m.forEach((g, i) => {
    const ok = g && Array.isArray(g.paths) && g.paths.every((p: unknown) => typeof p === 'string') && Array.isArray(g.weights) && g.weights.every((w: ManifestWeight) => w && typeof w.name === 'string' && Array.isArray(w.shape) && typeof w.dtype === 'string');
    if (!ok) throw new KerasFileError('BAD_FILE', `${file}: weightsManifest group ${i} must be {paths: [string], weights: [{name, shape, dtype}]}`);
    for (const w of g.weights as ManifestWeight[]) {
      const what = `${file}: weight ${describeValue(w.name)}`;
      checkDeclaredShape(w.shape, what);
      const q = w.quantization as unknown;
      if (q !== undefined && q !== null) {
        const qo = q as ManifestWeight['quantization'] & Record<string, unknown>;
        const num = (v: unknown) => v === undefined || v === null || (typeof v === 'number' && Number.isFinite(v));
        if (typeof q !== 'object' || typeof qo!.dtype !== 'string' || !num(qo!.scale) || !num(qo!.min)) {
          throw new KerasFileError('BAD_FILE', `${what}: 'quantization' must be {dtype, scale?, min?} with finite numbers, got ${describeValue(q)}`);
        }
        // Integer quantization is q * scale + min: without both, the values cannot be known (TF.js needs them too).
        if ((qo!.dtype === 'uint8' || qo!.dtype === 'uint16') && (typeof qo!.scale !== 'number' || typeof qo!.min !== 'number')) {
          throw new KerasFileError('BAD_FILE', `${what}: '${qo!.dtype}' quantization needs both 'scale' and 'min' (values are q * scale + min), got ${describeValue(q)}`);
        }
      }
      try {
        byteLength(w);
      } catch (e) {
        throw new KerasFileError('BAD_FILE', `${file}: ${(e as Error).message}`);
      }
    }
    for (const p of g.paths as string[]) checkShardPath(file, p);
  });
  return m as ManifestGroup[];
}

/** The manifest with every shard's size, checked against what the weights need (nothing read yet). */
async function planManifest(file: string, json: Record<string, unknown>, source: ShardSource, limits: Readonly<Limits> = getLimits()): Promise<{ manifest: ManifestGroup[]; shardBytes: number }> {
  const manifest = checkManifest(json.weightsManifest, file, limits);
  let shardBytes = 0;
  for (const g of manifest) {
    let total: number | null = 0;
    for (const p of g.paths) {
      const n = await source.size(p);
      total = total === null || n === null ? null : total + n;
    }
    const need = g.weights.reduce((n, w) => n + byteLength(w), 0);
    // Sizes unknown before reading (fetched shards): the read checks them.
    if (total === null) total = need;
    if (need !== total) throw new KerasFileError('SIZE_MISMATCH', `${file}: the weights of shards ${g.paths.join(', ')} need ${need} bytes, the shards hold ${total}${total < need ? ' (truncated?)' : ''}`);
    shardBytes += total;
  }
  return { manifest, shardBytes };
}

/** Reads every weight of the manifest (sizes already checked by {@link planManifest}). */
async function readManifestWeights(file: string, manifest: ManifestGroup[], source: ShardSource): Promise<{ w: ManifestWeight; bytes: Uint8Array }[]> {
  const out: { w: ManifestWeight; bytes: Uint8Array }[] = [];
  for (const g of manifest) {
    const parts: Uint8Array[] = [];
    for (const p of g.paths) parts.push(await source.read(p));
    const total = parts.reduce((n, p) => n + p.length, 0);
    const need = g.weights.reduce((n, w) => n + byteLength(w), 0);
    // A shard may have changed since it was measured.
    if (need !== total) throw new KerasFileError('SIZE_MISMATCH', `${file}: the weights of shards ${g.paths.join(', ')} need ${need} bytes, the shards hold ${total}${total < need ? ' (truncated?)' : ''}`);
    const buf = new Uint8Array(total);
    let at = 0;
    for (const p of parts) (buf.set(p, at), (at += p.length));
    let off = 0;
    for (const w of g.weights) {
      const len = byteLength(w);
      out.push({ w, bytes: buf.subarray(off, off + len) });
      off += len;
    }
  }
  return out;
}

/**
 * Puts manifest weights into the model: by name (Keras 2's names, as the converter writes them,
 * with or without `:0`) when every model weight is found, else by order (Keras 2's saving order)
 * when the counts agree.
 */
function assignManifest(model: Model, saved: { w: ManifestWeight; bytes: Uint8Array }[], file: string): void {
  const targets = namedWeights(model);
  const byName = new Map(saved.map((s) => [s.w.name.replace(/:0$/, ''), s]));
  const matched = targets.map((t) => byName.get(t.name) ?? byName.get(t.variable.path));
  let pairs: [(typeof targets)[number], (typeof saved)[number]][];
  if (matched.every((m) => m !== undefined) && saved.length === targets.length) pairs = targets.map((t, i) => [t, matched[i]!]);
  else if (saved.length === targets.length) pairs = targets.map((t, i) => [t, saved[i]]);
  else {
    const missing = targets.filter((_, i) => !matched[i]).map((t) => t.name);
    throw new KerasFileError('BAD_FILE',
      `${file}: the manifest has ${saved.length} weight(s), the model has ${targets.length} (${describeWeights(targets.map((t) => t.variable))})` +
        (missing.length ? `; not found by name: ${missing.join(', ')}` : ''),
    );
  }
  const assignments: WeightAssignment[] = pairs.map(([t, s]) => {
    let value: Tensor;
    try {
      value = decodeWeight(s.w, s.bytes, t.variable.dtype);
    } catch (e) {
      throw new KerasFileError('BAD_FILE', `${file}: weight '${s.w.name}': ${(e as Error).message}`);
    }
    return { variable: t.variable, value, layer: t.layer, source: s.w.name };
  });
  assignAll(file, assignments);
}

/** Whether a parsed JSON file is TF.js' layers-model format. */
export function isTfjsModelJson(json: Record<string, unknown>): boolean {
  return 'modelTopology' in json || 'weightsManifest' in json;
}

/** Loads a TF.js layers model from its parsed `model.json`. */
export async function loadTfjsModel(file: string, json: Record<string, unknown>, options: LoadOptions = {}, source: ShardSource = fileShards(file)): Promise<Model> {
  const topo = json.modelTopology as Record<string, unknown> | undefined;
  if (!topo || typeof topo !== 'object') throw new KerasFileError('BAD_FILE', `${file}: a TF.js model.json needs 'modelTopology' (this one has only ${Object.keys(json).slice(0, 20).join(', ')})`);
  const spec = (topo.model_config ?? topo) as Record<string, unknown>;
  if (!spec || typeof spec !== 'object') throw new KerasFileError('BAD_FILE', `${file}: 'modelTopology.model_config' must be a model config object`);
  if (json.weightsManifest !== undefined) {
    // The manifest and the shards' sizes are checked first; the config may then declare no more
    // weights than the shards hold.
    const limits = loadLimits(options);
    const { manifest, shardBytes } = await planManifest(file, json, source, limits);
    const model = modelFromSpecWithin(spec, file, shardBytes, 'its weight shards', options.customObjects, limits);
    assignManifest(model, await readManifestWeights(file, manifest, source), file);
    compileIfAsked(model, topo, json, file, options);
    return model;
  }
  const model = modelFromSpecWithin(spec, file, 0, 'its weight shards (none)', options.customObjects, loadLimits(options));
  if (model.weights.length) throw new KerasFileError('BAD_FILE', `${file}: has no 'weightsManifest', but the model has ${model.weights.length} weight(s)`);
  compileIfAsked(model, topo, json, file, options);
  return model;
}

function compileIfAsked(model: Model, topo: Record<string, unknown>, json: Record<string, unknown>, file: string, options: LoadOptions): void {
  const training = (topo.training_config ?? json.trainingConfig) as Record<string, unknown> | undefined;
  if ((options.compile ?? true) && training && typeof training === 'object') compileFromConfig(model, training, file, options.customObjects);
}

/** Loads TF.js weights (a `model.json`) into an existing model. */
export async function loadTfjsWeights(model: Model, file: string, json: Record<string, unknown>, source: ShardSource = fileShards(file)): Promise<void> {
  if (json.weightsManifest === undefined) throw new KerasFileError('BAD_FILE', `${file}: has no 'weightsManifest'`);
  const { manifest } = await planManifest(file, json, source);
  assignManifest(model, await readManifestWeights(file, manifest, source), file);
}
