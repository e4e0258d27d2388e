import { ops, type Sym } from '@keras-ts/spec';
import { GlobalPooling, type GlobalPoolingArgs } from './base-global-pooling.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of GlobalAveragePooling2D. */
export type GlobalAveragePooling2DArgs = GlobalPoolingArgs;

/**
 * Global average pooling over the rows and columns of images: [batch, rows, cols, channels] to
 * [batch, channels] ([batch, 1, 1, channels] with keepdims).
 *
 * @example
 * const y = new GlobalAveragePooling2D().apply(Input({ shape: [7, 7, 64] })); // KerasTensor [null, 64]
 */
export class GlobalAveragePooling2D extends GlobalPooling {
  static override readonly className = 'GlobalAveragePooling2D';
  static override readonly argsSchema: ArgsDeclaration = argKeys();

  constructor(args: GlobalAveragePooling2DArgs = {}) {
    super(2, args);
  }

  protected reduce(x: Sym): Sym {
    return ops.mean(x, this.spatialAxes, this.keepdims);
  }
}
