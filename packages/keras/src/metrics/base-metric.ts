import { z } from 'zod';
import type { CustomObjects } from '../serialization/registry.js';
import { configToArgs, parseArgs } from '../engine/layer.js';
import { toSnakeCase, uniqueName } from '../naming.js';
import { Metric } from './metric.js';
import { unknownArgumentsError } from '../arguments/strict-args.js';
import { KerasNotImplementedError } from '../errors.js';

/** Arguments every metric takes (camelCase; the config uses the snake_case spelling). */
export interface MetricArgs {
  /** The metric's name (its key in the training history). */
  name?: string | null;
  /** Keras' dtype of the result; only float32 is supported. */
  dtype?: string | null;
}

/** Reads the `name` and `dtype` every metric takes; other keys are left to each class. */
export const zMetricBase = { name: z.string().min(1).nullable().optional(), dtype: z.string().nullable().optional() };

/** Dtype spellings that mean float32 (Keras 2 and Keras 3 configs). */
const FLOAT32 = new Set(['float32', 'float']);

/**
 * Checks the keys of a metric's arguments: unknown ones are refused with a message naming the
 * class, the argument and the ones it accepts. Keras 3 keys that Keras 2 lacks are accepted
 * when they hold their neutral value (given in `neutral`).
 */
export function checkMetricKeys(args: object, known: readonly string[], what: string, neutral: Readonly<Record<string, unknown>> = {}): void {
  for (const [k, v] of Object.entries(args)) {
    if (v === undefined || known.includes(k)) continue;
    if (k in neutral) {
      if (JSON.stringify(v) === JSON.stringify(neutral[k])) continue;
      throw new KerasNotImplementedError(`${what}: argument '${k}' = ${JSON.stringify(v)} is a Keras 3 option Keras 2 does not have; only ${JSON.stringify(neutral[k])} is accepted`);
    }
    throw unknownArgumentsError(what, { [k]: v }, ['name', 'dtype', ...known.filter((x) => x !== 'name' && x !== 'dtype')]);
  }
}

/**
 * Parses a metric's arguments against a zod shape (plus `name` and `dtype`), refusing unknown
 * keys. Errors name the class, the metric, the argument, the value and what was expected.
 */
export function parseMetricArgs<S extends z.ZodRawShape>(
  cls: string,
  args: object,
  shape: S,
  neutral: Readonly<Record<string, unknown>> = {},
  extraDtypes: readonly string[] = [],
): z.infer<z.ZodObject<S & typeof zMetricBase>> {
  const name = typeof (args as { name?: unknown }).name === 'string' ? ` '${(args as { name: string }).name}'` : '';
  const what = `${cls}${name}`;
  checkMetricKeys(args, [...Object.keys(shape), 'name', 'dtype'], what, neutral);
  // Keys were checked above (neutral Keras 3 keys included), so the schema need not know them all.
  const a = parseArgs(z.looseObject({ ...zMetricBase, ...shape }), args, what) as z.infer<z.ZodObject<S & typeof zMetricBase>>;
  const dt = (a as { dtype?: string | null }).dtype;
  if (dt && !FLOAT32.has(dt) && !extraDtypes.includes(dt)) {
    throw new KerasNotImplementedError(`${what}: argument 'dtype' got ${JSON.stringify(dt)}: metrics compute in float32; only 'float32' is supported`);
  }
  return a;
}

/** The default name of a metric whose Keras default is `None`: the class in snake_case, made unique (`auc`, `auc_1`, ...). */
export function defaultMetricName(className: string): string {
  return uniqueName(toSnakeCase(className));
}

/**
 * The base of keras-ts' built-in metrics: the shared `fromConfig` (snake_case config keys become
 * the camelCase constructor arguments) and a label for messages.
 */
export abstract class BaseMetric extends Metric {
  /** Rebuilds a metric from its config. */
  static fromConfig<T>(this: new (args: Record<string, unknown>) => T, config: Record<string, unknown>, _custom?: CustomObjects): T {
    return new this(configToArgs(config));
  }

  /** A description for messages: `AUC 'auc'`. */
  get label(): string {
    return `${(this.constructor as { className?: string }).className ?? this.constructor.name} '${this.name}'`;
  }
}
