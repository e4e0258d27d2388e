import { getOp } from '../ops/registry.js';
import { Graph, Sym, withGraph } from './graph.js';

/**
 * Returns a copy of `graph` in which every composite op that `keep` does not accept is replaced
 * by its decomposition (recursively), and nodes no output needs are dropped. Backends call it
 * with the set of composites they have fused kernels for.
 */
export function lowerComposites(graph: Graph, keep: (op: string) => boolean = () => false): Graph {
  const out = new Graph();
  const needed = liveNodes(graph);
  const map = new Map<number, Sym>();
  withGraph(out, () => {
    for (const node of graph.nodes) {
      if (!needed.has(node.id)) continue;
      const ins = node.inputs.map((i) => map.get(i)!);
      if (node.op === 'placeholder') {
        map.set(node.id, out.apply('placeholder', [], { ...node.attrs }));
        continue;
      }
      const def = getOp(node.op);
      if (def.kind === 'composite' && !keep(node.op)) {
        const sub = new Graph();
        const subIns = ins.map((s) => sub.placeholder(s.shape, s.dtype));
        sub.outputs = [withGraph(sub, () => def.decompose!(subIns, node.attrs)).id];
        const lowered = lowerComposites(sub, keep);
        map.set(node.id, inline(out, lowered, ins)[0]);
      } else {
        map.set(node.id, out.apply(node.op, ins, { ...node.attrs }));
      }
    }
  });
  out.inputs = graph.inputs.map((i) => map.get(i)!.id);
  out.outputs = graph.outputs.map((i) => map.get(i)!.id);
  return out;
}

/** Copies `sub`'s nodes into `into`, binding its inputs to `args`; returns its outputs. */
function inline(into: Graph, sub: Graph, args: readonly Sym[]): Sym[] {
  const map = new Map<number, Sym>();
  sub.inputs.forEach((id, k) => map.set(id, args[k]));
  for (const node of sub.nodes) {
    if (map.has(node.id)) continue;
    map.set(node.id, into.apply(node.op, node.inputs.map((i) => map.get(i)!), { ...node.attrs }));
  }
  return sub.outputs.map((i) => map.get(i)!);
}

/** The nodes the outputs need, plus every placeholder (inputs keep their positions). */
export function liveNodes(graph: Graph): Set<number> {
  const live = new Set<number>(graph.inputs);
  const stack = [...graph.outputs];
  while (stack.length) {
    const id = stack.pop()!;
    if (live.has(id) && graph.nodes[id].op !== 'placeholder') continue;
    live.add(id);
    for (const i of graph.nodes[id].inputs) if (!live.has(i)) stack.push(i);
  }
  return live;
}
