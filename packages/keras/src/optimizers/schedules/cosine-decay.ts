import { z } from 'zod';
import { registerClass } from '../../serialization/registry.js';
import { ArgsSchedule } from './args-schedule.js';
import { scheduleArgsFromConfig } from './formula-schedule.js';
import type { ScalarMath, Val } from './scalar-math.js';

const Args = z.object({
  initialLearningRate: z.number(),
  decaySteps: z.number().positive(),
  /** The floor of the decay, as a fraction of the starting rate. Defaults to 0. */
  alpha: z.number().default(0),
  name: z.string().nullable().default(null),
  /** With a warmup: the rate reached linearly after `warmupSteps`, then decayed. */
  warmupTarget: z.number().nullable().default(null),
  warmupSteps: z.number().nonnegative().default(0),
});

/** The arguments of {@link CosineDecay} (each is documented on its schema). */
export interface CosineDecayArgs extends z.input<typeof Args> {}

/** The fields of a {@link CosineDecay}: its arguments, defaults filled in. */
export interface CosineDecay extends Readonly<z.output<typeof Args>> {}

/**
 * Cosine decay (SGDR without restarts): `lr * ((1 - alpha) * 0.5 * (1 + cos(pi * step /
 * decaySteps)) + alpha)`, the step held at `decaySteps` afterwards. With `warmupTarget`, the
 * rate first rises linearly from `initialLearningRate` to `warmupTarget` over `warmupSteps`,
 * and the decay starts from `warmupTarget`.
 *
 * @example
 * const lr = new CosineDecay({ initialLearningRate: 0, decaySteps: 1000, warmupTarget: 0.1, warmupSteps: 100 });
 * const opt = new Adam({ learningRate: lr });
 */
export class CosineDecay extends ArgsSchedule<typeof Args> {
  static override readonly className = 'CosineDecay';

  constructor(args: CosineDecayArgs) {
    super(Args, args, 'CosineDecay');
  }

  private decay<T, B>(m: ScalarMath<T, B>, step: Val<T>, from: Val<T>): Val<T> {
    const fraction = m.div(step, this.decaySteps);
    const cosine = m.mul(0.5, m.add(1, m.cos(m.mul(Math.PI, fraction))));
    return m.mul(from, m.add(m.mul(1 - this.alpha, cosine), this.alpha));
  }

  protected formula<T, B>(m: ScalarMath<T, B>, step: Val<T>): Val<T> {
    if (this.warmupTarget === null) return this.decay(m, m.minimum(step, this.decaySteps), this.initialLearningRate);
    const s = m.minimum(step, m.add(this.decaySteps, this.warmupSteps));
    const warmup = m.add(m.mul(m.sub(this.warmupTarget, this.initialLearningRate), m.div(s, this.warmupSteps)), this.initialLearningRate);
    const decayed = this.decay(m, m.sub(s, this.warmupSteps), this.warmupTarget);
    return m.where(m.less(s, this.warmupSteps), warmup, decayed);
  }

  /** Rebuilds a CosineDecay from its config (what `getConfig` returns). */
  static fromConfig(config: Record<string, unknown>): CosineDecay {
    return new CosineDecay(scheduleArgsFromConfig(config) as unknown as CosineDecayArgs);
  }
}

registerClass('schedule', CosineDecay);
