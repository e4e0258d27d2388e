/**
 * Layer generators of the differential fuzzer for convolutions and pooling (1D and 2D): windows,
 * strides, padding and dilation drawn so that every output axis keeps at least one step.
 */
import { activation, maybe, trainingExtras, type LayerGen } from './layer-args.js';
import type { Rng } from './rng.js';

/** The output length of a convolution or pooling window along one axis (Keras' conv_output_length). */
export function windowOut(len: number, k: number, stride: number, padding: string, dilation = 1): number {
  const eff = (k - 1) * dilation + 1;
  if (padding === 'same' || padding === 'causal') return Math.ceil(len / stride);
  return Math.floor((len - eff) / stride) + 1;
}

/** kernel_size, strides, padding and dilation_rate for a convolution over `dims`, or null. */
function convWindow(r: Rng, dims: readonly number[], opts: { causal?: number; dilation?: boolean; stride?: boolean }): Record<string, unknown> | null {
  for (let attempt = 0; attempt < 8; attempt++) {
    const padding = r.weighted<string>([
      ['valid', 3],
      ['same', 3],
      ['causal', opts.causal ?? 0],
    ]);
    const k = dims.map((d) => r.int(1, Math.min(4, d)));
    const useDilation = opts.dilation !== false && r.bool(0.25);
    const useStride = !useDilation && opts.stride !== false && r.bool(0.35);
    const s = dims.map(() => (useStride ? r.int(1, 3) : 1));
    const d = dims.map(() => (useDilation ? r.int(1, 3) : 1));
    if (dims.some((len, i) => windowOut(len, k[i], s[i], padding, d[i]) < 1)) continue;
    const one = dims.length === 1;
    const cfg: Record<string, unknown> = { kernel_size: one ? k[0] : k, padding };
    if (useStride) cfg.strides = one ? s[0] : s;
    if (useDilation) cfg.dilation_rate = one ? d[0] : d;
    return cfg;
  }
  return null;
}


const convCommon = (r: Rng, cfg: Record<string, unknown>): void => {
  maybe(r, 0.6, cfg, 'activation', () => activation(r));
  maybe(r, 0.2, cfg, 'use_bias', () => false);
  trainingExtras(r, cfg);
};

const conv = (name: string, rank: number, extra: (r: Rng, cfg: Record<string, unknown>) => void, opts: { causal?: number; dilation?: boolean; stride?: boolean } = {}): LayerGen => ({
  name,
  weight: 3,
  ranks: [rank],
  gen(r, shape) {
    const w = convWindow(r, shape.slice(0, -1), opts);
    if (!w) return null;
    const cfg = { ...w };
    extra(r, cfg);
    convCommon(r, cfg);
    return { class_name: name, config: cfg };
  },
});

const filters = (r: Rng, cfg: Record<string, unknown>) => {
  cfg.filters = r.int(1, 6);
};
const depth = (r: Rng, cfg: Record<string, unknown>) => {
  maybe(r, 0.4, cfg, 'depth_multiplier', () => r.int(1, 3));
};

/** Conv1DTranspose / Conv2DTranspose: no dilation with strides; output_padding below the stride. */
const convTranspose = (name: string, rank: number): LayerGen => ({
  name,
  weight: 1.5,
  ranks: [rank],
  gen(r, shape) {
    const dims = shape.slice(0, -1);
    const one = dims.length === 1;
    const padding = r.pick(['valid', 'same']);
    const k = dims.map((d) => r.int(1, Math.min(4, d + 1)));
    const cfg: Record<string, unknown> = { filters: r.int(1, 5), kernel_size: one ? k[0] : k, padding };
    if (r.bool(0.4)) {
      const s = dims.map(() => r.int(1, 3));
      cfg.strides = one ? s[0] : s;
      if (r.bool(0.3)) {
        const op = s.map((si) => r.int(0, si - 1));
        cfg.output_padding = one ? op[0] : op;
      }
    } else if (r.bool(0.2)) cfg.dilation_rate = one ? 2 : [2, 2];
    convCommon(r, cfg);
    return { class_name: name, config: cfg };
  },
});

const pooling = (name: string, rank: number): LayerGen => ({
  name,
  weight: 2,
  ranks: [rank],
  gen(r, shape) {
    const dims = shape.slice(0, -1);
    const one = dims.length === 1;
    for (let attempt = 0; attempt < 8; attempt++) {
      const padding = r.pick(['valid', 'same']);
      const p = dims.map((d) => r.int(1, Math.min(3, d)));
      const s = r.bool(0.4) ? dims.map(() => r.int(1, 3)) : p;
      if (dims.some((len, i) => windowOut(len, p[i], s[i], padding) < 1)) continue;
      const cfg: Record<string, unknown> = { pool_size: one ? p[0] : p, padding };
      if (s !== p) cfg.strides = one ? s[0] : s;
      return { class_name: name, config: cfg };
    }
    return null;
  },
});

const globalPooling = (name: string, rank: number): LayerGen => ({
  name,
  weight: 1.5,
  ranks: [rank],
  gen(r) {
    const cfg: Record<string, unknown> = {};
    maybe(r, 0.25, cfg, 'keepdims', () => true);
    return { class_name: name, config: cfg };
  },
});


/** In the order GENERATORS lists them (the order is part of what a seed draws). */
export const CONV_GENERATORS: readonly LayerGen[] = [
  conv('Conv1D', 2, filters, { causal: 2 }),
  conv('Conv2D', 3, filters),
  // Keras 3 refuses causal SeparableConv1D (a documented divergence): rarely drawn.
  conv('SeparableConv1D', 2, (r, c) => (filters(r, c), depth(r, c)), { causal: 0.05 }),
  conv('SeparableConv2D', 3, (r, c) => (filters(r, c), depth(r, c))),
  conv('DepthwiseConv1D', 2, depth),
  conv('DepthwiseConv2D', 3, depth),
  convTranspose('Conv1DTranspose', 2),
  convTranspose('Conv2DTranspose', 3),
  pooling('MaxPooling1D', 2),
  pooling('AveragePooling1D', 2),
  pooling('MaxPooling2D', 3),
  pooling('AveragePooling2D', 3),
  globalPooling('GlobalMaxPooling1D', 2),
  globalPooling('GlobalAveragePooling1D', 2),
  globalPooling('GlobalMaxPooling2D', 3),
  globalPooling('GlobalAveragePooling2D', 3),
];
