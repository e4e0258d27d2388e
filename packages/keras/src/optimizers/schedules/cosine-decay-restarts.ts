import { z } from 'zod';
import { registerClass } from '../../serialization/registry.js';
import { ArgsSchedule } from './args-schedule.js';
import { scheduleArgsFromConfig } from './formula-schedule.js';
import type { ScalarMath, Val } from './scalar-math.js';

const Args = z.object({
  initialLearningRate: z.number(),
  /** Length of the first period. */
  firstDecaySteps: z.number().positive(),
  /** Each period is `tMul` times longer than the previous one. Defaults to 2. */
  tMul: z.number().positive().default(2.0),
  /** Each restart starts from `mMul` times the previous starting rate. Defaults to 1. */
  mMul: z.number().default(1.0),
  /** The floor of the decay, as a fraction of the starting rate. Defaults to 0. */
  alpha: z.number().default(0),
  name: z.string().nullable().default(null),
});

/** The arguments of {@link CosineDecayRestarts} (each is documented on its schema). */
export interface CosineDecayRestartsArgs extends z.input<typeof Args> {}

/** The fields of a {@link CosineDecayRestarts}: its arguments, defaults filled in. */
export interface CosineDecayRestarts extends Readonly<z.output<typeof Args>> {}

/**
 * Cosine decay with warm restarts (SGDR): periods of cosine decay, the i-th lasting
 * `firstDecaySteps * tMul^i` steps and starting from `initialLearningRate * mMul^i`.
 *
 * @example
 * const lr = new CosineDecayRestarts({ initialLearningRate: 0.05, firstDecaySteps: 1000 });
 * const opt = new Adam({ learningRate: lr });
 */
export class CosineDecayRestarts extends ArgsSchedule<typeof Args> {
  static override readonly className = 'CosineDecayRestarts';

  constructor(args: CosineDecayRestartsArgs) {
    super(Args, args, 'CosineDecayRestarts');
  }

  protected formula<T, B>(m: ScalarMath<T, B>, step: Val<T>): Val<T> {
    let fraction = m.div(step, this.firstDecaySteps);
    let restart: Val<T>;
    if (Math.fround(this.tMul) === 1) {
      restart = m.floor(fraction);
      fraction = m.sub(fraction, restart);
    } else {
      // The index of the period the step falls in: the sum of the geometric series of period lengths.
      restart = m.floor(m.div(m.log(m.sub(1, m.mul(fraction, m.sub(1, this.tMul)))), m.log(this.tMul)));
      const done = m.div(m.sub(1, m.pow(this.tMul, restart)), m.sub(1, this.tMul));
      fraction = m.div(m.sub(fraction, done), m.pow(this.tMul, restart));
    }
    const cosine = m.mul(m.mul(0.5, m.pow(this.mMul, restart)), m.add(1, m.cos(m.mul(Math.PI, fraction))));
    return m.mul(this.initialLearningRate, m.add(m.mul(m.sub(1, this.alpha), cosine), this.alpha));
  }

  /** Rebuilds a CosineDecayRestarts from its config (what `getConfig` returns). */
  static fromConfig(config: Record<string, unknown>): CosineDecayRestarts {
    return new CosineDecayRestarts(scheduleArgsFromConfig(config) as unknown as CosineDecayRestartsArgs);
  }
}

registerClass('schedule', CosineDecayRestarts);
