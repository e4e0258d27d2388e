import { fmtShape } from '@keras-ts/spec';
import type { Tensor } from '../tensor.js';
import { getArg } from './arg-names.js';
import { concatLast, flipSpatial, reshape, takeAxis1, transpose } from './host-arrays.js';
import { KerasConfigError, KerasValueError } from '../errors.js';

/** How the weights being converted were saved. */
export interface Keras1WeightOptions {
  /**
   * The Keras version that saved them; Keras 1 layouts are converted when it is '1' or starts with
   * '1.' (the default, as Keras 2 assumes '1' for weight groups without a `keras_version`).
   */
  originalKerasVersion?: string | null;
  /**
   * The backend that saved them (the HDF5 attribute `backend`). 'theano' kernels of Conv1D, Conv2D,
   * Conv3D, Conv2DTranspose and ConvLSTM2D are flipped (`convert_kernel`), as Keras 2 does when
   * loading Theano weights on TensorFlow; unknown or absent: no flip (Keras 2 too).
   */
  originalBackend?: string | null;
  /**
   * The shapes of the target layer's weights, when known: a convolution kernel that still does
   * not match after conversion is transposed (3, 2, 0, 1), or reshaped with `reshape`, as Keras 2's
   * last step does.
   */
  targetShapes?: readonly (readonly number[])[] | null;
  /** Keras 2's `reshape` argument of weight loading. */
  reshape?: boolean;
}

/** Keras 1 class names (and Keras 2 aliases) as the Keras 2 class that loads them. */
const CLASS_NAMES: Readonly<Record<string, string>> = {
  Convolution1D: 'Conv1D',
  AtrousConvolution1D: 'Conv1D',
  AtrousConv1D: 'Conv1D',
  Convolution2D: 'Conv2D',
  AtrousConvolution2D: 'Conv2D',
  AtrousConv2D: 'Conv2D',
  Convolution3D: 'Conv3D',
  Deconvolution2D: 'Conv2DTranspose',
  Deconv2D: 'Conv2DTranspose',
  Convolution2DTranspose: 'Conv2DTranspose',
  Deconvolution3D: 'Conv3DTranspose',
  Deconv3D: 'Conv3DTranspose',
  Convolution3DTranspose: 'Conv3DTranspose',
  SeparableConvolution2D: 'SeparableConv2D',
};

const CONV_LAYERS = new Set(['Conv1D', 'Conv2D', 'Conv3D', 'Conv2DTranspose', 'ConvLSTM2D']);

function dataFormatOf(config: Record<string, unknown>): 'channels_first' | 'channels_last' {
  const df = getArg(config, 'data_format');
  if (df === 'channels_first') return 'channels_first';
  if (df === 'channels_last') return 'channels_last';
  return getArg(config, 'dim_ordering') === 'th' ? 'channels_first' : 'channels_last';
}

function firstOf(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (Array.isArray(v) && typeof v[0] === 'number') return v[0];
  return undefined;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return fmtShape(a) === fmtShape(b);
}

function innerLayer(className: string, config: Record<string, unknown>): { className: string; config: Record<string, unknown> } {
  const inner = config.layer as { class_name?: string; config?: Record<string, unknown> } | undefined;
  if (!inner || typeof inner.class_name !== 'string') throw new KerasConfigError('BAD_CONFIG', `convertKeras1Weights: the ${className} config has no 'layer' ({class_name, config}) to convert the weights of`);
  return { className: inner.class_name, config: inner.config ?? {} };
}

function check(cond: boolean, message: string): void {
  if (!cond) throw new KerasValueError(`convertKeras1Weights: ${message}`);
}

/**
 * Converts one layer's stored weights from Keras 1 layouts to Keras 2's, as Keras 2.2.4's
 * `preprocess_weights_for_loading` (keras/engine/saving.py) does when it loads a Keras 1 file:
 *
 * - LSTM stored as 12 per-gate arrays (W_i, U_i, b_i, W_c, U_c, b_c, W_f, U_f, b_f, W_o, U_o, b_o)
 *   -> kernel, recurrent_kernel, bias with the gates in Keras 2's i, f, c, o order; GRU's 9
 *   arrays (z, r, h) -> 3; ConvLSTM2D's 12 likewise ('th' kernels per gate to (rows, cols, in, filters));
 * - 'th'-ordered (channels_first) convolution kernels (filters, in, rows, cols) -> (rows, cols, in,
 *   filters); Conv3D likewise; Conv2DTranspose kernels to (rows, cols, filters, in); Convolution1D
 *   kernels of Keras 1.1 (filters, in, length, 1) and 1.2 (length, 1, in, filters) -> (length, in,
 *   filters);
 * - Bidirectional: the first half of the weights are the forward layer's, the second half the
 *   backward layer's, each converted as its layer; TimeDistributed: the wrapped layer's;
 * - with `originalBackend: 'theano'`, convolution kernels flipped (Keras' `convert_kernel`).
 *
 * Other layers' weights come back as they are (Keras 1 and 2 agree on them). The class name and
 * config may be Keras 1's (`Convolution2D`, `dim_ordering: 'th'`, `nb_filter`) or Keras 2's.
 * Nested models are not converted here: convert each of their layers with its own config.
 *
 * @example
 * // A Keras 1 LSTM stored per gate:
 * const [kernel, recurrentKernel, bias] = convertKeras1Weights('LSTM', { output_dim: 4 }, twelveArrays);
 */
