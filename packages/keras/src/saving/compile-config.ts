/**
 * How a compiled model's training setup travels in files: Keras 2's `training_config` (legacy
 * `.h5`, TF.js `model.json`) and Keras 3's `compile_config` (`.keras`), written from the
 * arguments given to `compile` and read back into `compile`.
 */
import { classNameOf, deserialize, serialize, type CustomObjects, type SerializedObject } from '../serialization/registry.js';
import type { Model } from '../engine/model.js';
import type { CompileArgs } from '../engine/trainer.js';
import { Loss } from '../losses/loss.js';
import { Metric } from '../metrics/metric.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { KerasConfigError } from '../errors.js';

/** The arguments the model was compiled with, or null. */
export function compileArgsOf(model: Model): CompileArgs | null {
  return model.compileArgs;
}

/** A loss, metric or nested structure of them in Keras' wire form (names stay names). */
function serializeIds(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'function') return v.name || 'lambda';
  if (v instanceof Loss) {
    const cls = classNameOf(v);
    // A plain function wrapped by compile is saved by its name, as Keras 2 does.
    return cls === 'LossFunctionWrapper' ? (v as unknown as { name: string }).name : serialize(v);
  }
  if (v instanceof Metric) return serialize(v);
  if (Array.isArray(v)) return v.map(serializeIds);
  if (typeof v === 'object') {
    if ('class_name' in (v as object)) return v;
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, serializeIds(x)]));
  }
  return v;
}

/** Keras 2's `training_config` of a compiled model (null when not compiled). */
export function trainingConfigOf(model: Model): Record<string, unknown> | null {
  const args = compileArgsOf(model);
  if (!args) return null;
  return {
    loss: serializeIds(args.loss),
    metrics: serializeIds(args.metrics),
    weighted_metrics: serializeIds(args.weightedMetrics),
    loss_weights: args.lossWeights ? (Array.isArray(args.lossWeights) ? [...args.lossWeights] : { ...args.lossWeights }) : null,
    optimizer_config: serialize(model.optimizer as Optimizer),
  };
}

/** Keras 2 optimizer fields that Keras 3's optimizers refuse. */
const KERAS2_ONLY_OPTIMIZER_KEYS = ['jit_compile', 'is_legacy_optimizer', 'decay'];

/** Adds Keras 3's `module`/`registered_name` to a serialized optimizer (and its schedule). */
function keras3Optimizer(o: SerializedObject): Record<string, unknown> {
  const config: Record<string, unknown> = { ...o.config };
  for (const k of KERAS2_ONLY_OPTIMIZER_KEYS) delete config[k];
  // Keras 3's SGD refuses a momentum that is not a Python float, and JSON writes 0.0 as 0: leave
  // the default (0.0) out.
  if (o.class_name === 'SGD' && config.momentum === 0) delete config.momentum;
  const lr = config.learning_rate as SerializedObject | number | undefined;
  if (lr && typeof lr === 'object' && 'class_name' in lr) config.learning_rate = { module: 'keras.optimizers.schedules', class_name: lr.class_name, config: lr.config, registered_name: null };
  return { module: 'keras.optimizers', class_name: o.class_name, config, registered_name: null };
}

/** Keras 3's `compile_config` of a compiled model, for `.keras` archives (null when not compiled). */
export function keras3CompileConfigOf(model: Model): Record<string, unknown> | null {
  const t = trainingConfigOf(model);
  if (!t) return null;
  return {
    optimizer: keras3Optimizer(t.optimizer_config as SerializedObject),
    loss: t.loss,
    loss_weights: t.loss_weights,
    metrics: t.metrics,
    weighted_metrics: t.weighted_metrics,
    run_eagerly: false,
    steps_per_execution: 1,
    jit_compile: false,
  };
}

/**
 * Compiles a model from a saved training setup: Keras 2's `training_config` (`optimizer_config`)
 * or Keras 3's `compile_config` (`optimizer`). Failures name the file and how to skip compiling.
 */
export function compileFromConfig(model: Model, cfg: Record<string, unknown>, file: string, custom?: CustomObjects): void {
  try {
    const optSpec = cfg.optimizer_config ?? cfg.optimizer;
    if (!optSpec) throw new KerasConfigError('BAD_CONFIG', `it names no optimizer (no 'optimizer_config' or 'optimizer' key; the keys are ${Object.keys(cfg).join(', ') || 'none'})`);
    const optimizer = deserialize<Optimizer>('optimizer', optSpec, custom);
    const args: CompileArgs = {
      optimizer,
      loss: (cfg.loss ?? undefined) as CompileArgs['loss'],
      metrics: (cfg.metrics ?? undefined) as CompileArgs['metrics'],
      weightedMetrics: (cfg.weighted_metrics ?? null) as CompileArgs['weightedMetrics'],
      lossWeights: (cfg.loss_weights ?? undefined) as CompileArgs['lossWeights'],
    };
    model.compile(args);
  } catch (e) {
    throw new KerasConfigError('BAD_CONFIG', `${file}: the model was rebuilt, but compiling it from the saved training configuration failed: ${(e as Error).message}. Load with { compile: false } to skip compiling.`);
  }
}
