import { checkArgKeys } from '../arguments/strict-args.js';

/**
 * What a layer class declares about its constructor arguments: a zod object (or anything with a
 * `shape` record) whose keys are the camelCase arguments the class reads besides its parent's.
 */
export interface ArgsDeclaration {
  readonly shape: object;
}

/** A layer class as far as argument checking goes. */
interface LayerClassLike {
  readonly name: string;
  readonly className?: string;
  readonly argsSchema?: ArgsDeclaration | null;
}

const own = (cls: object, key: string) => Object.prototype.hasOwnProperty.call(cls, key);

const cache = new WeakMap<object, readonly string[]>();

/**
 * The arguments a layer class takes: the keys of the `argsSchema` it declares and of those its
 * ancestors declare (the base `Layer`'s included). Null for a class that does not declare its
 * own `argsSchema` (a user's subclass, whose arguments are its own to read): it is not checked.
 */
export function acceptedLayerArgs(cls: LayerClassLike): readonly string[] | null {
  if (!own(cls, 'argsSchema')) return null;
  let keys = cache.get(cls);
  if (!keys) {
    const set = new Set<string>();
    for (let c: LayerClassLike | null = cls; c && c !== Function.prototype; c = Object.getPrototypeOf(c) as LayerClassLike | null) {
      if (own(c, 'argsSchema') && c.argsSchema) for (const k of Object.keys(c.argsSchema.shape)) set.add(k);
    }
    keys = [...set];
    cache.set(cls, keys);
  }
  return keys;
}

/**
 * Refuses constructor arguments a built-in layer class does not take (after Keras 1 spellings
 * were converted), naming the class, the argument, its value and the nearest accepted argument:
 * `new Dense({ units: 8, input_shape: [4] })` fails with "did you mean `inputShape`?". Configs
 * read from files are not checked (see `checksUnknownArgs`).
 */
export function checkLayerArgs(cls: LayerClassLike, args: unknown): void {
  const accepted = acceptedLayerArgs(cls);
  if (!accepted) return;
  const name = args && typeof args === 'object' ? (args as { name?: unknown }).name : undefined;
  const className = own(cls, 'className') && cls.className ? cls.className : cls.name;
  checkArgKeys(args, accepted, typeof name === 'string' && name ? `${className} '${name}'` : className);
}

/**
 * An {@link ArgsDeclaration} made of argument names and other declarations (their keys merged):
 * `argKeys()` for a class with no arguments of its own, `argKeys('dataFormat')`,
 * `argKeys(EmbeddingArgs, 'loraRank')`.
 */
export function argKeys(...parts: readonly (string | ArgsDeclaration)[]): ArgsDeclaration {
  const shape: Record<string, true> = {};
  for (const p of parts) for (const k of typeof p === 'string' ? [p] : Object.keys(p.shape)) shape[k] = true;
  return { shape };
}
