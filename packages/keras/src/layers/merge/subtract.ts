import { ops, type Sym } from '@keras-ts/spec';
import type { CallContext, InputShape, LayerArgs } from '../../engine/layer.js';
import type { KerasTensor } from '../../engine/keras-tensor.js';
import { Merge, showShapes } from './base-merge.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasValueError } from '../../errors.js';

/**
 * Subtracts the second of exactly two inputs from the first, elementwise
 * (same shapes, or broadcastable).
 *
 * @example
 * const a = Input({ shape: [4] });
 * const b = Input({ shape: [4] });
 * const y = new Subtract().apply([a, b]); // a - b
 */
export class Subtract extends Merge {
  static override readonly className = 'Subtract';
  static override readonly argsSchema: ArgsDeclaration = argKeys();

  override build(inputShape: InputShape): void {
    const shapes = this.shapeList(inputShape);
    if (shapes.length !== 2) throw new KerasValueError(`${this.label} should be called on exactly 2 inputs, got ${shapes.length} with shapes ${showShapes(shapes)}`);
    super.build(inputShape);
  }

  override call(inputs: Sym | Sym[], ctx?: CallContext): Sym {
    const xs = this.inputList(inputs);
    if (xs.length !== 2) throw new KerasValueError(`${this.label} should be called on exactly 2 inputs, got ${xs.length} with shapes ${showShapes(xs.map((x) => x.shape))}`);
    return super.call(xs, ctx);
  }

  protected mergeFunction(inputs: Sym[]): Sym {
    return ops.sub(inputs[0], inputs[1]);
  }
}

/**
 * Functional form of {@link Subtract}: `subtract([a, b])` is `new Subtract(args).apply([a, b])`.
 * @example const y = subtract([a, b]);
 */
export function subtract(inputs: KerasTensor[], args: LayerArgs = {}): KerasTensor {
  return new Subtract(args).apply(inputs);
}
