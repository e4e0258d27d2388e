import { ops, type Sym } from '@keras-ts/spec';
import type { LayerArgs } from '../../engine/layer.js';
import type { KerasTensor } from '../../engine/keras-tensor.js';
import { Merge } from './base-merge.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/**
 * The elementwise maximum of a list of inputs (all of the same shape, or broadcastable).
 *
 * @example
 * const a = Input({ shape: [4] });
 * const b = Input({ shape: [4] });
 * const y = new Maximum().apply([a, b]); // KerasTensor [null, 4]
 */
export class Maximum extends Merge {
  static override readonly className = 'Maximum';
  static override readonly argsSchema: ArgsDeclaration = argKeys();

  protected mergeFunction(inputs: Sym[]): Sym {
    return inputs.slice(1).reduce((acc, x) => ops.maximum(acc, x), inputs[0]);
  }
}

/**
 * Functional form of {@link Maximum}: `maximum(inputs)` is `new Maximum(args).apply(inputs)`.
 * @example const y = maximum([a, b]);
 */
export function maximum(inputs: KerasTensor[], args: LayerArgs = {}): KerasTensor {
  return new Maximum(args).apply(inputs);
}
