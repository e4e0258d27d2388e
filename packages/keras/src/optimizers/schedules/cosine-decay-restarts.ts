import { z } from 'zod';
import { registerClass } from '../../serialization/registry.js';
import { FormulaSchedule, parseScheduleArgs, scheduleArgsFromConfig } from './formula-schedule.js';
import type { ScalarMath, Val } from './scalar-math.js';

const Args = z.object({
  initialLearningRate: z.number(),
  firstDecaySteps: z.number().positive(),
  tMul: z.number().positive().default(2.0),
  mMul: z.number().default(1.0),
  alpha: z.number().default(0),
  name: z.string().nullable().default(null),
});

/** The arguments of {@link CosineDecayRestarts}. */
export interface CosineDecayRestartsArgs {
  initialLearningRate: number;
  /** Length of the first period. */
  firstDecaySteps: number;
  /** Each period is `tMul` times longer than the previous one. Defaults to 2. */
  tMul?: number;
  /** Each restart starts from `mMul` times the previous starting rate. Defaults to 1. */
  mMul?: number;
  /** The floor of the decay, as a fraction of the starting rate. Defaults to 0. */
  alpha?: number;
  name?: string | null;
}

/**
 * Cosine decay with warm restarts (SGDR): periods of cosine decay, the i-th lasting
 * `firstDecaySteps * tMul^i` steps and starting from `initialLearningRate * mMul^i`.
 *
 * @example
 * const lr = new CosineDecayRestarts({ initialLearningRate: 0.05, firstDecaySteps: 1000 });
 * const opt = new Adam({ learningRate: lr });
 */
export class CosineDecayRestarts extends FormulaSchedule {
  static override readonly className = 'CosineDecayRestarts';
  readonly initialLearningRate: number;
  readonly firstDecaySteps: number;
  readonly tMul: number;
  readonly mMul: number;
  readonly alpha: number;
  readonly name: string | null;

  constructor(args: CosineDecayRestartsArgs) {
    super();
    const a = parseScheduleArgs(Args, args, 'CosineDecayRestarts');
    this.initialLearningRate = a.initialLearningRate;
    this.firstDecaySteps = a.firstDecaySteps;
    this.tMul = a.tMul;
    this.mMul = a.mMul;
    this.alpha = a.alpha;
    this.name = a.name;
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

  getConfig(): Record<string, unknown> {
    return {
      initial_learning_rate: this.initialLearningRate,
      first_decay_steps: this.firstDecaySteps,
      t_mul: this.tMul,
      m_mul: this.mMul,
      alpha: this.alpha,
      name: this.name,
    };
  }

  /** Rebuilds a CosineDecayRestarts from its config (what `getConfig` returns). */
  static fromConfig(config: Record<string, unknown>): CosineDecayRestarts {
    return new CosineDecayRestarts(scheduleArgsFromConfig(config) as unknown as CosineDecayRestartsArgs);
  }
}

registerClass('schedule', CosineDecayRestarts);
