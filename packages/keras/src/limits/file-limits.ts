/**
 * The limits a model file is held to while it is read and turned into a model: how many bytes an
 * archive may decompress to, how large and deep its config may be, how many layers and layer calls
 * it may declare, how many bytes of weights it may create, how many weight shards it may list, how
 * many time steps a recurrent layer may unroll and how many elements one layer output may hold.
 * Each is checked before the work it bounds is done, so that a small hostile file is refused at
 * once with a {@link KerasLimitError} naming the limit, the value found and how to raise it,
 * instead of exhausting memory or time.
 *
 * The defaults are generous for real models (the largest Keras Applications, EfficientNetB7,
 * NASNetLarge and InceptionV3, are far inside them). They can be changed for the process with
 * {@link setLimits}, for one load with `loadModel(path, { limits: {...} })`, and on the command line
 * with `keras-ts --limit name=value` (the names are in {@link LIMIT_FLAGS}).
 */
import { KerasLimitError, KerasTypeError, KerasValueError } from '../errors.js';

/** Every limit (see {@link DEFAULT_LIMITS} for the defaults). A limit may be `Infinity` (no limit). */
export interface Limits {
  /** Bytes of one file read (a model, weights or shard file, a download): checked before reading, or while downloading. */
  maxFileBytes: number;
  /** Bytes the entries read from a `.keras` archive may decompress to, together. */
  maxDecompressedBytes: number;
  /**
   * Bytes a deflated `.keras` entry may decompress to per compressed byte (entries under 64 KiB
   * excepted): checked on the sizes it declares before inflating, and on the bytes that come out
   * while inflating.
   */
  maxCompressionRatio: number;
  /** Bytes of a model's config JSON (`config.json`, `model_config`, a `model.json`). */
  maxConfigBytes: number;
  /** Nesting levels of a config (objects and lists). */
  maxConfigDepth: number;
  /** Layers a model config declares, those of nested models included. */
  maxLayers: number;
  /** Layer calls (nodes) a model config declares: every layer's inbound nodes together. */
  maxNodes: number;
  /** Bytes of weights a config may create (as float32: 4 bytes per value). */
  maxWeightBytes: number;
  /** Weight shard files a TF.js `model.json` may list. */
  maxShards: number;
  /** Time steps a recurrent layer may unroll when traced (one copy of the cell per step). */
  maxUnrollSteps: number;
  /** Elements one layer output may hold (per sample when the batch size is unknown). */
  maxTensorElements: number;
  /**
   * Milliseconds HDF5 may spend reading one file (`.h5`, `.weights.h5`, a `.keras` archive's
   * weights), in Node, where HDF5 reads run in a worker thread that is stopped at the limit;
   * `Infinity` reads on the calling thread, unbounded (as in a browser).
   */
  maxHdf5Ms: number;
}

/**
 * The defaults: 2 GiB per file (the most Node reads at once), 2 GiB decompressed at a ratio of at most 250:1 (real configs deflate at about 50:1), 64 MiB of config, 512 levels, 10,000 layers, 100,000 layer
 * calls, 2 GiB of weights, 10,000 shards, 10,000 time steps, 2^30 elements per layer output
 * (the most a float32 array can hold: 4 GiB) and 2 minutes of HDF5 reading per file.
 * @example setLimits(DEFAULT_LIMITS); // back to the defaults
 */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxFileBytes: 2 ** 31,
  maxDecompressedBytes: 2 ** 31,
  maxCompressionRatio: 250,
  maxConfigBytes: 64 * 2 ** 20,
  maxConfigDepth: 512,
  maxLayers: 10_000,
  maxNodes: 100_000,
  maxWeightBytes: 2 ** 31,
  maxShards: 10_000,
  maxUnrollSteps: 10_000,
  maxTensorElements: 2 ** 30,
  maxHdf5Ms: 120_000,
});

