import { z } from 'zod';
import type { ActivationFn } from '../../activations/activation.js';
import { toRegularizer, zOptionalIdentifier } from '../../arguments/layer-arguments.js';
import { parseArgs } from '../../engine/layer.js';
import { cellArgsOf, layerConfigFromCell } from './cell-args.js';
import { LSTMCell, zLSTMCellArgs, type LSTMCellArgs } from './lstm-cell.js';
import { RNN, type RNNBaseArgs, type ReturnStateArg } from './rnn.js';
import { enterLayerArgs } from '../../engine/keras1-entry.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { keepWireMark } from '../../arguments/strict-args.js';

const Args = z.looseObject({
  ...zLSTMCellArgs,
  /** Regularizer applied to the layer's output. */
  activityRegularizer: zOptionalIdentifier,
});

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
export class LSTM<S extends boolean = false> extends RNN<S> {
  static override readonly className = 'LSTM';
  static override readonly argsSchema: ArgsDeclaration = Args;

  constructor(args: LSTMArgs & ReturnStateArg<S>) {
    // Keras 1 spellings are converted before the arguments are copied for Layer's constructor.
    args = enterLayerArgs(new.target.className, args);
    super(keepWireMark(args, { ...args, cell: undefined }) as RNNBaseArgs & ReturnStateArg<S>);
    const a = parseArgs(Args, args, this.label);
    this.activityRegularizer = toRegularizer(a.activityRegularizer);
    this.cell = new LSTMCell({ ...(cellArgsOf(args) as unknown as LSTMCellArgs), name: 'lstm_cell', trainable: this.trainable });
  }

  get lstmCell(): LSTMCell {
    return this.cell as LSTMCell;
  }

  get units(): number {
    return this.lstmCell.units;
  }

  get activation(): ActivationFn {
    return this.lstmCell.opts.activation;
  }

  get recurrentActivation(): ActivationFn {
    return this.lstmCell.recurrentActivation;
  }

  protected override exactInputRank(): number {
    return 3;
  }

  override getConfig(): Record<string, unknown> {
    return layerConfigFromCell(this.rnnConfig(), this.cell.getConfig(), this.activityRegularizer);
  }
}
