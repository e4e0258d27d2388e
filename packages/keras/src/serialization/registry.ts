import { clipMessage, KerasConfigError, describeValue, KerasValueError } from '../errors.js';
import { checkModelConfigSize, DEFAULT_LIMITS, getLimits, howToRaise } from '../limits/file-limits.js';
import { configBudgetRefusal, getMaxConfigWeightBytes, withWeightBudget } from '../limits/weight-budget.js';
import { readingWireConfig } from '../arguments/strict-args.js';

/**
 * The registry of serializable Keras classes and the Keras wire format: `{class_name, config}`
 * (Keras 2), also reading Keras 3's `{module, class_name, config, registered_name}`.
 */

/** Kinds of serializable objects; a name is looked up within its kind. */
export type Category = 'layer' | 'loss' | 'optimizer' | 'metric' | 'initializer' | 'regularizer' | 'constraint' | 'schedule' | 'activation' | 'callback';

/** A class that can be rebuilt from its config. */
export interface SerializableClass<T = unknown> {
  readonly className: string;
  fromConfig(config: Record<string, unknown>, custom?: CustomObjects): T;
}

/** User classes (and Lambda functions) by name, passed to loaders; they take precedence. */
export type CustomObjects = Readonly<Record<string, SerializableClass | ((...args: never[]) => unknown)>>;

/** The wire form of an object. */
export interface SerializedObject {
  class_name: string;
  config: Record<string, unknown>;
  module?: string;
  registered_name?: string | null;
}

const registry = new Map<Category, Map<string, SerializableClass>>();
const aliases = new Map<Category, Map<string, string>>();

/** A built-in class and its other names (`[Conv2D, 'Convolution2D']`). */
export type BuiltinEntry = readonly [SerializableClass, ...string[]];

/** The tables of built-in classes installed per category, registered at the first use of the category. */
const pendingBuiltins = new Map<Category, () => readonly BuiltinEntry[]>();
const installedBuiltins = new Set<Category>();

/**
 * Installs the built-in classes of a category (the layers: `layers/builtin-layers.ts`). The table is
 * a function, called when the category is first used (registered in, looked up, listed), so that
 * installing it at module load touches no class (import cycles) and a module that never resolves
 * a name keeps the classes out of a bundle. Installing a category twice does nothing.
 */
export function installBuiltins(category: Category, table: () => readonly BuiltinEntry[]): void {
  if (installedBuiltins.has(category)) return;
  installedBuiltins.add(category);
  pendingBuiltins.set(category, table);
}

/** Registers the category's pending built-in classes, once. */
function registerPending(category: Category): void {
  const table = pendingBuiltins.get(category);
  if (!table) return;
  pendingBuiltins.delete(category);
  for (const [cls, ...names] of table()) registerClass(category, cls, ...names);
}

/**
 * Registers a class under its `className` (and optional string aliases such as `'mse'`).
 * Registering the same name twice in a category is refused.
 */
export function registerClass(category: Category, cls: SerializableClass, ...names: string[]): void {
  registerPending(category);
  const byName = registry.get(category) ?? new Map<string, SerializableClass>();
  registry.set(category, byName);
  if (byName.has(cls.className)) throw new KerasValueError(`a ${category} class named '${cls.className}' is already registered`);
  byName.set(cls.className, cls);
  const al = aliases.get(category) ?? new Map<string, string>();
  aliases.set(category, al);
  for (const n of names) al.set(n, cls.className);
}

/** The registered class names of a category (for messages and tests). */
export function registeredNames(category: Category): string[] {
  registerPending(category);
  return [...(registry.get(category)?.keys() ?? [])];
}

/** An object that serializes itself: its class has a static `className`. */
export interface Serializable {
  /**
   * The object's config: the arguments that rebuild it through its class's `fromConfig`, in Keras'
   * snake_case wire format.
   */
  getConfig(): Record<string, unknown>;
}

export function classNameOf(obj: Serializable): string {
  const name = (obj.constructor as Partial<SerializableClass>).className;
  if (!name) throw new KerasValueError(`${obj.constructor.name} has no static className, so it cannot be serialized`);
  return name;
}

/** Keras 2 wire form: `{class_name, config}`. */
export function serialize(obj: Serializable): SerializedObject {
  return { class_name: classNameOf(obj), config: obj.getConfig() };
}

/** The layer classes constructed so far, by their own static className (see {@link layerClassInUse}). */
const layersInUse = new Map<string, SerializableClass>();

