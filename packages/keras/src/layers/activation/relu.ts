import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { Layer, parseArgs, type LayerArgs } from '../../engine/layer.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';

const ReLUArgs = z.looseObject({
  /** Upper bound of the output (default none). */
  maxValue: z.number().nonnegative('max_value cannot be negative').nullable().optional(),
  /** Slope below the threshold (default 0). */
  negativeSlope: z.number().nonnegative('negative_slope cannot be negative').default(0),
  /** Inputs at or below it are not passed through (default 0). */
  threshold: z.number().nonnegative('threshold cannot be negative').default(0),
});

/** The arguments of `ReLU` (each is documented on its schema, `ReLUArgs`). */
export interface ReLUArgs extends LayerArgs, z.input<typeof ReLUArgs> {}

/**
 * Rectified linear unit, Keras 2 semantics: `min(x, maxValue)` for `x > threshold`, and
 * `negativeSlope * (x - threshold)` otherwise.
 *
 * @example
 * const layer = new ReLU({ maxValue: 6 }); // relu6
 */
export class ReLU extends Layer {
  static override readonly className = 'ReLU';
  static override readonly argsSchema: ArgsDeclaration = ReLUArgs;
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;

  constructor(args: ReLUArgs = {}) {
    super(args);
    const a = parseArgs(ReLUArgs, args, `ReLU '${this.name}'`);
    // Keras 2 holds them as float32 (`cast_to_floatx`) and writes them back so.
    this.maxValue = a.maxValue === null || a.maxValue === undefined ? null : Math.fround(a.maxValue);
    this.negativeSlope = Math.fround(a.negativeSlope);
    this.threshold = Math.fround(a.threshold);
    this.supportsMasking = true;
  }

  override call(inputs: Sym | Sym[]): Sym {
    const x = inputs as Sym;
    const t = this.threshold;
    // The part above the threshold, clipped to [0, max_value]. With no threshold that is one clip
    // (relu6 is one op in Keras 2 too): clip(x, 0, m) = min(relu(x), m), NaN kept.
    let y: Sym;
    if (t === 0 && this.maxValue !== null) y = ops.clip(x, 0, this.maxValue);
    else {
      y = t !== 0 ? ops.mul(x, ops.cast(ops.greater(x, t), x.dtype)) : ops.relu(x);
      if (this.maxValue !== null) y = ops.clip(y, 0, this.maxValue);
    }
    // Minus slope * relu(threshold - x): slope * (x - threshold) below the threshold.
    if (this.negativeSlope !== 0) y = ops.sub(y, ops.mul(ops.relu(t !== 0 ? ops.sub(t, x) : ops.neg(x)), this.negativeSlope));
    return y;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), max_value: this.maxValue, negative_slope: this.negativeSlope, threshold: this.threshold };
  }
}
