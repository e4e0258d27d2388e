import { z } from 'zod';
import type { ActivationFn } from '../../activations/activation.js';
import { GRUCell, zGRUCellArgs, type GRUCellArgs } from './gru-cell.js';
import { CellRNN, cellLayerSchema } from './cell-rnn.js';
import type { RNNBaseArgs, ReturnStateArg } from './rnn.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';

const Args = cellLayerSchema({ ...zGRUCellArgs });

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
export class GRU<S extends boolean = false> extends CellRNN<GRUCell, S> {
  static override readonly className = 'GRU';
  static override readonly argsSchema: ArgsDeclaration = Args;

  constructor(args: GRUArgs & ReturnStateArg<S>) {
    super(args, Args, (cellArgs, trainable) => new GRUCell({ ...(cellArgs as unknown as GRUCellArgs), name: 'gru_cell', trainable }));
  }

  get gruCell(): GRUCell {
    return this.ownCell;
  }

  get recurrentActivation(): ActivationFn {
    return this.ownCell.recurrentActivation;
  }

  get resetAfter(): boolean {
    return this.ownCell.resetAfter;
  }
}
