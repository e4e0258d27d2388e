import { SeparableConv, type SeparableConvArgs } from './separable-conv.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of SeparableConv2D. */
export type SeparableConv2DArgs = SeparableConvArgs;

/**
 * Depthwise separable 2D convolution: a depthwise convolution per input channel, then a pointwise
 * (1x1) convolution that mixes the channels.
 * Channels-last inputs [batch, rows, cols, channels].
 *
 * @example
 * const layer = new SeparableConv2D({ filters: 32, kernelSize: 3, depthMultiplier: 2 });
 * const y = layer.apply(Input({ shape: [28, 28, 16] })); // KerasTensor [null, 26, 26, 32]
 */
export class SeparableConv2D extends SeparableConv {
  static override readonly className = 'SeparableConv2D';
  static override readonly argsSchema: ArgsDeclaration = argKeys();

  constructor(args: SeparableConv2DArgs) {
    super(2, args);
  }
}
