import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { registerClass, type CustomObjects } from '../serialization/registry.js';
import { Optimizer, type OptimizerArgs } from './optimizer.js';
import { keras2Config, optimizerArgsFromConfig, parseOptimizerArgs } from './optimizer-args.js';
import { assignArgs } from '../arguments/assign-args.js';

const Args = z.object({
  /** Starting value of the sums of squared gradients. Defaults to 0.1. */
  initialAccumulatorValue: z.number().nonnegative().default(0.1),
  /** Defaults to 1e-7. */
  epsilon: z.number().nonnegative().default(1e-7),
});

/** The arguments of {@link Adagrad} (its own are documented on its schema). */
export interface AdagradArgs extends OptimizerArgs, z.input<typeof Args> {
  /** Defaults to 0.001. */
  learningRate?: OptimizerArgs['learningRate'];
}

/** The fields of {@link Adagrad}: its own arguments, defaults filled in. */
export interface Adagrad extends Readonly<z.output<typeof Args>> {}

/**
 * Adagrad, as Keras 2.11+: `acc += g^2`, then `w -= lr * g / sqrt(acc + epsilon)`.
 *
 * @example
 * const opt = new Adagrad({ learningRate: 0.01, initialAccumulatorValue: 0.1 });
 */
export class Adagrad extends Optimizer {
  static override readonly className = 'Adagrad';

  constructor(args: AdagradArgs = {}) {
    super(args, { name: 'Adagrad', learningRate: 0.001 });
    const a = parseOptimizerArgs(Args, args, `Adagrad '${this.name}'`);
    assignArgs(this, a);
  }

  protected override slotNames(): { name: string; init: number }[] {
    return [{ name: 'accumulator', init: this.initialAccumulatorValue }];
  }

  protected override updateStep(w: Sym, g: Sym, slots: Sym[], lr: Sym): { value: Sym; slots: Sym[] } {
    const acc = ops.add(slots[0], ops.square(g));
    const value = ops.sub(w, ops.div(ops.mul(lr, g), ops.sqrt(ops.add(acc, this.epsilon))));
    return { value, slots: [acc] };
  }

  override getConfig(): Record<string, unknown> {
    return keras2Config(super.getConfig(), { initial_accumulator_value: this.initialAccumulatorValue, epsilon: this.epsilon });
  }

  /** Rebuilds an Adagrad from its config (what `getConfig` returns). */
  static fromConfig(config: Record<string, unknown>, custom?: CustomObjects): Adagrad {
    return new Adagrad(optimizerArgsFromConfig(config, custom));
  }
}

registerClass('optimizer', Adagrad, 'adagrad');
