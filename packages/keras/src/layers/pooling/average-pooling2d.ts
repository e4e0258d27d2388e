import { ops, type Sym } from '@keras-ts/spec';
import { Pooling, type PoolingArgs } from './base-pooling.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of AveragePooling2D. */
export type AveragePooling2DArgs = PoolingArgs;

/**
 * Average pooling over the rows and columns of images [batch, rows, cols, channels] (default
 * pool_size [2, 2], strides = pool_size); with padding 'same' the padded positions are not counted.
 *
 * @example
 * const y = new AveragePooling2D({ poolSize: 2 }).apply(Input({ shape: [32, 32, 3] })); // KerasTensor [null, 16, 16, 3]
 */
export class AveragePooling2D extends Pooling {
  static override readonly className = 'AveragePooling2D';
  static override readonly argsSchema: ArgsDeclaration = argKeys();

  constructor(args: AveragePooling2DArgs = {}) {
    super(2, args);
  }

  protected pool(x: Sym): Sym {
    return ops.avgPool(x, { poolSize: this.poolSize, strides: this.strides, padding: this.padding });
  }
}
