/**
 * One generator per layer kind for the differential fuzzer: each draws a Keras 2 layer config
 * (snake_case, as `get_config()` writes it) within sensible ranges for an input shape (without
 * the batch axis). The output shape is not computed here: the fuzzer builds the layer in keras-ts
 * and reads it, and real Keras checks it.
 */
import { CONV_GENERATORS } from './conv-layers.js';
import { activation, maybe, trainingExtras, type LayerGen, type LayerSpec } from './layer-args.js';
import type { Rng } from './rng.js';

export { ACTIVATIONS, activation, REQUIRED_KEYS, SIZE_KEYS, type LayerGen, type LayerSpec } from './layer-args.js';

/** A recurrent layer's config (LSTM, GRU, SimpleRNN). */
function rnnConfig(r: Rng, cls: string, forceSequences?: boolean): LayerSpec {
  const cfg: Record<string, unknown> = { units: r.int(1, 6) };
  if (forceSequences !== undefined) cfg.return_sequences = forceSequences;
  else maybe(r, 0.5, cfg, 'return_sequences', () => true);
  maybe(r, 0.3, cfg, 'go_backwards', () => true);
  maybe(r, 0.2, cfg, 'activation', () => r.pick(['relu', 'sigmoid', 'linear', 'softsign', 'elu']));
  if (cls !== 'SimpleRNN') maybe(r, 0.15, cfg, 'recurrent_activation', () => r.weighted([['tanh', 3], ['relu', 1], ['softsign', 1], ['hard_sigmoid', 0.2]]));
  maybe(r, 0.15, cfg, 'use_bias', () => false);
  maybe(r, 0.15, cfg, 'unroll', () => true);
  if (cls === 'LSTM') maybe(r, 0.1, cfg, 'unit_forget_bias', () => false);
  if (cls === 'GRU') maybe(r, 0.35, cfg, 'reset_after', () => false);
  maybe(r, 0.1, cfg, 'dropout', () => r.pick([0.1, 0.3]));
  maybe(r, 0.1, cfg, 'recurrent_dropout', () => r.pick([0.1, 0.3]));
  return { class_name: cls, config: cfg };
}

const rnn = (cls: string): LayerGen => ({ name: cls, weight: 3, ranks: [2], gen: (r) => rnnConfig(r, cls) });

/** Factor pairs of n (a * b = n). */
const factorizations = (n: number): [number, number][] => {
  const out: [number, number][] = [];
  for (let a = 1; a <= n; a++) if (n % a === 0) out.push([a, n / a]);
  return out;
};

