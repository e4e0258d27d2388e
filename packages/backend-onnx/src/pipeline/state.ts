import { sizeOf, type Graph, type Node } from '@keras-ts/spec';
import type { GraphBuilder } from '../builder.js';
import type { LoweringRegistry } from '../lowering.js';
import { fillValue } from './fill-scalars.js';
import type { LoweringPlan } from './plan.js';

/** A graph being lowered: the spec graph, its plan, the ONNX graph under construction and the ONNX name of each node's value. */
export class LoweringState {
  private readonly names = new Map<number, string>();

  constructor(
    readonly graph: Graph,
    readonly plan: LoweringPlan,
    readonly b: GraphBuilder,
    private readonly lowerings: LoweringRegistry,
  ) {}

  /** Whether node `id` has its ONNX name. */
  has(id: number): boolean {
    return this.names.has(id);
  }

  /** Records `name` as the value of node `id` (of shape `shape`); a name that has a shape keeps it. */
  set(id: number, name: string, shape: readonly number[]): void {
    this.names.set(id, name);
    if (!this.b.shapes.has(name)) this.b.shapes.set(name, shape);
  }

  /** The ONNX name of node `id`'s value; a fill not yet needed as a tensor is emitted now. */
  valueOf(id: number): string {
    let n = this.names.get(id);
    if (n === undefined) {
      const node = this.graph.nodes[id];
      n = this.emit(node);
      this.set(id, n, node.shape);
    }
    return n;
  }

  /**
   * Emits `node` with its op's lowering, given the names of its inputs (a fill the plan makes a
   * scalar as one; a node the plan replaces as its replacement); an empty value other than a
   * constant is a ConstantOfShape. Returns its ONNX name.
   */
  emit(original: Node): string {
    const { b, graph, plan } = this;
    const node = plan.replaced.get(original.id) ?? original;
    if (node.op !== 'constant' && sizeOf(node.shape) === 0) return b.full(node.shape, 0, node.dtype);
    const scalars = plan.scalarInputs.get(node.id);
    const ins: string[] = [];
    node.inputs.forEach((id, j) => {
      if (plan.deferred.has(id) && !this.has(id)) {
        // Emitted when the lowering first reads it (see pipeline/defer-operands.ts).
        Object.defineProperty(ins, j, { get: () => this.valueOf(id), enumerable: true });
      } else if (scalars?.has(j)) {
        const fill = graph.nodes[id];
        ins[j] = b.scalar(fillValue(fill), fill.dtype);
      } else ins[j] = this.valueOf(id);
    });
    return this.lowerings.lower(b, node, ins, node.inputs.map((i) => graph.nodes[i]));
  }
}
