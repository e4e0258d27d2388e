import { deserialize, type CustomObjects } from '../serialization/registry.js';
import { Loss } from './loss.js';
import { LossFunctionWrapper, type LossFunction } from './wrapper.js';
import { KerasValueError } from '../errors.js';

/** What `getLoss` accepts: a name or alias, a Keras config, a Loss, or a loss function. */
export type LossIdentifier = string | { class_name: string; config?: Record<string, unknown> } | Loss | LossFunction;

/**
 * A loss from an identifier, as Keras 2's `keras.losses.get` (always giving a `Loss`):
 * - a name or alias (`'mse'`, `'categorical_crossentropy'`, `'Huber'`): that loss with its defaults;
 * - a config (`{class_name, config}`, Keras 2 or Keras 3 spelling);
 * - a `Loss`: itself;
 * - a function `(yTrue, yPred) => perSampleLosses` over symbolic tensors: wrapped in a
 *   `LossFunctionWrapper` named after the function.
 * Null or undefined gives null.
 *
 * @example
 * const loss = getLoss('sparse_categorical_crossentropy');
 * const custom = getLoss((t, p) => ops.mean(ops.abs(ops.sub(p, t)), -1));
 */
export function getLoss(identifier: LossIdentifier | null | undefined, custom?: CustomObjects): Loss | null {
  if (identifier === null || identifier === undefined) return null;
  if (identifier instanceof Loss) return identifier;
  if (typeof identifier === 'string' || (typeof identifier === 'object' && typeof (identifier as { class_name?: unknown }).class_name === 'string')) {
    return deserialize<Loss>('loss', identifier, custom);
  }
  if (typeof identifier === 'function') return new LossFunctionWrapper(identifier as LossFunction, { name: identifier.name || 'lambda' });
  throw new KerasValueError(`could not interpret a loss from ${JSON.stringify(identifier)?.slice(0, 200)}: expected a loss name such as 'mse', a {"class_name": ..., "config": {...}} object, a Loss or a function (yTrue, yPred) => losses`);
}
