/**
 * Keras 1 layers that Keras 2 removed: they exist (and are registered) only to fail with a
 * message that says what to use instead, whether constructed or named in a loaded config.
 */
import { KerasNotImplementedError } from '../errors.js';

/** The error for a removed layer: its name, what replaces it and how its weights map. */
export function removedLayerError(className: string, instead: string): Error {
  return new KerasNotImplementedError(`The Keras 1 layer \`${className}\` was removed in Keras 2 and is not available. ${instead}`);
}

/** A layer's name from its arguments or config, for messages. */
export function nameOf(args: unknown): string {
  const n = args && typeof args === 'object' ? (args as { name?: unknown }).name : undefined;
  return typeof n === 'string' && n ? ` ('${n}')` : '';
}