/** Notes the class of a layer being constructed (Layer's constructor), when it has its own className. */
export function noteLayerClass(cls: SerializableClass): void {
  if (Object.prototype.hasOwnProperty.call(cls, 'className') && !layersInUse.has(cls.className)) layersInUse.set(cls.className, cls);
}

/**
 * The layer class of a name for writing a model's config (serialization/interchange.ts): the registered
 * one; in a bundle that never installed the built-in layers (layers/builtin-layers.ts), the class
 * of a layer constructed here, so that it writes the same files as Node (every layer of a model
 * it saves was constructed). Reading configs (`deserialize`) never uses these.
 */
export function layerClassInUse(name: string): SerializableClass | undefined {
  return lookupClass('layer', name) ?? (installedBuiltins.has('layer') ? undefined : layersInUse.get(name));
}

/** The class for a name in a category (aliases and custom objects included), or undefined. */
export function lookupClass(category: Category, name: string, custom?: CustomObjects): SerializableClass | undefined {
  const c = custom?.[name];
  if (c && 'fromConfig' in c) return c as SerializableClass;
  registerPending(category);
  const byName = registry.get(category);
  return byName?.get(name) ?? byName?.get(aliases.get(category)?.get(name) ?? '');
}

/**
 * How deep a config may nest (objects and lists) by default (the limit `maxConfigDepth`). Real
 * Keras configs stay below ~30 (a model in a model in a wrapper...); a hostile file can nest a
 * million levels, which would overflow the stack of any recursive reader.
 */
export const MAX_CONFIG_DEPTH = DEFAULT_LIMITS.maxConfigDepth;

/** The nesting depth of a JSON-like value, counted without recursion; stops past `limit`. */
export function nestingDepth(value: unknown, limit = getLimits().maxConfigDepth): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  const seen = new Set<object>();
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (!v || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    if (d + 1 > max) max = d + 1;
    if (max > limit) return max;
    for (const x of Array.isArray(v) ? v : Object.values(v)) if (x && typeof x === 'object') stack.push([x, d + 1]);
  }
  return max;
}

/**
 * Refuses a config nested deeper than the limit `maxConfigDepth` (a typed error, not a stack
 * overflow), or declaring more layers or layer calls than `maxLayers` / `maxNodes`.
 */
export function checkConfigDepth(spec: unknown, what: string): void {
  const max = getLimits().maxConfigDepth;
  const depth = nestingDepth(spec, max);
  if (depth > max) {
    throw new KerasConfigError('CONFIG_TOO_DEEP', `${what} is nested more than ${max} levels deep; no Keras config nests like that (a corrupt or hostile file?); ${howToRaise('maxConfigDepth', depth)}`);
  }
  checkModelConfigSize(spec, what);
}

/**
 * Errors JavaScript raises when code meets a value it did not expect, and keras-ts' own
 * `KerasTypeError` / `KerasValueError` (a `TypeError` / `RangeError`): from a config, both mean the
 * config is bad, so they become a {@link KerasConfigError} naming the class and the layer.
 */
const isProgrammingError = (e: unknown) => e instanceof TypeError || e instanceof RangeError;


/** Nesting of deserialize calls: 0 outside, 1 inside the budget wrapper, 2 for the top-level object. */
let active = 0;

/**
 * Rebuilds an object of a category from its wire form or alias string. An unknown name fails
 * with a message that lists how to register a custom class. Malformed configs fail with a
 * {@link KerasConfigError} naming the class and, for layers, the layer.
 */
export function deserialize<T>(category: Category, spec: unknown, custom?: CustomObjects): T {
  if (active === 0) {
    checkConfigDepth(spec, `the ${category} config`);
    active++;
    try {
      return withWeightBudget(getMaxConfigWeightBytes(), configBudgetRefusal, () => deserialize<T>(category, spec, custom));
    } finally {
      active--;
    }
  }
  active++;
  try {
    return deserializeOne<T>(category, spec, custom);
  } catch (e) {
    throw active === 2 ? clipMessage(e) : e;
  } finally {
    active--;
  }
}

