import { ConvTranspose, type ConvTransposeArgs } from './conv-transpose.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of Conv3DTranspose. */
export type Conv3DTransposeArgs = ConvTransposeArgs;

/**
 * Transposed 3D convolution (sometimes called deconvolution): the adjoint of a Conv3D in its input.
 * Kernel [...kernel_size, filters, in_channels]; channels-last inputs [batch, dim1, dim2, dim3, channels].
 *
 * @example
 * const layer = new Conv3DTranspose({ filters: 2, kernelSize: 2, strides: 2 });
 * const y = layer.apply(Input({ shape: [4, 4, 4, 8] })); // KerasTensor [null, 8, 8, 8, 2]
 */
export class Conv3DTranspose extends ConvTranspose {
  static override readonly className = 'Conv3DTranspose';
  static override readonly argsSchema: ArgsDeclaration = argKeys();

  constructor(args: Conv3DTransposeArgs) {
    super(3, args);
  }
}
