import { ops, type Sym } from '@keras-ts/spec';
import { Pooling, type PoolingArgs } from './base-pooling.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of AveragePooling3D. */
export type AveragePooling3DArgs = PoolingArgs;

/**
 * Average pooling over the three spatial axes of volumes [batch, dim1, dim2, dim3, channels]
 * (default pool_size [2, 2, 2], strides = pool_size); with padding 'same' the padded positions are not counted.
 *
 * @example
 * const y = new AveragePooling3D().apply(Input({ shape: [8, 8, 8, 1] })); // KerasTensor [null, 4, 4, 4, 1]
 */
export class AveragePooling3D extends Pooling {
  static override readonly className = 'AveragePooling3D';
  static override readonly argsSchema: ArgsDeclaration = argKeys();

  constructor(args: AveragePooling3DArgs = {}) {
    super(3, args);
  }

  protected pool(x: Sym): Sym {
    return ops.avgPool(x, { poolSize: this.poolSize, strides: this.strides, padding: this.padding });
  }
}
