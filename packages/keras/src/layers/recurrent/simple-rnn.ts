import { z } from 'zod';
import { zCellCommon, zUnits } from './cell-args.js';
import { CellRNN, cellLayerSchema } from './cell-rnn.js';
import type { RNNBaseArgs, ReturnStateArg } from './rnn.js';
import { SimpleRNNCell, type SimpleRNNCellArgs } from './simple-rnn-cell.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';

const Args = cellLayerSchema({ units: zUnits, ...zCellCommon });

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
export class SimpleRNN<S extends boolean = false> extends CellRNN<SimpleRNNCell, S> {
  static override readonly className = 'SimpleRNN';
  static override readonly argsSchema: ArgsDeclaration = Args;

  constructor(args: SimpleRNNArgs & ReturnStateArg<S>) {
    super(args, Args, (cellArgs, trainable) => new SimpleRNNCell({ ...(cellArgs as unknown as SimpleRNNCellArgs), name: 'simple_rnn_cell', trainable }));
  }

  get simpleRnnCell(): SimpleRNNCell {
    return this.ownCell;
  }
}
