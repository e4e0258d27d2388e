import { fmtShape, resolveAxes, type Sym } from '@keras-ts/spec';
import type { Serializable } from '../serialization/registry.js';
import { EagerFunctions } from '../engine/eager.js';
import { configToArgs } from '../engine/layer.js';
import type { VariableConstraint } from '../engine/variable.js';
import type { Tensor } from '../tensor.js';
import { KerasValueError } from '../errors.js';

/** Keras' `backend.epsilon()`. */
export const EPSILON = 1e-7;

/**
 * The base of every weight constraint: `apply(w)` gives the constrained value, which the
 * optimizer assigns after each update. The base class leaves the weight unchanged.
 *
 * @example
 * class Clip01 extends Constraint {
 *   static override readonly className = 'Clip01';
 *   override apply(w: Sym) { return ops.clip(w, 0, 1); }
 * }
 */
export class Constraint implements VariableConstraint, Serializable {
  static readonly className: string = 'Constraint';
  private readonly eager = new EagerFunctions();

  /** The constrained weight, over symbolic tensors. */
  apply(w: Sym): Sym {
    return w;
  }

  /** The constrained value of a concrete tensor (Keras' `constraint(w)`). */
  async evaluate(w: Tensor): Promise<Tensor> {
    const [out] = await this.eager.run('apply', [w], ([x]) => [this.apply(x)]);
    return out;
  }

  /** The constraint's arguments in Keras' snake_case wire format; none for the base class. */
  getConfig(): Record<string, unknown> {
    return {};
  }

  /** Rebuilds a constraint from its config: snake_case keys become the camelCase arguments. */
  static fromConfig<T extends Constraint>(this: new (args: Record<string, unknown>) => T, config: Record<string, unknown>): T {
    return new this(configToArgs(config));
  }
}

/** The axes a norm constraint reduces over, checked against the weight's rank. */
export function constraintAxes(cls: string, axis: number | readonly number[], w: Sym): number[] {
  try {
    return resolveAxes(typeof axis === 'number' ? [axis] : axis, w.rank);
  } catch {
    throw new KerasValueError(`${cls}: axis ${JSON.stringify(axis)} is out of range for a weight of shape ${fmtShape(w.shape)}`);
  }
}
