import { deserialize, type CustomObjects, type Serializable } from '../serialization/registry.js';
import type { VariableRegularizer } from '../engine/variable.js';

export { Regularizer } from './regularizer.js';
export { L1, L2, L1L2, l1L2, type L1Args, type L2Args, type L1L2Args } from './l1-l2.js';
export { OrthogonalRegularizer, type OrthogonalRegularizerArgs } from './orthogonal.js';

/**
 * A regularizer from a name (`'l1'`, `'l2'`, `'l1_l2'`, `'L1L2'`...), a Keras config, or an
 * instance (given back as is); null or undefined give null.
 * @example getRegularizer({ class_name: 'L2', config: { l2: 1e-4 } })
 */
export function getRegularizer(identifier: unknown, custom?: CustomObjects): (VariableRegularizer & Serializable) | null {
  if (identifier === null || identifier === undefined) return null;
  if (typeof identifier === 'object' && typeof (identifier as VariableRegularizer).penalty === 'function') return identifier as VariableRegularizer & Serializable;
  return deserialize('regularizer', identifier, custom);
}
