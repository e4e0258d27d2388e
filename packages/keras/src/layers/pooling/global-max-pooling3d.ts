import { ops, type Sym } from '@keras-ts/spec';
import { GlobalPooling, type GlobalPoolingArgs } from './base-global-pooling.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of GlobalMaxPooling3D. */
export type GlobalMaxPooling3DArgs = GlobalPoolingArgs;

/**
 * Global max pooling over the three spatial axes of volumes: [batch, dim1, dim2, dim3, channels]
 * to [batch, channels] ([batch, 1, 1, 1, channels] with keepdims).
 *
 * @example
 * const y = new GlobalMaxPooling3D({ keepdims: true }).apply(Input({ shape: [4, 4, 4, 8] })); // KerasTensor [null, 1, 1, 1, 8]
 */
export class GlobalMaxPooling3D extends GlobalPooling {
  static override readonly className = 'GlobalMaxPooling3D';
  static override readonly argsSchema: ArgsDeclaration = argKeys();

  constructor(args: GlobalMaxPooling3DArgs = {}) {
    super(3, args);
  }

  protected reduce(x: Sym): Sym {
    return ops.max(x, this.spatialAxes, this.keepdims);
  }
}
