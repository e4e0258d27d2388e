/**
 * The argument schemas and config writers shared by the recurrent cells and the layers built on
 * them (SimpleRNN, LSTM, GRU, ConvLSTM2D).
 */
import { z } from 'zod';
import { serializeActivation, type ActivationFn } from '../../activations/activation.js';
import { serializeOptional, toActivation, toConstraint, toInitializer, toRegularizer, zActivationArg, zOptionalIdentifier } from '../../arguments/layer-arguments.js';
import { serialize } from '../../serialization/registry.js';
import type { LayerArgs } from '../../engine/layer.js';
import { clipRate } from './rnn-utils.js';

export const zRate = z.number().transform(clipRate);

/** Arguments of every cell: activation, initializers, regularizers, constraints, dropout. */
export const zCellCommon = {
  activation: zActivationArg,
  useBias: z.boolean().default(true),
  kernelInitializer: zOptionalIdentifier,
  recurrentInitializer: zOptionalIdentifier,
  biasInitializer: zOptionalIdentifier,
  kernelRegularizer: zOptionalIdentifier,
  recurrentRegularizer: zOptionalIdentifier,
  biasRegularizer: zOptionalIdentifier,
  kernelConstraint: zOptionalIdentifier,
  recurrentConstraint: zOptionalIdentifier,
  biasConstraint: zOptionalIdentifier,
  /** Fraction of the inputs to drop at training time (the same mask at every step). */
  dropout: zRate.default(0),
  /** Fraction of the recurrent state to drop at training time (the same mask at every step). */
  recurrentDropout: zRate.default(0),
  /** Keras 3 configs carry a seed for the dropout masks; the masks here are drawn per run. */
  seed: z.number().int().nullable().optional(),
};

export const zUnits = z.number().int().positive();
export const zImplementation = z.union([z.literal(0), z.literal(1), z.literal(2)]).default(2);

/** The camelCase arguments shared by every cell and recurrent layer (documented on `zCellCommon`). */
export interface CellCommonArgs extends LayerArgs, z.input<z.ZodObject<typeof zCellCommon>> {}

type Parsed = z.output<z.ZodObject<typeof zCellCommon>>;

/** The resolved (instantiated) common cell arguments. */
export function resolveCommon(a: Parsed, defaultActivation: string) {
  return {
    activation: toActivation(a.activation === undefined ? defaultActivation : (a.activation as string | null)),
    useBias: a.useBias,
    kernelInitializer: toInitializer(a.kernelInitializer, 'glorot_uniform'),
    recurrentInitializer: toInitializer(a.recurrentInitializer, 'orthogonal'),
    biasInitializer: toInitializer(a.biasInitializer, 'zeros'),
    kernelRegularizer: toRegularizer(a.kernelRegularizer),
    recurrentRegularizer: toRegularizer(a.recurrentRegularizer),
    biasRegularizer: toRegularizer(a.biasRegularizer),
    kernelConstraint: toConstraint(a.kernelConstraint),
    recurrentConstraint: toConstraint(a.recurrentConstraint),
    biasConstraint: toConstraint(a.biasConstraint),
    dropout: a.dropout,
    recurrentDropout: a.recurrentDropout,
  };
}

export type ResolvedCommon = ReturnType<typeof resolveCommon>;

/**
 * A cell's config entries from `activation` to `recurrent_dropout` (Keras 2 order and spellings),
 * with `recurrent_activation` and `unit_forget_bias` for the cells that have them.
 */
export function cellConfig(c: ResolvedCommon, gates: { recurrentActivation?: ActivationFn; unitForgetBias?: boolean } = {}): Record<string, unknown> {
  return {
    activation: serializeActivation(c.activation),
    ...(gates.recurrentActivation === undefined ? {} : { recurrent_activation: serializeActivation(gates.recurrentActivation) }),
    use_bias: c.useBias,
    kernel_initializer: serialize(c.kernelInitializer),
    recurrent_initializer: serialize(c.recurrentInitializer),
    bias_initializer: serialize(c.biasInitializer),
    ...(gates.unitForgetBias === undefined ? {} : { unit_forget_bias: gates.unitForgetBias }),
    kernel_regularizer: serializeOptional(c.kernelRegularizer),
    recurrent_regularizer: serializeOptional(c.recurrentRegularizer),
    bias_regularizer: serializeOptional(c.biasRegularizer),
    kernel_constraint: serializeOptional(c.kernelConstraint),
    recurrent_constraint: serializeOptional(c.recurrentConstraint),
    bias_constraint: serializeOptional(c.biasConstraint),
    dropout: c.dropout,
    recurrent_dropout: c.recurrentDropout,
  };
}

/** The cell arguments a recurrent layer passes on to its cell (everything but the layer's own). */
export function cellArgsOf<T extends Record<string, unknown>>(args: T, extra: readonly string[] = []): Record<string, unknown> {
  const keys = [
    'units',
    'activation',
    'recurrentActivation',
    'useBias',
    'kernelInitializer',
    'recurrentInitializer',
    'biasInitializer',
    'unitForgetBias',
    'kernelRegularizer',
    'recurrentRegularizer',
    'biasRegularizer',
    'kernelConstraint',
    'recurrentConstraint',
    'biasConstraint',
    'dropout',
    'recurrentDropout',
    'implementation',
    'resetAfter',
    'seed',
    ...extra,
  ];
  const out: Record<string, unknown> = {};
  for (const k of keys) if (args[k] !== undefined) out[k] = args[k];
  return out;
}

/**
 * A recurrent layer's config (Keras 2 order): the RNN keys, then the cell's own keys with
 * `activity_regularizer` after `bias_regularizer`.
 */
export function layerConfigFromCell(
  rnnConfig: Record<string, unknown>,
  cellConfig: Record<string, unknown>,
  activityRegularizer: Parameters<typeof serializeOptional>[0],
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...rnnConfig };
  for (const [k, v] of Object.entries(cellConfig)) {
    if (k === 'name' || k === 'trainable' || k === 'dtype' || k === 'batch_input_shape') continue;
    out[k] = v;
    if (k === 'bias_regularizer') out.activity_regularizer = serializeOptional(activityRegularizer);
  }
  return out;
}
