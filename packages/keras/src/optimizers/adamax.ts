import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { registerClass, type CustomObjects } from '../serialization/registry.js';
import { betaPower } from './adam.js';
import { Optimizer, type OptimizerArgs } from './optimizer.js';
import { keras2Config, optimizerArgsFromConfig, parseOptimizerArgs } from './optimizer-args.js';
import { assignArgs } from '../arguments/assign-args.js';

const Args = z.object({
  /** Decay rate of the first moment (config `beta_1`). Defaults to 0.9. */
  beta1: z.number().min(0).max(1).default(0.9),
  /** Decay rate of the infinity norm (config `beta_2`). Defaults to 0.999. */
  beta2: z.number().min(0).max(1).default(0.999),
  /** Defaults to 1e-7. */
  epsilon: z.number().nonnegative().default(1e-7),
});

/** The arguments of {@link Adamax} (its own are documented on its schema). */
export interface AdamaxArgs extends OptimizerArgs, z.input<typeof Args> {
  /** Defaults to 0.001. */
  learningRate?: OptimizerArgs['learningRate'];
}

/** The fields of {@link Adamax}: its own arguments, defaults filled in. */
export interface Adamax extends Readonly<z.output<typeof Args>> {}

/**
 * Adamax (Adam with the infinity norm), as Keras 2.11+: `m += (g - m) * (1 - beta1)`,
 * `u = max(beta2 * u, |g|)`, then `w -= lr * m / ((1 - beta1^t) * (u + epsilon))`.
 *
 * @example
 * const opt = new Adamax({ learningRate: 0.002 });
 */
export class Adamax extends Optimizer {
  static override readonly className = 'Adamax';

  constructor(args: AdamaxArgs = {}) {
    super(args, { name: 'Adamax', learningRate: 0.001 });
    const a = parseOptimizerArgs(Args, args, `Adamax '${this.name}'`);
    assignArgs(this, a);
  }

  protected override slotNames(): { name: string; init: number }[] {
    return [
      { name: 'momentum', init: 0 },
      { name: 'norm', init: 0 },
    ];
  }

  protected override updateStep(w: Sym, g: Sym, slots: Sym[], lr: Sym, step: Sym): { value: Sym; slots: Sym[] } {
    const m = ops.add(slots[0], ops.mul(ops.sub(g, slots[0]), 1 - this.beta1));
    const u = ops.maximum(ops.mul(slots[1], this.beta2), ops.abs(g));
    const denom = ops.mul(ops.sub(1, betaPower(this.beta1, step)), ops.add(u, this.epsilon));
    return { value: ops.sub(w, ops.div(ops.mul(lr, m), denom)), slots: [m, u] };
  }

  override getConfig(): Record<string, unknown> {
    return keras2Config(super.getConfig(), { beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon });
  }

  /** Rebuilds an Adamax from its config (what `getConfig` returns). */
  static fromConfig(config: Record<string, unknown>, custom?: CustomObjects): Adamax {
    return new Adamax(optimizerArgsFromConfig(config, custom));
  }
}

registerClass('optimizer', Adamax, 'adamax');
