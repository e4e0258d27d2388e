/**
 * A backend-onnx (with the bench's intra-op threads) that records what it compiles and runs: per
 * graph, the executable, the inputs of its last run and how many runs it had. The profiling tools
 * read the graphs that ran (profile.ts, onnx-profile.ts); the bare-onnxruntime peer exports the
 * traced predict graph with the tensors it was fed (ort-peer.ts).
 */
import { createOnnxBackend, type OnnxBackend, type OnnxExecutable } from '@keras-ts/backend-onnx';
import type { Backend, Graph, HostTensor } from '@keras-ts/spec';
import { ortThreadCount } from './common.js';

/** One graph the backend compiled: its executable, the inputs of its last run, its runs so far. */
export interface CompiledGraph {
  readonly graph: Graph;
  readonly exe: OnnxExecutable;
  last: readonly HostTensor[] | null;
  runs: number;
}

/**
 * @example
 * const rec = new RecordingOnnx();
 * setBackend(rec);
 * await model.predict(x);
 * const largest = rec.largestRan(); // { graph, exe, last, runs }
 */
export class RecordingOnnx implements Backend {
  readonly inner: OnnxBackend = createOnnxBackend({ intraOpNumThreads: ortThreadCount() });
  readonly compiled: CompiledGraph[] = [];
  get name() {
    return this.inner.name;
  }
  get capabilities() {
    return this.inner.capabilities;
  }
  compile(graph: Graph): OnnxExecutable {
    const exe = this.inner.compile(graph);
    const entry: CompiledGraph = { graph, exe, last: null, runs: 0 };
    this.compiled.push(entry);
    const run = exe.run.bind(exe);
    exe.run = (inputs) => {
      entry.last = inputs;
      entry.runs++;
      return run(inputs);
    };
    return exe;
  }

  /** The graph with the most nodes among those that ran (a model may compile helpers too), or null. */
  largestRan(): (CompiledGraph & { last: readonly HostTensor[] }) | null {
    const ran = this.compiled.filter((c): c is CompiledGraph & { last: readonly HostTensor[] } => c.last !== null);
    return ran.length ? ran.reduce((a, b) => (b.graph.nodes.length > a.graph.nodes.length ? b : a)) : null;
  }
}
