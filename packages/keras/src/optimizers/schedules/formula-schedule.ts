import { ops, type Sym } from '@keras-ts/spec';
import type { z } from 'zod';
import { parseArgs } from '../../engine/layer.js';
import { snakeToCamel } from '../../naming.js';
import { unknownArgumentsError, unknownKeys } from '../../arguments/strict-args.js';
import { hostMath, symMath, type ScalarMath, type Val } from './scalar-math.js';
import type { LearningRateSchedule } from './schedule.js';

/**
 * The base of the built-in learning-rate schedules: each writes its formula once, over
 * {@link ScalarMath}, and gets `call` (symbolic, float32) and `valueAt` (host, float32-rounded
 * at every operation) computing the same numbers. Custom schedules may extend it too.
 *
 * @example
 * class Halving extends FormulaSchedule {
 *   static override readonly className = 'Halving';
 *   protected formula<T, B>(m: ScalarMath<T, B>, step: Val<T>) { return m.mul(0.1, m.pow(0.5, step)); }
 *   getConfig() { return {}; }
 *   static fromConfig() { return new Halving(); }
 * }
 * const opt = new SGD({ learningRate: new Halving() });
 */
export abstract class FormulaSchedule implements LearningRateSchedule {
  static readonly className: string = 'LearningRateSchedule';

  /** The learning rate at `step` (the optimizer's 0-based iteration, as a float32 scalar). */
  protected abstract formula<T, B>(m: ScalarMath<T, B>, step: Val<T>): Val<T>;

  call(step: Sym): Sym {
    const s = step.dtype === 'float32' ? step : ops.cast(step, 'float32');
    const y = this.formula(symMath, s);
    return typeof y === 'number' ? ops.scalar(s.graph, y) : y;
  }

  valueAt(step: number): number {
    return this.formula(hostMath, step);
  }

  abstract getConfig(): Record<string, unknown>;
}

/**
 * Validates a schedule's arguments: unknown keys are refused, then the zod schema checks the
 * values (naming the class, the argument, the value and what was expected).
 */
export function parseScheduleArgs<S extends z.ZodObject>(schema: S, args: object, cls: string): z.output<S> {
  // The house message: the class, the key, its value and the nearest accepted key (initial_learning_rate -> initialLearningRate).
  const known = Object.keys(schema.shape);
  const bad = unknownKeys(args, known);
  if (bad.length) throw unknownArgumentsError(cls, Object.fromEntries(bad.map((k) => [k, (args as Record<string, unknown>)[k]])), known);
  return parseArgs(schema, args, cls) as z.output<S>;
}

/** A Keras config (snake_case) as constructor arguments (camelCase). */
export function scheduleArgsFromConfig(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) out[snakeToCamel(k)] = v;
  return out;
}
