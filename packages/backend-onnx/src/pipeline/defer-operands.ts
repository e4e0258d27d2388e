import { ops, type Graph } from '@keras-ts/spec';
import type { LoweringPass } from './plan.js';

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
    const readers = new Map<number, number>();
    for (const n of graph.nodes) for (const i of new Set(n.inputs)) readers.set(i, (readers.get(i) ?? 0) + 1);
    for (const o of graph.outputs) readers.set(o, (readers.get(o) ?? 0) + 1);
    for (const n of graph.nodes) {
      if (!FUSED.has(n.op)) continue;
      const ready = Math.max(n.inputs[0], n.inputs[1]);
      for (const id of n.inputs.slice(2)) {
        const o = graph.nodes[id];
        if (id > ready && readers.get(id) === 1 && o.op !== 'placeholder' && o.op !== 'fill' && o.op !== 'constant') plan.deferred.add(id);
      }
    }
  },
};
