import { z } from 'zod';
import { registerClass } from '../../config/serialization';
import { FormulaSchedule, parseScheduleArgs, scheduleArgsFromConfig } from './formula-schedule';
import type { ScalarMath, Val } from './scalar-math';

const Args = z.object({
  initialLearningRate: z.number(),
  decaySteps: z.number().positive(),
  decayRate: z.number(),
  staircase: z.boolean().default(false),
  name: z.string().nullable().default(null),
});

export interface InverseTimeDecayArgs {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  /** Decay in whole steps of `decaySteps`. */
  staircase?: boolean;
  name?: string | null;
}

/**
 * `initialLearningRate / (1 + decayRate * step / decaySteps)`, with `step / decaySteps`
 * floored when `staircase` is set.
 *
 * @example
 * const lr = new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 });
 * const opt = new SGD({ learningRate: lr });
 */
export class InverseTimeDecay extends FormulaSchedule {
  static override readonly className = 'InverseTimeDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  readonly name: string | null;

  constructor(args: InverseTimeDecayArgs) {
    super();
    const a = parseScheduleArgs(Args, args, 'InverseTimeDecay');
    this.initialLearningRate = a.initialLearningRate;
    this.decaySteps = a.decaySteps;
    this.decayRate = a.decayRate;
    this.staircase = a.staircase;
    this.name = a.name;
  }

  protected formula<T, B>(m: ScalarMath<T, B>, step: Val<T>): Val<T> {
    let p = m.div(step, this.decaySteps);
    if (this.staircase) p = m.floor(p);
    return m.div(this.initialLearningRate, m.add(1, m.mul(this.decayRate, p)));
  }

  getConfig(): Record<string, unknown> {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      decay_rate: this.decayRate,
      staircase: this.staircase,
      name: this.name,
    };
  }

  static fromConfig(config: Record<string, unknown>): InverseTimeDecay {
    return new InverseTimeDecay(scheduleArgsFromConfig(config) as unknown as InverseTimeDecayArgs);
  }
}

registerClass('schedule', InverseTimeDecay);
