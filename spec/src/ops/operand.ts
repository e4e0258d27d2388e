import { allocData, type DType } from '../dtype.js';
import { currentGraph, Sym, type Graph } from '../graph/graph.js';

/** A tensor argument of an op builder: a symbolic tensor, or a number taken as a scalar. */
export type Operand = Sym | number;

/** The graph the operands belong to (the current traced graph when none is a tensor). */
export function graphOf(...xs: readonly Operand[]): Graph {
  for (const x of xs) if (x instanceof Sym) return x.graph;
  // Something else than a number (a caller's mistake, such as a frontend's placeholder): its own
  // `graph` explains what it is when it has one.
  for (const x of xs) if (typeof x === 'object' && x !== null && 'graph' in x) return (x as { graph: Graph }).graph;
  return currentGraph();
}

/** A scalar constant of `dtype` in `graph`. */
export function scalar(graph: Graph, value: number, dtype: DType = 'float32'): Sym {
  const data = allocData(dtype, 1);
  data[0] = value;
  return graph.apply('constant', [], { data, shape: [], dtype });
}

/** Turns numbers into scalar constants with the dtype of the first tensor operand. */
export function lift(xs: readonly Operand[]): Sym[] {
  const g = graphOf(...xs);
  const like = xs.find((x): x is Sym => x instanceof Sym);
  const dtype: DType = like ? like.dtype : 'float32';
  return xs.map((x) => (x instanceof Sym ? x : scalar(g, x, dtype)));
}
