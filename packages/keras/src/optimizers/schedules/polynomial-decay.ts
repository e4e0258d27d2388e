import { z } from 'zod';
import { registerClass } from '../../serialization/registry.js';
import { ArgsSchedule } from './args-schedule.js';
import { scheduleArgsFromConfig } from './formula-schedule.js';
import type { ScalarMath, Val } from './scalar-math.js';

const Args = z.object({
  initialLearningRate: z.number(),
  decaySteps: z.number().positive(),
  /** Defaults to 0.0001. */
  endLearningRate: z.number().default(0.0001),
  /** Defaults to 1 (linear). */
  power: z.number().default(1.0),
  /** Start again past `decaySteps`, over a multiple of `decaySteps`. */
  cycle: z.boolean().default(false),
  name: z.string().nullable().default(null),
});

/** The arguments of {@link PolynomialDecay} (each is documented on its schema). */
export interface PolynomialDecayArgs extends z.input<typeof Args> {}

/** The fields of a {@link PolynomialDecay}: its arguments, defaults filled in. */
export interface PolynomialDecay extends Readonly<z.output<typeof Args>> {}

/**
 * `(initial - end) * (1 - step / decaySteps) ^ power + end`, with the step held at
 * `decaySteps` afterwards, or (with `cycle`) the decay stretched to the next multiple of
 * `decaySteps`.
 *
 * @example
 * const lr = new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10000, endLearningRate: 0.01, power: 0.5 });
 * const opt = new SGD({ learningRate: lr });
 */
export class PolynomialDecay extends ArgsSchedule<typeof Args> {
  static override readonly className = 'PolynomialDecay';

  constructor(args: PolynomialDecayArgs) {
    super(Args, args, 'PolynomialDecay');
  }

  protected formula<T, B>(m: ScalarMath<T, B>, step: Val<T>): Val<T> {
    let s = step;
    let decaySteps: Val<T> = this.decaySteps;
    if (this.cycle) {
      const multiplier = m.where(m.equal(s, 0), 1, m.ceil(m.div(s, this.decaySteps)));
      decaySteps = m.mul(decaySteps, multiplier);
    } else {
      s = m.minimum(s, decaySteps);
    }
    const p = m.div(s, decaySteps);
    return m.add(m.mul(m.sub(this.initialLearningRate, this.endLearningRate), m.pow(m.sub(1, p), this.power)), this.endLearningRate);
  }

  /** Rebuilds a PolynomialDecay from its config (what `getConfig` returns). */
  static fromConfig(config: Record<string, unknown>): PolynomialDecay {
    return new PolynomialDecay(scheduleArgsFromConfig(config) as unknown as PolynomialDecayArgs);
  }
}

registerClass('schedule', PolynomialDecay);
