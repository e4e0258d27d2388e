import { KerasTensor, type LayerNode } from './keras-tensor.js';
import type { Layer } from './layer.js';
import { KerasValueError } from '../errors.js';

/** One call of a layer inside a functional model. */
export interface MappedNode {
  readonly layer: Layer;
  readonly nodeIndex: number;
  readonly node: LayerNode;
  readonly depth: number;
}

/** Every KerasTensor a node consumes: its inputs and any in its call arguments (initial_state, ...). */
export function nodeInputs(node: LayerNode): KerasTensor[] {
  const out = [...node.inputs];
  const walk = (v: unknown) => {
    if (v instanceof KerasTensor) out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
  };
  Object.values(node.kwargs).forEach(walk);
  return out;
}

function nodeOf(t: KerasTensor): { layer: Layer; index: number; node: LayerNode } {
  const { layer, nodeIndex } = t.source;
  return { layer, index: nodeIndex, node: layer.inboundNodes[nodeIndex] };
}

/**
 * Orders the layer calls between `inputs` and `outputs` as Keras does (`map_graph`): by
 * decreasing depth (inputs first), ties broken by the order a depth-first walk from the outputs
 * first met each layer. Returns the nodes in execution order and the layers in Keras' order.
 */
export function mapGraph(inputs: readonly KerasTensor[], outputs: readonly KerasTensor[]): { nodes: MappedNode[]; layers: Layer[] } {
  const finished = new Set<LayerNode>();
  const inProgress = new Set<LayerNode>();
  const order: { layer: Layer; index: number; node: LayerNode }[] = [];
  const layerIndex = new Map<Layer, number>();
  const inputIds = new Set(inputs.map((t) => t.id));

  // A depth-first walk from each output (inputs before the node that uses them), with an explicit
  // stack: a chain of 10,000 layers must not overflow the call stack.
  const visit = (root: KerasTensor) => {
    const stack: { n: ReturnType<typeof nodeOf>; next: KerasTensor[]; i: number }[] = [];
    const enter = (t: KerasTensor) => {
      const n = nodeOf(t);
      if (finished.has(n.node)) return;
      if (inProgress.has(n.node)) throw new KerasValueError(`the model's graph has a cycle through layer '${n.layer.name}'`);
      if (!layerIndex.has(n.layer)) layerIndex.set(n.layer, layerIndex.size);
      inProgress.add(n.node);
      stack.push({ n, next: n.node.inputs.length > 0 && !inputIds.has(t.id) ? nodeInputs(n.node) : [], i: 0 });
    };
    enter(root);
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (top.i < top.next.length) enter(top.next[top.i++]);
      else {
        stack.pop();
        finished.add(top.n.node);
        inProgress.delete(top.n.node);
        order.push(top.n);
      }
    }
  };
  for (const o of outputs) visit(o);

  const nodeDepth = new Map<LayerNode, number>();
  const layerDepth = new Map<Layer, number>();
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i];
    let depth = nodeDepth.get(n.node) ?? 0;
    depth = Math.max(depth, layerDepth.get(n.layer) ?? 0);
    layerDepth.set(n.layer, depth);
    nodeDepth.set(n.node, depth);
    if (inputIds.size && n.node.outputs.some((o) => inputIds.has(o.id))) continue;
    for (const x of nodeInputs(n.node)) {
      const p = nodeOf(x).node;
      nodeDepth.set(p, Math.max(depth + 1, nodeDepth.get(p) ?? 0));
    }
  }
  for (const t of inputs) {
    const n = nodeOf(t);
    if (!layerDepth.has(n.layer)) {
      layerDepth.set(n.layer, 0);
      layerIndex.set(n.layer, -1);
      nodeDepth.set(n.node, 0);
    }
  }
  for (const t of inputs) {
    if (!order.some((o) => o.node === nodeOf(t).node)) throw new KerasValueError(`model input '${t.name}' is not connected to the outputs`);
  }

  const byDepth = (a: { d: number; i: number }, b: { d: number; i: number }) => b.d - a.d || a.i - b.i;
  const layers = [...layerDepth.entries()]
    .map(([layer, d]) => ({ layer, d, i: layerIndex.get(layer)! }))
    .sort(byDepth)
    .map((x) => x.layer);
  const nodes = order
    .map((n) => ({ layer: n.layer, nodeIndex: n.index, node: n.node, depth: nodeDepth.get(n.node)! }))
    .map((n, i) => ({ n, d: n.depth, i }))
    .sort(byDepth)
    .map((x) => x.n);
  // Every tensor a node needs must be a model input or produced by an earlier node.
  const available = new Set(inputs.map((t) => t.id));
  for (const n of nodes) {
    if (n.node.inputs.length === 0 || n.node.outputs.every((o) => available.has(o.id))) {
      n.node.outputs.forEach((o) => available.add(o.id));
      continue;
    }
    for (const x of nodeInputs(n.node)) {
      if (!available.has(x.id)) throw new KerasValueError(`layer '${n.layer.name}' needs '${x.name}', which cannot be computed from the model's inputs`);
    }
    n.node.outputs.forEach((o) => available.add(o.id));
  }
  return { nodes, layers };
}