/**
 * The command-line name of each limit (`keras-ts ... --limit layers=20000`).
 * @example LIMIT_FLAGS.maxLayers; // 'layers'
 */
export const LIMIT_FLAGS: Readonly<Record<keyof Limits, string>> = Object.freeze({
  maxFileBytes: 'file-bytes',
  maxDecompressedBytes: 'decompressed-bytes',
  maxCompressionRatio: 'compression-ratio',
  maxConfigBytes: 'config-bytes',
  maxConfigDepth: 'config-depth',
  maxLayers: 'layers',
  maxNodes: 'nodes',
  maxWeightBytes: 'weight-bytes',
  maxShards: 'shards',
  maxUnrollSteps: 'unroll-steps',
  maxTensorElements: 'tensor-elements',
  maxHdf5Ms: 'hdf5-ms',
});

const NAMES = Object.keys(DEFAULT_LIMITS) as (keyof Limits)[];
const isBytes = (name: keyof Limits) => name.endsWith('Bytes');

let defaults: Limits = { ...DEFAULT_LIMITS };
/** Limits in force for a synchronous section (a load), innermost last. */
const scopes: Limits[] = [];

/**
 * Checks a partial set of limits: known names only, each a positive integer or Infinity.
 * `where` names the caller in the error.
 */
export function checkLimits(partial: unknown, where: string): Partial<Limits> {
  if (partial === undefined || partial === null) return {};
  if (typeof partial !== 'object' || Array.isArray(partial)) throw new KerasTypeError(`${where}: limits must be an object such as { maxLayers: 20000 }, got ${typeof partial}`);
  const out: Partial<Limits> = {};
  for (const [k, v] of Object.entries(partial)) {
    if (!Object.hasOwn(DEFAULT_LIMITS, k)) throw new KerasTypeError(`${where}: unknown limit '${k}' (the limits are ${NAMES.join(', ')})`);
    if (v === undefined) continue;
    if (!(v === Infinity || (typeof v === 'number' && Number.isSafeInteger(v) && v > 0))) throw new KerasValueError(`${where}: limit '${k}' must be a positive integer (or Infinity), got ${String(v)}`);
    out[k as keyof Limits] = v;
  }
  return out;
}

/**
 * The limits in force: those of the innermost `withLimits` section (a load with its own limits), else the process' own.
 * @example const { maxLayers } = getLimits();
 */
export function getLimits(): Readonly<Limits> {
  return scopes.at(-1) ?? defaults;
}

/**
 * Changes the process' limits (those not named keep their value); `setLimits(DEFAULT_LIMITS)`
 * restores the defaults.
 * @example setLimits({ maxLayers: 50_000, maxWeightBytes: 8 * 2 ** 30 });
 */
export function setLimits(partial: Partial<Limits>): void {
  defaults = { ...defaults, ...checkLimits(partial, 'setLimits') };
}

/** The process' limits with `partial` applied (checked), as one load uses them. */
export function resolveLimits(partial: Partial<Limits> | undefined, where = 'loadModel'): Limits {
  return { ...getLimits(), ...checkLimits(partial, where) };
}

/**
 * Runs the synchronous `fn` with `limits` in force (the checks deep inside deserialization and
 * layer building read them with {@link getLimits}).
 */
export function withLimits<T>(limits: Limits, fn: () => T): T {
  scopes.push(limits);
  try {
    return fn();
  } finally {
    scopes.pop();
  }
}

/** A number of bytes for messages: `1.5 GiB (1610612736 bytes)`, `300 bytes`. */
export function showBytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(1)} GiB (${n} bytes)`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB (${n} bytes)`;
  return `${n} bytes`;
}

/** A limit's value for messages: bytes as {@link showBytes}, counts as `12,345`. */
function show(name: keyof Limits, n: number): string {
  return isBytes(name) ? showBytes(n) : n.toLocaleString('en-US');
}

