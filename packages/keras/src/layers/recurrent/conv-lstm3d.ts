import { ConvLSTM, type ConvLSTMArgs } from './conv-lstm.js';
import type { ReturnStateArg } from './rnn.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/**
 * 3D convolutional LSTM: an LSTM whose input and recurrent products are 3D convolutions,
 * over inputs [batch, time, ...3 spatial dims, channels] (channels_last). Keras 2 defaults:
 * activation tanh, recurrentActivation 'hard_sigmoid' (clip(0.2x + 0.5, 0, 1)), padding 'valid',
 * unitForgetBias true. Weights `conv_lstm3d/conv_lstm_cell/kernel` [...kernelSize, channels,
 * 4*filters], `recurrent_kernel` [...kernelSize, filters, 4*filters], `bias` [4*filters].
 *
 * @example
 * const layer = new ConvLSTM3D({ filters: 4, kernelSize: 3, padding: 'same' });
 * const y = layer.apply(Input({ shape: [5, 8, 8, 8, 1] })); // KerasTensor [null, 8, 8, 8, 4]
 */
export class ConvLSTM3D<S extends boolean = false> extends ConvLSTM<S> {
  static override readonly className = 'ConvLSTM3D';
  static override readonly argsSchema: ArgsDeclaration = argKeys();
  constructor(args: ConvLSTMArgs & ReturnStateArg<S>) {
    super(3, args);
  }
}
