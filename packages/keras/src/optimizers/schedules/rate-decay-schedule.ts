import { z } from 'zod';
import { ArgsSchedule } from './args-schedule.js';
import { scheduleArgsFromConfig } from './formula-schedule.js';
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

/** The fields of a {@link RateDecaySchedule}: its arguments, defaults filled in. */
export interface RateDecaySchedule extends Readonly<z.output<typeof Args>> {}

/**
 * What ExponentialDecay and InverseTimeDecay share: their arguments, their config, and the
 * decay progress `step / decaySteps` (floored with `staircase`) their formulas are written in.
 */
export abstract class RateDecaySchedule extends ArgsSchedule<typeof Args> {
  constructor(args: RateDecayArgs, cls: string) {
    super(Args, args, cls);
  }

  /** `step / decaySteps`, floored when `staircase` is set. */
  protected progress<T, B>(m: ScalarMath<T, B>, step: Val<T>): Val<T> {
    const p = m.div(step, this.decaySteps);
    return this.staircase ? m.floor(p) : p;
  }

  /** Rebuilds the schedule from its Keras config (snake_case keys). */
  static fromConfig<T>(this: new (args: RateDecayArgs) => T, config: Record<string, unknown>): T {
    return new this(scheduleArgsFromConfig(config) as unknown as RateDecayArgs);
  }
}
