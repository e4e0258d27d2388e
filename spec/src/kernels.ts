import { findOp } from './ops/registry.js';
import { KerasNotImplementedError, KerasValueError } from './errors.js';

/**
 * Kernels of a backend keyed by op name. Registering a name twice, or a name that is not an op
 * of the spec, is refused.
 */
export class KernelRegistry<K> {
  private readonly kernels = new Map<string, K>();

  constructor(readonly backend: string) {}

  /**
   * Registers `kernel` for `op`; throws for a name that is not an op of the spec, or one already
   * registered.
   */
  register(op: string, kernel: K): void {
    if (!findOp(op)) throw new KerasValueError(`${this.backend}: cannot register a kernel for '${op}', which is not an op of the spec`);
    if (this.kernels.has(op)) throw new KerasValueError(`${this.backend}: a kernel for '${op}' is already registered`);
    this.kernels.set(op, kernel);
  }

  /** The kernel of `op`; throws when none is registered. */
  get(op: string): K {
    const k = this.kernels.get(op);
    if (!k) throw new KerasNotImplementedError(`${this.backend}: no kernel for op '${op}'`);
    return k;
  }

  /** Whether a kernel is registered for `op`. */
  has(op: string): boolean {
    return this.kernels.has(op);
  }

  /** The ops that have a kernel, in registration order. */
  names(): string[] {
    return [...this.kernels.keys()];
  }
}
