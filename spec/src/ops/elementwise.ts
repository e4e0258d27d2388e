import { z } from 'zod';
import type { DType } from '../dtype.js';
import type { Sym } from '../graph/graph.js';
import { broadcastShapes, fmtShape } from '../shape.js';
import { greaterEqual, lessEqual, logicalAnd } from './binary.js';
import { lift, type Operand } from './operand.js';
import { sumToShape } from './reduce.js';
import { defineOp, problem } from './registry.js';
import { zDType } from './schemas.js';
import { zerosLike } from './source.js';

/** cond ? a : b, elementwise, with numpy broadcasting over all three. */
defineOp({
  name: 'where',
  kind: 'primitive',
  arity: 3,
  attrs: z.strictObject({}),
  infer: ([c, a, b]) => {
    if (c.dtype !== 'bool') problem(`the condition must be bool, got ${c.dtype}`);
    if (a.dtype !== b.dtype) problem(`both branches must have the same dtype, got ${a.dtype} and ${b.dtype}`);
    const ab = broadcastShapes(a.shape, b.shape);
    const shape = ab && broadcastShapes(c.shape, ab);
    if (!shape) problem(`shapes ${fmtShape(c.shape)}, ${fmtShape(a.shape)} and ${fmtShape(b.shape)} do not broadcast`);
    return { shape, dtype: a.dtype };
  },
  grad: ({ inputs: [c, a, b], dy }) => {
    const zero = zerosLike(dy);
    return [null, sumToShape(where(c, dy, zero), a.shape), sumToShape(where(c, zero, dy), b.shape)];
  },
  doc: {
    summary: 'Elementwise choice: a where cond is true, b where it is false, with numpy broadcasting over all three inputs.',
    inputs: ['cond', 'a', 'b'],
    shape: 'The broadcast of the three shapes (a with b, then with cond); shapes that do not broadcast are rejected.',
    dtype: 'cond is bool; a and b have the same dtype (any), which the output has.',
    grad: "cond gets none; a gets dy where cond is true and b where it is false (0 elsewhere), each summed back to its input's shape over broadcast axes.",
  },
});

/** Converts to another dtype: float to int truncates toward zero; to bool tests != 0. */
defineOp({
  name: 'cast',
  kind: 'primitive',
  arity: 1,
  attrs: z.strictObject({ dtype: zDType }),
  infer: ([x], a) => ({ shape: x.shape, dtype: a.dtype }),
  grad: ({ inputs: [x], output, dy }) => [x.dtype === 'float32' && output.dtype === 'float32' ? dy : null],
  doc: {
    summary: 'Converts to the `dtype` attribute: float32 to int32 truncates toward zero; to bool tests x != 0.',
    inputs: ['x'],
    shape: "The input's shape.",
    dtype: 'Any input dtype; the output has the `dtype` attribute.',
    grad: 'A float32 to float32 cast passes dy unchanged; any other cast gives x no gradient (the path is cut, without error).',
  },
});

/** Clamps into [min, max]; the gradient passes where min <= x <= max. */
defineOp({
  name: 'clip',
  kind: 'primitive',
  arity: 1,
  attrs: z.strictObject({ min: z.number(), max: z.number() }),
  infer: ([x], a) => {
    if (x.dtype === 'bool') problem('takes float32 or int32, not bool');
    if (a.min > a.max) problem(`attribute 'min' (${a.min}) is greater than 'max' (${a.max})`);
    return x;
  },
  grad: ({ inputs: [x], dy, attrs }) => {
    const inside = logicalAnd(greaterEqual(x, attrs.min), lessEqual(x, attrs.max));
    return [where(inside, dy, zerosLike(dy))];
  },
  doc: {
    summary: 'Clamps each element into [min, max].',
    inputs: ['x'],
    shape: "The input's shape; `min` greater than `max` is rejected.",
    dtype: "float32 or int32; the output has the input's dtype.",
    grad: 'dx = dy where min ≤ x ≤ max (bounds included), 0 elsewhere.',
  },
});

/**
 * Elementwise `cond ? a : b`, with numpy broadcasting over all three; a number becomes a scalar of
 * the other branch's dtype (float32 when both are numbers).
 * @example where(greater(x, 0), x, 0) // relu
 */
export function where(cond: Sym, a: Operand, b: Operand): Sym {
  const [x, y] = lift([a, b]);
  return cond.graph.apply('where', [cond, x, y]);
}

/**
 * Converts `x` to `dtype` (returns `x` itself when it already has it): float to int truncates
 * toward zero; to bool tests != 0.
 * @example cast(greater(x, 0), 'float32') // 1 where x > 0, else 0
 */
export function cast(x: Sym, dtype: DType): Sym {
  return x.dtype === dtype ? x : x.graph.apply('cast', [x], { dtype });
}

/**
 * Clamps `x` into [min, max]; the gradient passes where min ≤ x ≤ max.
 * @example clip(x, 0, 6) // relu6
 */
export function clip(x: Sym, min: number, max: number): Sym {
  return x.graph.apply('clip', [x], { min, max });
}
