import { Conv, type ConvArgs } from './conv.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of Conv2D. */
export type Conv2DArgs = ConvArgs;

/**
 * 2D convolution (spatial convolution over images): `activation(conv2d(x, kernel) + bias)`.
 * Kernel [...kernel_size, in_channels / groups, filters]; channels-last inputs
 * [batch, rows, cols, channels].
 *
 * @example
 * const layer = new Conv2D({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' });
 * const y = layer.apply(Input({ shape: [32, 32, 3] })); // KerasTensor [null, 16, 16, 16]
 */
export class Conv2D extends Conv {
  static override readonly className = 'Conv2D';
  static override readonly argsSchema: ArgsDeclaration = argKeys();

  constructor(args: Conv2DArgs) {
    super(2, args);
  }
}
