/**
 * The `.keras` archive (Keras 3's native format, also Keras 2.13+): a zip holding
 * `metadata.json` ({keras_version, date_saved}), `config.json` (the serialized model with
 * `build_config` and `compile_config`) and `model.weights.h5` (Keras 3's weights layout, see
 * keras3-weights.ts). What `config.json` holds when we write it, and why, is in keras3-config.ts.
 * A compiled model's optimizer state travels in `model.weights.h5` (`optimizer/vars`), as Keras 3 keeps it.
 */
import { strFromU8, strToU8, zipSync, type Zippable } from 'fflate';
import { getLimits, type Limits } from '../limits/file-limits.js';
import { KerasFileError } from '../errors.js';
import { KERAS_VERSION, type Model } from '../engine/model.js';
import { compileFromConfig } from './compile-config.js';
import { archiveConfig } from './keras3-config.js';
import { newH5Bytes, withH5Bytes } from './hdf5-sandbox.js';
import { readBytes, writeBytesAtomically } from './io.js';
import { readKeras3Weights, writeKeras3Weights } from './keras3-weights.js';
import { readKeras3OptimizerState } from './optimizer-state.js';
import { loadLimits, modelFromSpec, modelFromSpecWithin, parseJson, type LoadOptions } from './model-config.js';
import { readZipEntries, showName } from './zip-reader.js';

const CONFIG = 'config.json';
const METADATA = 'metadata.json';
const WEIGHTS = 'model.weights.h5';

type Json = Record<string, unknown>;

function dateSaved(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}@${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Writes the model's weights in Keras 3's layout to HDF5 bytes. */
function weightsH5Bytes(model: Model, file: string): Promise<Uint8Array> {
  return newH5Bytes((f) => writeKeras3Weights(f, model), `${file} (${WEIGHTS})`);
}

/** A model as the bytes of a `.keras` archive (`file` names it in messages). */
export async function kerasArchiveBytes(model: Model, file: string): Promise<Uint8Array> {
  const config = JSON.stringify(archiveConfig(model));
  const metadata = JSON.stringify({ keras_version: KERAS_VERSION, date_saved: dateSaved() });
  const weights = await weightsH5Bytes(model, file);
  const epoch = new Date(1980, 0, 1);
  const entries: Zippable = {
    [METADATA]: [strToU8(metadata), { level: 0, mtime: epoch }],
    [CONFIG]: [strToU8(config), { level: 0, mtime: epoch }],
    [WEIGHTS]: [weights, { level: 0 }],
  };
  return zipSync(entries, { level: 0 });
}

/** Saves a model as a `.keras` archive, through a temporary file renamed over the target. */
export async function saveKerasModel(model: Model, file: string): Promise<void> {
  await writeBytesAtomically(file, await kerasArchiveBytes(model, file));
}

/** The entries of a `.keras` archive that Keras reads, and the names of all its entries. */
export interface Archive {
  entries: Record<string, Uint8Array>;
  names: string[];
}

/**
 * The entries Keras reads from a `.keras` archive (config, metadata, weights); a corrupt or
 * truncated archive, or one whose declared sizes exceed its bytes, fails naming the file.
 */
export function readArchive(bytes: Uint8Array, file: string, limits: Readonly<Limits> = getLimits()): Archive {
  return readZipEntries(bytes, file, [CONFIG, METADATA, WEIGHTS], limits, { [CONFIG]: 'maxConfigBytes', [METADATA]: 'maxConfigBytes' });
}

const listNames = (names: readonly string[]) => names.map(showName).join(', ') || 'none';

/** Reads Keras 3 weights from the `model.weights.h5` of an archive into a model. */
export async function readArchiveWeights(archive: Archive, model: Model, file: string, limits: Readonly<Limits> = getLimits()): Promise<void> {
  const weights = archive.entries[WEIGHTS];
  if (!weights) {
    const names = archive.names;
    if (names.includes('model.weights.npz')) throw new KerasFileError('BAD_FILE', `${file}: holds its weights as model.weights.npz; only model.weights.h5 is supported`);
    throw new KerasFileError('BAD_FILE', `${file}: not a Keras archive: it has no ${WEIGHTS} (entries: ${listNames(names)})`);
  }
  // Read in memory, never staged on disk; the sandbox keeps it from reaching other files.
  const shown = `${file} (${WEIGHTS})`;
  await withH5Bytes(
    weights,
    (f) => {
      readKeras3Weights(f, model, shown);
      readKeras3OptimizerState(f, model, shown);
    },
    shown,
    limits,
  );
}

/** Loads a `.keras` archive (the file is known to be a zip). */
export async function loadKerasModel(file: string, options: LoadOptions = {}, bytes?: Uint8Array): Promise<Model> {
  const limits = loadLimits(options);
  const archive = readArchive(bytes ?? (await readBytes(file, limits)), file, limits);
  const configBytes = archive.entries[CONFIG];
  if (!configBytes) throw new KerasFileError('BAD_FILE', `${file}: not a Keras archive: it has no ${CONFIG} (entries: ${listNames(archive.names)})`);
  const spec = parseJson(strFromU8(configBytes), file, CONFIG, limits);
  const weights = archive.entries[WEIGHTS];
  // The config may not declare more weights than model.weights.h5 can hold.
  const model = weights ? modelFromSpecWithin(spec, file, weights.length, `its ${WEIGHTS}`, options.customObjects, limits) : modelFromSpec(spec, file, options.customObjects, limits);
  const compileConfig = spec.compile_config as Json | null | undefined;
  // Keras compiles only for a non-empty compile_config (uncompiled models save `{}` or null).
  // Compiled first, so that the optimizer's state in the weights file has an optimizer to go to.
  if ((options.compile ?? true) && compileConfig && typeof compileConfig === 'object' && Object.keys(compileConfig).length) compileFromConfig(model, compileConfig, file, options.customObjects);
  await readArchiveWeights(archive, model, file, limits);
  return model;
}
