import { ops, type Sym } from '@keras-ts/spec';
import type { LayerArgs } from '../../engine/layer.js';
import type { KerasTensor } from '../../engine/keras-tensor.js';
import { Merge } from './base-merge.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/**
 * Adds a list of inputs elementwise (all of the same shape, or broadcastable).
 *
 * @example
 * const a = Input({ shape: [4] });
 * const b = Input({ shape: [4] });
 * const y = new Add().apply([a, b]); // KerasTensor [null, 4]
 */
export class Add extends Merge {
  static override readonly className = 'Add';
  static override readonly argsSchema: ArgsDeclaration = argKeys();

  protected mergeFunction(inputs: Sym[]): Sym {
    return inputs.slice(1).reduce((acc, x) => ops.add(acc, x), inputs[0]);
  }
}

/**
 * Functional form of {@link Add}: `add(inputs)` is `new Add(args).apply(inputs)`.
 * @example const y = add([a, b]);
 */
export function add(inputs: KerasTensor[], args: LayerArgs = {}): KerasTensor {
  return new Add(args).apply(inputs);
}