/** How to raise a limit, in the three places it can be set. */
export function howToRaise(name: keyof Limits, atLeast: number): string {
  const v = Number.isFinite(atLeast) ? Math.ceil(atLeast) : 'Infinity';
  return `if the model really is this large, raise the limit: loadModel(path, { limits: { ${name}: ${v} } }), setLimits({ ${name}: ${v} }), or --limit ${LIMIT_FLAGS[name]}=${v} on the command line`;
}

/**
 * Refuses `found` over the limit `name` with a {@link KerasLimitError}; `what` says what was found,
 * value included (`model.keras: the model config declares 12,000 layers`). `limits` defaults to
 * those in force.
 */
export function checkLimit(name: keyof Limits, found: number, what: string, limits: Readonly<Limits> = getLimits()): void {
  const max = limits[name];
  if (found <= max) return;
  throw new KerasLimitError(name, found, max, `${what}, over the limit ${name} = ${show(name, max)}; ${howToRaise(name, found)}`);
}

/** Keys under which a config holds layers: a model's `layers`, a wrapper's `layer`, an RNN's `cell`. */
const LAYER_KEYS = new Set(['layers', 'layer', 'backward_layer', 'forward_layer', 'cell', 'cells']);

/**
 * Layers and layer calls a model config declares (its layers, those of nested models, wrapped
 * layers and cells; a layer's inbound nodes are its calls), counted without recursion.
 */
export function countLayersAndNodes(spec: unknown): { layers: number; nodes: number } {
  let layers = 0;
  let nodes = 0;
  // The model itself is not one of its layers: counting starts at its `layers`.
  const stack: [unknown, boolean][] = [[spec, false]];
  while (stack.length) {
    const [v, isLayer] = stack.pop()!;
    if (!v || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (const x of v) if (x && typeof x === 'object') stack.push([x, isLayer]);
      continue;
    }
    const o = v as Record<string, unknown>;
    if (isLayer && typeof o.class_name === 'string') {
      layers++;
      if (Array.isArray(o.inbound_nodes)) nodes += o.inbound_nodes.length;
    }
    for (const [k, x] of Object.entries(o)) if (x && typeof x === 'object') stack.push([x, LAYER_KEYS.has(k)]);
  }
  return { layers, nodes };
}

/**
 * Refuses a model config declaring more layers or layer calls than the limits allow (`what`
 * names it). Counted on the JSON, before any layer is built.
 */
export function checkModelConfigSize(spec: unknown, what: string, limits: Readonly<Limits> = getLimits()): void {
  const { layers, nodes } = countLayersAndNodes(spec);
  checkLimit('maxLayers', layers, `${what} declares ${layers.toLocaleString('en-US')} layers`, limits);
  checkLimit('maxNodes', nodes, `${what} declares ${nodes.toLocaleString('en-US')} layer calls`, limits);
}

/**
 * Refuses a layer output with more elements than the limit `maxTensorElements`, naming the layer
 * (`label`) and the shape (an unknown batch counts as 1). Checked when a layer is applied, before
 * anything of that size is allocated.
 */
export function checkOutputElements(label: string, shapes: readonly (readonly (number | null)[])[]): void {
  const max = getLimits().maxTensorElements;
  for (const s of shapes) {
    let n = 1;
    for (const d of s) n *= d ?? 1;
    if (n > max) {
      const shown = `[${s.map((d) => (d === null ? 'None' : String(d))).join(', ')}]`;
      throw new KerasLimitError(
        'maxTensorElements',
        n,
        max,
        `${label}: its output of shape ${shown} would hold ${n.toLocaleString('en-US')} elements, more than the ${max.toLocaleString('en-US')} a tensor may hold (limit maxTensorElements; ${(n * 4) / 2 ** 30 >= 1 ? `${((n * 4) / 2 ** 30).toFixed(1)} GiB` : `${((n * 4) / 2 ** 20).toFixed(1)} MiB`} as float32); ${howToRaise('maxTensorElements', n)}`,
      );
    }
  }
}
