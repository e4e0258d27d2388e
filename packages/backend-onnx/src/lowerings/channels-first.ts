import type { Shape } from '@keras-ts/spec';

/**
 * Layout helpers of the window ops: the spec is channels-last ([N, ...spatial, C]); ONNX's Conv,
 * ConvTranspose and pooling operators are channels-first ([N, C, ...spatial]).
 */

/** The permutation from channels-last to channels-first, for `rank` spatial axes. */
export function toCF(rank: number): number[] {
  return [0, rank + 1, ...Array.from({ length: rank }, (_, i) => i + 1)];
}

/** The permutation from channels-first back to channels-last, for `rank` spatial axes. */
export function fromCF(rank: number): number[] {
  return [0, ...Array.from({ length: rank }, (_, i) => i + 2), 1];
}

/** The permutation of a kernel [...k, Cin/g, Cout] to ONNX's [Cout, Cin/g, ...k]. */
export function kernelPerm(rank: number): number[] {
  return [rank + 1, rank, ...Array.from({ length: rank }, (_, i) => i)];
}

/** A channels-last shape in channels-first order. */
export function cfShape(shape: Shape, rank: number): number[] {
  return toCF(rank).map((p) => shape[p]);
}

/** Per-axis [before, after] pads as ONNX's `pads` attribute: every begin, then every end. */
export function flatPads(pads: readonly (readonly [number, number])[]): number[] {
  return [...pads.map((p) => p[0]), ...pads.map((p) => p[1])];
}
