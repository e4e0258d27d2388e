import { ops, type Graph } from '@keras-ts/spec';
import { useCounts, type LoweringPass } from './plan.js';

const FUSED: ReadonlySet<string> = new Set(Object.values(ops.FUSED_PRODUCERS));

/**
 * A fused node (pipeline of the spec's fuse-epilogues pass) stands where its chain ended, after
 * every operand of its epilogue; the producer's operator used to come first. An operand computed
 * after the producer's inputs and read by nothing else (an LSTM step's h · U, added to x · W) is
 * deferred: emitted when the fused node's lowering reads it, after the producer's operator, as
 * in the unfused graph. (The other order costs onnxruntime about 4% on an LSTM.)
 */
export const deferOperands: LoweringPass = {
  name: 'defer-operands',
  run(graph: Graph, plan) {
    const readers = useCounts(graph);
    for (const n of graph.nodes) {
      if (!FUSED.has(n.op)) continue;
      const ready = Math.max(n.inputs[0], n.inputs[1]);
      for (const id of n.inputs.slice(2)) {
        const o = graph.nodes[id];
        if (id > ready && readers[id] === 1 && o.op !== 'placeholder' && o.op !== 'fill' && o.op !== 'constant') plan.deferred.add(id);
      }
    }
  },
};
