import { isOpNode, ops, type Graph, type OpNode } from '@keras-ts/spec';
import { useCounts, type LoweringPass } from './plan.js';

/**
 * The spatial pads of a zero `pad` that a convolution of `rank` spatial axes can take in its own
 * padding: none on the batch and channel axes; undefined when it cannot.
 */
function spatialZeroPads(pad: OpNode<'pad'>, rank: number): [number, number][] | undefined {
  const { paddings, value } = pad.attrs;
  if (value !== 0 || paddings.length !== rank + 2) return undefined;
  const [batch, channels] = [paddings[0], paddings[rank + 1]];
  if (batch[0] !== 0 || batch[1] !== 0 || channels[0] !== 0 || channels[1] !== 0) return undefined;
  return paddings.slice(1, rank + 1).map(([b, a]) => [b, a]);
}

/**
 * A zero padding read by a convolution (Keras' ZeroPadding2D before MobileNetV2's stride-2
 * depthwise convolutions) goes into the convolution's own padding: the conv (or fused conv) is
 * lowered from the pad's input with explicit pads = its resolved padding plus the pad's. The same
 * sums; onnxruntime otherwise runs the Pad between a reorder out of and back into its blocked
 * NCHWc layout (MobileNetV2: a Pad and two reorders for each of its 4 ZeroPadding2D). A pad that
 * every reader folds is not emitted. Pools are left alone: a padded max pool takes the zeros, its
 * own padding does not (onnxruntime's Pad_Fusion, which folds into pools too, is off in our
 * sessions for that reason).
 */
export const foldPads: LoweringPass = {
  name: 'fold-pads',
  run(graph: Graph, plan) {
    const readers = useCounts(graph);
    const folded = new Map<number, number>();
    for (const n of graph.nodes) {
      // The convolutions whose padding is ONNX Conv's `pads` (depthwise_conv reaches the lowering as a grouped conv).
      if (!isOpNode(n, 'conv') && !isOpNode(n, 'fused_conv')) continue;
      const pad = graph.nodes[n.inputs[0]];
      if (!isOpNode(pad, 'pad') || n.inputs.indexOf(pad.id, 1) !== -1) continue;
      const a = n.attrs;
      const extra = spatialZeroPads(pad, a.rank);
      if (!extra) continue;
      const w = graph.nodes[n.inputs[1]];
      const own = ops.resolveConvPadding(pad.shape.slice(1, a.rank + 1), w.shape.slice(0, a.rank), a.strides, a.dilations, a.padding);
      const padding: [number, number][] = own.map(([b, e], i) => [b + extra[i][0], e + extra[i][1]]);
      plan.replaced.set(n.id, { ...n, inputs: [pad.inputs[0], ...n.inputs.slice(1)], attrs: { ...n.attrs, padding } });
      folded.set(pad.id, (folded.get(pad.id) ?? 0) + 1);
    }
    for (const [id, count] of folded) if (count === readers[id]) plan.deferred.add(id);
  },
};
