import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { registerClass, type CustomObjects } from '../serialization/registry.js';
import { Optimizer, type OptimizerArgs } from './optimizer.js';
import { keras2Config, optimizerArgsFromConfig, parseOptimizerArgs } from './optimizer-args.js';
import { assignArgs } from '../arguments/assign-args.js';

const Args = z.object({
  /** How the rate shrinks with the accumulator, <= 0. Defaults to -0.5. */
  learningRatePower: z.number().max(0, { message: 'expected a number <= 0 (negative or zero)' }).default(-0.5),
  /** Starting value of the accumulators, >= 0. Defaults to 0.1. */
  initialAccumulatorValue: z.number().nonnegative().default(0.1),
  /** L1 regularization, >= 0. Defaults to 0. */
  l1RegularizationStrength: z.number().nonnegative().default(0),
  /** L2 regularization, >= 0. Defaults to 0. */
  l2RegularizationStrength: z.number().nonnegative().default(0),
  /** L2 shrinkage regularization (a magnitude penalty on the gradient), >= 0. Defaults to 0. */
  l2ShrinkageRegularizationStrength: z.number().nonnegative().default(0),
  /** The beta of FTRL-Proximal (added to L2 as `beta / (2 * lr)`). Defaults to 0. */
  beta: z.number().default(0),
});

/** The arguments of {@link Ftrl} (its own are documented on its schema). */
export interface FtrlArgs extends OptimizerArgs, z.input<typeof Args> {
  /** Defaults to 0.001. */
  learningRate?: OptimizerArgs['learningRate'];
}

/** The fields of {@link Ftrl}: its own arguments, defaults filled in. */
export interface Ftrl extends Readonly<z.output<typeof Args>> {}

/**
 * FTRL-Proximal, as Keras 2.11+ (the `accumulator` and `linear` slots; the weights are the
 * closed-form solution `(clip(linear, -l1, l1) - linear) / quadratic`).
 *
 * @example
 * const opt = new Ftrl({ learningRate: 0.1, l1RegularizationStrength: 0.01 });
 */
export class Ftrl extends Optimizer {
  static override readonly className = 'Ftrl';

  constructor(args: FtrlArgs = {}) {
    super(args, { name: 'Ftrl', learningRate: 0.001 });
    const a = parseOptimizerArgs(Args, args, `Ftrl '${this.name}'`);
    assignArgs(this, a);
  }

  protected override slotNames(): { name: string; init: number }[] {
    return [
      { name: 'accumulator', init: this.initialAccumulatorValue },
      { name: 'linear', init: 0 },
    ];
  }

  protected override updateStep(w: Sym, g: Sym, slots: Sym[], lr: Sym): { value: Sym; slots: Sym[] } {
    const [accum, linear] = slots;
    const power = -this.learningRatePower;
    const l2 = ops.add(ops.div(this.beta, ops.mul(lr, 2)), this.l2RegularizationStrength);
    const gradToUse = ops.add(g, ops.mul(w, 2 * this.l2ShrinkageRegularizationStrength));
    const newAccum = ops.add(accum, ops.square(g));
    const newAccumPow = ops.pow(newAccum, power);
    const sigma = ops.div(ops.sub(newAccumPow, ops.pow(accum, power)), lr);
    const newLinear = ops.add(linear, ops.sub(gradToUse, ops.mul(sigma, w)));
    const quadratic = ops.add(ops.div(newAccumPow, lr), ops.mul(l2, 2));
    const l1 = this.l1RegularizationStrength;
    const value = ops.div(ops.sub(ops.clip(newLinear, -l1, l1), newLinear), quadratic);
    return { value, slots: [newAccum, newLinear] };
  }

  override getConfig(): Record<string, unknown> {
    return keras2Config(super.getConfig(), {
      learning_rate_power: this.learningRatePower,
      initial_accumulator_value: this.initialAccumulatorValue,
      l1_regularization_strength: this.l1RegularizationStrength,
      l2_regularization_strength: this.l2RegularizationStrength,
      l2_shrinkage_regularization_strength: this.l2ShrinkageRegularizationStrength,
      beta: this.beta,
    });
  }

  /** Rebuilds a Ftrl from its config (what `getConfig` returns). */
  static fromConfig(config: Record<string, unknown>, custom?: CustomObjects): Ftrl {
    return new Ftrl(optimizerArgsFromConfig(config, custom));
  }
}

registerClass('optimizer', Ftrl, 'ftrl');
