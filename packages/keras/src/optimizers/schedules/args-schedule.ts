import type { z } from 'zod';
import { camelToSnake } from '../../naming.js';
import { FormulaSchedule, parseScheduleArgs } from './formula-schedule.js';

/**
 * The base of the built-in schedules whose arguments are one zod schema: it validates them
 * (unknown keys refused, values checked), keeps each as a field of the same name (the
 * subclass types them with `interface Cls extends Readonly<z.output<typeof Args>> {}`), and
 * writes them back as the config, in the schema's order and Keras' snake_case.
 *
 * @example
 * const Args = z.object({ initialLearningRate: z.number(), name: z.string().nullable().default(null) });
 * interface Halving extends Readonly<z.output<typeof Args>> {}
 * class Halving extends ArgsSchedule<typeof Args> {
 *   static override readonly className = 'Halving';
 *   constructor(args: z.input<typeof Args>) { super(Args, args, 'Halving'); }
 *   protected formula<T, B>(m: ScalarMath<T, B>, step: Val<T>) { return m.mul(this.initialLearningRate, m.pow(0.5, step)); }
 * }
 */
export abstract class ArgsSchedule<S extends z.ZodObject> extends FormulaSchedule {
  readonly #config: Record<string, unknown> = {};

  protected constructor(schema: S, args: object, cls: string) {
    super();
    const parsed: Readonly<Record<string, unknown>> = parseScheduleArgs(schema, args, cls);
    Object.assign(this, parsed);
    for (const [k, v] of Object.entries(parsed)) this.#config[camelToSnake(k)] = v;
  }

  /** The schedule's arguments in Keras' snake_case wire format. */
  getConfig(): Record<string, unknown> {
    return { ...this.#config };
  }
}
