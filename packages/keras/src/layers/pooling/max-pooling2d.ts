import { ops, type Sym } from '@keras-ts/spec';
import { Pooling, type PoolingArgs } from './base-pooling.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of MaxPooling2D. */
export type MaxPooling2DArgs = PoolingArgs;

/**
 * Max pooling over the rows and columns of images [batch, rows, cols, channels] (default
 * pool_size [2, 2], strides = pool_size).
 *
 * @example
 * const y = new MaxPooling2D({ poolSize: 2 }).apply(Input({ shape: [32, 32, 3] })); // KerasTensor [null, 16, 16, 3]
 */
export class MaxPooling2D extends Pooling {
  static override readonly className = 'MaxPooling2D';
  static override readonly argsSchema: ArgsDeclaration = argKeys();

  constructor(args: MaxPooling2DArgs = {}) {
    super(2, args);
  }

  protected pool(x: Sym): Sym {
    return ops.maxPool(x, { poolSize: this.poolSize, strides: this.strides, padding: this.padding });
  }
}
