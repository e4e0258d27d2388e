import { ConvTranspose, type ConvTransposeArgs } from './conv-transpose.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of Conv2DTranspose. */
export type Conv2DTransposeArgs = ConvTransposeArgs;

/**
 * Transposed 2D convolution (sometimes called deconvolution): the adjoint of a Conv2D in its input.
 * Kernel [...kernel_size, filters, in_channels]; channels-last inputs [batch, rows, cols, channels].
 *
 * @example
 * const layer = new Conv2DTranspose({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' });
 * const y = layer.apply(Input({ shape: [16, 16, 32] })); // KerasTensor [null, 32, 32, 8]
 */
export class Conv2DTranspose extends ConvTranspose {
  static override readonly className = 'Conv2DTranspose';
  static override readonly argsSchema: ArgsDeclaration = argKeys();

  constructor(args: Conv2DTransposeArgs) {
    super(2, args);
  }
}
