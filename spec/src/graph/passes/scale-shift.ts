import { shapesEqual, sizeOf } from '../../shape.js';
import type { TensorInfo } from '../../ops/registry.js';
import type { Graph, Node } from '../graph.js';
import { rebuild, readersOf, type GraphPass } from './pass.js';

/**
 * Whether `v` is a float32 vector over the last axis of `y` ([n] or [1, ..., 1, n]): a bias, or a
 * batch-norm scale or shift.
 * @example isChannelVector({ shape: [1, 1, 8], dtype: 'float32' }, { shape: [2, 5, 8], dtype: 'float32' }) // true
 */
export function isChannelVector(v: TensorInfo, y: TensorInfo): boolean {
  const n = y.shape[y.shape.length - 1];
  return v.dtype === 'float32' && v.shape.length >= 1 && v.shape.length <= y.shape.length && v.shape[v.shape.length - 1] === n && sizeOf(v.shape) === n;
}

/** The operand of binary node `op` other than `y` when it is a channel vector of y, else null. */
function channelOperand(graph: Graph, op: Node, y: number): number | null {
  const [p, q] = op.inputs;
  if (p === q) return null;
  const other = p === y ? q : q === y ? p : null;
  return other !== null && isChannelVector(graph.nodes[other], graph.nodes[y]) ? other : null;
}

/**
 * add(mul(x, scale), shift), in either operand order, with scale and shift vectors over the last
 * axis of x (rank 2 to 4), as the frontend writes inference-mode batch normalization, becomes
 * scale_shift(x, scale, shift). For backends with a kernel for it (tfjs' batchNorm: on tfjs' cpu
 * a broadcasting mul or add walks every element through index arithmetic).
 * @example scaleShift.run(trace((x, s, t) => ops.add(ops.mul(x, s), t), specs), (op) => op === 'scale_shift') // one scale_shift
 */
export const scaleShift: GraphPass = {
  name: 'scale-shift',
  summary: 'add(mul(x, scale), shift) with scale and shift vectors over the last axis becomes scale_shift(x, scale, shift)',
  produces: ['scale_shift'],
  run(graph, has) {
    if (!has('scale_shift')) return graph;
    const readers = readersOf(graph);
    const outputs = new Set(graph.outputs);
    const found = new Map<number, [number, number, number]>();
    const dropped = new Set<number>();
    const read = new Set<number>();
    for (const mul of graph.nodes) {
      if (mul.op !== 'mul' || mul.dtype !== 'float32' || mul.shape.length < 2 || mul.shape.length > 4) continue;
      if (outputs.has(mul.id) || readers[mul.id].length !== 1) continue;
      const add = graph.nodes[readers[mul.id][0]];
      if (add.op !== 'add' || !shapesEqual(add.shape, mul.shape)) continue;
      let x: number | null = null;
      let scale: number | null = null;
      for (const a of mul.inputs) {
        if (x === null && shapesEqual(graph.nodes[a].shape, mul.shape)) {
          const s = channelOperand(graph, mul, a);
          if (s !== null) [x, scale] = [a, s];
        }
      }
      const shift = channelOperand(graph, add, mul.id);
      if (x === null || scale === null || shift === null) continue;
      // With a batch of 1 a match can overlap another (a [1, n] mul is a channel vector too): the
      // first one wins, and no match reads a mul another one drops.
      if (found.has(add.id) || read.has(mul.id) || [x, scale, shift].some((id) => dropped.has(id))) continue;
      found.set(add.id, [x, scale, shift]);
      dropped.add(mul.id);
      for (const id of [x, scale, shift]) read.add(id);
    }
    if (found.size === 0) return graph;
    return rebuild(graph, (node, get, out) => {
      if (dropped.has(node.id)) return null;
      const f = found.get(node.id);
      return f && out.apply('scale_shift', f.map(get));
    });
  },
};
