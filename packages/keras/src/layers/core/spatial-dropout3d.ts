import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { SpatialDropoutND, type SpatialDropoutNDArgs } from './spatial-dropout-nd.js';

/** The arguments of `SpatialDropout3D` (see `SpatialDropoutNDArgs`). */
export interface SpatialDropout3DArgs extends SpatialDropoutNDArgs {}

/**
 * Dropout of whole feature maps of a 3D input: in training each channel of each sample is kept
 * or dropped at every position at once (scaled by 1 / (1 - rate)).
 *
 * @example
 * const layer = new SpatialDropout3D({ rate: 0.2 });
 * layer.apply(Input({ shape: [8, 8, 8, 4] }));
 */
export class SpatialDropout3D extends SpatialDropoutND {
  static override readonly className: string = 'SpatialDropout3D';
  static override readonly argsSchema: ArgsDeclaration = argKeys();
  protected readonly spatial = ['dim1', 'dim2', 'dim3'];

  constructor(args: SpatialDropout3DArgs) {
    super(args);
  }
}
