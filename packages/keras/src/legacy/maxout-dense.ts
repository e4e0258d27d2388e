import { getArg } from './arg-names.js';
import { nameOf, removedLayerError } from './removed-layer.js';

function advice(args: unknown): string {
  const a = (args && typeof args === 'object' ? args : {}) as Record<string, unknown>;
  const units = getArg(a, 'output_dim') ?? getArg(a, 'units') ?? 'output_dim';
  const n = getArg(a, 'nb_feature') ?? 4;
  return (
    `Use ${String(n)} Dense layers (no activation) on the same input, combined with Maximum: ` +
    `\`new Maximum().apply(Array.from({ length: ${String(n)} }, () => new Dense({ units: ${String(units)} }).apply(x)))\`. ` +
    `Its weights W (nb_feature, input_dim, output_dim) and b (nb_feature, output_dim) are, slice by slice, those Dense layers' kernels and biases.`
  );
}

/**
 * Keras 1's MaxoutDense, removed in Keras 2: constructing it (or loading a config that names it)
 * fails with what to use instead.
 *
 * @example
 * new MaxoutDense({ outputDim: 8 }); // throws: use Dense layers combined with Maximum
 */
export class MaxoutDense {
  static readonly className = 'MaxoutDense';

  constructor(args?: Record<string, unknown>) {
    throw removedLayerError(`MaxoutDense${nameOf(args)}`, advice(args));
  }

  /** Rebuilds a MaxoutDense from its config (what `getConfig` returns). */
  static fromConfig(config: Record<string, unknown>): never {
    throw removedLayerError(`MaxoutDense${nameOf(config)}`, advice(config));
  }
}
