import { DepthwiseConv, type DepthwiseConvArgs } from './depthwise-conv.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of DepthwiseConv1D. */
export type DepthwiseConv1DArgs = DepthwiseConvArgs;

/**
 * Depthwise 1D convolution: each input channel is convolved with its own `depth_multiplier` filters.
 * Depthwise kernel [...kernel_size, in_channels, depth_multiplier]; channels-last inputs
 * [batch, steps, channels]; outputs have in_channels * depth_multiplier channels.
 *
 * @example
 * const layer = new DepthwiseConv1D({ kernelSize: 3, depthMultiplier: 2 });
 * const y = layer.apply(Input({ shape: [10, 4] })); // KerasTensor [null, 8, 8]
 */
export class DepthwiseConv1D extends DepthwiseConv {
  static override readonly className = 'DepthwiseConv1D';
  static override readonly argsSchema: ArgsDeclaration = argKeys();

  constructor(args: DepthwiseConv1DArgs) {
    super(1, args);
  }
}
