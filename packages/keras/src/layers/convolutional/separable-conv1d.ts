import { SeparableConv, type SeparableConvArgs } from './separable-conv.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of SeparableConv1D. */
export type SeparableConv1DArgs = SeparableConvArgs;

/**
 * Depthwise separable 1D convolution: a depthwise convolution per input channel, then a pointwise
 * (1-wide) convolution that mixes the channels; padding 'valid', 'same' or 'causal'.
 * Channels-last inputs [batch, steps, channels].
 *
 * @example
 * const layer = new SeparableConv1D({ filters: 8, kernelSize: 3, padding: 'same' });
 * const y = layer.apply(Input({ shape: [20, 4] })); // KerasTensor [null, 20, 8]
 */
export class SeparableConv1D extends SeparableConv {
  static override readonly className = 'SeparableConv1D';
  static override readonly argsSchema: ArgsDeclaration = argKeys();

  constructor(args: SeparableConv1DArgs) {
    super(1, args, true);
  }
}
