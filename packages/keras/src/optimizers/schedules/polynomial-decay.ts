import { z } from 'zod';
import { registerClass } from '../../serialization/registry.js';
import { FormulaSchedule, parseScheduleArgs, scheduleArgsFromConfig } from './formula-schedule.js';
import type { ScalarMath, Val } from './scalar-math.js';

const Args = z.object({
  initialLearningRate: z.number(),
  decaySteps: z.number().positive(),
  endLearningRate: z.number().default(0.0001),
  power: z.number().default(1.0),
  cycle: z.boolean().default(false),
  name: z.string().nullable().default(null),
});

/** The arguments of {@link PolynomialDecay}. */
export interface PolynomialDecayArgs {
  initialLearningRate: number;
  decaySteps: number;
  /** Defaults to 0.0001. */
  endLearningRate?: number;
  /** Defaults to 1 (linear). */
  power?: number;
  /** Start again past `decaySteps`, over a multiple of `decaySteps`. */
  cycle?: boolean;
  name?: string | null;
}

/**
 * `(initial - end) * (1 - step / decaySteps) ^ power + end`, with the step held at
 * `decaySteps` afterwards, or (with `cycle`) the decay stretched to the next multiple of
 * `decaySteps`.
 *
 * @example
 * const lr = new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10000, endLearningRate: 0.01, power: 0.5 });
 * const opt = new SGD({ learningRate: lr });
 */
export class PolynomialDecay extends FormulaSchedule {
  static override readonly className = 'PolynomialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly endLearningRate: number;
  readonly power: number;
  readonly cycle: boolean;
  readonly name: string | null;

  constructor(args: PolynomialDecayArgs) {
    super();
    const a = parseScheduleArgs(Args, args, 'PolynomialDecay');
    this.initialLearningRate = a.initialLearningRate;
    this.decaySteps = a.decaySteps;
    this.endLearningRate = a.endLearningRate;
    this.power = a.power;
    this.cycle = a.cycle;
    this.name = a.name;
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

  getConfig(): Record<string, unknown> {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      end_learning_rate: this.endLearningRate,
      power: this.power,
      cycle: this.cycle,
      name: this.name,
    };
  }

  /** Rebuilds a PolynomialDecay from its config (what `getConfig` returns). */
  static fromConfig(config: Record<string, unknown>): PolynomialDecay {
    return new PolynomialDecay(scheduleArgsFromConfig(config) as unknown as PolynomialDecayArgs);
  }
}

registerClass('schedule', PolynomialDecay);
