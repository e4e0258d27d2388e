import { z } from 'zod';
import { toRegularizer, zOptionalIdentifier } from '../../arguments/layer-arguments.js';
import { parseArgs } from '../../engine/layer.js';
import { cellArgsOf, layerConfigFromCell, type CellCommonArgs } from './cell-args.js';
import { ConvLSTMCell, ConvLSTMCellArgsSchema, type ConvLSTMCellArgs } from './conv-lstm-cell.js';
import { RNN, type RNNBaseArgs, type ReturnStateArg } from './rnn.js';
import { enterLayerArgs } from '../../engine/keras1-entry.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { keepWireMark } from '../../arguments/strict-args.js';

const Args = z.looseObject({
  /** Regularizer applied to the layer's output. */
  activityRegularizer: zOptionalIdentifier,
  unroll: z.literal(false, { message: 'unrolling is not possible with convolutional RNNs (Keras 2 refuses unroll=True)' }).optional(),
  timeMajor: z.literal(false, { message: 'convolutional RNNs take [batch, time, ...] inputs (time_major must be false)' }).optional(),
});

/** The arguments of the ConvLSTM layers: the recurrent layers', the cell's but `rank` (the class gives it), and their own. */
export interface ConvLSTMArgs extends RNNBaseArgs, CellCommonArgs, z.input<ReturnType<typeof ConvLSTMCellArgsSchema.omit<{ rank: true }>>> {
  /** Regularizer applied to the layer's output (`unroll` and `timeMajor`, which must be false, are checked when constructed). */
  activityRegularizer?: unknown;
}

/**
 * The base of ConvLSTM1D/2D/3D: an RNN over a `ConvLSTMCell` of the given rank. Inputs are
 * [batch, time, ...spatial, channels] (channels_last) or [batch, time, channels, ...spatial].
 *
 * @example
 * class MyConvLSTM2D extends ConvLSTM {
 *   constructor(args: ConvLSTMArgs) { super(2, args); }
 * }
 */
export abstract class ConvLSTM<S extends boolean = false> extends RNN<S> {
  // The cell's arguments (but its rank, which the class gives) are the layer's too.
  static override readonly argsSchema: ArgsDeclaration = argKeys(Args, ...Object.keys(ConvLSTMCell.argsSchema.shape).filter((k) => k !== 'rank'));
  constructor(rank: 1 | 2 | 3, args: ConvLSTMArgs & ReturnStateArg<S>) {
    // Keras 1 spellings are converted before the arguments are copied for Layer's constructor.
    args = enterLayerArgs(new.target.className, args);
    super(keepWireMark(args, { ...args, cell: undefined }) as RNNBaseArgs & ReturnStateArg<S>);
    const a = parseArgs(Args, args, this.label);
    this.activityRegularizer = toRegularizer(a.activityRegularizer);
    const cellArgs = cellArgsOf(args, ['filters', 'kernelSize', 'strides', 'padding', 'dataFormat', 'dilationRate']);
    this.cell = new ConvLSTMCell({ ...(cellArgs as unknown as ConvLSTMCellArgs), rank, name: 'conv_lstm_cell', trainable: this.trainable });
  }

  get convCell(): ConvLSTMCell {
    return this.cell as ConvLSTMCell;
  }

  get filters(): number {
    return this.convCell.filters;
  }

  protected override exactInputRank(): number {
    return this.convCell.rank + 3;
  }

  override getConfig(): Record<string, unknown> {
    const { rank: _rank, ...cellConfig } = this.cell.getConfig();
    return layerConfigFromCell(this.rnnConfig(), cellConfig, this.activityRegularizer);
  }
}
