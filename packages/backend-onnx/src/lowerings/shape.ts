import type { Shape } from '@keras-ts/spec';
import type { GraphBuilder } from '../builder.js';
import type { LoweringFamily } from '../lowering.js';

/** reshape, transpose and broadcast_to (spec/src/ops/shape.ts). */

/** `x` (of shape `from`) broadcast to `to` with Expand; `x` itself when the shapes are equal. */
export function expandTo(b: GraphBuilder, x: string, from: Shape, to: Shape): string {
  if (from.length === to.length && from.every((d, i) => d === to[i])) return x;
  // Expand broadcasts both ways: a 1 keeps x's own leading dimension (a symbolic batch).
  const B = b.batch?.size;
  if (B !== undefined && from.length === to.length && from[0] === B && to[0] === B) return b.node('Expand', [x, b.i64([1, ...to.slice(1)])]);
  return b.node('Expand', [x, b.shapeOf(to)]);
}

export const shapeLowerings: LoweringFamily = (reg) => {
  reg.add('reshape', (b, node, [x], [xn]) => b.reshape(x, node.shape, xn.shape));
  reg.add('transpose', (b, node, [x]) => b.transpose(x, node.attrs.perm));
  reg.add('broadcast_to', (b, node, [x], [xn]) => expandTo(b, x, xn.shape, node.shape));
};