export const GENERATORS: readonly LayerGen[] = [
  {
    name: 'Dense',
    weight: 5,
    ranks: [1, 2, 3],
    gen(r) {
      const cfg: Record<string, unknown> = { units: r.int(1, 8) };
      maybe(r, 0.7, cfg, 'activation', () => activation(r));
      maybe(r, 0.2, cfg, 'use_bias', () => false);
      trainingExtras(r, cfg);
      return { class_name: 'Dense', config: cfg };
    },
  },
  ...CONV_GENERATORS,
  {
    name: 'BatchNormalization',
    weight: 2,
    ranks: [1, 2, 3],
    gen(r, shape) {
      const cfg: Record<string, unknown> = {};
      if (shape.length > 1 && r.bool(0.2)) cfg.axis = r.int(1, shape.length);
      maybe(r, 0.3, cfg, 'epsilon', () => r.pick([1e-5, 0.01, 0.1]));
      maybe(r, 0.2, cfg, 'momentum', () => r.pick([0.9, 0.5]));
      maybe(r, 0.2, cfg, 'center', () => false);
      maybe(r, 0.2, cfg, 'scale', () => false);
      return { class_name: 'BatchNormalization', config: cfg };
    },
  },
  {
    name: 'LayerNormalization',
    weight: 2,
    ranks: [1, 2, 3],
    gen(r, shape) {
      const cfg: Record<string, unknown> = {};
      if (shape.length > 1 && r.bool(0.3)) cfg.axis = r.bool(0.5) ? r.int(1, shape.length) : Array.from({ length: shape.length }, (_, i) => i + 1).filter(() => r.bool(0.7));
      if (Array.isArray(cfg.axis) && cfg.axis.length === 0) cfg.axis = -1;
      // Normalizing single values gives the offset plus rounding, which a later normalization amplifies.
      const axes = (Array.isArray(cfg.axis) ? cfg.axis : [cfg.axis ?? -1]) as number[];
      if (axes.reduce((p, a) => p * shape[a < 0 ? a + shape.length : a - 1], 1) === 1) return null;
      maybe(r, 0.3, cfg, 'epsilon', () => r.pick([1e-5, 0.01, 0.1]));
      maybe(r, 0.2, cfg, 'center', () => false);
      maybe(r, 0.2, cfg, 'scale', () => false);
      return { class_name: 'LayerNormalization', config: cfg };
    },
  },
  {
    name: 'GroupNormalization',
    weight: 1,
    ranks: [2, 3],
    gen(r, shape) {
      const c = shape[shape.length - 1];
      const divisors = Array.from({ length: c }, (_, i) => i + 1).filter((g) => c % g === 0);
      const cfg: Record<string, unknown> = { groups: r.pick(divisors) };
      if (shape.slice(0, -1).reduce((a, b) => a * b, 1) * (c / (cfg.groups as number)) === 1) return null;
      maybe(r, 0.3, cfg, 'epsilon', () => r.pick([1e-5, 0.01]));
      maybe(r, 0.2, cfg, 'center', () => false);
      maybe(r, 0.2, cfg, 'scale', () => false);
      return { class_name: 'GroupNormalization', config: cfg };
    },
  },
  { name: 'UnitNormalization', weight: 0.7, ranks: [1, 2, 3], gen: () => ({ class_name: 'UnitNormalization', config: {} }) },
  rnn('LSTM'),
  rnn('GRU'),
  rnn('SimpleRNN'),
  {
    name: 'Bidirectional',
    weight: 2,
    ranks: [2],
    gen(r) {
      const inner = rnnConfig(r, r.pick(['LSTM', 'GRU', 'SimpleRNN']));
      delete inner.config.go_backwards;
      const cfg: Record<string, unknown> = { layer: inner };
      maybe(r, 0.5, cfg, 'merge_mode', () => r.pick(['sum', 'mul', 'ave', 'concat']));
      return { class_name: 'Bidirectional', config: cfg };
    },
  },
  {
    name: 'TimeDistributed',
    weight: 1,
    ranks: [2],
    gen(r) {
      const cfg: Record<string, unknown> = { units: r.int(1, 5) };
      maybe(r, 0.5, cfg, 'activation', () => activation(r));
      return { class_name: 'TimeDistributed', config: { layer: { class_name: 'Dense', config: cfg } } };
    },
  },
  { name: 'Flatten', weight: 2, ranks: [2, 3], gen: () => ({ class_name: 'Flatten', config: {} }) },
  {
    name: 'Reshape',
    weight: 1.5,
    ranks: [1, 2, 3],
    gen(r, shape) {
      const n = shape.reduce((a, b) => a * b, 1);
      const pairs = factorizations(n);
      const target = r.pick<number[]>([[n], r.pick(pairs), [...r.pick(pairs), 1]]);
      const t = [...target];
      if (t.length > 1 && r.bool(0.3)) t[r.int(0, t.length - 1)] = -1;
      return { class_name: 'Reshape', config: { target_shape: t } };
    },
  },
  {
    name: 'Permute',
    weight: 1,
    ranks: [2, 3],
    gen(r, shape) {
      const dims = Array.from({ length: shape.length }, (_, i) => i + 1);
      for (let i = dims.length - 1; i > 0; i--) {
        const j = r.int(0, i);
        [dims[i], dims[j]] = [dims[j], dims[i]];
      }
      return { class_name: 'Permute', config: { dims } };
    },
  },
  { name: 'RepeatVector', weight: 1, ranks: [1], gen: (r) => ({ class_name: 'RepeatVector', config: { n: r.int(1, 4) } }) },
  {
    name: 'Cropping1D',
    weight: 0.7,
    ranks: [2],
    gen(r, shape) {
      const a = r.int(0, Math.floor((shape[0] - 1) / 2));
      const b = r.int(0, shape[0] - 1 - a);
      return a + b === 0 ? null : { class_name: 'Cropping1D', config: { cropping: [a, b] } };
    },
  },
  {
    name: 'Cropping2D',
    weight: 0.7,
    ranks: [3],
    gen(r, shape) {
      const crop = (len: number) => {
        const a = r.int(0, Math.floor((len - 1) / 2));
        return [a, r.int(0, len - 1 - a)];
      };
      return { class_name: 'Cropping2D', config: { cropping: [crop(shape[0]), crop(shape[1])] } };
    },
  },
  { name: 'ZeroPadding1D', weight: 0.7, ranks: [2], gen: (r) => ({ class_name: 'ZeroPadding1D', config: { padding: [r.int(0, 2), r.int(0, 2)] } }) },
  { name: 'ZeroPadding2D', weight: 0.7, ranks: [3], gen: (r) => ({ class_name: 'ZeroPadding2D', config: { padding: [[r.int(0, 2), r.int(0, 2)], [r.int(0, 2), r.int(0, 2)]] } }) },
  { name: 'UpSampling1D', weight: 0.7, ranks: [2], gen: (r) => ({ class_name: 'UpSampling1D', config: { size: r.int(1, 3) } }) },
  {
    name: 'UpSampling2D',
    weight: 0.7,
    ranks: [3],
    gen(r) {
      const cfg: Record<string, unknown> = { size: [r.int(1, 3), r.int(1, 3)] };
      maybe(r, 0.4, cfg, 'interpolation', () => 'bilinear');
      return { class_name: 'UpSampling2D', config: cfg };
    },
  },
  {
    name: 'ReLU',
    weight: 1,
    ranks: [1, 2, 3],
    gen(r) {
      const cfg: Record<string, unknown> = {};
      maybe(r, 0.4, cfg, 'max_value', () => r.pick([0.5, 1, 6]));
      maybe(r, 0.4, cfg, 'negative_slope', () => r.pick([0.1, 0.3]));
      maybe(r, 0.3, cfg, 'threshold', () => r.pick([0.1, 0.5]));
      return { class_name: 'ReLU', config: cfg };
    },
  },
  { name: 'LeakyReLU', weight: 1, ranks: [1, 2, 3], gen: (r) => ({ class_name: 'LeakyReLU', config: r.bool(0.6) ? { alpha: r.pick([0.01, 0.1, 0.5]) } : {} }) },
  { name: 'ELU', weight: 1, ranks: [1, 2, 3], gen: (r) => ({ class_name: 'ELU', config: r.bool(0.6) ? { alpha: r.pick([0.5, 2]) } : {} }) },
  { name: 'ThresholdedReLU', weight: 0.05, ranks: [1, 2, 3], gen: (r) => ({ class_name: 'ThresholdedReLU', config: { theta: r.pick([0.1, 0.5, 1]) } }) },
  {
    name: 'PReLU',
    weight: 0.7,
    ranks: [1, 2, 3],
    gen(r, shape) {
      const cfg: Record<string, unknown> = {};
      if (shape.length > 1 && r.bool(0.5)) cfg.shared_axes = Array.from({ length: shape.length - 1 }, (_, i) => i + 1).filter(() => r.bool(0.6));
      if (Array.isArray(cfg.shared_axes) && cfg.shared_axes.length === 0) delete cfg.shared_axes;
      return { class_name: 'PReLU', config: cfg };
    },
  },
  {
    name: 'Softmax',
    weight: 1,
    ranks: [1, 2, 3],
    gen(r, shape) {
      return { class_name: 'Softmax', config: shape.length > 1 && r.bool(0.3) ? { axis: r.int(1, shape.length) } : {} };
    },
  },
  { name: 'Activation', weight: 1.5, ranks: [1, 2, 3], gen: (r) => ({ class_name: 'Activation', config: { activation: activation(r) } }) },
  { name: 'Dropout', weight: 1, ranks: [1, 2, 3], gen: (r) => ({ class_name: 'Dropout', config: { rate: r.pick([0.1, 0.5]) } }) },
  { name: 'SpatialDropout1D', weight: 0.3, ranks: [2], gen: () => ({ class_name: 'SpatialDropout1D', config: { rate: 0.3 } }) },
  { name: 'SpatialDropout2D', weight: 0.3, ranks: [3], gen: () => ({ class_name: 'SpatialDropout2D', config: { rate: 0.3 } }) },
  { name: 'GaussianNoise', weight: 0.3, ranks: [1, 2, 3], gen: () => ({ class_name: 'GaussianNoise', config: { stddev: 0.5 } }) },
  { name: 'GaussianDropout', weight: 0.3, ranks: [1, 2, 3], gen: () => ({ class_name: 'GaussianDropout', config: { rate: 0.3 } }) },
  {
    name: 'Rescaling',
    weight: 0.5,
    ranks: [1, 2, 3],
    gen: (r) => ({ class_name: 'Rescaling', config: { scale: r.pick([0.5, 2, -1]), offset: r.pick([0, 0.25]) } }),
  },
];

