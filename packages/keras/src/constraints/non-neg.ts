import { ops, type Sym } from '@keras-ts/spec';
import { registerClass } from '../serialization/registry.js';
import { refuseUnknown } from '../regularizers/regularizer.js';
import { Constraint } from './constraint.js';

/**
 * Sets negative weights to zero: `w * (w >= 0)`.
 * @example new Dense({ units: 4, kernelConstraint: new NonNeg() }) // or 'non_neg'
 */
export class NonNeg extends Constraint {
  static override readonly className = 'NonNeg';
  constructor(args: Record<string, never> = {}) {
    super();
    refuseUnknown('NonNeg', args, []);
  }
  override apply(w: Sym): Sym {
    return ops.mul(w, ops.cast(ops.greaterEqual(w, 0), 'float32'));
  }
}

registerClass('constraint', NonNeg, 'non_neg', 'nonneg');
