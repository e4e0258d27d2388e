import { Graph, withGraph, type Executable, type HostTensor, type Sym, type TensorInfo } from '@keras-ts/spec';
import type { Backend } from '@keras-ts/spec';
import { getBackend } from '../backend.js';
import { Tensor, full } from '../tensor.js';
import { TraceScope, withScope } from './scope.js';
import type { Variable } from './variable.js';
import { KerasStateError } from '../errors.js';

/** The parts of a traced Keras function: its graph and what to feed and write back. */
export interface TracedFunction {
  readonly graph: Graph;
  readonly scope: TraceScope;
  /** Number of data inputs (fed first, before variables and the seed). */
  readonly dataInputs: number;
  /** Number of outputs the caller asked for (before the variable updates). */
  readonly results: number;
  /** Variables written back after each run, in output order after the results. */
  readonly updated: readonly Variable[];
}

/**
 * Traces Keras code over symbolic inputs: variables it reads become extra inputs; values it
 * assigns become extra outputs.
 */
export function traceKeras(fn: (inputs: Sym[], scope: TraceScope) => readonly Sym[], specs: readonly TensorInfo[], training: boolean): TracedFunction {
  const graph = new Graph();
  const scope = new TraceScope(graph, training);
  const results = withGraph(graph, () =>
    withScope(scope, () => {
      const ins = specs.map((s, i) => graph.placeholder(s.shape, s.dtype, `x${i}`));
      return fn(ins, scope);
    }),
  );
  const updated = [...scope.updates.keys()];
  graph.outputs = [...results.map((s) => s.id), ...updated.map((v) => scope.updates.get(v)!.id)];
  return { graph, scope, dataInputs: specs.length, results: results.length, updated };
}

let seedCounter = 1;

/** Sets the seed sequence random layers draw from at run time (Keras' `set_random_seed`). */
export function setRandomSeed(seed: number): void {
  seedCounter = seed | 0;
}

/** A traced function compiled on the current backend; runs write variable updates back. */
export class CompiledFunction {
  private exe: Executable;
  /** The backend it was compiled on. */
  readonly backend: Backend = getBackend();

  constructor(readonly traced: TracedFunction) {
    this.exe = this.backend.compile(traced.graph);
  }

  private feeds(inputs: readonly HostTensor[]): HostTensor[] {
    const fed: HostTensor[] = [...inputs];
    for (const f of this.traced.scope.feeds) {
      if (f.kind === 'variable') fed.push(f.variable.value);
      else fed.push(full([], seedCounter++, 'int32'));
    }
    return fed;
  }

  private finish(outs: HostTensor[]): Tensor[] {
    const { results, updated } = this.traced;
    updated.forEach((v, k) => v.assign(outs[results + k]));
    return outs.slice(0, results).map((t) => Tensor.from(t));
  }

  async run(inputs: readonly HostTensor[]): Promise<Tensor[]> {
    return this.finish(await this.exe.run(this.feeds(inputs)));
  }

  /** Runs synchronously; only on backends whose capabilities say `sync`. */
  runSync(inputs: readonly HostTensor[]): Tensor[] {
    if (!this.exe.runSync) {
      throw new KerasStateError(`backend '${getBackend().name}' runs asynchronously: use the async form (applyAsync, predict, fit) instead`);
    }
    return this.finish(this.exe.runSync(this.feeds(inputs)));
  }

  dispose(): void {
    this.exe.dispose();
  }
}

/**
 * Compiled functions by key, recompiled when the current backend is another one than the one they
 * were compiled on (setting the same backend again keeps them).
 */
export class FunctionCache {
  private readonly map = new Map<string, CompiledFunction>();

  get(key: string, make: () => TracedFunction): CompiledFunction {
    let f = this.map.get(key);
    if (f && f.backend !== getBackend()) {
      f.dispose();
      f = undefined;
    }
    if (!f) {
      f = new CompiledFunction(make());
      this.map.set(key, f);
    }
    return f;
  }

  clear(): void {
    for (const f of this.map.values()) f.dispose();
    this.map.clear();
  }
}

/** A cache key for input tensors' shapes and dtypes. */
export function signatureOf(tensors: readonly { shape: readonly number[]; dtype: string }[]): string {
  return tensors.map((t) => `${t.dtype}[${t.shape.join(',')}]`).join(';');
}
