import { registerClass, type CustomObjects } from '../serialization/registry.js';
import { Adam, type AdamArgs } from './adam.js';
import { optimizerArgsFromConfig } from './optimizer-args.js';
import { KerasValueError } from '../errors.js';

/** The arguments of {@link AdamW}. */
export interface AdamWArgs extends AdamArgs {
  /** Decoupled weight decay, `w -= w * weightDecay * lr` before each update. Defaults to 0.004. */
  weightDecay?: number;
}

/**
 * Adam with decoupled weight decay (AdamW), as Keras 2.11+: each step first shrinks the
 * weights by `w * weightDecay * lr`, then applies Adam's update.
 *
 * @example
 * const opt = new AdamW({ learningRate: 1e-3, weightDecay: 0.01 });
 */
export class AdamW extends Adam {
  static override readonly className: string = 'AdamW';

  constructor(args: AdamWArgs = {}) {
    if (args.weightDecay === null) {
      throw new KerasValueError(`AdamW: argument 'weightDecay' got null: expected a number (the weight decay is what AdamW adds to Adam)`);
    }
    super({ ...args, weightDecay: args.weightDecay ?? 0.004 }, { name: 'AdamW', learningRate: 0.001 });
  }

  /** Rebuilds an AdamW from its config (what `getConfig` returns). */
  static override fromConfig(config: Record<string, unknown>, custom?: CustomObjects): AdamW {
    return new AdamW(optimizerArgsFromConfig(config, custom));
  }
}

registerClass('optimizer', AdamW, 'adamw');
