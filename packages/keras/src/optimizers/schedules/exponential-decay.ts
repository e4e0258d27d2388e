import { registerClass } from '../../serialization/registry.js';
import { RateDecaySchedule, type RateDecayArgs } from './rate-decay-schedule.js';
import type { ScalarMath, Val } from './scalar-math.js';

/** The arguments of {@link ExponentialDecay}. */
export interface ExponentialDecayArgs extends RateDecayArgs {
  /** Decay in whole steps of `decaySteps` (an integer exponent). */
  staircase?: boolean;
}

/**
 * `initialLearningRate * decayRate ^ (step / decaySteps)`, the exponent floored when
 * `staircase` is set.
 *
 * @example
 * const lr = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.96 });
 * const opt = new SGD({ learningRate: lr });
 */
export class ExponentialDecay extends RateDecaySchedule {
  static override readonly className = 'ExponentialDecay';

  constructor(args: ExponentialDecayArgs) {
    super(args, 'ExponentialDecay');
  }

  protected formula<T, B>(m: ScalarMath<T, B>, step: Val<T>): Val<T> {
    return m.mul(this.initialLearningRate, m.pow(this.decayRate, this.progress(m, step)));
  }
}

registerClass('schedule', ExponentialDecay);
