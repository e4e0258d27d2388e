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

/**
 * Registers a class under its `className` (and optional string aliases such as `'mse'`).
 * Registering the same name twice in a category is refused.
 */
export function registerClass(category: Category, cls: SerializableClass, ...names: string[]): void {
  const byName = registry.get(category) ?? new Map<string, SerializableClass>();
  registry.set(category, byName);
  if (byName.has(cls.className)) throw new Error(`a ${category} class named '${cls.className}' is already registered`);
  byName.set(cls.className, cls);
  const al = aliases.get(category) ?? new Map<string, string>();
  aliases.set(category, al);
  for (const n of names) al.set(n, cls.className);
}

/** The registered class names of a category (for messages and tests). */
export function registeredNames(category: Category): string[] {
  return [...(registry.get(category)?.keys() ?? [])];
}

/** An object that serializes itself: its class has a static `className`. */
export interface Serializable {
  getConfig(): Record<string, unknown>;
}

export function classNameOf(obj: Serializable): string {
  const name = (obj.constructor as Partial<SerializableClass>).className;
  if (!name) throw new Error(`${obj.constructor.name} has no static className, so it cannot be serialized`);
  return name;
}

/** Keras 2 wire form: `{class_name, config}`. */
export function serialize(obj: Serializable): SerializedObject {
  return { class_name: classNameOf(obj), config: obj.getConfig() };
}

/** The class for a name in a category (aliases and custom objects included), or undefined. */
export function lookupClass(category: Category, name: string, custom?: CustomObjects): SerializableClass | undefined {
  const c = custom?.[name];
  if (c && 'fromConfig' in c) return c as SerializableClass;
  const byName = registry.get(category);
  return byName?.get(name) ?? byName?.get(aliases.get(category)?.get(name) ?? '');
}

/**
 * Rebuilds an object of a category from its wire form or alias string. An unknown name fails
 * with a message that lists how to register a custom class.
 */
export function deserialize<T>(category: Category, spec: unknown, custom?: CustomObjects): T {
  if (typeof spec === 'string') {
    const cls = lookupClass(category, spec, custom);
    if (!cls) throw unknownClass(category, spec);
    return cls.fromConfig({}, custom) as T;
  }
  if (!spec || typeof spec !== 'object' || typeof (spec as SerializedObject).class_name !== 'string') {
    throw new Error(`cannot read a ${category} from ${JSON.stringify(spec)?.slice(0, 200)}: expected a name or {"class_name": ..., "config": {...}}`);
  }
  const s = spec as SerializedObject;
  const name = s.registered_name && lookupClass(category, s.registered_name, custom) ? s.registered_name : s.class_name;
  const cls = lookupClass(category, name, custom);
  if (!cls) throw unknownClass(category, s.class_name);
  return cls.fromConfig(normalizeConfig(s.config ?? {}), custom) as T;
}

function unknownClass(category: Category, name: string): Error {
  const known = registeredNames(category);
  return new Error(
    `unknown ${category} '${name}'. Known ${category}s: ${known.slice(0, 40).join(', ')}${known.length > 40 ? ', ...' : ''}. ` +
      `For a custom class, pass it in customObjects: { ${name}: ${name} } (it needs a static className and fromConfig).`,
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
    out.dtype = (dt.config as { name?: string }).name ?? 'float32';
  }
  return out;
}
