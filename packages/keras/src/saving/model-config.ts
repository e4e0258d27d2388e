/** Rebuilding a model from the config a file holds, with errors that name the file. */
import { checkLimit, checkModelConfigSize, getLimits, howToRaise, resolveLimits, withLimits, type Limits } from '../limits/file-limits.js';
import { deserialize, nestingDepth, type CustomObjects } from '../serialization/registry.js';
import { formatBytes, withWeightBudget } from '../limits/weight-budget.js';
import { KerasConfigError, KerasFileError, KerasLimitError } from '../errors.js';
import type { SymbolicShape } from '../engine/keras-tensor.js';
import type { Layer } from '../engine/layer.js';
import { Model } from '../engine/model.js';

/** Options of the loaders. */
export interface LoadOptions {
  /** User classes (layers, losses, ...) by name. */
  customObjects?: CustomObjects;
  /** Compile the model from the file's training configuration, when it has one (default true, as Keras). */
  compile?: boolean;
  /**
   * Limits for this load, over those of the process (see `setLimits` and `DEFAULT_LIMITS`): sizes,
   * counts and depths a file may reach before it is refused. Those that bound building the model
   * (`maxUnrollSteps`, `maxTensorElements`, `maxWeightBytes`) apply while the file's config is
   * turned into a model; a model built lazily later (at its first `predict`) is held to the
   * process' limits.
   * @example await loadModel('huge.keras', { limits: { maxLayers: 50_000, maxDecompressedBytes: 8 * 2 ** 30 } });
   */
  limits?: Partial<Limits>;
}

/** The limits of a load: the process' with the load's own over them (checked). */
export function loadLimits(options: LoadOptions | undefined): Limits {
  return resolveLimits(options?.limits, 'loadModel');
}

/** Parses JSON text; a failure names the file and the part. */
export function parseJson(text: string, file: string, what: string, limits: Readonly<Limits> = getLimits()): Record<string, unknown> {
  // A character takes at least one byte: the text's length is checked before parsing it.
  checkLimit('maxConfigBytes', text.length, `${file}: ${what} holds ${text.length} characters of JSON`, limits);
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new KerasFileError('BAD_FILE', `${file}: ${what} is not valid JSON (${(e as Error).message.slice(0, 200)})`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new KerasFileError('BAD_FILE', `${file}: ${what} is not a JSON object`);
  const depth = nestingDepth(v, limits.maxConfigDepth);
  if (depth > limits.maxConfigDepth) {
    throw new KerasConfigError('CONFIG_TOO_DEEP', `${file}: ${what} is nested more than ${limits.maxConfigDepth} levels deep; no Keras file nests like that (a corrupt or hostile file?); ${howToRaise('maxConfigDepth', depth)}`);
  }
  return v as Record<string, unknown>;
}

/**
 * Rebuilds the model from `{class_name, config}` (Keras 2 or Keras 3 spellings; Keras 3's
 * `build_config` builds a model whose input shape the config does not carry).
 */
export function modelFromSpec(spec: Record<string, unknown>, file: string, custom?: CustomObjects, limits: Limits = resolveLimits(undefined)): Model {
  checkModelConfigSize(spec, `${file}: the model config`, limits);
  try {
    return withLimits(limits, () => buildFromSpec(spec, file, custom));
  } catch (e) {
    // A limit reached while building (a layer's output, ...): the same error, naming the file.
    if (e instanceof KerasLimitError && !e.message.startsWith(file)) throw new KerasLimitError(e.limit, e.found, e.max, `${file}: ${e.message}`, { cause: e });
    throw e;
  }
}

function buildFromSpec(spec: Record<string, unknown>, file: string, custom?: CustomObjects): Model {
  if (typeof spec.class_name !== 'string' || !spec.config || typeof spec.config !== 'object') {
    throw new KerasConfigError('BAD_CONFIG', `${file}: the model config must be {"class_name": ..., "config": {...}}, got keys ${Object.keys(spec).slice(0, 20).join(', ') || '(none)'}`);
  }
  let layer: Layer;
  try {
    layer = deserialize<Layer>('layer', spec, custom);
  } catch (e) {
    // A file's own size limit says what is wrong with the file: pass it on as it is.
    if (e instanceof KerasFileError || e instanceof KerasLimitError) throw e;
    const code = e instanceof KerasConfigError ? e.code : 'BAD_CONFIG';
    throw new KerasConfigError(code as 'BAD_CONFIG', `${file}: cannot rebuild the model from its config: ${(e as Error).message}`, { cause: e });
  }
  if (!(layer instanceof Model)) throw new KerasConfigError('BAD_CONFIG', `${file}: the config describes a '${spec.class_name}' layer, not a model`);
  const shape = (spec.build_config as { input_shape?: SymbolicShape | null } | undefined)?.input_shape;
  if (!layer.built && Array.isArray(shape) && shape.every((d) => d === null || (Number.isSafeInteger(d) && (d as number) >= 0))) {
    try {
      layer.maybeBuild(shape);
    } catch (e) {
      if (e instanceof KerasFileError || e instanceof KerasLimitError) throw e;
      throw new KerasConfigError('BAD_CONFIG', `${file}: cannot build the model for input shape [${shape.join(', ')}] (from build_config): ${(e as Error).message}`, { cause: e });
    }
  }
  return layer;
}

/**
 * Bytes of weights a model may create per byte of the file that holds them: 4, for TF.js'
 * uint8-quantized float32 weights (Keras' own files hold float32 or float16: 1 or 2), plus a
 * small allowance for weights of size zero and rounding.
 */
const BYTES_PER_FILE_BYTE = 4;
const ALLOWANCE = 1 << 20;

/**
 * {@link modelFromSpec} for a model whose weights come from `bytesPresent` bytes of the file
 * (`what` names them): a config that declares more weights than those bytes could hold is refused
 * before its weights are allocated.
 */
export function modelFromSpecWithin(spec: Record<string, unknown>, file: string, bytesPresent: number, what: string, custom?: CustomObjects, limits?: Limits): Model {
  const limit = bytesPresent * BYTES_PER_FILE_BYTE + ALLOWANCE;
  const refuse = (weight: string, need: number, left: number) =>
    new KerasFileError(
      'SIZE_MISMATCH',
      `${file}: the config declares more weights than the file holds: ${weight} needs ${formatBytes(need)}, but ${what} (${formatBytes(bytesPresent)}) leave room for only ${formatBytes(left)} more (a corrupt or hostile file?)`,
    );
  return withWeightBudget(limit, refuse, () => {
    // Build inside the budget: Keras 3's build_config builds after deserializing.
    const model = modelFromSpec(spec, file, custom, limits);
    return model;
  });
}
