import type { LayerArgs } from '../engine/layer.js';
import { Conv1D, type Conv1DArgs } from '../layers/convolutional/conv1d.js';
import { atrousToDilation } from './atrous.js';
import { argKeys, type ArgsDeclaration } from '../engine/layer-arg-keys.js';

/**
 * Keras 1's AtrousConvolution1D: a Conv1D whose `atrousRate` (Keras 1 `atrous_rate`) is the
 * dilation rate. Deprecated (as in Keras 2): it builds, and serializes as, a Conv1D.
 *
 * @example
 * const conv = new AtrousConvolution1D({ nbFilter: 8, filterLength: 3, atrousRate: 2 }); // a Conv1D, dilationRate 2
 */
export class AtrousConvolution1D extends Conv1D {
  static override readonly argsSchema: ArgsDeclaration = argKeys();
  constructor(args: LayerArgs) {
    super(atrousToDilation('AtrousConvolution1D', 'Conv1D', args) as unknown as Conv1DArgs);
  }
}
