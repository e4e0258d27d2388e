import { z } from 'zod';
import { registerClass } from '../../serialization/registry.js';
import { FormulaSchedule, parseScheduleArgs, scheduleArgsFromConfig } from './formula-schedule.js';
import type { ScalarMath, Val } from './scalar-math.js';
import { KerasValueError } from '../../errors.js';

const Args = z.object({
  boundaries: z.array(z.number()).min(1),
  values: z.array(z.number()),
  name: z.string().nullable().default(null),
});

/** The arguments of {@link PiecewiseConstantDecay}. */
export interface PiecewiseConstantDecayArgs {
  /** Non-decreasing step boundaries. */
  boundaries: number[];
  /** One more value than boundaries: `values[0]` up to and including `boundaries[0]`, ... */
  values: number[];
  name?: string | null;
}

/**
 * A piecewise constant learning rate: `values[0]` while `step <= boundaries[0]`, `values[i]`
 * while `boundaries[i-1] < step <= boundaries[i]`, and the last value after the last boundary.
 * As in Keras, the boundaries are compared with the integer iteration (a fractional boundary
 * is truncated toward zero).
 *
 * @example
 * const lr = new PiecewiseConstantDecay({ boundaries: [1000, 2000], values: [0.1, 0.01, 0.001] });
 * const opt = new RMSprop({ learningRate: lr });
 */
export class PiecewiseConstantDecay extends FormulaSchedule {
  static override readonly className = 'PiecewiseConstantDecay';
  readonly boundaries: number[];
  readonly values: number[];
  readonly name: string | null;

  constructor(args: PiecewiseConstantDecayArgs) {
    super();
    const a = parseScheduleArgs(Args, args, 'PiecewiseConstantDecay');
    if (a.boundaries.length !== a.values.length - 1) {
      throw new KerasValueError(
        `PiecewiseConstantDecay: the length of 'boundaries' must be 1 less than the length of 'values'; got boundaries ` +
          `${JSON.stringify(a.boundaries)} of length ${a.boundaries.length} and values ${JSON.stringify(a.values)} of length ${a.values.length}`,
      );
    }
    for (let i = 1; i < a.boundaries.length; i++) {
      if (a.boundaries[i] < a.boundaries[i - 1]) {
        throw new KerasValueError(`PiecewiseConstantDecay: argument 'boundaries' got ${JSON.stringify(a.boundaries)}: expected non-decreasing boundaries`);
      }
    }
    this.boundaries = a.boundaries;
    this.values = a.values;
    this.name = a.name;
  }

  protected formula<T, B>(m: ScalarMath<T, B>, step: Val<T>): Val<T> {
    const n = this.boundaries.length;
    let out: Val<T> = this.values[n];
    for (let i = n - 1; i >= 0; i--) out = m.where(m.lessEqual(step, Math.trunc(this.boundaries[i])), this.values[i], out);
    return out;
  }

  getConfig(): Record<string, unknown> {
    return { boundaries: [...this.boundaries], values: [...this.values], name: this.name };
  }

  /** Rebuilds a PiecewiseConstantDecay from its config (what `getConfig` returns). */
  static fromConfig(config: Record<string, unknown>): PiecewiseConstantDecay {
    return new PiecewiseConstantDecay(scheduleArgsFromConfig(config) as unknown as PiecewiseConstantDecayArgs);
  }
}

registerClass('schedule', PiecewiseConstantDecay);
