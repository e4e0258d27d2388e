import { ops, type Sym } from '@keras-ts/spec';
import { Pooling, type PoolingArgs } from './base-pooling.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of MaxPooling3D. */
export type MaxPooling3DArgs = PoolingArgs;

/**
 * Max pooling over the three spatial axes of volumes [batch, dim1, dim2, dim3, channels]
 * (default pool_size [2, 2, 2], strides = pool_size).
 *
 * @example
 * const y = new MaxPooling3D().apply(Input({ shape: [8, 8, 8, 1] })); // KerasTensor [null, 4, 4, 4, 1]
 */
export class MaxPooling3D extends Pooling {
  static override readonly className = 'MaxPooling3D';
  static override readonly argsSchema: ArgsDeclaration = argKeys();

  constructor(args: MaxPooling3DArgs = {}) {
    super(3, args);
  }

  protected pool(x: Sym): Sym {
    return ops.maxPool(x, { poolSize: this.poolSize, strides: this.strides, padding: this.padding });
  }
}
