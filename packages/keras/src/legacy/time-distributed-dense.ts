import { getArg } from './arg-names.js';
import { nameOf, removedLayerError } from './removed-layer.js';

function advice(args: unknown): string {
  const a = (args && typeof args === 'object' ? args : {}) as Record<string, unknown>;
  const units = getArg(a, 'output_dim') ?? getArg(a, 'units') ?? 'output_dim';
  return (
    `Use TimeDistributed(Dense(...)): \`new TimeDistributed({ layer: new Dense({ units: ${String(units)} }) })\` ` +
    `(a Dense on a 3D input also applies to the last axis of every step). Its weights W and b are the Dense's kernel and bias.`
  );
}

/**
 * Keras 1's TimeDistributedDense, removed in Keras 2: constructing it (or loading a config that
 * names it) fails with what to use instead.
 *
 * @example
 * new TimeDistributedDense({ outputDim: 8 }); // throws: use TimeDistributed(Dense(...))
 */
export class TimeDistributedDense {
  static readonly className = 'TimeDistributedDense';

  constructor(args?: Record<string, unknown>) {
    throw removedLayerError(`TimeDistributedDense${nameOf(args)}`, advice(args));
  }

  /** Rebuilds a TimeDistributedDense from its config (what `getConfig` returns). */
  static fromConfig(config: Record<string, unknown>): never {
    throw removedLayerError(`TimeDistributedDense${nameOf(config)}`, advice(config));
  }
}
