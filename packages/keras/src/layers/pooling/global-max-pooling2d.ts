import { ops, type Sym } from '@keras-ts/spec';
import { GlobalPooling, type GlobalPoolingArgs } from './base-global-pooling.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of GlobalMaxPooling2D. */
export type GlobalMaxPooling2DArgs = GlobalPoolingArgs;

/**
 * Global max pooling over the rows and columns of images: [batch, rows, cols, channels] to
 * [batch, channels] ([batch, 1, 1, channels] with keepdims).
 *
 * @example
 * const y = new GlobalMaxPooling2D().apply(Input({ shape: [7, 7, 64] })); // KerasTensor [null, 64]
 */
export class GlobalMaxPooling2D extends GlobalPooling {
  static override readonly className = 'GlobalMaxPooling2D';
  static override readonly argsSchema: ArgsDeclaration = argKeys();

  constructor(args: GlobalMaxPooling2DArgs = {}) {
    super(2, args);
  }

  protected reduce(x: Sym): Sym {
    return ops.max(x, this.spatialAxes, this.keepdims);
  }
}
