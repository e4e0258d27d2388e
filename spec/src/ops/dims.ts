import { z } from 'zod';
import type { Sym } from '../graph/graph.js';
import { normAxis, type Shape } from '../shape.js';
import { defineOp, problem } from './registry.js';
import { reshape } from './shape.js';

/** The shape with a size-1 axis inserted at `axis` (in [-(rank+1), rank]), or a problem. */
function expandedShape(shape: Shape, axis: number): number[] {
  const r = shape.length;
  const a = normAxis(axis, r + 1);
  if (a === null) problem(`attribute 'axis' = ${axis} is out of range for inserting an axis into rank ${r} (valid: ${-(r + 1)}..${r})`);
  return [...shape.slice(0, a), 1, ...shape.slice(a)];
}

/** The resolved axes `squeeze` removes: `axes`, or every size-1 axis when null. */
function squeezedAxes(shape: Shape, axes: readonly number[] | null): number[] {
  const r = shape.length;
  if (axes === null) return shape.flatMap((d, i) => (d === 1 ? [i] : []));
  const out: number[] = [];
  for (const ax of axes) {
    const a = normAxis(ax, r);
    if (a === null) problem(`attribute 'axes' = [${axes}]: axis ${ax} is out of range for rank ${r}`);
    if (out.includes(a)) problem(`attribute 'axes' = [${axes}]: axis ${ax} is repeated`);
    if (shape[a] !== 1) problem(`attribute 'axes' = [${axes}]: cannot squeeze axis ${ax}, which has size ${shape[a]}, not 1`);
    out.push(a);
  }
  return out;
}

/** Inserts a size-1 axis at `axis`; negative axes count from the end of the output. */
const expandDimsAttrs = z.strictObject({ axis: z.number().int() });

defineOp({
  name: 'expand_dims',
  kind: 'composite',
  arity: 1,
  attrs: expandDimsAttrs,
  infer: ([x], a) => ({ shape: expandedShape(x.shape, a.axis), dtype: x.dtype }),
  decompose: ([x], a) => reshape(x, expandedShape(x.shape, a.axis)),
  doc: {
    summary: 'Inserts a size-1 axis at `axis`; negative axes count from the end of the output (-1 appends one).',
    inputs: ['x'],
    shape: "The input's shape with a 1 inserted at `axis`, which must lie in [-(rank+1), rank].",
    dtype: "Any; the output has the input's dtype.",
  },
});

/** Removes size-1 axes: those listed in `axes`, or all of them when `axes` is null. */
const squeezeAttrs = z.strictObject({ axes: z.array(z.number().int()).nullable().default(null) });

defineOp({
  name: 'squeeze',
  kind: 'composite',
  arity: 1,
  attrs: squeezeAttrs,
  infer: ([x], a) => {
    const drop = squeezedAxes(x.shape, a.axes);
    return { shape: x.shape.filter((_, i) => !drop.includes(i)), dtype: x.dtype };
  },
  decompose: ([x], a) => {
    const drop = squeezedAxes(x.shape, a.axes);
    return reshape(x, x.shape.filter((_, i) => !drop.includes(i)));
  },
  doc: {
    summary: 'Removes size-1 axes: those listed in `axes`, or every one when `axes` is null.',
    inputs: ['x'],
    shape: "The input's shape without those axes; naming an axis that is out of range, repeated, or not of size 1 is rejected.",
    dtype: "Any; the output has the input's dtype.",
  },
});

/**
 * Inserts a size-1 axis at `axis` (in [-(rank+1), rank]; -1 appends one at the end).
 * @example expandDims(x, 0) // [3, 4] -> [1, 3, 4]
 */
export function expandDims(x: Sym, axis: number): Sym {
  return x.graph.apply('expand_dims', [x], { axis });
}

/**
 * Removes the given size-1 axes, or every size-1 axis when `axes` is omitted or null; naming an
 * axis whose size is not 1 is an error.
 * @example squeeze(x, -1) // [3, 1] -> [3]
 */
export function squeeze(x: Sym, axes: number | readonly number[] | null = null): Sym {
  return x.graph.apply('squeeze', [x], { axes: typeof axes === 'number' ? [axes] : axes === null ? null : [...axes] });
}

declare module './registry.js' {
  interface OpSchemas {
    expand_dims: typeof expandDimsAttrs;
    squeeze: typeof squeezeAttrs;
  }
}
