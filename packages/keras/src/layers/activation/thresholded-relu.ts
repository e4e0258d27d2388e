import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { Layer, parseArgs, type LayerArgs } from '../../engine/layer.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of `ThresholdedReLU` (each is documented on its schema, `ThresholdedReLUArgs`). */
export interface ThresholdedReLUArgs extends LayerArgs, z.input<typeof ThresholdedReLUArgs> {}

const ThresholdedReLUArgs = z.looseObject({
  /** Inputs at or below it give 0 (default 1, must be >= 0). */
  theta: z.number().nonnegative('theta must be >= 0').default(1),
});

/**
 * Thresholded ReLU: `x` for `x > theta`, 0 otherwise.
 *
 * @example
 * const layer = new ThresholdedReLU({ theta: 0.5 });
 */
export class ThresholdedReLU extends Layer {
  static override readonly className = 'ThresholdedReLU';
  static override readonly argsSchema: ArgsDeclaration = ThresholdedReLUArgs;
  readonly theta: number;

  constructor(args: ThresholdedReLUArgs = {}) {
    super(args);
    // Keras 2 holds it as float32 (`cast_to_floatx`) and writes it back so.
    this.theta = Math.fround(parseArgs(ThresholdedReLUArgs, args, `ThresholdedReLU '${this.name}'`).theta);
    this.supportsMasking = true;
  }

  override call(inputs: Sym | Sym[]): Sym {
    const x = inputs as Sym;
    return ops.mul(x, ops.cast(ops.greater(x, this.theta), x.dtype));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), theta: this.theta };
  }
}
