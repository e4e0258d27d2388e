import { z } from 'zod';
import type { Sym } from '../graph/graph.js';
import { broadcastShapes, fmtShape } from '../shape.js';
import { defineOp, problem } from './registry.js';
import { sumToShape } from './reduce.js';

/** matmul's attribute schema (the fused op `fused_matmul` extends it). */
export const zMatmulAttrs = z.strictObject({ transposeA: z.boolean().default(false), transposeB: z.boolean().default(false) });

/**
 * Batched matrix product over the last two axes, with numpy broadcasting of the batch axes;
 * either operand may be taken transposed. Both inputs need rank >= 2.
 */
defineOp({
  name: 'matmul',
  kind: 'primitive',
  arity: 2,
  attrs: zMatmulAttrs,
  infer: ([a, b], { transposeA, transposeB }) => {
    if (a.dtype !== 'float32' || b.dtype !== 'float32') problem(`takes float32 inputs, got ${a.dtype} and ${b.dtype}`);
    if (a.shape.length < 2 || b.shape.length < 2) problem('both inputs need rank 2 or more');
    const [m, ka] = transposeA ? [a.shape.at(-1)!, a.shape.at(-2)!] : [a.shape.at(-2)!, a.shape.at(-1)!];
    const [kb, n] = transposeB ? [b.shape.at(-1)!, b.shape.at(-2)!] : [b.shape.at(-2)!, b.shape.at(-1)!];
    if (ka !== kb) problem(`inner dimensions differ: ${ka} (a${transposeA ? 'ᵀ' : ''}) vs ${kb} (b${transposeB ? 'ᵀ' : ''})`);
    const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
    if (!batch) problem(`batch shapes ${fmtShape(a.shape.slice(0, -2))} and ${fmtShape(b.shape.slice(0, -2))} do not broadcast`);
    return { shape: [...batch, m, n], dtype: 'float32' };
  },
  grad: ({ inputs: [a, b], dy, attrs: { transposeA: tA, transposeB: tB } }) => {
    // C = op(A) op(B). dA = dC op(B)ᵀ (transposed back if A was), dB likewise.
    const da = tA ? matmul(b, dy, tB, true) : matmul(dy, b, false, !tB);
    const db = tB ? matmul(dy, a, true, tA) : matmul(a, dy, !tA, false);
    return [sumToShape(da, a.shape), sumToShape(db, b.shape)];
  },
  doc: {
    summary:
      'Batched matrix product over the last two axes, with numpy broadcasting of the batch axes (all but the last two); `transposeA` / `transposeB` take an operand with its last two axes swapped.',
    inputs: ['a', 'b'],
    shape:
      '[...batch, m, n], where op(a) is [..., m, k], op(b) is [..., k, n] and batch is the broadcast of their batch shapes. Rejected: a rank below 2, inner dimensions k that differ, batch shapes that do not broadcast.',
    dtype: 'float32 only; the output is float32.',
    grad: "da = dy · op(b)ᵀ and db = op(a)ᵀ · dy, each a matmul with transpose flags (transposed back when the operand was taken transposed), then summed over the batch axes its operand was broadcast along.",
  },
});

/**
 * Matrix product of the last two axes, batched over the others.
 * @example matmul(x, w) // [batch, in] x [in, out] -> [batch, out]
 */
export function matmul(a: Sym, b: Sym, transposeA = false, transposeB = false): Sym {
  return a.graph.apply('matmul', [a, b], { transposeA, transposeB });
}

declare module './registry.js' {
  interface OpSchemas {
    matmul: typeof zMatmulAttrs;
  }
}
