import { z } from 'zod';
import type { Sym } from '../graph/graph.js';
import { broadcastShapes, fmtShape, shapesEqual, sizeOf, type Shape } from '../shape.js';
import { reshape, transpose, broadcastTo } from './builders/shape.js';
import { defineOp, problem } from './registry.js';
import { sumToShape } from './builders/reduce.js';
import { zShape } from './schemas.js';

/** Same data, another shape with the same number of elements. */
const reshapeAttrs = z.strictObject({ shape: zShape });

defineOp({
  name: 'reshape',
  kind: 'primitive',
  arity: 1,
  attrs: reshapeAttrs,
  infer: ([x], a) => {
    if (sizeOf(a.shape) !== sizeOf(x.shape)) problem(`cannot reshape ${sizeOf(x.shape)} elements to ${fmtShape(a.shape)}`);
    return { shape: a.shape, dtype: x.dtype };
  },
  grad: ({ inputs: [x], dy }) => [reshape(dy, x.shape)],
  doc: {
    summary: 'The same elements, in row-major order, under another shape with the same number of elements.',
    inputs: ['x'],
    shape: 'The `shape` attribute (the `reshape` builder resolves a -1 in it before applying the op); a different number of elements is rejected.',
    dtype: "Any; the output has the input's dtype.",
    grad: "dx = dy reshaped to x's shape.",
  },
});

/** Permutes the axes: output axis i is input axis perm[i]. */
const transposeAttrs = z.strictObject({ perm: z.array(z.number().int()) });

defineOp({
  name: 'transpose',
  kind: 'primitive',
  arity: 1,
  attrs: transposeAttrs,
  infer: ([x], a) => {
    const r = x.shape.length;
    const ok = a.perm.length === r && [...a.perm].sort((p, q) => p - q).every((p, i) => p === i);
    if (!ok) problem(`attribute 'perm' = [${a.perm}] is not a permutation of the ${r} axes`);
    return { shape: a.perm.map((p) => x.shape[p]), dtype: x.dtype };
  },
  grad: ({ dy, attrs }) => {
    const inv = new Array<number>(attrs.perm.length);
    attrs.perm.forEach((p, i) => (inv[p] = i));
    return [transpose(dy, inv)];
  },
  doc: {
    summary: 'Permutes the axes: output axis i is input axis perm[i].',
    inputs: ['x'],
    shape: "out[i] = x.shape[perm[i]]; a `perm` that is not a permutation of the input's axes is rejected.",
    dtype: "Any; the output has the input's dtype.",
    grad: 'dx = dy transposed by the inverse permutation.',
  },
});

/** Repeats the input along size-1 (and new leading) axes to reach `shape`, numpy-style. */
const broadcastToAttrs = z.strictObject({ shape: zShape });

defineOp({
  name: 'broadcast_to',
  kind: 'primitive',
  arity: 1,
  attrs: broadcastToAttrs,
  infer: ([x], a) => {
    const b = broadcastShapes(x.shape, a.shape);
    if (!b || !shapesEqual(b, a.shape)) problem(`cannot broadcast ${fmtShape(x.shape)} to ${fmtShape(a.shape)}`);
    return { shape: a.shape, dtype: x.dtype };
  },
  grad: ({ inputs: [x], dy }) => [sumToShape(dy, x.shape)],
  doc: {
    summary: 'Repeats the input along its size-1 axes and new leading axes to reach `shape`, numpy-style.',
    inputs: ['x'],
    shape: "The `shape` attribute; rejected unless the input's shape broadcasts to exactly it.",
    dtype: "Any; the output has the input's dtype.",
    grad: "dx = dy summed over the broadcast axes (the leading axes added and those where x has size 1), back to x's shape.",
  },
});


export { reshape, transpose, broadcastTo };

declare module './registry.js' {
  interface OpSchemas {
    reshape: typeof reshapeAttrs;
    transpose: typeof transposeAttrs;
    broadcast_to: typeof broadcastToAttrs;
  }
}
