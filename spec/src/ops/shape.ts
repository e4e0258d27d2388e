import { z } from 'zod';
import type { Sym } from '../graph/graph.js';
import { broadcastShapes, fmtShape, shapesEqual, sizeOf, type Shape } from '../shape.js';
import { defineOp, problem } from './registry.js';
import { sumToShape } from './reduce.js';
import { zShape } from './schemas.js';

/** Same data, another shape with the same number of elements. */
defineOp({
  name: 'reshape',
  kind: 'primitive',
  arity: 1,
  attrs: z.strictObject({ shape: zShape }),
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
defineOp({
  name: 'transpose',
  kind: 'primitive',
  arity: 1,
  attrs: z.strictObject({ perm: z.array(z.number().int()) }),
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
defineOp({
  name: 'broadcast_to',
  kind: 'primitive',
  arity: 1,
  attrs: z.strictObject({ shape: zShape }),
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

/**
 * Reshapes `x`; one dimension may be -1 and is then inferred.
 * @example reshape(x, [-1, 10])
 */
export function reshape(x: Sym, shape: Shape): Sym {
  let s = [...shape];
  const unknown = s.indexOf(-1);
  if (unknown >= 0) {
    const known = sizeOf(s.filter((_, i) => i !== unknown));
    s[unknown] = known === 0 ? 0 : sizeOf(x.shape) / known;
    if (!Number.isInteger(s[unknown])) s = [...shape]; // let the rule report it
  }
  if (shapesEqual(s, x.shape)) return x;
  return x.graph.apply('reshape', [x], { shape: s });
}

/**
 * Permutes the axes of `x` (output axis i is input axis perm[i]); without `perm` it reverses them.
 * Returns `x` for the identity permutation.
 * @example transpose(x, [0, 2, 1]) // [2, 3, 4] -> [2, 4, 3]
 */
export function transpose(x: Sym, perm?: readonly number[]): Sym {
  const p = perm ? [...perm] : Array.from({ length: x.rank }, (_, i) => x.rank - 1 - i);
  if (p.every((v, i) => v === i) && p.length === x.rank) return x;
  return x.graph.apply('transpose', [x], { perm: p });
}

/**
 * Broadcasts `x` to `shape`, numpy-style; returns `x` when it has that shape already.
 * @example broadcastTo(b, [4, 3]) // [3] -> [4, 3]
 */
export function broadcastTo(x: Sym, shape: Shape): Sym {
  if (shapesEqual(x.shape, shape)) return x;
  return x.graph.apply('broadcast_to', [x], { shape: [...shape] });
}
