import { z } from 'zod';
import type { ActivationFn } from '../../activations/activation.js';
import { toRegularizer, zOptionalIdentifier } from '../../arguments/layer-arguments.js';
import { parseArgs } from '../../engine/layer.js';
import { cellArgsOf, layerConfigFromCell, zCellCommon, zUnits } from './cell-args.js';
import { RNN, type RNNBaseArgs, type ReturnStateArg } from './rnn.js';
import { SimpleRNNCell, type SimpleRNNCellArgs } from './simple-rnn-cell.js';
import { enterLayerArgs } from '../../engine/keras1-entry.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { keepWireMark } from '../../arguments/strict-args.js';

const Args = z.looseObject({
  units: zUnits, ...zCellCommon,
  /** Regularizer applied to the layer's output. */
  activityRegularizer: zOptionalIdentifier,
});

/** The arguments of the layer: the recurrent layers' and its cell's (documented on their schemas). */
export interface SimpleRNNArgs extends RNNBaseArgs, SimpleRNNCellArgs, z.input<typeof Args> {}

/**
 * Fully connected RNN whose output is fed back as its state:
 * `h_t = activation(x_t·kernel + bias + h_{t-1}·recurrent_kernel)`. Weights
 * `simple_rnn/simple_rnn_cell/kernel` [input, units], `recurrent_kernel` [units, units],
 * `bias` [units]. Defaults: activation tanh, glorot_uniform / orthogonal / zeros.
 *
 * @example
 * const rnn = new SimpleRNN({ units: 4, returnSequences: true });
 * const y = rnn.apply(Input({ shape: [10, 3] })); // KerasTensor [null, 10, 4]
 */
export class SimpleRNN<S extends boolean = false> extends RNN<S> {
  static override readonly className = 'SimpleRNN';
  static override readonly argsSchema: ArgsDeclaration = Args;

  constructor(args: SimpleRNNArgs & ReturnStateArg<S>) {
    // Keras 1 spellings are converted before the arguments are copied for Layer's constructor.
    args = enterLayerArgs(new.target.className, args);
    super(keepWireMark(args, { ...args, cell: undefined }) as RNNBaseArgs & ReturnStateArg<S>);
    const a = parseArgs(Args, args, this.label);
    this.activityRegularizer = toRegularizer(a.activityRegularizer);
    this.cell = new SimpleRNNCell({ ...(cellArgsOf(args) as unknown as SimpleRNNCellArgs), name: 'simple_rnn_cell', trainable: this.trainable });
  }

  get simpleRnnCell(): SimpleRNNCell {
    return this.cell as SimpleRNNCell;
  }

  get units(): number {
    return this.simpleRnnCell.units;
  }

  get activation(): ActivationFn {
    return this.simpleRnnCell.opts.activation;
  }

  protected override exactInputRank(): number {
    return 3;
  }

  override getConfig(): Record<string, unknown> {
    return layerConfigFromCell(this.rnnConfig(), this.cell.getConfig(), this.activityRegularizer);
  }
}
