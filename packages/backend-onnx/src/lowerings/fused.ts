import { isChannelVector, ops, type Node } from '@keras-ts/spec';
import type { GraphBuilder } from '../builder.js';
import type { AttrsOf, LoweringFamily, LoweringNode, LoweringRegistry } from '../lowering.js';

/**
 * The fused ops of the spec's fuse-epilogues pass (spec/src/ops/fused.ts): a matmul, conv or
 * conv_transpose and the chain of elementwise steps after it. A first step that adds a bias
 * vector over the channels goes into the operator (Gemm's C, Conv's and ConvTranspose's B, added
 * in their output pass; onnxruntime's broadcasting Add over the channels-first layout is slow);
 * every other step is lowered as its own op, right after the operator, where onnxruntime fuses
 * an activation (Conv + Relu) itself. depthwise_conv has no lowering: it reaches the lowering as
 * a grouped conv, so its epilogue comes as fused_conv's.
 */

type FusedNode = LoweringNode<AttrsOf<ops.FusedOpName>>;

/** A node of `op` with `attrs`, standing for one part of the fused node (its shape and dtype). */
function partOf(node: FusedNode, op: string, attrs: Readonly<Record<string, unknown>>): Node {
  return { id: node.id, op, inputs: [], attrs, shape: node.shape, dtype: node.dtype };
}

function lowerFused(reg: LoweringRegistry, producer: ops.FusedProducer, b: GraphBuilder, node: FusedNode, ins: string[], inNodes: readonly Node[]): string {
  const { epilogue, ...attrs } = node.attrs;
  const first = epilogue[0];
  const takesBias = producer !== 'matmul' || (inNodes[0].shape.length === 2 && inNodes[1].shape.length === 2);
  let bias: string | undefined;
  let steps = epilogue;
  if (takesBias && first?.op === 'add' && first.args.length === 1 && isChannelVector(inNodes[first.args[0]], node)) {
    const v = first.args[0];
    bias = inNodes[v].shape.length === 1 ? ins[v] : b.reshape(ins[v], [node.shape[node.shape.length - 1]]);
    steps = epilogue.slice(1);
  }
  const p = partOf(node, producer, attrs);
  let y = reg.lower(b, p, ins.slice(0, 2), inNodes.slice(0, 2), bias);
  for (const s of steps) y = reg.lower(b, partOf(node, s.op, s.attrs), ops.stepInputs(s, y, ins), ops.stepInputs(s, p, inNodes));
  return y;
}

export const fusedLowerings: LoweringFamily = (reg) => {
  for (const producer of ['matmul', 'conv', 'conv_transpose'] as const) {
    reg.add(`fused_${producer}`, (b, node, ins, inNodes) => lowerFused(reg, producer, b, node, ins, inNodes));
  }
};
