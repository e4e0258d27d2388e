import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { registerClass, type CustomObjects } from '../serialization/registry.js';
import { Optimizer, type OptimizerArgs } from './optimizer.js';
import { keras2Config, optimizerArgsFromConfig, parseOptimizerArgs } from './optimizer-args.js';
import { assignArgs } from '../arguments/assign-args.js';

const Args = z.object({
  /** Decay rate of the first moment (config `beta_1`). Defaults to 0.9. */
  beta1: z.number().min(0).max(1).default(0.9),
  /** Decay rate of the second moment (config `beta_2`). Defaults to 0.999. */
  beta2: z.number().min(0).max(1).default(0.999),
  /** Defaults to 1e-7. */
  epsilon: z.number().nonnegative().default(1e-7),
  /** Use the maximum of past second moments (AMSGrad). */
  amsgrad: z.boolean().default(false),
});

/** The arguments of {@link Adam} (its own are documented on its schema). */
export interface AdamArgs extends OptimizerArgs, z.input<typeof Args> {
  /** Defaults to 0.001. */
  learningRate?: OptimizerArgs['learningRate'];
}

/** Beta powers of the bias correction: `beta ^ step`. */
export function betaPower(beta: number, step: Sym): Sym {
  return ops.pow(ops.scalar(step.graph, beta), step);
}

/** The fields of {@link Adam}: its own arguments, defaults filled in. */
export interface Adam extends Readonly<z.output<typeof Args>> {}

/**
 * Adam, as Keras 2.11+: `m += (g - m) * (1 - beta1)`, `v += (g^2 - v) * (1 - beta2)`, then
 * `w -= m * alpha / (sqrt(v) + epsilon)` with `alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t)`.
 *
 * @example
 * const opt = new Adam({ learningRate: 1e-3 });
 * model.compile({ optimizer: opt, loss: 'categorical_crossentropy' });
 */
export class Adam extends Optimizer {
  static override readonly className: string = 'Adam';

  constructor(args: AdamArgs = {}, defaults: { name: string; learningRate: number } = { name: 'Adam', learningRate: 0.001 }) {
    super(args, defaults);
    const a = parseOptimizerArgs(Args, args, `${(new.target as typeof Adam).className} '${this.name}'`);
    assignArgs(this, a);
  }

  /** Keras 3 makes momentum and velocity per variable, then (AMSGrad) every velocity_hat. */
  protected override slotGroups(): string[][] {
    return this.amsgrad ? [['momentum', 'velocity'], ['velocity_hat']] : [['momentum', 'velocity']];
  }

  protected override slotNames(): { name: string; init: number }[] {
    const out = [
      { name: 'momentum', init: 0 },
      { name: 'velocity', init: 0 },
    ];
    if (this.amsgrad) out.push({ name: 'velocity_hat', init: 0 });
    return out;
  }

  protected override updateStep(w: Sym, g: Sym, slots: Sym[], lr: Sym, step: Sym): { value: Sym; slots: Sym[] } {
    const alpha = ops.div(ops.mul(lr, ops.sqrt(ops.sub(1, betaPower(this.beta2, step)))), ops.sub(1, betaPower(this.beta1, step)));
    const m = ops.add(slots[0], ops.mul(ops.sub(g, slots[0]), 1 - this.beta1));
    const v = ops.add(slots[1], ops.mul(ops.sub(ops.square(g), slots[1]), 1 - this.beta2));
    const out = [m, v];
    let vUsed = v;
    if (this.amsgrad) {
      vUsed = ops.maximum(slots[2], v);
      out.push(vUsed);
    }
    const value = ops.sub(w, ops.div(ops.mul(m, alpha), ops.add(ops.sqrt(vUsed), this.epsilon)));
    return { value, slots: out };
  }

  override getConfig(): Record<string, unknown> {
    return keras2Config(super.getConfig(), { beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad });
  }

  /** Rebuilds an Adam from its config (what `getConfig` returns). */
  static fromConfig(config: Record<string, unknown>, custom?: CustomObjects): Adam {
    return new Adam(optimizerArgsFromConfig(config, custom));
  }
}

registerClass('optimizer', Adam, 'adam');
