import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { SpatialDropoutND, type SpatialDropoutNDArgs } from './spatial-dropout-nd.js';

/** The arguments of `SpatialDropout2D` (see `SpatialDropoutNDArgs`). */
export interface SpatialDropout2DArgs extends SpatialDropoutNDArgs {}

/**
 * Dropout of whole feature maps of a 2D input: in training each channel of each sample is kept
 * or dropped at every position at once (scaled by 1 / (1 - rate)).
 *
 * @example
 * const layer = new SpatialDropout2D({ rate: 0.2 });
 * layer.apply(Input({ shape: [32, 32, 16] }));
 */
export class SpatialDropout2D extends SpatialDropoutND {
  static override readonly className: string = 'SpatialDropout2D';
  static override readonly argsSchema: ArgsDeclaration = argKeys();
  protected readonly spatial = ['rows', 'cols'];

  constructor(args: SpatialDropout2DArgs) {
    super(args);
  }
}
