import { z } from 'zod';
import { FormulaSchedule, parseScheduleArgs, scheduleArgsFromConfig } from './formula-schedule.js';
import type { ScalarMath, Val } from './scalar-math.js';

const Args = z.object({
  initialLearningRate: z.number(),
  decaySteps: z.number().positive(),
  decayRate: z.number(),
  staircase: z.boolean().default(false),
  name: z.string().nullable().default(null),
});

/** The arguments of the schedules that decay by `decayRate` every `decaySteps`. */
export interface RateDecayArgs {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  /** Decay in whole steps of `decaySteps`. */
  staircase?: boolean;
  name?: string | null;
}

/**
 * What ExponentialDecay and InverseTimeDecay share: their arguments, their config, and the
 * decay progress `step / decaySteps` (floored with `staircase`) their formulas are written in.
 */
export abstract class RateDecaySchedule extends FormulaSchedule {
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  readonly name: string | null;

  constructor(args: RateDecayArgs, cls: string) {
    super();
    const a = parseScheduleArgs(Args, args, cls);
    this.initialLearningRate = a.initialLearningRate;
    this.decaySteps = a.decaySteps;
    this.decayRate = a.decayRate;
    this.staircase = a.staircase;
    this.name = a.name;
  }

  /** `step / decaySteps`, floored when `staircase` is set. */
  protected progress<T, B>(m: ScalarMath<T, B>, step: Val<T>): Val<T> {
    const p = m.div(step, this.decaySteps);
    return this.staircase ? m.floor(p) : p;
  }

  /** The schedule's arguments in Keras' snake_case wire format. */
  getConfig(): Record<string, unknown> {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      decay_rate: this.decayRate,
      staircase: this.staircase,
      name: this.name,
    };
  }

  /** Rebuilds the schedule from its Keras config (snake_case keys). */
  static fromConfig<T>(this: new (args: RateDecayArgs) => T, config: Record<string, unknown>): T {
    return new this(scheduleArgsFromConfig(config) as unknown as RateDecayArgs);
  }
}
