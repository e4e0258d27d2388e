import { CroppingND, type CroppingNDArgs } from './cropping-nd.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of {@link Cropping2D}. */
export interface Cropping2DArgs extends CroppingNDArgs {}

/**
 * Crops the 2 spatial axes of its input (default cropping 0).
 *
 * @example
 * const y = new Cropping2D({ cropping: [[2, 2], [4, 4]] }).apply(Input({ shape: [28, 28, 3] })); // [null, 24, 20, 3]
 */
export class Cropping2D extends CroppingND {
  static override readonly className = 'Cropping2D';
  static override readonly argsSchema: ArgsDeclaration = argKeys();
  constructor(args: Cropping2DArgs = {}) {
    super(args, 2, 0);
  }
}
