import { Conv, type ConvArgs } from './conv.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of Conv3D. */
export type Conv3DArgs = ConvArgs;

/**
 * 3D convolution (spatial convolution over volumes): `activation(conv3d(x, kernel) + bias)`.
 * Kernel [...kernel_size, in_channels / groups, filters]; channels-last inputs
 * [batch, dim1, dim2, dim3, channels].
 *
 * @example
 * const layer = new Conv3D({ filters: 4, kernelSize: [3, 3, 3] });
 * const y = layer.apply(Input({ shape: [8, 8, 8, 1] })); // KerasTensor [null, 6, 6, 6, 4]
 */
export class Conv3D extends Conv {
  static override readonly className = 'Conv3D';
  static override readonly argsSchema: ArgsDeclaration = argKeys();

  constructor(args: Conv3DArgs) {
    super(3, args);
  }
}
