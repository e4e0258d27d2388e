import { ops, type Sym } from '@keras-ts/spec';
import { GlobalPooling, type GlobalPoolingArgs } from './base-global-pooling.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of GlobalAveragePooling3D. */
export type GlobalAveragePooling3DArgs = GlobalPoolingArgs;

/**
 * Global average pooling over the three spatial axes of volumes: [batch, dim1, dim2, dim3, channels]
 * to [batch, channels] ([batch, 1, 1, 1, channels] with keepdims).
 *
 * @example
 * const y = new GlobalAveragePooling3D().apply(Input({ shape: [4, 4, 4, 8] })); // KerasTensor [null, 8]
 */
export class GlobalAveragePooling3D extends GlobalPooling {
  static override readonly className = 'GlobalAveragePooling3D';
  static override readonly argsSchema: ArgsDeclaration = argKeys();

  constructor(args: GlobalAveragePooling3DArgs = {}) {
    super(3, args);
  }

  protected reduce(x: Sym): Sym {
    return ops.mean(x, this.spatialAxes, this.keepdims);
  }
}
