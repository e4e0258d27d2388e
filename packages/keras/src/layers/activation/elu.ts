import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { Layer, parseArgs, type LayerArgs } from '../../engine/layer.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of `ELU` (each is documented on its schema, `ELUArgs`). */
export interface ELUArgs extends LayerArgs, z.input<typeof ELUArgs> {}

const ELUArgs = z.looseObject({
  /** Scale of the negative part (default 1). */
  alpha: z.number().default(1),
});

/**
 * Exponential linear unit: `x` for `x > 0`, `alpha * (exp(x) - 1)` otherwise.
 *
 * @example
 * const layer = new ELU({ alpha: 0.5 });
 */
export class ELU extends Layer {
  static override readonly className = 'ELU';
  static override readonly argsSchema: ArgsDeclaration = ELUArgs;
  readonly alpha: number;

  constructor(args: ELUArgs = {}) {
    super(args);
    // Keras 2 holds it as float32 (`cast_to_floatx`) and writes it back so.
    this.alpha = Math.fround(parseArgs(ELUArgs, args, `ELU '${this.name}'`).alpha);
    this.supportsMasking = true;
  }

  override call(inputs: Sym | Sym[]): Sym {
    const x = inputs as Sym;
    const neg = ops.expm1(ops.minimum(x, 0));
    return ops.where(ops.greater(x, 0), x, this.alpha === 1 ? neg : ops.mul(neg, this.alpha));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}
