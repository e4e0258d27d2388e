import type { LayerArgs } from '../engine/layer.js';
import { Conv2D, type Conv2DArgs } from '../layers/convolutional/conv2d.js';
import { atrousToDilation } from './atrous.js';
import { argKeys, type ArgsDeclaration } from '../engine/layer-arg-keys.js';

/**
 * Keras 1's AtrousConvolution2D: a Conv2D whose `atrousRate` (Keras 1 `atrous_rate`) is the
 * dilation rate. Deprecated (as in Keras 2): it builds, and serializes as, a Conv2D.
 *
 * @example
 * const conv = new AtrousConvolution2D({ nbFilter: 8, nbRow: 3, nbCol: 3, atrousRate: [2, 2] }); // a Conv2D
 */
export class AtrousConvolution2D extends Conv2D {
  static override readonly argsSchema: ArgsDeclaration = argKeys();
  constructor(args: LayerArgs) {
    super(atrousToDilation('AtrousConvolution2D', 'Conv2D', args) as unknown as Conv2DArgs);
  }
}
