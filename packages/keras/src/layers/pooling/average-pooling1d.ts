import { ops, type Sym } from '@keras-ts/spec';
import { Pooling, type PoolingArgs } from './base-pooling.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of AveragePooling1D. */
export type AveragePooling1DArgs = PoolingArgs;

/**
 * Average pooling over the steps of temporal data [batch, steps, channels] (default pool_size 2,
 * strides = pool_size); with padding 'same' the padded positions are not counted.
 *
 * @example
 * const y = new AveragePooling1D({ poolSize: 3, strides: 1, padding: 'same' }).apply(Input({ shape: [10, 4] })); // KerasTensor [null, 10, 4]
 */
export class AveragePooling1D extends Pooling {
  static override readonly className = 'AveragePooling1D';
  static override readonly argsSchema: ArgsDeclaration = argKeys();

  constructor(args: AveragePooling1DArgs = {}) {
    super(1, args);
  }

  protected pool(x: Sym): Sym {
    return ops.avgPool(x, { poolSize: this.poolSize, strides: this.strides, padding: this.padding });
  }
}
