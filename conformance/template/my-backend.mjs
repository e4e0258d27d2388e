// my-backend.mjs: a keras-ts backend to copy and make your own.
//
// It is a working backend from the first run: it runs the graphs it has kernels for itself (one
// kernel here, relu), and hands every other graph to backend-ts. Replace the delegation op by op
// with your own kernels, and run the conformance suite after each step:
//
//   npm install -D @keras-ts/conformance @keras-ts/spec @keras-ts/backend-ts
//   npx keras-ts-conformance --backend ./my-backend.mjs --filter activations/relu
//   npx keras-ts-conformance --backend ./my-backend.mjs --junit report.xml
//
// The CLI takes the backend from this module's default export (a Backend, or a function that
// returns one), a `createBackend()` export, or a `backend` export (a Backend). This file has
// the first two, the same factory; keep the one you like.

/** @import { Backend, Capabilities, Executable, Graph, HostTensor, Node } from '@keras-ts/spec' */
import { createTsBackend } from '@keras-ts/backend-ts';

/**
 * Your kernels, by op name (the op set is @keras-ts/spec's op registry: `allOps()`, `getOp(name)`).
 * This template only has elementwise float32 kernels of one input; a real backend has a kernel
 * per op, reading `node.attrs` (checked by the op's schema) for its attributes.
 * The spec's relu keeps NaN (NaN > 0 is false, so test it explicitly).
 * @type {Record<string, (x: number) => number>}
 */
const UNARY_KERNELS = {
  relu: (x) => (x > 0 || x !== x ? x : 0),
};

/**
 * Whether this backend runs the whole graph itself: every node is a graph input (`placeholder`)
 * or a float32 op it has a kernel for, reading one earlier node.
 * @param {Graph} graph
 */
function runsItself(graph) {
  return graph.nodes.every((n) => n.op === 'placeholder' || (Object.hasOwn(UNARY_KERNELS, n.op) && n.dtype === 'float32' && n.inputs.length === 1));
}

/**
 * Compiles a graph for this backend's own kernels. A graph is SSA: `graph.nodes[i]` is
 * `{ id, op, inputs, attrs, shape, dtype }` with `inputs` ids of earlier nodes, in topological
 * order; `graph.inputs` lists the placeholder node ids in the order `run` gets its inputs, and
 * `graph.outputs` the node ids `run` returns, in that order.
 * @param {Graph} graph
 * @returns {Executable}
 */
function compileOwn(graph) {
  /** @type {readonly Node[]} */
  const nodes = graph.nodes;
  const runSync = (/** @type {readonly HostTensor[]} */ inputs) => {
    /** @type {Map<number, HostTensor>} */
    const values = new Map();
    graph.inputs.forEach((id, i) => values.set(id, inputs[i]));
    for (const node of nodes) {
      if (node.op === 'placeholder') continue;
      const x = /** @type {HostTensor} */ (values.get(node.inputs[0]));
      const f = UNARY_KERNELS[node.op];
      const data = new Float32Array(x.data.length);
      for (let i = 0; i < data.length; i++) data[i] = f(x.data[i]);
      values.set(node.id, { shape: node.shape, dtype: node.dtype, data });
    }
    return graph.outputs.map((id) => /** @type {HostTensor} */ (values.get(id)));
  };
  return {
    // run: the one method every executable has. Inputs and outputs are host tensors (flat
    // row-major typed arrays with shape and dtype) in graph order. An input marked
    // `stable: true` is a weight whose data will not change: you may cache a device copy of it.
    run: async (inputs) => runSync(inputs),
    // runSync: only when capabilities.sync is true.
    runSync,
    // dispose: release what this executable holds (device buffers, sessions).
    dispose: () => {},
  };
}

/**
 * Creates the backend.
 * @returns {Backend}
 */
export function createBackend() {
  /** @type {Backend} */
  const inner = createTsBackend();
  // Declare what is true of the whole backend: while graphs go to backend-ts, its abilities count.
  /** @type {Capabilities} */
  const capabilities = {
    // dtypes: the dtypes your kernels take (of float32, int32, bool).
    dtypes: ['float32', 'int32', 'bool'],
    // training: whether you run training-step graphs (forward, gradients and optimizer
    // updates). With false, the conformance suite skips every training/* case with that reason.
    training: true,
    // fusedKernels: the composite ops (softmax, mean, logsumexp, ...) you run as one kernel
    // instead of their decomposition. Lower the others with prepareGraph(graph, has) from
    // @keras-ts/spec before compiling (it also runs the spec's graph passes that apply to you). The inner backend lowers what it needs by itself.
    fusedKernels: [],
    // sync: whether every executable has runSync. Keras' synchronous calls (layer.apply on
    // concrete tensors) need it; without it, only the async forms (predict, fit) work.
    sync: true,
  };
  return {
    // name: how reports and skip lists name the backend. Pick your own: a skip list shipped
    // with @keras-ts/conformance (skips/<name>.json) would apply to a backend named like one
    // of the project's (ts, tfjs-cpu, tfjs-wasm, onnx).
    name: 'my-backend',
    capabilities,
    // compile: called once per graph (Keras caches the executable and runs it many times).
    // Throw here, with a message naming the op, for a graph you cannot run.
    compile(graph) {
      return runsItself(graph) ? compileOwn(graph) : inner.compile(graph);
    },
    // dispose (optional): release everything the backend holds.
    dispose() {
      inner.dispose?.();
    },
  };
}

export default createBackend;
