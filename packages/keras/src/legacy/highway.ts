import { nameOf, removedLayerError } from './removed-layer.js';

const ADVICE =
  'Build it from Dense layers with the functional API: a gate `t = new Dense({ units: n, activation: "sigmoid" }).apply(x)` ' +
  '(weights W_carry, b_carry), a transform `h = new Dense({ units: n, activation }).apply(x)` (weights W, b), and ' +
  'the output `t * h + (1 - t) * x` (Multiply, Subtract and Add layers, or a Lambda), where n is the input size.';

/**
 * Keras 1's Highway layer, removed in Keras 2: constructing it (or loading a config that names
 * it) fails with how to build it from Dense layers.
 *
 * @example
 * new Highway({ activation: 'relu' }); // throws: build it from Dense layers
 */
export class Highway {
  static readonly className = 'Highway';

  constructor(args?: Record<string, unknown>) {
    throw removedLayerError(`Highway${nameOf(args)}`, ADVICE);
  }

  /** Rebuilds a Highway from its config (what `getConfig` returns). */
  static fromConfig(config: Record<string, unknown>): never {
    throw removedLayerError(`Highway${nameOf(config)}`, ADVICE);
  }
}
