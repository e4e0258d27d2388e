/**
 * Loading the model a command works on: any file `loadModel` reads (.keras, legacy .h5, TF.js
 * model.json, Keras JSON), plus weights from a second file when asked (`--weights`).
 */
import { readFile } from 'node:fs/promises';
import { loadModel, loadWeights, type Model } from '@keras-ts/keras';
import { CliError, isDirectory } from './util.js';

/** Whether a file name says "weights only" (Keras 3's `.weights.h5`). */
export const isWeightsName = (path: string): boolean => path.toLowerCase().endsWith('.weights.h5');

/** Whether `path` holds JSON without weights (a Keras `to_json()` architecture). */
async function isArchitectureOnly(path: string): Promise<boolean> {
  const bytes = await readFile(path).catch(() => null);
  if (!bytes || bytes[0] !== 0x7b /* { */) return false;
  try {
    const json = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    return !('weightsManifest' in json);
  } catch {
    return false;
  }
}

export interface ModelLoadOptions {
  /** Load the training configuration too (convert keeps it; summary and predict do not need it). */
  readonly compile?: boolean;
  /** A file to load the weights from after building the model. */
  readonly weights?: string;
  readonly warn: (line: string) => void;
}

/**
 * Loads a model file for a command. A directory is read as a TF.js model (its `model.json`).
 * A weights-only file is refused with a hint; an architecture-only JSON without `--weights`
 * loads with a note that its weights are freshly initialized.
 */
export async function loadModelForCli(file: string, opts: ModelLoadOptions): Promise<Model> {
  let path = file;
  if (await isDirectory(file)) path = `${file.replace(/[\\/]+$/, '')}/model.json`;
  if (isWeightsName(path)) {
    throw new CliError(`${path} holds only weights, not a model: give a model file (.keras, .h5, model.json or Keras JSON) and pass this file as --weights`);
  }
  let model: Model;
  try {
    model = await loadModel(path, { compile: opts.compile ?? false });
  } catch (e) {
    if (!opts.compile) throw e;
    // The model itself may load where its training configuration does not: keep the model.
    model = await loadModel(path, { compile: false });
    opts.warn(`note: the training configuration of ${path} is not carried over: ${(e as Error).message.split('\n')[0]}`);
  }
  if (opts.weights) await loadWeights(model, opts.weights);
  else if (await isArchitectureOnly(path)) opts.warn(`note: ${path} holds only the architecture: its weights are freshly initialized (pass --weights FILE to load trained ones)`);
  return model;
}
