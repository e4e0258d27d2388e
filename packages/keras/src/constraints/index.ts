import { deserialize, type CustomObjects, type Serializable } from '../config/serialization';
import type { VariableConstraint } from '../engine/variable';

export { Constraint } from './constraint';
export { MaxNorm, MinMaxNorm, UnitNorm, type MaxNormArgs, type MinMaxNormArgs, type UnitNormArgs } from './norm';
export { NonNeg } from './non-neg';
export { RadialConstraint } from './radial';

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
