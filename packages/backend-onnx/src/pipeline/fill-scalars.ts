import { broadcastShapes, ops, shapesEqual, sizeOf, type Graph, type Node, type Shape, KerasInternalError } from '@keras-ts/spec';
import { lowersInPlace, type LoweringPass } from './plan.js';

/** Ops that broadcast their inputs elementwise (a fill input may become a scalar). */
const ELEMENTWISE: ReadonlySet<string> = new Set([...Object.keys(ops.BINARY), 'where']);

/** The value of a fill node. */
export function fillValue(node: Node): number {
  const v = node.attrs.value;
  if (typeof v !== 'number') throw new KerasInternalError(`backend-onnx: fill %${node.id} has no numeric value`);
  return v;
}

/**
 * Fills are emitted where first needed as tensors. An elementwise op whose other inputs already
 * give the output's shape takes a fill that is not yet a tensor as a broadcast scalar instead
 * (zerosLike in gradients would otherwise be materialized and read in full). Walks the nodes in
 * the order the emission step lowers them and reads their inputs.
 */
export const fillScalars: LoweringPass = {
  name: 'fill-scalars',
  run(graph: Graph, plan) {
    const tensors = new Set<number>();
    const needTensor = (id: number): void => {
      if (graph.nodes[id].op === 'fill') tensors.add(id);
    };
    for (const node of graph.nodes) {
      // A deferred node is emitted later than here, but its inputs are read the same way.
      if ((!lowersInPlace(node, plan) && !plan.deferred.has(node.id)) || node.op === 'constant' || sizeOf(node.shape) === 0) continue;
      const ids = node.inputs;
      if (!ELEMENTWISE.has(node.op)) {
        ids.forEach(needTensor);
        continue;
      }
      const shapes: Shape[] = ids.map((i) => graph.nodes[i].shape);
      const scalars = new Set<number>();
      ids.forEach((id, j) => {
        if (graph.nodes[id].op === 'fill' && !tensors.has(id)) {
          const others = shapes.filter((_, i) => i !== j).reduce<Shape | null>((acc, sh) => acc && broadcastShapes(acc, sh), []);
          if (others && shapesEqual(others, node.shape)) {
            shapes[j] = [];
            scalars.add(j);
            return;
          }
        }
        needTensor(id);
      });
      if (scalars.size > 0) plan.scalarInputs.set(node.id, scalars);
    }
  },
};
