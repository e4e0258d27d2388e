import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { registerClass, type CustomObjects } from '../serialization/registry.js';
import { Optimizer, type OptimizerArgs } from './optimizer.js';
import { keras2Config, optimizerArgsFromConfig, parseOptimizerArgs } from './optimizer-args.js';
import { assignArgs } from '../arguments/assign-args.js';

const Args = z.object({
  /** In [0, 1]; 0 (the default) is plain gradient descent. */
  momentum: z.number().min(0).max(1).default(0),
  /** Nesterov momentum. Defaults to false. */
  nesterov: z.boolean().default(false),
});

/** The arguments of {@link SGD} (its own are documented on its schema). */
export interface SGDArgs extends OptimizerArgs, z.input<typeof Args> {
  /** Defaults to 0.01. */
  learningRate?: OptimizerArgs['learningRate'];
}

/** The fields of {@link SGD}: its own arguments, defaults filled in. */
export interface SGD extends Readonly<z.output<typeof Args>> {}

/**
 * Gradient descent with optional (Nesterov) momentum, as Keras 2.11+:
 * `m = momentum * m - lr * g`, then `w += m` (or `w += momentum * m - lr * g` with Nesterov);
 * without momentum `w -= lr * g`.
 *
 * @example
 * const opt = new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true });
 * model.compile({ optimizer: opt, loss: 'mse' });
 */
export class SGD extends Optimizer {
  static override readonly className = 'SGD';

  constructor(args: SGDArgs = {}) {
    super(args, { name: 'SGD', learningRate: 0.01 });
    const a = parseOptimizerArgs(Args, args, `SGD '${this.name}'`);
    assignArgs(this, a);
  }

  protected override slotNames(): { name: string; init: number }[] {
    return this.momentum !== 0 ? [{ name: 'momentum', init: 0 }] : [];
  }

  protected override updateStep(v: Sym, g: Sym, slots: Sym[], lr: Sym): { value: Sym; slots: Sym[] } {
    if (this.momentum === 0) return { value: ops.sub(v, ops.mul(g, lr)), slots: [] };
    const m = ops.sub(ops.mul(slots[0], this.momentum), ops.mul(g, lr));
    const step = this.nesterov ? ops.sub(ops.mul(m, this.momentum), ops.mul(g, lr)) : m;
    return { value: ops.add(v, step), slots: [m] };
  }

  override getConfig(): Record<string, unknown> {
    return keras2Config(super.getConfig(), { momentum: this.momentum, nesterov: this.nesterov });
  }

  /** Rebuilds a SGD from its config (what `getConfig` returns). */
  static fromConfig(config: Record<string, unknown>, custom?: CustomObjects): SGD {
    return new SGD(optimizerArgsFromConfig(config, custom));
  }
}

registerClass('optimizer', SGD, 'sgd');
