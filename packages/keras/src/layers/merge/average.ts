import { ops, type Sym } from '@keras-ts/spec';
import type { LayerArgs } from '../../engine/layer.js';
import type { KerasTensor } from '../../engine/keras-tensor.js';
import { Merge } from './base-merge.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/**
 * Averages a list of inputs elementwise (all of the same shape, or broadcastable).
 *
 * @example
 * const a = Input({ shape: [4] });
 * const b = Input({ shape: [4] });
 * const y = new Average().apply([a, b]); // KerasTensor [null, 4]
 */
export class Average extends Merge {
  static override readonly className = 'Average';
  static override readonly argsSchema: ArgsDeclaration = argKeys();

  protected mergeFunction(inputs: Sym[]): Sym {
    return ops.div(
      inputs.slice(1).reduce((acc, x) => ops.add(acc, x), inputs[0]),
      inputs.length,
    );
  }
}

/**
 * Functional form of {@link Average}: `average(inputs)` is `new Average(args).apply(inputs)`.
 * @example const y = average([a, b]);
 */
export function average(inputs: KerasTensor[], args: LayerArgs = {}): KerasTensor {
  return new Average(args).apply(inputs);
}
