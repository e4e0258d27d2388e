import type { Graph } from '@keras-ts/spec';
import { lowerGraph, type LowerOptions } from '../../src/lower.js';

/** The ONNX operators of `graph` lowered, in order. */
export function onnxOps(graph: Graph, opts?: LowerOptions): string[] {
  return lowerGraph(graph, opts).builder.nodes.map((n) => n.op);
}

/** The ONNX nodes of `graph` lowered whose operator is `op`. */
export function onnxNodes(graph: Graph, op: string, opts?: LowerOptions) {
  return lowerGraph(graph, opts).builder.nodes.filter((n) => n.op === op);
}
