import { elemType } from '../builder.js';
import type { LoweringFamily } from '../lowering.js';

/** where, cast and clip (spec/src/ops/elementwise.ts). */


export const elementwiseLowerings: LoweringFamily = (reg) => {
  reg.add('where', (b, _n, ins) => b.node('Where', ins));
  reg.add('cast', (b, node, [x]) => b.cast(x, elemType(node.dtype)));
  reg.add('clip', (b, node, [x]) => b.node('Clip', [x, b.scalar(node.attrs.min, node.dtype), b.scalar(node.attrs.max, node.dtype)]));
};
