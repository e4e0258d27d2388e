import { DepthwiseConv, type DepthwiseConvArgs } from './depthwise-conv.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of DepthwiseConv2D. */
export type DepthwiseConv2DArgs = DepthwiseConvArgs;

/**
 * Depthwise 2D convolution: each input channel is convolved with its own `depth_multiplier` filters.
 * Depthwise kernel [...kernel_size, in_channels, depth_multiplier]; channels-last inputs
 * [batch, rows, cols, channels]; outputs have in_channels * depth_multiplier channels.
 *
 * @example
 * const layer = new DepthwiseConv2D({ kernelSize: 3, padding: 'same' });
 * const y = layer.apply(Input({ shape: [32, 32, 16] })); // KerasTensor [null, 32, 32, 16]
 */
export class DepthwiseConv2D extends DepthwiseConv {
  static override readonly className = 'DepthwiseConv2D';
  static override readonly argsSchema: ArgsDeclaration = argKeys();

  constructor(args: DepthwiseConv2DArgs) {
    super(2, args);
  }
}
