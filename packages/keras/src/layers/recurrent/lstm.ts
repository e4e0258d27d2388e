import { z } from 'zod';
import type { ActivationFn } from '../../activations/activation.js';
import { LSTMCell, zLSTMCellArgs, type LSTMCellArgs } from './lstm-cell.js';
import { CellRNN, cellLayerSchema } from './cell-rnn.js';
import type { RNNBaseArgs, ReturnStateArg } from './rnn.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';

const Args = cellLayerSchema({ ...zLSTMCellArgs });

/** The arguments of the layer: the recurrent layers' and its cell's (documented on their schemas). */
export interface LSTMArgs extends RNNBaseArgs, LSTMCellArgs, z.input<typeof Args> {}

/**
 * Long Short-Term Memory layer (Hochreiter 1997), Keras 2 semantics: gates i, f, c, o; weights
 * `lstm/lstm_cell/kernel` [input, 4*units], `recurrent_kernel` [units, 4*units], `bias` [4*units].
 * Defaults: activation tanh, recurrentActivation sigmoid, glorot_uniform / orthogonal / zeros,
 * unitForgetBias true.
 *
 * Call with `mask` ([batch, time]), `initialState` ([h, c]) and `training` (dropout).
 *
 * @example
 * const lstm = new LSTM({ units: 8, returnSequences: true });
 * const y = lstm.apply(Input({ shape: [20, 4] })); // KerasTensor [null, 20, 8]
 * const [out, h, c] = new LSTM({ units: 8, returnState: true }).apply(x);
 */
export class LSTM<S extends boolean = false> extends CellRNN<LSTMCell, S> {
  static override readonly className = 'LSTM';
  static override readonly argsSchema: ArgsDeclaration = Args;

  constructor(args: LSTMArgs & ReturnStateArg<S>) {
    super(args, Args, (cellArgs, trainable) => new LSTMCell({ ...(cellArgs as unknown as LSTMCellArgs), name: 'lstm_cell', trainable }));
  }

  get lstmCell(): LSTMCell {
    return this.ownCell;
  }

  get recurrentActivation(): ActivationFn {
    return this.ownCell.recurrentActivation;
  }
}
