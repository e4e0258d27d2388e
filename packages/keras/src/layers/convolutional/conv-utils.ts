import { z } from 'zod';
import type { SymbolicShape } from '../../engine/keras-tensor.js';
import { KerasNotImplementedError, KerasValueError } from '../../errors.js';

/**
 * Argument helpers shared by the convolution and pooling layers: Keras 2's `conv_utils`
 * (`normalize_tuple`, `normalize_padding`, `normalize_data_format`, `conv_output_length`,
 * `deconv_output_length`), with errors that name the layer, the argument and the value.
 */

/** An integer or a list of integers (`kernel_size`, `strides`, `dilation_rate`, `pool_size`). */
export const zIntOrList = z.union([z.number().int(), z.array(z.number().int())]);

/** Padding as given: a string, checked and lower-cased by {@link normalizePadding}. */
export const zPaddingArg = z.string();

/** `data_format` as given: a string or null (Keras' default, channels_last). */
export const zDataFormatArg = z.string().nullable().optional();

/** Padding modes of the convolution and pooling layers. */
export type PaddingMode = 'valid' | 'same' | 'causal';

/**
 * An integer or a list of `n` integers as a list of `n` integers (Keras' `normalize_tuple`);
 * each at least `min`.
 */
export function normalizeTuple(value: number | readonly number[], n: number, arg: string, what: string, min = 1): number[] {
  const list = typeof value === 'number' ? new Array<number>(n).fill(value) : [...value];
  if (list.length !== n || list.some((v) => !Number.isInteger(v) || v < min)) {
    throw new KerasValueError(`${what}: argument '${arg}' got ${JSON.stringify(value)}: expected an integer or a list of ${n} integer(s), each >= ${min}`);
  }
  return list;
}

/** Lower-cases a padding mode and checks it is one of `allowed`. */
export function normalizePadding(value: string, allowed: readonly PaddingMode[], what: string, arg = 'padding'): PaddingMode {
  const p = value.toLowerCase();
  if (!(allowed as readonly string[]).includes(p)) {
    const extra = p === 'causal' ? ` ('causal' padding is only supported by Conv1D and SeparableConv1D)` : '';
    throw new KerasValueError(`${what}: argument '${arg}' got ${JSON.stringify(value)}: expected one of ${allowed.map((a) => `'${a}'`).join(', ')}${extra}`);
  }
  return p as PaddingMode;
}

/**
 * Checks `data_format`: null means Keras' default (`channels_last`); `channels_first` is refused
 * (these layers compute channels-last only).
 */
export function normalizeDataFormat(value: string | null | undefined, what: string): 'channels_last' {
  if (value === null || value === undefined) return 'channels_last';
  const f = value.toLowerCase();
  if (f === 'channels_last') return 'channels_last';
  if (f === 'channels_first') {
    throw new KerasNotImplementedError(
      `${what}: argument 'dataFormat' got "channels_first": only 'channels_last' is supported (inputs [batch, ...spatial, channels]); ` +
        `transpose channels-first data to channels-last first (e.g. with a Permute layer)`,
    );
  }
  throw new KerasValueError(`${what}: argument 'dataFormat' got ${JSON.stringify(value)}: expected 'channels_last' (or 'channels_first', which is not supported)`);
}

/** Refuses a Keras 3 `lora_rank` other than null (LoRA is not part of Keras 2). */
export function refuseLora(value: unknown, what: string): void {
  if (value !== null && value !== undefined) {
    throw new KerasNotImplementedError(`${what}: argument 'loraRank' (Keras 3 'lora_rank') got ${JSON.stringify(value)}: LoRA is not supported (Keras 2 has no LoRA); expected null`);
  }
}

/** The extent of a dilated window: (k - 1) * dilation + 1. */
export function dilatedSize(k: number, dilation: number): number {
  return (k - 1) * dilation + 1;
}

/** Keras' `conv_output_length`: the output length of a convolution or pooling window (null stays null). */
export function convOutputLength(length: number | null, k: number, padding: PaddingMode, stride: number, dilation = 1): number | null {
  if (length === null) return null;
  const span = padding === 'valid' ? length - dilatedSize(k, dilation) + 1 : length;
  return Math.floor((span + stride - 1) / stride);
}

/** Keras' `deconv_output_length`: the output length of a transposed convolution (null stays null). */
export function deconvOutputLength(length: number | null, k: number, padding: PaddingMode, outputPadding: number | null, stride: number, dilation = 1): number | null {
  if (length === null) return null;
  const ek = dilatedSize(k, dilation);
  if (outputPadding === null) {
    return padding === 'valid' ? length * stride + Math.max(ek - stride, 0) : length * stride;
  }
  const pad = padding === 'same' ? Math.floor(ek / 2) : 0;
  return (length - 1) * stride + ek - 2 * pad + outputPadding;
}

/** A shape for messages: `[null, 7, 3]`. */
export function fmtSymShape(shape: SymbolicShape): string {
  return `[${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;
}
