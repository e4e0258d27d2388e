import { z } from 'zod';
import { problem } from './registry.js';

/**
 * Spatial padding of a convolution or pooling window, Keras/TF style:
 * - 'valid': no padding;
 * - 'same': TF 'SAME' — the output has ceil(in / stride) positions, the total pad is split with
 *   the extra element at the end;
 * - 'causal': rank 1 only, (k - 1) * dilation zeros before, none after;
 * - explicit `[before, after]` pairs, one per spatial dimension.
 */
export type ConvPadding = 'valid' | 'same' | 'causal' | [number, number][];

/** Zod schema of {@link ConvPadding}. */
export const zConvPadding: z.ZodType<ConvPadding> = z.union([
  z.enum(['valid', 'same', 'causal']),
  z.array(z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()])),
]);

/** The extent of a dilated window: (k - 1) * dilation + 1. */
export function effectiveKernelSize(k: number, dilation: number): number {
  return (k - 1) * dilation + 1;
}

/** TF 'SAME' padding of one dimension: [floor(total / 2), total - floor(total / 2)]. */
export function samePadding(inSize: number, k: number, stride: number, dilation: number): [number, number] {
  const outSize = Math.ceil(inSize / stride);
  const total = Math.max((outSize - 1) * stride + effectiveKernelSize(k, dilation) - inSize, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/**
 * Explicit [before, after] padding per spatial dimension for a window op.
 * Rejects (via `problem`) causal padding on rank > 1 and explicit pairs of the wrong count.
 */
export function resolveConvPadding(
  inSpatial: readonly number[],
  kernelSpatial: readonly number[],
  strides: readonly number[],
  dilations: readonly number[],
  padding: ConvPadding,
): [number, number][] {
  const rank = inSpatial.length;
  if (padding === 'valid') return inSpatial.map(() => [0, 0]);
  if (padding === 'same') return inSpatial.map((n, i) => samePadding(n, kernelSpatial[i], strides[i], dilations[i]));
  if (padding === 'causal') {
    if (rank !== 1) problem(`attribute 'padding' = 'causal' needs rank 1, got rank ${rank}`);
    return [[(kernelSpatial[0] - 1) * dilations[0], 0]];
  }
  if (padding.length !== rank) {
    problem(`attribute 'padding' = ${JSON.stringify(padding)} needs ${rank} [before, after] pair(s) for rank ${rank}`);
  }
  return padding.map(([b, a]) => [b, a]);
}

/**
 * Output size of one spatial dimension of a window op with explicit padding:
 * floor((in + before + after - ((k - 1) * dilation + 1)) / stride) + 1. It is 0 when
 * the dilated window is larger than the padded input (callers reject that).
 */
export function convOutputSize(
  inSize: number,
  k: number,
  stride: number,
  dilation: number,
  [before, after]: readonly [number, number],
): number {
  const span = inSize + before + after - effectiveKernelSize(k, dilation);
  if (span < 0) return 0;
  return Math.floor(span / stride) + 1;
}
