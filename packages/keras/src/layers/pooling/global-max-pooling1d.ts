import { ops, type Sym } from '@keras-ts/spec';
import { GlobalPooling, type GlobalPoolingArgs } from './base-global-pooling.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of GlobalMaxPooling1D. */
export type GlobalMaxPooling1DArgs = GlobalPoolingArgs;

/**
 * Global max pooling over the steps of temporal data: [batch, steps, channels] to
 * [batch, channels] ([batch, 1, channels] with keepdims).
 *
 * @example
 * const y = new GlobalMaxPooling1D().apply(Input({ shape: [10, 4] })); // KerasTensor [null, 4]
 */
export class GlobalMaxPooling1D extends GlobalPooling {
  static override readonly className = 'GlobalMaxPooling1D';
  static override readonly argsSchema: ArgsDeclaration = argKeys();

  constructor(args: GlobalMaxPooling1DArgs = {}) {
    super(1, args);
  }

  protected reduce(x: Sym): Sym {
    return ops.max(x, this.spatialAxes, this.keepdims);
  }
}
