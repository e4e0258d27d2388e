import { isOpNode } from '../../ops/registry.js';
import { Graph, Sym, withGraph, type Node } from '../graph.js';
import { liveNodes } from '../lower.js';
import { KerasInternalError } from '../../errors.js';

/**
 * A named graph rewrite of the spec. Backends do not plan rewrites of their own: they run the
 * passes (through {@link prepareGraph}) and choose by the kernels they register. A pass that
 * makes fused ops runs for a backend with a kernel for one of them and makes only those; a pass
 * that makes none (a rewrite into other primitives) runs for every backend.
 */
export interface GraphPass {
  /** The pass's name, kebab-case (e.g. 'fuse-epilogues'). */
  readonly name: string;
  /** What it rewrites into what, in a sentence. */
  readonly summary: string;
  /** The fused ops it makes (empty: it makes only ops every backend has). */
  readonly produces: readonly string[];
  /**
   * Rewrites `graph` (composites the backend lacks already lowered), making only the ops `has`
   * accepts; returns `graph` itself when nothing changes.
   */
  run(graph: Graph, has: (op: string) => boolean): Graph;
}

/**
 * What a rewrite does with one node: `undefined` copies it, a symbolic tensor of the new graph
 * replaces it, `null` drops it (the rewrite promises nothing kept reads it).
 */
export type NodeRewrite = (node: Node, get: (id: number) => Sym, out: Graph) => Sym | null | undefined;

/**
 * Copies `graph` node by node in order through `rewrite`, dropping nodes no output needs;
 * inputs keep their positions. The new graph type-checks every node as it is added.
 * @example
 * // every relu becomes a sigmoid
 * rebuild(g, (node, get, out) => (node.op === 'relu' ? out.apply('sigmoid', [get(node.inputs[0])]) : undefined));
 */
export function rebuild(graph: Graph, rewrite: NodeRewrite): Graph {
  const out = new Graph();
  const live = liveNodes(graph);
  const map = new Map<number, Sym>();
  const get = (id: number): Sym => {
    const s = map.get(id);
    if (!s) throw new KerasInternalError(`graph rewrite: node %${id} was dropped but is still read`);
    return s;
  };
  withGraph(out, () => {
    for (const node of graph.nodes) {
      if (!live.has(node.id)) continue;
      if (node.op === 'placeholder') {
        map.set(node.id, out.apply('placeholder', [], { ...node.attrs }));
        continue;
      }
      const r = rewrite(node, get, out);
      if (r === null) continue;
      map.set(node.id, r ?? out.apply(node.op, node.inputs.map(get), { ...node.attrs }));
    }
  });
  out.inputs = graph.inputs.map((i) => get(i).id);
  out.outputs = graph.outputs.map((i) => get(i).id);
  return out;
}

/**
 * The distinct readers of each node, in order (a node reading x twice counts once).
 * @example readersOf(g)[id].length === 1 // node `id` has one reader
 */
export function readersOf(graph: Graph): number[][] {
  const readers: number[][] = graph.nodes.map(() => []);
  for (const n of graph.nodes) for (const i of new Set(n.inputs)) readers[i].push(n.id);
  return readers;
}

/**
 * A value of one element equal to 0: a zero fill or size-1 constant.
 * @example isZeroScalar(g.nodes[greaterNode.inputs[1]]) // greater(x, 0)
 */
export function isZeroScalar(node: Node): boolean {
  if (isOpNode(node, 'fill')) return node.attrs.value === 0;
  if (!isOpNode(node, 'constant') || node.shape.reduce((a, b) => a * b, 1) !== 1) return false;
  return node.attrs.data[0] === 0;
}