/** Layers that draw random numbers in training (kept out of training cases). */
export const STOCHASTIC = new Set(['Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout']);

/** A first layer for integer inputs: Embedding (sometimes masking zeros). */
export function embedding(r: Rng): LayerSpec {
  const cfg: Record<string, unknown> = { input_dim: r.int(3, 12), output_dim: r.int(1, 6) };
  if (r.bool(0.35)) cfg.mask_zero = true;
  return { class_name: 'Embedding', config: cfg };
}

/** A layer joining two sequences [t1, f1] and [t2, f2]: attention (query, value), or null when none fits. */
export function attention(r: Rng, q: readonly number[], v: readonly number[]): LayerSpec | null {
  if (q.length !== 2 || v.length !== 2) return null;
  if (q[1] === v[1] && r.bool(0.5)) {
    const cfg: Record<string, unknown> = {};
    maybe(r, 0.4, cfg, 'use_scale', () => true);
    maybe(r, 0.4, cfg, 'score_mode', () => 'concat');
    return { class_name: 'Attention', config: cfg };
  }
  const cfg: Record<string, unknown> = { num_heads: r.int(1, 3), key_dim: r.int(1, 4) };
  maybe(r, 0.3, cfg, 'value_dim', () => r.int(1, 4));
  maybe(r, 0.2, cfg, 'use_bias', () => false);
  maybe(r, 0.2, cfg, 'output_shape', () => r.int(1, 5));
  return { class_name: 'MultiHeadAttention', config: cfg };
}

/** A merge of two same-shaped tensors. */
export function mergeSame(r: Rng): LayerSpec {
  return { class_name: r.weighted([['Add', 3], ['Multiply', 2], ['Subtract', 1], ['Average', 1], ['Maximum', 1], ['Minimum', 1]]), config: {} };
}
