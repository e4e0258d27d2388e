import type { Backend, Executable, HostTensor } from './backend.js';
import { Graph } from './graph/graph.js';
import { KerasNotImplementedError } from './errors.js';

function signature(op: string, inputs: readonly HostTensor[], attrs: Record<string, unknown>): string {
  const ins = inputs.map((t) => `${t.dtype}[${t.shape.join(',')}]`).join(';');
  return `${op}|${ins}|${JSON.stringify(attrs)}`;
}

/**
 * Runs single ops on concrete tensors: each distinct signature (op, input shapes and dtypes,
 * attributes) is traced and compiled once, then reused.
 *
 * @example
 * const eager = new EagerRunner(backend);
 * const y = await eager.run('relu', [x]);
 */
export class EagerRunner {
  private readonly cache = new Map<string, Executable>();
  compiled = 0;

  constructor(readonly backend: Backend) {}

  private executable(op: string, inputs: readonly HostTensor[], attrs: Record<string, unknown>): Executable {
    const key = signature(op, inputs, attrs);
    let exe = this.cache.get(key);
    if (!exe) {
      const g = new Graph();
      const ins = inputs.map((t) => g.placeholder(t.shape, t.dtype));
      g.outputs = [g.apply(op, ins, attrs).id];
      exe = this.backend.compile(g);
      this.cache.set(key, exe);
      this.compiled++;
    }
    return exe;
  }

  /**
   * Runs `op` with `attrs` on concrete inputs, compiling it on the first use of its signature;
   * resolves to the output.
   */
  async run(op: string, inputs: readonly HostTensor[], attrs: Record<string, unknown> = {}): Promise<HostTensor> {
    const [out] = await this.executable(op, inputs, attrs).run(inputs);
    return out;
  }

  /**
   * As {@link EagerRunner.run}, synchronously; throws when the backend's executables cannot run
   * synchronously.
   */
  runSync(op: string, inputs: readonly HostTensor[], attrs: Record<string, unknown> = {}): HostTensor {
    const exe = this.executable(op, inputs, attrs);
    if (!exe.runSync) throw new KerasNotImplementedError(`backend '${this.backend.name}' cannot run synchronously`);
    return exe.runSync(inputs)[0];
  }

  /** Disposes every cached executable. */
  dispose(): void {
    for (const e of this.cache.values()) e.dispose();
    this.cache.clear();
  }
}
