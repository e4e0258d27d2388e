import { z } from 'zod';
import type { SymbolicShape } from '../../engine/keras-tensor.js';
import { KerasShapeError, KerasValueError } from '../../errors.js';

/** An `axis` argument: one axis or a non-empty list of axes (negative counts from the end). */
export const zAxisArg = z.union([z.number().int(), z.array(z.number().int()).min(1)]);

/**
 * Resolves an `axis` argument against an input shape as Keras 2's `validate_axis` does: a list of
 * non-negative axes, in the order given; out-of-range or repeated axes are refused.
 */
export function validateAxes(label: string, axis: number | readonly number[], shape: SymbolicShape): number[] {
  const rank = shape.length;
  const given = typeof axis === 'number' ? [axis] : [...axis];
  if (rank === 0) throw new KerasShapeError(`${label}: the input must have rank 1 or more, got shape [${shape.join(', ')}]`);
  const resolved = given.map((a) => (a < 0 ? rank + a : a));
  resolved.forEach((a, i) => {
    if (a < 0 || a >= rank) {
      throw new KerasValueError(`${label}: argument 'axis' = ${JSON.stringify(axis)}: axis ${given[i]} is out of range for an input of rank ${rank} (shape [${shape.join(', ')}])`);
    }
  });
  if (new Set(resolved).size !== resolved.length) throw new KerasValueError(`${label}: argument 'axis' = ${JSON.stringify(axis)} repeats an axis`);
  return resolved;
}

/** Checks that the input dimensions on `axes` are known, and returns them. */
export function knownDims(label: string, axes: readonly number[], shape: SymbolicShape): number[] {
  return axes.map((a) => {
    const d = shape[a];
    if (typeof d !== 'number') throw new KerasShapeError(`${label}: axis ${a} of the input must have a known size, got shape [${shape.map((v) => v ?? 'None').join(', ')}]`);
    return d;
  });
}

/** The shape `[1, ..., d, ..., 1]` of rank `rank` with the given dims on `axes`. */
export function broadcastShape(rank: number, axes: readonly number[], dims: readonly number[]): number[] {
  const s = new Array<number>(rank).fill(1);
  axes.forEach((a, i) => (s[a] = dims[i]));
  return s;
}
