import { z } from 'zod';
import type { DType } from '../dtype.js';
import type { Sym } from '../graph/graph.js';
import { broadcastShapes, fmtShape } from '../shape.js';
import { greaterEqual, lessEqual, logicalAnd } from './builders/binary.js';
import { lift, type Operand } from './operand.js';
import { sumToShape } from './builders/reduce.js';
import { where, cast, clip } from './builders/elementwise.js';
import { defineOp, problem } from './registry.js';
import { zDType } from './schemas.js';
import { zerosLike } from './source.js';

/** cond ? a : b, elementwise, with numpy broadcasting over all three. */
const whereAttrs = z.strictObject({});

defineOp({
  name: 'where',
  kind: 'primitive',
  arity: 3,
  attrs: whereAttrs,
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
const castAttrs = z.strictObject({ dtype: zDType });

defineOp({
  name: 'cast',
  kind: 'primitive',
  arity: 1,
  attrs: castAttrs,
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
const clipAttrs = z.strictObject({ min: z.number(), max: z.number() });

defineOp({
  name: 'clip',
  kind: 'primitive',
  arity: 1,
  attrs: clipAttrs,
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


export { where, cast, clip };

declare module './registry.js' {
  interface OpSchemas {
    where: typeof whereAttrs;
    cast: typeof castAttrs;
    clip: typeof clipAttrs;
  }
}