function deserializeOne<T>(category: Category, spec: unknown, custom?: CustomObjects): T {
  if (typeof spec === 'string') {
    const cls = lookupClass(category, spec, custom);
    if (!cls) throw unknownClass(category, spec);
    return fromConfigOf<T>(cls, category, spec, {}, custom);
  }
  if (!spec || typeof spec !== 'object' || typeof (spec as SerializedObject).class_name !== 'string') {
    throw new KerasConfigError('BAD_CONFIG', `cannot read ${/^[aeiou]/.test(category) ? 'an' : 'a'} ${category} from ${describeValue(spec)}: expected a name or {"class_name": ..., "config": {...}}`);
  }
  const s = spec as SerializedObject;
  const name = typeof s.registered_name === 'string' && lookupClass(category, s.registered_name, custom) ? s.registered_name : s.class_name;
  const cls = lookupClass(category, name, custom);
  if (!cls) throw unknownClass(category, s.class_name);
  const config = s.config ?? {};
  if (typeof config !== 'object') {
    throw new KerasConfigError('BAD_CONFIG', `cannot read ${category} '${s.class_name}': its "config" must be an object, got ${describeValue(config)}`);
  }
  return fromConfigOf<T>(cls, category, s.class_name, normalizeConfig(config), custom);
}

/** Calls a class's fromConfig; JavaScript errors from a malformed config get the class and name. */
function fromConfigOf<T>(cls: SerializableClass, category: Category, className: string, config: Record<string, unknown>, custom?: CustomObjects): T {
  return withContext(category, className, config, () => cls.fromConfig(config, custom) as T);
}

/**
 * Runs a reader that is also a public entry point (`Sequential.fromConfig`,
 * `functionalFromConfig`) as `deserialize` runs a config: called directly, it gets the nesting
 * check, the weight budget and the typed errors; called from `deserialize`, it just runs.
 */
export function readConfigAtTopLevel<T>(category: Category, className: string, config: unknown, read: () => T): T {
  if (active > 0) return read();
  checkConfigDepth(config, `the ${category} config`);
  active += 2;
  try {
    const c = (config && typeof config === 'object' ? config : {}) as Record<string, unknown>;
    return withWeightBudget(getMaxConfigWeightBytes(), configBudgetRefusal, () => withContext(category, className, c, read));
  } catch (e) {
    throw clipMessage(e);
  } finally {
    active -= 2;
  }
}

function withContext<T>(category: Category, className: string, config: Record<string, unknown>, read: () => T): T {
  try {
    // Configs from files keep Keras' keys: they are not checked for unknown arguments.
    return readingWireConfig(read);
  } catch (e) {
    if (!isProgrammingError(e)) throw e;
    const name = typeof config.name === 'string' ? ` '${config.name.slice(0, 100)}'` : '';
    const msg = (e as Error).message;
    const size = /^Invalid typed array length: (\d+)/.exec(msg)?.[1];
    const what = /Invalid typed array length|Array buffer allocation failed|Invalid array length/.test(msg)
      ? `its weights are too large to allocate${size ? ` (a weight of ${size} elements)` : ''}`
      : `cannot be built from its config (${msg})`;
    throw new KerasConfigError('BAD_CONFIG', `${category} ${className}${name}: ${what}`, { cause: e });
  }
}

function unknownClass(category: Category, name: string): Error {
  const known = registeredNames(category);
  return new KerasConfigError(
    'UNKNOWN_NAME',
    `unknown ${category} '${name}'. Known ${category === 'loss' ? 'losses' : `${category}s`}: ${known.length ? known.slice(0, 40).join(', ') : 'none'}${known.length > 40 ? ', ...' : ''}. ` +
      `For a custom class, pass it in customObjects: { ${name}: ${name} } (it needs a static className and fromConfig).` +
      (category === 'layer' && !installedBuiltins.has('layer')
        ? ' The built-in layers are not registered here: this bundle has none of loadModel, modelFromJSON, deserialize or deserializeLayer, which register them; call registerBuiltinLayers() once before reading a config.'
        : ''),
  );
}

/**
 * Reads Keras 3 config spellings as Keras 2 ones: a `DTypePolicy` object becomes its name.
 * Other Keras 3 keys are left for each class to read or refuse.
 */
export function normalizeConfig(config: Record<string, unknown>): Record<string, unknown> {
  // A Keras 1 Sequential config is a bare list of layers.
  if (Array.isArray(config)) return config;
  const out: Record<string, unknown> = { ...config };
  const dt = out.dtype as SerializedObject | string | undefined;
  if (dt && typeof dt === 'object' && (dt.class_name === 'DTypePolicy' || dt.class_name === 'Policy')) {
    const name = (dt.config as { name?: unknown } | null | undefined)?.name;
    out.dtype = typeof name === 'string' ? name : 'float32';
  }
  return out;
}
