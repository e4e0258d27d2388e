import type { z } from 'zod';
import { deserialize, type CustomObjects } from '../config/serialization.js';
import { parseArgs } from '../engine/layer.js';
import { snakeToCamel } from '../naming.js';
import type { LearningRateSchedule } from './schedules/schedule.js';

/**
 * Arguments every optimizer takes (read by the base class), plus Keras 2 keys that carry no
 * behaviour here: `jit_compile` (XLA), `is_legacy_optimizer`, and the legacy `decay` at 0.
 */
const BASE_KEYS = [
  'learningRate',
  'name',
  'weightDecay',
  'clipnorm',
  'globalClipnorm',
  'clipvalue',
  'useEma',
  'emaMomentum',
  'emaOverwriteFrequency',
  'lossScaleFactor',
  'gradientAccumulationSteps',
  'jitCompile',
  'isLegacyOptimizer',
  'decay',
];

/**
 * Validates an optimizer's own arguments with `schema` (its keys are the subclass' arguments):
 * unknown keys are refused (as Keras does), Keras 2 keys without behaviour are checked, then
 * the values are parsed. Errors name the class, the optimizer, the argument and the value.
 */
export function parseOptimizerArgs<S extends z.ZodObject>(schema: S, args: Record<string, unknown>, what: string): z.output<S> {
  const own = Object.keys(schema.shape);
  const unknown = Object.keys(args).filter((k) => !own.includes(k) && !BASE_KEYS.includes(k) && args[k] !== undefined);
  if (unknown.length) {
    const known = [...BASE_KEYS.slice(0, 6), ...own].map((k) => `'${k}'`).join(', ');
    throw new Error(`${what}: unknown argument${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')}; expected ${known}`);
  }
  const decay = args.decay;
  if (decay !== undefined && decay !== null && decay !== 0) {
    throw new Error(
      `${what}: argument 'decay' got ${JSON.stringify(decay)}: the per-step learning-rate decay of the legacy optimizers is not supported; ` +
        `pass a schedule such as InverseTimeDecay as 'learningRate' instead`,
    );
  }
  if (args.jitCompile !== undefined && typeof args.jitCompile !== 'boolean') {
    throw new Error(`${what}: argument 'jitCompile' got ${JSON.stringify(args.jitCompile)}: expected a boolean`);
  }
  const picked: Record<string, unknown> = {};
  for (const k of own) if (args[k] !== undefined) picked[k] = args[k];
  return parseArgs(schema, picked, what) as z.output<S>;
}

/**
 * A Keras optimizer config (Keras 2 or Keras 3 spelling, snake_case) as constructor arguments:
 * keys in camelCase, and a serialized learning-rate schedule rebuilt (with custom objects).
 */
export function optimizerArgsFromConfig(config: Record<string, unknown>, custom?: CustomObjects): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) out[snakeToCamel(k)] = v;
  const lr = out.learningRate;
  if (lr && typeof lr === 'object' && typeof (lr as { class_name?: unknown }).class_name === 'string') {
    out.learningRate = deserialize<LearningRateSchedule>('schedule', lr, custom);
  }
  return out;
}

/** The base keys of a Keras 2 (2.11+) optimizer config, in the order Keras writes them. */
const KERAS2_BASE_ORDER = [
  'name',
  'weight_decay',
  'clipnorm',
  'global_clipnorm',
  'clipvalue',
  'use_ema',
  'ema_momentum',
  'ema_overwrite_frequency',
  'jit_compile',
  'is_legacy_optimizer',
  'learning_rate',
];

/**
 * A Keras 2 optimizer config: the base class' keys in Keras 2's order (`learning_rate` after
 * `is_legacy_optimizer`, `jit_compile` false as Keras 2 writes it without a GPU), then the
 * subclass' own keys (given in snake_case, in Keras' order).
 */
export function keras2Config(base: Record<string, unknown>, own: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { jit_compile: false, ...base };
  const out: Record<string, unknown> = {};
  for (const k of KERAS2_BASE_ORDER) if (k in merged) out[k] = merged[k];
  for (const [k, v] of Object.entries(merged)) if (!(k in out)) out[k] = v;
  for (const [k, v] of Object.entries(own)) out[k] = v;
  return out;
}
