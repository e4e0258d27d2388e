/**
 * The Keras mask a model's output carries, as Keras 2's `_keras_mask` attribute on the output
 * tensor: a functional or Sequential model records the mask it computed for each of its outputs
 * on the symbolic tensor it returns, and training reads it back (Keras 2's
 * `losses_utils.get_mask(y_pred)`) to leave masked entries out of the losses and the metrics.
 */
import type { Sym } from '@keras-ts/spec';

const masks = new WeakMap<Sym, Sym | null>();

/** Records the mask of a model output (null: the output has none). */
export function setKerasMask(output: Sym, mask: Sym | null): void {
  masks.set(output, mask);
}

/** The mask a model recorded for this output, or null when it has none. */
export function kerasMask(output: Sym): Sym | null {
  return masks.get(output) ?? null;
}
