import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { Layer, parseArgs, type LayerArgs } from '../../engine/layer.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasValueError } from '../../errors.js';

const LeakyReLUArgs = z.looseObject({
  /** Slope for negative inputs (Keras 2 name; default 0.3). */
  alpha: z.number().optional(),
  /** Keras 3 name of `alpha`. */
  negativeSlope: z.number().optional(),
});

/** The arguments of `LeakyReLU` (each is documented on its schema, `LeakyReLUArgs`). */
export interface LeakyReLUArgs extends LayerArgs, z.input<typeof LeakyReLUArgs> {}

/**
 * Leaky rectified linear unit: `x` for `x > 0`, `alpha * x` otherwise (Keras 2 default alpha 0.3).
 *
 * @example
 * const layer = new LeakyReLU({ alpha: 0.1 });
 */
export class LeakyReLU extends Layer {
  static override readonly className = 'LeakyReLU';
  static override readonly argsSchema: ArgsDeclaration = LeakyReLUArgs;
  readonly alpha: number;

  constructor(args: LeakyReLUArgs = {}) {
    super(args);
    const a = parseArgs(LeakyReLUArgs, args, `LeakyReLU '${this.name}'`);
    if (a.alpha !== undefined && a.negativeSlope !== undefined && a.alpha !== a.negativeSlope) {
      throw new KerasValueError(`LeakyReLU '${this.name}': got both alpha (${a.alpha}) and negative_slope (${a.negativeSlope}); give one (negative_slope is the Keras 3 name of alpha)`);
    }
    // Keras 2 holds it as float32 (`cast_to_floatx`) and writes it back so.
    this.alpha = Math.fround(a.alpha ?? a.negativeSlope ?? 0.3);
    this.supportsMasking = true;
  }

  override call(inputs: Sym | Sym[]): Sym {
    const x = inputs as Sym;
    return ops.where(ops.greater(x, 0), x, ops.mul(x, this.alpha));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}
