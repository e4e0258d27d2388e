import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { registerClass, type CustomObjects } from '../serialization/registry.js';
import { Optimizer, type OptimizerArgs } from './optimizer.js';
import { keras2Config, optimizerArgsFromConfig, parseOptimizerArgs } from './optimizer-args.js';
import { assignArgs } from '../arguments/assign-args.js';

const Args = z.object({
  /** Discounting factor of the mean square of gradients. Defaults to 0.9. */
  rho: z.number().min(0).max(1).default(0.9),
  /** Defaults to 0 (no momentum). */
  momentum: z.number().min(0).max(1).default(0),
  /** Defaults to 1e-7. */
  epsilon: z.number().nonnegative().default(1e-7),
  /** Normalize by the variance of the gradients instead of their mean square. */
  centered: z.boolean().default(false),
});

/** The arguments of {@link RMSprop} (its own are documented on its schema). */
export interface RMSpropArgs extends OptimizerArgs, z.input<typeof Args> {
  /** Defaults to 0.001. */
  learningRate?: OptimizerArgs['learningRate'];
}

/** The fields of {@link RMSprop}: its own arguments, defaults filled in. */
export interface RMSprop extends Readonly<z.output<typeof Args>> {}

/**
 * RMSprop, as Keras 2.11+: `v = rho * v + (1 - rho) * g^2`, the step
 * `lr * g / sqrt(v + epsilon)` (or `/ sqrt(v - mg^2 + epsilon)` when centered, `mg` being the
 * running mean of the gradients), accumulated into a momentum when `momentum > 0`.
 *
 * @example
 * const opt = new RMSprop({ learningRate: 0.001, rho: 0.9, centered: true });
 */
export class RMSprop extends Optimizer {
  static override readonly className = 'RMSprop';

  constructor(args: RMSpropArgs = {}) {
    super(args, { name: 'RMSprop', learningRate: 0.001 });
    const a = parseOptimizerArgs(Args, args, `RMSprop '${this.name}'`);
    assignArgs(this, a);
  }

  /** Keras 3 makes the velocities, then the momentums, then the average gradients, each for every variable. */
  protected override slotGroups(): string[][] {
    return this.slotNames().map((s) => [s.name]);
  }

  protected override slotNames(): { name: string; init: number }[] {
    const out = [{ name: 'velocity', init: 0 }];
    if (this.momentum > 0) out.push({ name: 'momentum', init: 0 });
    if (this.centered) out.push({ name: 'average_gradient', init: 0 });
    return out;
  }

  protected override updateStep(w: Sym, g: Sym, slots: Sym[], lr: Sym): { value: Sym; slots: Sym[] } {
    const [velocity, ...rest] = slots;
    const momentum = this.momentum > 0 ? rest.shift()! : null;
    const averageGrad = this.centered ? rest.shift()! : null;
    const v = ops.add(ops.mul(velocity, this.rho), ops.mul(ops.square(g), 1 - this.rho));
    const out = [v];
    let denominator: Sym;
    let mg: Sym | null = null;
    if (averageGrad) {
      mg = ops.add(ops.mul(averageGrad, this.rho), ops.mul(g, 1 - this.rho));
      denominator = ops.add(ops.sub(v, ops.square(mg)), this.epsilon);
    } else {
      denominator = ops.add(v, this.epsilon);
    }
    const increment = ops.div(ops.mul(g, lr), ops.sqrt(denominator));
    let value: Sym;
    if (momentum) {
      const m = ops.add(ops.mul(momentum, this.momentum), increment);
      out.push(m);
      value = ops.sub(w, m);
    } else {
      value = ops.sub(w, increment);
    }
    if (mg) out.push(mg);
    return { value, slots: out };
  }

  override getConfig(): Record<string, unknown> {
    return keras2Config(super.getConfig(), { rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered });
  }

  /** Rebuilds a RMSprop from its config (what `getConfig` returns). */
  static fromConfig(config: Record<string, unknown>, custom?: CustomObjects): RMSprop {
    return new RMSprop(optimizerArgsFromConfig(config, custom));
  }
}

registerClass('optimizer', RMSprop, 'rmsprop');
