import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { registerClass, type CustomObjects } from '../serialization/registry.js';
import { Optimizer, type OptimizerArgs } from './optimizer.js';
import { keras2Config, optimizerArgsFromConfig, parseOptimizerArgs } from './optimizer-args.js';
import { assignArgs } from '../arguments/assign-args.js';

const Args = z.object({
  /** Decay rate of the running averages. Defaults to 0.95. */
  rho: z.number().min(0).max(1).default(0.95),
  /** Defaults to 1e-7. */
  epsilon: z.number().nonnegative().default(1e-7),
});

/** The arguments of {@link Adadelta} (its own are documented on its schema). */
export interface AdadeltaArgs extends OptimizerArgs, z.input<typeof Args> {
  /** Defaults to 0.001 (Keras 2.11+; the original Adadelta uses 1). */
  learningRate?: OptimizerArgs['learningRate'];
}

/** The fields of {@link Adadelta}: its own arguments, defaults filled in. */
export interface Adadelta extends Readonly<z.output<typeof Args>> {}

/**
 * Adadelta, as Keras 2.11+: `ag = rho * ag + (1 - rho) * g^2`,
 * `delta = -sqrt(ad + epsilon) * g / sqrt(ag + epsilon)`, `ad = rho * ad + (1 - rho) * delta^2`,
 * then `w += lr * delta`.
 *
 * @example
 * const opt = new Adadelta({ learningRate: 1.0, rho: 0.95 });
 */
export class Adadelta extends Optimizer {
  static override readonly className = 'Adadelta';

  constructor(args: AdadeltaArgs = {}) {
    super(args, { name: 'Adadelta', learningRate: 0.001 });
    const a = parseOptimizerArgs(Args, args, `Adadelta '${this.name}'`);
    assignArgs(this, a);
  }

  protected override slotNames(): { name: string; init: number }[] {
    return [
      { name: 'accumulated_grad', init: 0 },
      { name: 'accumulated_delta_var', init: 0 },
    ];
  }

  protected override updateStep(w: Sym, g: Sym, slots: Sym[], lr: Sym): { value: Sym; slots: Sym[] } {
    const rms = (x: Sym) => ops.sqrt(ops.add(x, this.epsilon));
    const accGrad = ops.add(ops.mul(slots[0], this.rho), ops.mul(ops.square(g), 1 - this.rho));
    const delta = ops.neg(ops.div(ops.mul(rms(slots[1]), g), rms(accGrad)));
    const accDelta = ops.add(ops.mul(slots[1], this.rho), ops.mul(ops.square(delta), 1 - this.rho));
    return { value: ops.add(w, ops.mul(lr, delta)), slots: [accGrad, accDelta] };
  }

  override getConfig(): Record<string, unknown> {
    return keras2Config(super.getConfig(), { rho: this.rho, epsilon: this.epsilon });
  }

  /** Rebuilds an Adadelta from its config (what `getConfig` returns). */
  static fromConfig(config: Record<string, unknown>, custom?: CustomObjects): Adadelta {
    return new Adadelta(optimizerArgsFromConfig(config, custom));
  }
}

registerClass('optimizer', Adadelta, 'adadelta');
