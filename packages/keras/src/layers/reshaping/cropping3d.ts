import { CroppingND, type CroppingNDArgs } from './cropping-nd.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of {@link Cropping3D}. */
export interface Cropping3DArgs extends CroppingNDArgs {}

/**
 * Crops the 3 spatial axes of its input (default cropping 1, as Keras).
 *
 * @example
 * const y = new Cropping3D({ cropping: 1 }).apply(Input({ shape: [8, 8, 8, 1] })); // [null, 6, 6, 6, 1]
 */
export class Cropping3D extends CroppingND {
  static override readonly className = 'Cropping3D';
  static override readonly argsSchema: ArgsDeclaration = argKeys();
  constructor(args: Cropping3DArgs = {}) {
    super(args, 3, 1);
  }
}
