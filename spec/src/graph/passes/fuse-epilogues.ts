import { FUSED_PRODUCERS, isEpilogueOp, type EpilogueStep } from '../../ops/fused.js';
import { shapesEqual } from '../../shape.js';
import { rebuild, readersOf, type GraphPass } from './pass.js';

/** One fused op to make: at node `last`, the producer's inputs, the epilogue and its operands. */
interface Chain {
  readonly op: string;
  readonly producer: number;
  readonly steps: EpilogueStep[];
  readonly operands: number[];
}

/**
 * A matmul, conv, conv_transpose or depthwise_conv followed by a chain of float32 elementwise ops
 * of its output's shape (a bias add, a batch-norm scale and shift, an activation, a clip, a
 * residual add...), each the only reader of the one before and none a graph output, becomes one
 * fused op (fused_matmul, fused_conv, fused_conv_transpose, fused_depthwise_conv) with that chain
 * as its epilogue, at the chain's last node. For backends with a kernel for the fused op
 * (backend-ts runs the epilogue on each finished block of the output while it is in cache; tfjs
 * hands bias and activation to tf.fused; ONNX gives the bias to Gemm / Conv / ConvTranspose).
 * @example fuseEpilogues.run(trace(dense, specs), (op) => kernels.has(op)) // relu(x·w + b): one fused_matmul
 */
export const fuseEpilogues: GraphPass = {
  name: 'fuse-epilogues',
  summary: 'matmul / conv / conv_transpose / depthwise_conv and the chain of elementwise ops after it (bias, scale and shift, activation...) become one fused op',
  produces: Object.values(FUSED_PRODUCERS),
  run(graph, has) {
    const readers = readersOf(graph);
    const outputs = new Set(graph.outputs);
    const chains = new Map<number, Chain>();
    const claimed = new Set<number>();
    const dropped = new Set<number>();
    for (const p of graph.nodes) {
      const op = FUSED_PRODUCERS[p.op];
      if (!op || !has(op)) continue;
      const steps: EpilogueStep[] = [];
      const operands: number[] = [];
      const absorbed: number[] = [];
      let cur = p;
      for (;;) {
        if (outputs.has(cur.id) || readers[cur.id].length !== 1) break;
        const next = graph.nodes[readers[cur.id][0]];
        if (claimed.has(next.id) || !isEpilogueOp(next.op) || next.dtype !== 'float32' || !shapesEqual(next.shape, p.shape)) break;
        const at = next.inputs.indexOf(cur.id);
        const others = next.inputs.filter((_, k) => k !== at);
        if (others.includes(cur.id) || others.some((o) => dropped.has(o))) break;
        const args = others.map((o) => {
          let k = operands.indexOf(o);
          if (k < 0) k = operands.push(o) - 1;
          return k + 2;
        });
        steps.push({ op: next.op, at, args, attrs: { ...next.attrs } });
        absorbed.push(cur.id);
        claimed.add(next.id);
        cur = next;
      }
      if (steps.length === 0) continue;
      for (const id of absorbed) dropped.add(id);
      chains.set(cur.id, { op, producer: p.id, steps, operands });
    }
    if (chains.size === 0) return graph;
    return rebuild(graph, (node, get, out) => {
      if (dropped.has(node.id)) return null;
      const c = chains.get(node.id);
      if (!c) return undefined;
      const p = graph.nodes[c.producer];
      return out.apply(c.op, [...p.inputs, ...c.operands].map(get), { ...p.attrs, epilogue: c.steps });
    });
  },
};
