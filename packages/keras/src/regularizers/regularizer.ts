import type { Sym } from '@keras-ts/spec';
import { z } from 'zod';
import type { Serializable } from '../serialization/registry.js';
import { EagerFunctions } from '../engine/eager.js';
import { configToArgs } from '../engine/layer.js';
import type { VariableRegularizer } from '../engine/variable.js';
import type { Tensor } from '../tensor.js';
import { unknownArgumentsError } from '../arguments/strict-args.js';
import { KerasValueError } from '../errors.js';

/**
 * The base of every weight regularizer: `penalty(w)` is a scalar added to the training loss.
 * Subclasses list their arguments in `getConfig` (Keras 2's snake_case).
 *
 * @example
 * class SumSquares extends Regularizer {
 *   static override readonly className = 'SumSquares';
 *   penalty(w: Sym) { return ops.sum(ops.square(w)); }
 * }
 */
export abstract class Regularizer implements VariableRegularizer, Serializable {
  static readonly className: string = 'Regularizer';
  private readonly eager = new EagerFunctions();

  /** The scalar penalty of a weight, over symbolic tensors. */
  abstract penalty(w: Sym): Sym;

  /** The penalty of a concrete tensor (Keras' `regularizer(x)`). */
  async evaluate(w: Tensor): Promise<Tensor> {
    const [out] = await this.eager.run('penalty', [w], ([x]) => [this.penalty(x)]);
    return out;
  }

  /** The regularizer's arguments in Keras' snake_case wire format; none for the base class. */
  getConfig(): Record<string, unknown> {
    return {};
  }

  /** Rebuilds a regularizer from its config: snake_case keys become the camelCase arguments. */
  static fromConfig<T extends Regularizer>(this: new (args: Record<string, unknown>) => T, config: Record<string, unknown>): T {
    return new this(configToArgs(config));
  }
}

/** A penalty factor: a finite number (null means the default), as Keras' `_check_penalty_number`. */
export function zPenalty(fallback: number) {
  return z
    .number({ error: 'is not a valid regularization penalty number: expected an int or float value' })
    .refine(Number.isFinite, 'is not a valid regularization penalty number: infinite numbers and NaN are not valid values')
    .nullable()
    .optional()
    .transform((v) => v ?? fallback);
}

/** Refuses infinite and NaN penalty factors with their value (JSON would show them as null). */
export function refuseNonFinite(cls: string, args: object, keys: readonly string[]): void {
  for (const k of keys) {
    const v = (args as Record<string, unknown>)[k];
    if (typeof v === 'number' && !Number.isFinite(v)) {
      throw new KerasValueError(`${cls}: argument '${k}' got ${v}: is not a valid regularization penalty number: infinite numbers and NaN are not valid values`);
    }
  }
}

/** Refuses arguments a regularizer or constraint does not take, listing those it does. */
export function refuseUnknown(cls: string, args: object, known: readonly string[]): void {
  const unknown = Object.keys(args).filter((k) => !known.includes(k) && (args as Record<string, unknown>)[k] !== undefined);
  if (unknown.length) throw unknownArgumentsError(cls, Object.fromEntries(unknown.map((k) => [k, (args as Record<string, unknown>)[k]])), known);
}
