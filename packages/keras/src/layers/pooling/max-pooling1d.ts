import { ops, type Sym } from '@keras-ts/spec';
import { Pooling, type PoolingArgs } from './base-pooling.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of MaxPooling1D. */
export type MaxPooling1DArgs = PoolingArgs;

/**
 * Max pooling over the steps of temporal data [batch, steps, channels] (default pool_size 2,
 * strides = pool_size).
 *
 * @example
 * const y = new MaxPooling1D({ poolSize: 2 }).apply(Input({ shape: [10, 4] })); // KerasTensor [null, 5, 4]
 */
export class MaxPooling1D extends Pooling {
  static override readonly className = 'MaxPooling1D';
  static override readonly argsSchema: ArgsDeclaration = argKeys();

  constructor(args: MaxPooling1DArgs = {}) {
    super(1, args);
  }

  protected pool(x: Sym): Sym {
    return ops.maxPool(x, { poolSize: this.poolSize, strides: this.strides, padding: this.padding });
  }
}
