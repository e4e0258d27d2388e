import { normAxis, type Shape } from '../shape.js';
import { problem } from './registry.js';

/**
 * Resolves reduction axes against a rank: null means all axes; negative axes count from the
 * end. Returns sorted unique axes, or rejects an axis out of range.
 */
export function resolveAxes(axes: readonly number[] | null | undefined, rank: number): number[] {
  if (axes == null) return Array.from({ length: rank }, (_, i) => i);
  const out = new Set<number>();
  for (const a of axes) {
    const n = normAxis(a, rank);
    if (n === null) problem(`axis ${a} is out of range for rank ${rank}`);
    if (out.has(n)) problem(`axis ${a} is repeated`);
    out.add(n);
  }
  return [...out].sort((x, y) => x - y);
}

/** Resolves one axis against a rank, or rejects it. */
export function resolveAxis(axis: number, rank: number, what = 'axis'): number {
  const n = normAxis(axis, rank);
  if (n === null) problem(`attribute '${what}' = ${axis} is out of range for rank ${rank}`);
  return n;
}

/** The shape after reducing `axes` (sorted, resolved) with or without keepdims. */
export function reducedShape(shape: Shape, axes: readonly number[], keepdims: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepdims) out.push(1);
  });
  return out;
}