export function convertKeras1Weights(layerClassName: string, layerConfig: Record<string, unknown>, weights: readonly Tensor[], options: Keras1WeightOptions = {}): Tensor[] {
  const cls = CLASS_NAMES[layerClassName] ?? layerClassName;
  const config = layerConfig ?? {};
  let w = [...weights];
  const version = options.originalKerasVersion ?? '1';
  const keras1 = version === '1' || version.startsWith('1.');
  const nested = { ...options, targetShapes: null };

  if (cls === 'Bidirectional') {
    check(w.length % 2 === 0, `Bidirectional layer '${String(config.name ?? '')}' has an odd number of weights (${w.length}): expected the forward layer's then the backward layer's`);
    const inner = innerLayer(cls, config);
    const half = w.length / 2;
    return [...convertKeras1Weights(inner.className, inner.config, w.slice(0, half), nested), ...convertKeras1Weights(inner.className, inner.config, w.slice(half), nested)];
  }
  if (cls === 'TimeDistributed') {
    const inner = innerLayer(cls, config);
    return convertKeras1Weights(inner.className, inner.config, w, { ...options, targetShapes: options.targetShapes ?? null });
  }
  if (cls === 'Model' || cls === 'Sequential' || cls === 'Functional') {
    throw new KerasValueError(`convertKeras1Weights: '${String(config.name ?? cls)}' is a nested ${cls}; convert the weights of each of its layers with that layer's config`);
  }

  if (keras1 && w.length) {
    const channelsFirst = dataFormatOf(config) === 'channels_first';
    if (cls === 'Conv1D' && w[0].rank === 4) {
      const s = w[0].shape;
      const k = firstOf(getArg(config, 'kernel_size')) ?? firstOf(getArg(config, 'filter_length'));
      const filters = (getArg(config, 'filters') ?? getArg(config, 'nb_filter')) as number | undefined;
      const isKeras12 = (k === undefined || s[0] === k) && s[1] === 1 && (filters === undefined || s[3] === filters);
      if (!isKeras12) {
        // Keras 1.1: (filters, input_dim, filter_length, 1).
        check(s[3] === 1 && (filters === undefined || s[0] === filters) && (k === undefined || s[2] === k), `Conv1D kernel of shape ${fmtShape(s)} is neither Keras 1.2's (${k ?? 'length'}, 1, in, ${filters ?? 'filters'}) nor Keras 1.1's (${filters ?? 'filters'}, in, ${k ?? 'length'}, 1)`);
        w[0] = transpose(w[0], [2, 3, 1, 0]);
      }
      w[0] = takeAxis1(w[0], 0);
    }
    if (cls === 'Conv2D' && channelsFirst && w[0].rank === 4) w[0] = transpose(w[0], [2, 3, 1, 0]);
    if (cls === 'Conv2DTranspose' && w[0].rank === 4) w[0] = transpose(w[0], channelsFirst ? [2, 3, 0, 1] : [0, 1, 3, 2]);
    if (cls === 'Conv3D' && channelsFirst && w[0].rank === 5) w[0] = transpose(w[0], [2, 3, 4, 1, 0]);
    if (cls === 'GRU' && w.length === 9) {
      w = [concatLast([w[0], w[3], w[6]]), concatLast([w[1], w[4], w[7]]), concatLast([w[2], w[5], w[8]])];
    }
    if ((cls === 'LSTM' || cls === 'ConvLSTM2D') && w.length === 12) {
      // Keras 1 stored the gates i, c, f, o; Keras 2 concatenates them i, f, c, o. A 'th'
      // ConvLSTM2D kernel (filters, in, rows, cols) is brought to (rows, cols, in, filters) gate by
      // gate first (Keras 2.2 transposed after concatenating on the last axis, which mixes gates
      // into the columns; the gates belong on the filters axis).
      const gates = cls === 'ConvLSTM2D' && channelsFirst ? w.map((t) => (t.rank === 4 ? transpose(t, [2, 3, 1, 0]) : t)) : w;
      w = [concatLast([gates[0], gates[6], gates[3], gates[9]]), concatLast([gates[1], gates[7], gates[4], gates[10]]), concatLast([gates[2], gates[8], gates[5], gates[11]])];
    }
  }

  if (CONV_LAYERS.has(cls) && w.length) {
    if (options.originalBackend === 'theano') {
      w[0] = flipSpatial(w[0]);
      if (cls === 'ConvLSTM2D' && w[1]) w[1] = flipSpatial(w[1]);
    }
    const target = options.targetShapes?.[0];
    if (target && !sameShape(target, w[0].shape)) {
      if (options.reshape) w[0] = reshape(w[0], target);
      else if (w[0].rank === 4) {
        w[0] = transpose(w[0], [3, 2, 0, 1]);
        if (cls === 'ConvLSTM2D' && w[1]?.rank === 4) w[1] = transpose(w[1], [3, 2, 0, 1]);
      }
    }
  }
  return w;
}
