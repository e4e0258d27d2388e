import { z } from 'zod';
import type { ActivationFn } from '../../activations/activation.js';
import { toRegularizer, zOptionalIdentifier } from '../../arguments/layer-arguments.js';
import { parseArgs } from '../../engine/layer.js';
import { cellArgsOf, layerConfigFromCell } from './cell-args.js';
import { GRUCell, zGRUCellArgs, type GRUCellArgs } from './gru-cell.js';
import { RNN, type RNNBaseArgs, type ReturnStateArg } from './rnn.js';
import { enterLayerArgs } from '../../engine/keras1-entry.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { keepWireMark } from '../../arguments/strict-args.js';

const Args = z.looseObject({
  ...zGRUCellArgs,
  /** Regularizer applied to the layer's output. */
  activityRegularizer: zOptionalIdentifier,
});

/** The arguments of the layer: the recurrent layers' and its cell's (documented on their schemas). */
export interface GRUArgs extends RNNBaseArgs, GRUCellArgs, z.input<typeof Args> {}

/**
 * Gated Recurrent Unit layer (Cho et al. 2014), Keras 2 semantics: gates z, r, h; weights
 * `gru/gru_cell/kernel` [input, 3*units], `recurrent_kernel` [units, 3*units], `bias`
 * [2, 3*units] with `resetAfter` (the Keras 2 default) or [3*units] without.
 * Defaults: activation tanh, recurrentActivation sigmoid, glorot_uniform / orthogonal / zeros.
 *
 * Call with `mask` ([batch, time]), `initialState` ([h]) and `training` (dropout).
 *
 * @example
 * const gru = new GRU({ units: 8 });
 * const y = gru.apply(Input({ shape: [20, 4] })); // KerasTensor [null, 8]
 */
export class GRU<S extends boolean = false> extends RNN<S> {
  static override readonly className = 'GRU';
  static override readonly argsSchema: ArgsDeclaration = Args;

  constructor(args: GRUArgs & ReturnStateArg<S>) {
    // Keras 1 spellings are converted before the arguments are copied for Layer's constructor.
    args = enterLayerArgs(new.target.className, args);
    super(keepWireMark(args, { ...args, cell: undefined }) as RNNBaseArgs & ReturnStateArg<S>);
    const a = parseArgs(Args, args, this.label);
    this.activityRegularizer = toRegularizer(a.activityRegularizer);
    this.cell = new GRUCell({ ...(cellArgsOf(args) as unknown as GRUCellArgs), name: 'gru_cell', trainable: this.trainable });
  }

  get gruCell(): GRUCell {
    return this.cell as GRUCell;
  }

  get units(): number {
    return this.gruCell.units;
  }

  get activation(): ActivationFn {
    return this.gruCell.opts.activation;
  }

  get recurrentActivation(): ActivationFn {
    return this.gruCell.recurrentActivation;
  }

  get resetAfter(): boolean {
    return this.gruCell.resetAfter;
  }

  protected override exactInputRank(): number {
    return 3;
  }

  override getConfig(): Record<string, unknown> {
    return layerConfigFromCell(this.rnnConfig(), this.cell.getConfig(), this.activityRegularizer);
  }
}
