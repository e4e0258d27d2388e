import { deserialize, type CustomObjects, type Serializable } from '../serialization/registry.js';
import type { VariableConstraint } from '../engine/variable.js';

export { Constraint } from './constraint.js';
export { MaxNorm, MinMaxNorm, UnitNorm, type MaxNormArgs, type MinMaxNormArgs, type UnitNormArgs } from './norm.js';
export { NonNeg } from './non-neg.js';
export { RadialConstraint } from './radial.js';

/**
 * A constraint from a name (`'max_norm'`, `'non_neg'`, `'unit_norm'`, `'min_max_norm'`,
 * `'radial_constraint'`, or a class name), a Keras config, or an instance (given back as is);
 * null or undefined give null.
 * @example getConstraint({ class_name: 'MaxNorm', config: { max_value: 3, axis: 0 } })
 */
export function getConstraint(identifier: unknown, custom?: CustomObjects): (VariableConstraint & Serializable) | null {
  if (identifier === null || identifier === undefined) return null;
  if (typeof identifier === 'object' && typeof (identifier as VariableConstraint).apply === 'function') return identifier as VariableConstraint & Serializable;
  return deserialize('constraint', identifier, custom);
}
