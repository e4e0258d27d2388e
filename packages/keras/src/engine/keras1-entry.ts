import { keepWireMark } from '../arguments/strict-args.js';
import { convertLegacyLayerArgs } from '../legacy/layer-args.js';

/**
 * Keras 1 layer arguments are converted where they enter a layer, once per construction, into a
 * new object: the caller's object is never changed. `Layer`'s constructor converts the arguments
 * it is given ({@link enterLayerArgs}); a subclass constructor reads the object it was given after
 * `super()` returns, so the Keras 2 form is kept for that object and `parseArgs` reads it
 * ({@link keras2Args}). A constructor that copies its arguments before `super()` (Embedding, the
 * recurrent layers) or reads them before it (InputLayer, Model) enters them first itself.
 */

const keras2Forms = new WeakMap<object, object>();

/**
 * The arguments of a `className` layer in Keras 2 spellings (see `convertLegacyLayerArgs`, which
 * warns once per Keras 1 spelling), remembered for the object given so that {@link keras2Args}
 * reads them. A copy of a Keras config's arguments stays unchecked for unknown keys, as the
 * config's own are.
 *
 * @example
 * constructor(args: EmbeddingArgs) {
 *   args = enterLayerArgs(new.target.className, args); // before copying them for super()
 * }
 */
export function enterLayerArgs<T extends object | null | undefined>(className: string, args: T): T {
  const converted = convertLegacyLayerArgs(className, args);
  if (!args || typeof args !== 'object') return converted;
  if (converted === args) keras2Forms.delete(args);
  else keras2Forms.set(args, keepWireMark(args, converted as object));
  return converted;
}

/**
 * The arguments a layer's constructor read for `args`: their Keras 2 form when the layer entered
 * them converted, else `args` itself.
 */
export function keras2Args<T>(args: T): T {
  if (!args || typeof args !== 'object') return args;
  return (keras2Forms.get(args) as T | undefined) ?? args;
}
