import type { GraphPass } from './pass.js';
import { isZeroScalar, rebuild } from './pass.js';

/**
 * relu's gradient reads its input through the mask greater(x, 0), which equals greater(relu(x), 0)
 * (x > 0 exactly where relu(x) > 0, NaN included): reading relu's output instead leaves x (a
 * matmul's or conv's output plus bias) with relu as its only reader, so that the producer, the
 * bias and the activation can fuse in a training graph too.
 * @example reluMask.run(trainingGraph, () => true) // greater(x, 0) reads relu(x) instead of x
 */
export const reluMask: GraphPass = {
  name: 'relu-mask',
  summary: "greater(x, 0) where relu(x) is computed earlier becomes greater(relu(x), 0), so x keeps relu as its only reader",
  produces: [],
  run(graph) {
    const reluOf = new Map<number, number>();
    for (const n of graph.nodes) if (n.op === 'relu' && n.dtype === 'float32' && !reluOf.has(n.inputs[0])) reluOf.set(n.inputs[0], n.id);
    const masks = new Map<number, number>();
    for (const n of graph.nodes) {
      if (n.op !== 'greater' || !isZeroScalar(graph.nodes[n.inputs[1]])) continue;
      const r = reluOf.get(n.inputs[0]);
      if (r !== undefined && r < n.id) masks.set(n.id, r);
    }
    if (masks.size === 0) return graph;
    return rebuild(graph, (node, get, out) => {
      const r = masks.get(node.id);
      return r === undefined ? undefined : out.apply('greater', [get(r), get(node.inputs[1])]);
    });
  },
};
