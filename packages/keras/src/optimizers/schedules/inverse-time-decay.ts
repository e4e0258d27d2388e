import { registerClass } from '../../serialization/registry.js';
import { RateDecaySchedule, type RateDecayArgs } from './rate-decay-schedule.js';
import type { ScalarMath, Val } from './scalar-math.js';

/** The arguments of {@link InverseTimeDecay}. */
export interface InverseTimeDecayArgs extends RateDecayArgs {}

/**
 * `initialLearningRate / (1 + decayRate * step / decaySteps)`, with `step / decaySteps`
 * floored when `staircase` is set.
 *
 * @example
 * const lr = new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 });
 * const opt = new SGD({ learningRate: lr });
 */
export class InverseTimeDecay extends RateDecaySchedule {
  static override readonly className = 'InverseTimeDecay';

  constructor(args: InverseTimeDecayArgs) {
    super(args, 'InverseTimeDecay');
  }

  protected formula<T, B>(m: ScalarMath<T, B>, step: Val<T>): Val<T> {
    return m.div(this.initialLearningRate, m.add(1, m.mul(this.decayRate, this.progress(m, step))));
  }
}

registerClass('schedule', InverseTimeDecay);
