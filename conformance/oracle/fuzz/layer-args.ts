/**
 * What the layer generators of the differential fuzzer share: the layer spec (a Keras 2 class
 * name and snake_case config), the generator shape, activations, the keys the shrinker and the
 * pattern matcher treat specially, and the training-only extras (regularizers, constraints).
 */
import type { Rng } from './rng.js';

/** A layer as the fuzzer holds it: a Keras 2 class name and config (no name; names are given when built). */
export interface LayerSpec {
  class_name: string;
  config: Record<string, unknown>;
}

export interface LayerGen {
  /** The class name (Bidirectional and TimeDistributed wrap another layer). */
  readonly name: string;
  /** How often it is drawn, relative to the others. */
  readonly weight: number;
  /** Input ranks (without the batch axis) it takes. */
  readonly ranks: readonly number[];
  /** Draws a config for an input shape, or null when none fits. */
  gen(r: Rng, shape: readonly number[]): LayerSpec | null;
}

/** Keras 2's activation names (tf.keras 2.15 `keras.activations`), without the ones only Keras 3 has. */
export const ACTIVATIONS = ['linear', 'relu', 'tanh', 'sigmoid', 'softmax', 'softplus', 'softsign', 'elu', 'selu', 'swish', 'gelu', 'exponential', 'mish', 'hard_sigmoid'] as const;

/** An activation, mostly the common ones; hard_sigmoid (a documented Keras 3 divergence) is rare. */
export const activation = (r: Rng): string =>
  r.weighted([
    ['linear', 3],
    ['relu', 3],
    ['tanh', 3],
    ['sigmoid', 2],
    ['softmax', 1],
    ['softplus', 1],
    ['softsign', 1],
    ['elu', 1],
    ['selu', 1],
    ['swish', 1],
    ['gelu', 1],
    ['exponential', 0.5],
    ['mish', 0.5],
    ['hard_sigmoid', 0.1],
  ]);

/** Config keys that only size a layer (the shrinker makes them smaller, the pattern matcher ignores them). */
export const SIZE_KEYS = new Set(['units', 'filters', 'kernel_size', 'input_dim', 'output_dim', 'n', 'target_shape', 'dims', 'size', 'cropping', 'pool_size', 'groups']);

/** Config keys a layer cannot do without (never dropped by the shrinker). */
export const REQUIRED_KEYS = new Set(['units', 'filters', 'kernel_size', 'input_dim', 'output_dim', 'n', 'target_shape', 'dims', 'layer', 'axes', 'num_heads', 'key_dim']);

/** Sets `key` with probability p. */
export const maybe = (r: Rng, p: number, cfg: Record<string, unknown>, key: string, value: () => unknown): void => {
  if (r.bool(p)) cfg[key] = value();
};

/** A regularizer or constraint now and then (they act in training: a loss term, a projection after each step). */
export function trainingExtras(r: Rng, cfg: Record<string, unknown>, weight = 'kernel'): void {
  maybe(r, 0.08, cfg, `${weight}_regularizer`, () => r.pick([{ class_name: 'L2', config: { l2: 0.01 } }, { class_name: 'L1', config: { l1: 0.01 } }, { class_name: 'L1L2', config: { l1: 0.005, l2: 0.02 } }]));
  maybe(r, 0.04, cfg, 'bias_regularizer', () => ({ class_name: 'L2', config: { l2: 0.05 } }));
  maybe(r, 0.04, cfg, 'activity_regularizer', () => ({ class_name: 'L2', config: { l2: 0.01 } }));
  maybe(r, 0.06, cfg, `${weight}_constraint`, () =>
    r.pick([{ class_name: 'MaxNorm', config: { max_value: 0.5, axis: 0 } }, { class_name: 'NonNeg', config: {} }, { class_name: 'UnitNorm', config: { axis: 0 } }, { class_name: 'MinMaxNorm', config: { min_value: 0.2, max_value: 0.8, rate: 1.0, axis: 0 } }]),
  );
}
