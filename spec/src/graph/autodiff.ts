import { GraphError } from '../errors.js';
import { add } from '../ops/binary.js';
import { getOp } from '../ops/registry.js';
import { fill } from '../ops/source.js';
import { fmtShape, shapesEqual } from '../shape.js';
import type { Sym } from './graph.js';

/** The ids of nodes that `from` depend on (inclusive), walking inputs backwards. */
function ancestors(from: readonly Sym[]): Set<number> {
  const g = from[0].graph;
  const seen = new Set<number>();
  const stack = from.map((s) => s.id);
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const i of g.nodes[id].inputs) stack.push(i);
  }
  return seen;
}

/** The ids of nodes that depend on any of `from` (inclusive), up to node `limit` (exclusive). */
function descendants(from: readonly Sym[], limit: number): Set<number> {
  const g = from[0].graph;
  const seen = new Set(from.map((s) => s.id));
  const start = Math.min(...from.map((s) => s.id));
  for (let id = start; id < limit; id++) {
    if (g.nodes[id].inputs.some((i) => seen.has(i))) seen.add(id);
  }
  return seen;
}

/**
 * Reverse-mode autodiff over the IR: appends to the graph the nodes that compute the gradient
 * of sum_k <seeds[k], outputs[k]> with respect to each of `wrt`, and returns them (a zero tensor
 * for an input the outputs do not depend on). Seeds default to ones. Composite ops without a
 * rule of their own are differentiated through their decomposition.
 *
 * @example
 * const g = trace((x) => ops.sum(ops.square(x)), [{ shape: [3], dtype: 'float32' }]);
 * const [dx] = grad([g.sym(g.outputs[0])], [g.sym(g.inputs[0])]); // 2x
 * g.outputs.push(dx.id);
 */
export function grad(outputs: readonly Sym[], wrt: readonly Sym[], seeds?: readonly Sym[]): Sym[] {
  return gradImpl(outputs, wrt, seeds, new Set());
}

/** `leaves`: nodes whose adjoint is collected but not propagated further (a composite's inputs). */
function gradImpl(outputs: readonly Sym[], wrt: readonly Sym[], seeds: readonly Sym[] | undefined, leaves: ReadonlySet<number>): Sym[] {
  if (outputs.length === 0 || wrt.length === 0) throw new GraphError('grad needs at least one output and one input');
  const g = outputs[0].graph;
  for (const s of [...outputs, ...wrt]) {
    if (s.graph !== g) throw new GraphError('grad: outputs and inputs must belong to one graph');
  }
  for (const w of wrt) {
    if (w.dtype !== 'float32') throw new GraphError(`grad: cannot differentiate with respect to ${w} (${w.dtype}); only float32 tensors have gradients`);
  }
  const limit = g.nodes.length;
  const relevant = ancestors(outputs);
  const down = descendants(wrt, limit);
  for (const id of [...relevant]) if (!down.has(id)) relevant.delete(id);

  const adjoint = new Map<number, Sym>();
  const accumulate = (id: number, d: Sym) => {
    const node = g.nodes[id];
    if (!shapesEqual(d.shape, node.shape)) {
      throw new GraphError(`gradient of %${id} (${node.op}) has shape ${fmtShape(d.shape)}, expected ${fmtShape(node.shape)}`);
    }
    const prev = adjoint.get(id);
    adjoint.set(id, prev ? add(prev, d) : d);
  };
  outputs.forEach((o, k) => {
    if (o.dtype !== 'float32') throw new GraphError(`grad: output ${o} is ${o.dtype}; only float32 outputs can be differentiated`);
    if (!relevant.has(o.id)) return;
    accumulate(o.id, seeds?.[k] ?? fill(g, o.shape, 1));
  });

  for (let id = limit - 1; id >= 0; id--) {
    const dy = adjoint.get(id);
    if (!dy || !relevant.has(id) || leaves.has(id)) continue;
    const node = g.nodes[id];
    const ins = node.inputs.map((i) => g.sym(i));
    const wanted = ins.map((s) => relevant.has(s.id) && s.dtype === 'float32');
    if (!wanted.some(Boolean)) continue;
    const def = getOp(node.op);
    let grads: readonly (Sym | null)[];
    if (def.grad) {
      grads = def.grad({ inputs: ins, output: g.sym(id), dy, attrs: node.attrs });
    } else if (def.kind === 'composite') {
      const y = def.decompose!(ins, node.attrs);
      const targets = ins.filter((_, i) => wanted[i]);
      // The inputs are leaves of the inner pass: paths between them are the outer pass's to follow.
      const inner = gradImpl([y], targets, [dy], new Set(targets.map((t) => t.id)));
      let k = 0;
      grads = ins.map((_, i) => (wanted[i] ? inner[k++] : null));
    } else {
      throw new GraphError(`op '${node.op}' (%${id}) has no gradient, but the outputs depend on it through float inputs`);
    }
    grads.forEach((d, i) => {
      if (d && wanted[i]) accumulate(ins[i].id, d);
    });
  }
  return wrt.map((w) => adjoint.get(w.id) ?? fill(g, w.shape, 0));
}
