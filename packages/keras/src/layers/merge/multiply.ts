import { ops, type Sym } from '@keras-ts/spec';
import type { LayerArgs } from '../../engine/layer.js';
import type { KerasTensor } from '../../engine/keras-tensor.js';
import { Merge } from './base-merge.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/**
 * Multiplies a list of inputs elementwise (all of the same shape, or broadcastable).
 *
 * @example
 * const a = Input({ shape: [4] });
 * const b = Input({ shape: [4] });
 * const y = new Multiply().apply([a, b]); // KerasTensor [null, 4]
 */
export class Multiply extends Merge {
  static override readonly className = 'Multiply';
  static override readonly argsSchema: ArgsDeclaration = argKeys();

  protected mergeFunction(inputs: Sym[]): Sym {
    return inputs.slice(1).reduce((acc, x) => ops.mul(acc, x), inputs[0]);
  }
}

/**
 * Functional form of {@link Multiply}: `multiply(inputs)` is `new Multiply(args).apply(inputs)`.
 * @example const y = multiply([a, b]);
 */
export function multiply(inputs: KerasTensor[], args: LayerArgs = {}): KerasTensor {
  return new Multiply(args).apply(inputs);
}
