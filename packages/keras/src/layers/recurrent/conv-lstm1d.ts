import { ConvLSTM, type ConvLSTMArgs } from './conv-lstm.js';
import type { ReturnStateArg } from './rnn.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/**
 * 1D convolutional LSTM: an LSTM whose input and recurrent products are 1D convolutions,
 * over inputs [batch, time, ...1 spatial dims, channels] (channels_last). Keras 2 defaults:
 * activation tanh, recurrentActivation 'hard_sigmoid' (clip(0.2x + 0.5, 0, 1)), padding 'valid',
 * unitForgetBias true. Weights `conv_lstm1d/conv_lstm_cell/kernel` [...kernelSize, channels,
 * 4*filters], `recurrent_kernel` [...kernelSize, filters, 4*filters], `bias` [4*filters].
 *
 * @example
 * const layer = new ConvLSTM1D({ filters: 4, kernelSize: 3, padding: 'same' });
 * const y = layer.apply(Input({ shape: [5, 16, 3] }) // [batch, time, steps, channels]); // KerasTensor [null, 16, 4]
 */
export class ConvLSTM1D<S extends boolean = false> extends ConvLSTM<S> {
  static override readonly className = 'ConvLSTM1D';
  static override readonly argsSchema: ArgsDeclaration = argKeys();
  constructor(args: ConvLSTMArgs & ReturnStateArg<S>) {
    super(1, args);
  }
}
