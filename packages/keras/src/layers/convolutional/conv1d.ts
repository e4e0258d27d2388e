import { Conv, type ConvArgs } from './conv.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of Conv1D. */
export type Conv1DArgs = ConvArgs;

/**
 * 1D convolution (temporal convolution): `activation(conv1d(x, kernel) + bias)`, with 'valid', 'same' or 'causal' padding.
 * Kernel [...kernel_size, in_channels / groups, filters]; channels-last inputs
 * [batch, steps, channels].
 *
 * @example
 * const layer = new Conv1D({ filters: 8, kernelSize: 3, padding: 'causal' });
 * const y = layer.apply(Input({ shape: [20, 4] })); // KerasTensor [null, 20, 8]
 */
export class Conv1D extends Conv {
  static override readonly className = 'Conv1D';
  static override readonly argsSchema: ArgsDeclaration = argKeys();

  constructor(args: Conv1DArgs) {
    super(1, args, true);
  }
}
