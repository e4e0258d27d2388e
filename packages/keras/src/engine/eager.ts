import type { HostTensor, Sym } from '@keras-ts/spec';
import type { Tensor } from '../tensor.js';
import { FunctionCache, signatureOf, traceKeras } from './execute.js';
import type { TraceScope } from './scope.js';

/**
 * Runs a small piece of Keras code (a loss, a metric update, an optimizer step) on concrete
 * tensors: traced and compiled once per input signature and `key`, then reused.
 */
export class EagerFunctions {
  private readonly cache = new FunctionCache();

  async run(key: string, inputs: readonly HostTensor[], fn: (xs: Sym[], scope: TraceScope) => readonly Sym[], training = false): Promise<Tensor[]> {
    return this.get(key, inputs, fn, training).run(inputs);
  }

  runSync(key: string, inputs: readonly HostTensor[], fn: (xs: Sym[], scope: TraceScope) => readonly Sym[], training = false): Tensor[] {
    return this.get(key, inputs, fn, training).runSync(inputs);
  }

  private get(key: string, inputs: readonly HostTensor[], fn: (xs: Sym[], scope: TraceScope) => readonly Sym[], training: boolean) {
    return this.cache.get(`${key}|${signatureOf(inputs)}|${training}`, () => traceKeras(fn, inputs, training));
  }

  clear(): void {
    this.cache.clear();
  }
}
