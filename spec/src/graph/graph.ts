import type { DataArray, DType } from '../dtype.js';
import { GraphError, OpError } from '../errors.js';
import { getOp, isOpNode, ShapeProblem, type TensorInfo } from '../ops/registry.js';
import { fmtShape, shapesEqual, type Shape } from '../shape.js';

/** One SSA node of the IR: an op applied to earlier nodes, with its output's shape and dtype. */
export interface Node {
  readonly id: number;
  readonly op: string;
  readonly inputs: readonly number[];
  readonly attrs: Readonly<Record<string, unknown>>;
  readonly shape: Shape;
  readonly dtype: DType;
}

/** A symbolic tensor: a reference to one node of one graph. */
export class Sym {
  constructor(
    readonly graph: Graph,
    readonly id: number,
  ) {}
  get node(): Node {
    return this.graph.nodes[this.id];
  }
  get shape(): Shape {
    return this.node.shape;
  }
  get dtype(): DType {
    return this.node.dtype;
  }
  get rank(): number {
    return this.node.shape.length;
  }
  /** The tensor as text: its node id, dtype and shape, as `%3:float32[2,4]`. */
  toString(): string {
    return `%${this.id}:${this.dtype}${fmtShape(this.shape)}`;
  }
}

function formatZodIssues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }, attrs: unknown): string {
  return error.issues
    .map((i) => {
      const path = i.path.map(String).join('.');
      let value: unknown = attrs;
      for (const k of i.path) value = (value as Record<PropertyKey, unknown> | undefined)?.[k];
      const shown = JSON.stringify(value);
      return `attribute '${path || '(attrs)'}' ${i.message}${shown === undefined ? '' : ` (got ${shown})`}`;
    })
    .join('; ');
}

/**
 * A graph of ops in SSA form. Nodes are appended in topological order; `inputs` lists the
 * placeholder nodes in argument order and `outputs` the nodes a run returns.
 */
export class Graph {
  readonly nodes: Node[] = [];
  inputs: number[] = [];
  outputs: number[] = [];

  /** Appends an op node after checking its attributes and inferring its output. */
  apply(op: string, inputs: readonly Sym[], attrs: Record<string, unknown> = {}): Sym {
    const def = getOp(op);
    const infos: TensorInfo[] = inputs.map((s) => {
      if (s.graph !== this) throw new GraphError(`op '${op}': an input belongs to another graph`);
      return { shape: s.shape, dtype: s.dtype };
    });
    if (def.arity === 'variadic' ? infos.length < 1 : infos.length !== def.arity) {
      throw new OpError(op, infos, `expected ${def.arity === 'variadic' ? 'at least 1' : def.arity} input(s), got ${infos.length}`);
    }
    const parsed = def.attrs.safeParse(attrs);
    if (!parsed.success) throw new OpError(op, infos, formatZodIssues(parsed.error, attrs));
    let out: TensorInfo;
    try {
      out = def.infer(infos, parsed.data);
    } catch (e) {
      if (e instanceof ShapeProblem) throw new OpError(op, infos, e.message);
      throw e;
    }
    const node: Node = {
      id: this.nodes.length,
      op,
      inputs: inputs.map((s) => s.id),
      attrs: parsed.data as Record<string, unknown>,
      shape: [...out.shape],
      dtype: out.dtype,
    };
    this.nodes.push(node);
    return new Sym(this, node.id);
  }

  /** Adds an input of the graph (appended to `inputs`). */
  placeholder(shape: Shape, dtype: DType = 'float32', name?: string): Sym {
    const s = this.apply('placeholder', [], { shape: [...shape], dtype, name: name ?? `input_${this.inputs.length}` });
    this.inputs.push(s.id);
    return s;
  }

  /**
   * The symbolic tensor of node `id`; throws a {@link GraphError} when the graph has no such node.
   */
  sym(id: number): Sym {
    if (!(id >= 0 && id < this.nodes.length)) throw new GraphError(`no node %${id}`);
    return new Sym(this, id);
  }

  /**
   * Checks the IR's invariants: inputs refer to earlier nodes, placeholders and outputs exist,
   * and every node's recorded shape and dtype are what its op's rule gives.
   */
  validate(): void {
    this.nodes.forEach((n, i) => {
      if (n.id !== i) throw new GraphError(`node at position ${i} has id ${n.id}`);
      for (const inp of n.inputs) {
        if (!(inp >= 0 && inp < i)) throw new GraphError(`node %${i} (${n.op}) uses %${inp}, which is not an earlier node`);
      }
      const def = getOp(n.op);
      const infos = n.inputs.map((k) => this.nodes[k]);
      let out: TensorInfo;
      try {
        out = def.infer(infos, def.attrs.parse(n.attrs));
      } catch (e) {
        throw new GraphError(`node %${i} (${n.op}) no longer type-checks: ${(e as Error).message}`);
      }
      if (!shapesEqual(out.shape, n.shape) || out.dtype !== n.dtype) {
        throw new GraphError(`node %${i} (${n.op}) records ${n.dtype}${fmtShape(n.shape)} but its rule gives ${out.dtype}${fmtShape(out.shape)}`);
      }
    });
    for (const id of this.inputs) {
      if (this.nodes[id]?.op !== 'placeholder') throw new GraphError(`graph input %${id} is not a placeholder`);
    }
    for (const id of this.outputs) {
      if (!this.nodes[id]) throw new GraphError(`graph output %${id} does not exist`);
    }
  }

  /** A readable listing, one node per line. */
  toString(): string {
    const lines = this.nodes.map((n) => {
      const attrs = Object.entries(n.attrs)
        .filter(([k]) => k !== 'data')
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(' ');
      return `%${n.id} = ${n.op}(${n.inputs.map((i) => `%${i}`).join(', ')}) ${attrs} : ${n.dtype}${fmtShape(n.shape)}`;
    });
    lines.push(`inputs: ${this.inputs.map((i) => `%${i}`).join(', ')}  outputs: ${this.outputs.map((i) => `%${i}`).join(', ')}`);
    return lines.join('\n');
  }
}

/** The data of a `constant` node. */
export function constantData(node: Node): DataArray {
  if (!isOpNode(node, 'constant')) throw new GraphError(`node %${node.id} is '${node.op}', not a constant`);
  return node.attrs.data;
}

let current: Graph | null = null;

/** The graph being traced (used by ops that take no tensor input), or an error outside `trace`. */
export function currentGraph(): Graph {
  if (!current) throw new GraphError('no graph is being traced: call this inside trace(), or pass a graph');
  return current;
}

/**
 * Traces `fn` over symbolic inputs of the given shapes and dtypes into a new graph whose outputs
 * are what `fn` returns.
 *
 * @example
 * const g = trace((x, w) => ops.relu(ops.matmul(x, w)), [
 *   { shape: [2, 3], dtype: 'float32' },
 *   { shape: [3, 4], dtype: 'float32' },
 * ]);
 */
export function trace(fn: (...inputs: Sym[]) => Sym | readonly Sym[], specs: readonly TensorInfo[], graph = new Graph()): Graph {
  const prev = current;
  current = graph;
  try {
    const ins = specs.map((s) => graph.placeholder(s.shape, s.dtype));
    const out = fn(...ins);
    graph.outputs = (Array.isArray(out) ? out : [out]).map((s: Sym) => s.id);
    return graph;
  } finally {
    current = prev;
  }
}

/** Runs `fn` with `graph` as the current graph (for builders that take no tensor input). */
export function withGraph<T>(graph: Graph, fn: () => T): T {
  const prev = current;
  current = graph;
  try {
    return fn();
  } finally {
    current = prev;
  }
}
