import { z } from 'zod';
import type { ActivationFn } from '../../activations/activation.js';
import { keepWireMark } from '../../arguments/strict-args.js';
import { toRegularizer, zOptionalIdentifier } from '../../arguments/layer-arguments.js';
import { enterLayerArgs } from '../../engine/keras1-entry.js';
import { parseArgs } from '../../engine/layer.js';
import { cellArgsOf, layerConfigFromCell } from './cell-args.js';
import type { RecurrentCell } from './recurrent-cell.js';
import { RNN, type RNNBaseArgs, type ReturnStateArg } from './rnn.js';

/** A layer's schema: its cell's arguments and `activityRegularizer`. */
type CellLayerSchema = z.ZodObject<{ activityRegularizer: typeof zOptionalIdentifier }>;

/** The schema of a layer over a cell: the cell's arguments (`cellShape`) and the layer's `activityRegularizer`. */
export function cellLayerSchema<T extends z.ZodRawShape>(cellShape: T) {
  return z.looseObject({
    ...cellShape,
    /** Regularizer applied to the layer's output. */
    activityRegularizer: zOptionalIdentifier,
  });
}

/**
 * What SimpleRNN, LSTM and GRU share: an RNN over a cell of their own kind, made from the
 * cell's arguments given to the layer (Keras 1 spellings converted first), the layer's
 * arguments checked against its schema, `units` and `activation` read from the cell, inputs of
 * rank 3, and a config that is the RNN's keys and the cell's arguments flattened (Keras 2's).
 */
export abstract class CellRNN<C extends RecurrentCell & { readonly units: number }, S extends boolean = false> extends RNN<S> {
  readonly #cell: C;

  /** `makeCell` gets the cell's arguments picked from the layer's, and the layer's `trainable`. */
  constructor(args: RNNBaseArgs & ReturnStateArg<S>, schema: CellLayerSchema, makeCell: (cellArgs: Record<string, unknown>, trainable: boolean) => C) {
    // Keras 1 spellings are converted before the arguments are copied for Layer's constructor.
    args = enterLayerArgs(new.target.className, args);
    super(keepWireMark(args, { ...args, cell: undefined }) as RNNBaseArgs & ReturnStateArg<S>);
    this.activityRegularizer = toRegularizer(parseArgs(schema, args, this.label).activityRegularizer);
    this.#cell = makeCell(cellArgsOf(args), this.trainable);
    this.cell = this.#cell;
  }

  /** The layer's cell, typed. */
  protected get ownCell(): C {
    return this.#cell;
  }

  get units(): number {
    return this.#cell.units;
  }

  get activation(): ActivationFn {
    return this.#cell.opts.activation;
  }

  protected override exactInputRank(): number {
    return 3;
  }

  override getConfig(): Record<string, unknown> {
    return layerConfigFromCell(this.rnnConfig(), this.cell.getConfig(), this.activityRegularizer);
  }
}
