import type { z } from 'zod';
import { deserialize, type CustomObjects } from '../serialization/registry.js';
import { checksUnknownArgs, markWireArgs, unknownArgumentsError } from '../arguments/strict-args.js';
import { parseArgs } from '../engine/layer.js';
import { describeValue, KerasTypeError } from '../errors.js';
import { warnOnce } from '../legacy/warnings.js';
import { snakeToCamel } from '../naming.js';
import type { LearningRateSchedule } from './schedules/schedule.js';

/**
 * Arguments every optimizer takes (read by the base class): Keras 2's `lr` and `decay` among them,
 * and Keras 2 keys that carry no behaviour here: `jit_compile` (XLA), `is_legacy_optimizer`.
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
  'lr',
];

/**
 * Validates an optimizer's own arguments with `schema` (its keys are the subclass' arguments):
 * unknown keys are refused (as Keras does), Keras 2 keys without behaviour are checked, then
 * the values are parsed. Errors name the class, the optimizer, the argument and the value.
 */
export function parseOptimizerArgs<S extends z.ZodObject>(schema: S, args: Record<string, unknown>, what: string): z.output<S> {
  const own = Object.keys(schema.shape);
  const unknown = Object.keys(args).filter((k) => !own.includes(k) && !BASE_KEYS.includes(k) && args[k] !== undefined);
  if (unknown.length) throw unknownArgumentsError(what, Object.fromEntries(unknown.map((k) => [k, args[k]])), [...BASE_KEYS.slice(0, 6), ...own, ...BASE_KEYS.slice(6)]);
  if (args.jitCompile !== undefined && typeof args.jitCompile !== 'boolean') {
    throw new KerasTypeError(`${what}: argument 'jitCompile' got ${JSON.stringify(args.jitCompile)}: expected a boolean`);
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
  const out: Record<string, unknown> = markWireArgs({});
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

/**
 * The learning rate and Keras 2's legacy `decay` from an optimizer's arguments. `lr` is Keras 2's
 * other name of `learningRate` (giving both is an error); `decay` (default 0, at least 0) makes
 * the learning rate of step t (counted from 0) `lr / (1 + decay * t)`, as Keras 2's
 * `OptimizerV2._decayed_lr`. Given in code, each warns once per process and optimizer class that
 * it is deprecated; read from a Keras 2 file, they are taken silently, as Keras 2 reads them.
 */
export function keras2LearningRateArgs(args: Readonly<Record<string, unknown>>, className: string, what: string): { learningRate: unknown; decay: number } {
  const inCode = checksUnknownArgs(args);
  let learningRate = args.learningRate;
  if (args.lr !== undefined && args.lr !== null) {
    if (learningRate !== undefined && learningRate !== null) {
      throw new KerasTypeError(`${what}: give the learning rate once: \`learningRate\` and its Keras 2 spelling \`lr\` were both given (${describeValue(learningRate)} and ${describeValue(args.lr)})`);
    }
    learningRate = args.lr;
    if (inCode) warnOnce(`${className}|lr`, `${className}: the \`lr\` argument is deprecated; use \`learningRate\` (Keras' \`learning_rate\`).`);
  }
  const decay = args.decay ?? 0;
  if (typeof decay !== 'number' || !(decay >= 0) || !Number.isFinite(decay)) {
    throw new KerasTypeError(`${what}: argument 'decay' got ${describeValue(args.decay)}: expected a number >= 0 (the legacy per-step decay of the learning rate)`);
  }
  if (decay > 0 && inCode) {
    warnOnce(
      `${className}|decay`,
      `${className}: the \`decay\` argument is deprecated (Keras 2's legacy optimizers): the learning rate of step t is lr / (1 + decay * t). ` +
        `Use \`learningRate: new InverseTimeDecay({ initialLearningRate: lr, decaySteps: 1, decayRate: decay })\` instead.`,
    );
  }
  return { learningRate, decay };
}
