import { readersOf, type Graph, type Node } from '@keras-ts/spec';

/**
 * What the lowering passes decide about a spec graph before it is lowered: which inputs are
 * broadcast scalars, which max pools share their argmax with their gradient, which nodes are
 * lowered in another form. The passes only
 * analyse the graph (the spec's graph passes have rewritten it already, see `prepareForOnnx`);
 * the emission step (pipeline/emit.ts) acts on the plan.
 */
export interface LoweringPlan {
  /** Inputs (by position) of a node that are fills taken as broadcast scalars. */
  readonly scalarInputs: Map<number, ReadonlySet<number>>;
  /** Max pools whose gradient the graph takes too (by `poolKey`): one MaxPool gives both. */
  readonly poolsWithGrad: Set<string>;
  /** Nodes emitted only when the node that reads them needs their value (see pipeline/defer-operands.ts). */
  readonly deferred: Set<number>;
  /** Nodes lowered as another node of the same value (by id; see pipeline/fold-pads.ts). */
  readonly replaced: Map<number, Node>;
}

/** A named analysis of the spec graph that adds its decisions to the plan. */
export interface LoweringPass {
  readonly name: string;
  readonly run: (graph: Graph, plan: LoweringPlan) => void;
}

/** Runs `passes` in order over `graph`; returns the plan they made. */
export function planLowering(graph: Graph, passes: readonly LoweringPass[]): LoweringPlan {
  const plan: LoweringPlan = { scalarInputs: new Map(), poolsWithGrad: new Set(), deferred: new Set(), replaced: new Map() };
  for (const pass of passes) pass.run(graph, plan);
  return plan;
}

/**
 * Whether `node` is lowered where it stands: not a placeholder (an input or a baked weight), not a
 * fill (emitted where first needed as a tensor) and not deferred by the plan.
 */
export function lowersInPlace(node: Node, plan: LoweringPlan): boolean {
  return node.op !== 'placeholder' && node.op !== 'fill' && !plan.deferred.has(node.id);
}

/**
 * How many places read each node's value: its distinct reader nodes (spec's `readersOf`) plus one
 * when it is a graph output.
 * @example useCounts(g)[id] === 1 // one reader and not an output
 */
export function useCounts(graph: Graph): number[] {
  const counts = readersOf(graph).map((r) => r.length);
  for (const o of new Set(graph.outputs)) counts[o]++;
  return counts;
}
