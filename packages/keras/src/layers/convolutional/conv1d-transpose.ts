import { ConvTranspose, type ConvTransposeArgs } from './conv-transpose.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of Conv1DTranspose. */
export type Conv1DTransposeArgs = ConvTransposeArgs;

/**
 * Transposed 1D convolution (sometimes called deconvolution): the adjoint of a Conv1D in its input.
 * Kernel [...kernel_size, filters, in_channels]; channels-last inputs [batch, steps, channels].
 *
 * @example
 * const layer = new Conv1DTranspose({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' });
 * const y = layer.apply(Input({ shape: [10, 8] })); // KerasTensor [null, 20, 4]
 */
export class Conv1DTranspose extends ConvTranspose {
  static override readonly className = 'Conv1DTranspose';
  static override readonly argsSchema: ArgsDeclaration = argKeys();

  constructor(args: Conv1DTransposeArgs) {
    super(1, args);
  }
}
