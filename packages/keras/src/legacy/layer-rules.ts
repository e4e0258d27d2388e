import { camelKey, findKey, hasArg, takeArg } from './arg-names.js';
import type { Preprocessor, Rules } from './convert.js';
import { warnOnce } from './warnings.js';
import { KerasTypeError } from '../errors.js';

/**
 * Keras 1 -> Keras 2 argument conversions per layer class, as Keras 2.2.4's
 * `keras/legacy/interfaces.py` decorators apply them to the layers' constructors. Names are
 * snake_case here; the arguments object may spell them in camelCase (see `spellings`).
 */

const DIM_ORDERING = { dim_ordering: { tf: 'channels_last', th: 'channels_first', default: null } } as const;

/** Keras 1 `dim_ordering` -> Keras 2 `data_format` ('tf' -> 'channels_last', 'th' -> 'channels_first'). */
const dimOrdering: Pick<Rules, 'values' | 'renames'> = { values: DIM_ORDERING, renames: [['dim_ordering', 'data_format']] };

/** The weight arguments every Keras 1 layer with a kernel and a bias had. */
const kernelAndBias = [
  ['init', 'kernel_initializer'],
  ['W_regularizer', 'kernel_regularizer'],
  ['b_regularizer', 'bias_regularizer'],
  ['W_constraint', 'kernel_constraint'],
  ['b_constraint', 'bias_constraint'],
  ['bias', 'use_bias'],
] as const;

/** Recurrent layers: `forget_bias_init` and `input_dim` / `input_length`. */
const forgetBiasInit: Preprocessor = (ctx) => {
  if (!hasArg(ctx.args, 'forget_bias_init')) return;
  const v = takeArg(ctx.args, 'forget_bias_init');
  if (v === 'one') {
    ctx.args.unitForgetBias = true;
    ctx.converted.push({ olds: ['forget_bias_init'], name: 'unit_forget_bias', value: true });
  } else {
    warnOnce(
      `${ctx.object}|forget_bias_init`,
      `${ctx.what}: the Keras 1 argument \`forget_bias_init\` (${JSON.stringify(v)}) is ignored in Keras 2; give \`unit_forget_bias=True\` (unitForgetBias: true) to start the forget gate's bias at one.`,
    );
  }
};

const recurrentInputDim: Preprocessor = (ctx) => {
  if (!hasArg(ctx.args, 'input_dim')) {
    takeArg(ctx.args, 'input_length');
    return;
  }
  const length = takeArg(ctx.args, 'input_length') ?? null;
  const dim = takeArg(ctx.args, 'input_dim');
  if (dim === null) return;
  ctx.args.inputShape = [length, dim];
  ctx.converted.push({ olds: ['input_dim'], name: 'input_shape', value: [length, dim] });
  warnOnce(
    `${ctx.object}|input_dim`,
    `${ctx.what}: the \`input_dim\` and \`input_length\` arguments of recurrent layers are Keras 1 spellings; give \`input_shape=(input_length, input_dim)\` (inputShape: [${JSON.stringify(length)}, ${JSON.stringify(dim)}]) instead.`,
  );
};

/** Conv1D: `input_dim` (+ `input_length`) -> `input_shape`. */
const conv1dInputDim: Preprocessor = (ctx) => {
  if (!hasArg(ctx.args, 'input_dim')) return;
  const length = takeArg(ctx.args, 'input_length') ?? null;
  const dim = takeArg(ctx.args, 'input_dim');
  if (dim === null) return;
  ctx.args.inputShape = [length, dim];
  ctx.converted.push({ olds: ['input_dim', ...(length !== null ? ['input_length'] : [])], name: 'input_shape', value: [length, dim] });
};

/** Keras 1 gave a window size per axis: `nb_row`, `nb_col` (2D), `kernel_dim1..3` (3D). */
function kernelSizeFrom(names: readonly string[]): Preprocessor {
  return (ctx) => {
    const given = names.filter((n) => hasArg(ctx.args, n));
    if (given.length === 0) return;
    if (given.length < names.length) {
      if (hasArg(ctx.args, 'kernel_size')) return;
      const missing = names.filter((n) => !given.includes(n));
      throw new KerasTypeError(
        `${ctx.what}: the Keras 1 window arguments ${names.map((n) => `\`${n}\``).join(', ')} must be given together (missing ${missing.map((n) => `\`${n}\``).join(', ')}); in Keras 2 give \`kernel_size\` (kernelSize)`,
      );
    }
    if (hasArg(ctx.args, 'kernel_size')) throw new KerasTypeError(`${ctx.what}: give either \`kernel_size\` (Keras 2) or ${names.map((n) => `\`${n}\``).join(', ')} (Keras 1), not both`);
    const size = names.map((n) => takeArg(ctx.args, n));
    ctx.args.kernelSize = size;
    ctx.converted.push({ olds: [...names], name: 'kernel_size', value: size });
  };
}

const nbRowCol = kernelSizeFrom(['nb_row', 'nb_col']);
const kernelDims = kernelSizeFrom(['kernel_dim1', 'kernel_dim2', 'kernel_dim3']);

/** SeparableConv2D: Keras 1 `init` initialized both kernels. */
const separableInit: Preprocessor = (ctx) => {
  if (!hasArg(ctx.args, 'init')) return;
  const init = takeArg(ctx.args, 'init');
  for (const n of ['depthwise_initializer', 'pointwise_initializer']) {
    if (hasArg(ctx.args, n)) throw new KerasTypeError(`${ctx.what}: the Keras 2 argument \`${n}\` and the Keras 1 \`init\` were both given; keep only the Keras 2 arguments`);
    ctx.args[camelKey(n)] = init;
  }
  ctx.converted.push({ olds: ['init'], name: 'depthwise_initializer', value: init }, { olds: ['init'], name: 'pointwise_initializer', value: init });
};

/** Deconvolution2D: Keras 1's `output_shape` is not needed (Keras 2 computes it). */
const deconvOutputShape: Preprocessor = (ctx) => {
  if (!hasArg(ctx.args, 'output_shape')) return;
  takeArg(ctx.args, 'output_shape');
  ctx.converted.push({ olds: ['output_shape'], name: null });
};

/** BatchNormalization: Keras 1 `mode` 0 is the only mode Keras 2 has; 1 and 2 are refused. */
const batchNormMode: Preprocessor = (ctx) => {
  if (findKey(ctx.args, 'mode') === undefined) return;
  const mode = takeArg(ctx.args, 'mode');
  if (mode !== 0 && mode !== null) {
    throw new KerasTypeError(
      `${ctx.what}: argument 'mode' got ${JSON.stringify(mode)}: the Keras 1 \`mode\` argument of BatchNormalization no longer exists in Keras 2, and its modes 1 and 2 are not supported (mode 0 is the only behaviour; for per-sample normalization use LayerNormalization)`,
    );
  }
  ctx.converted.push({ olds: ['mode'], name: null });
};

/** Embedding: Keras 1 `dropout` is ignored, with a warning (as Keras 2). */
const embeddingDropout: Preprocessor = (ctx) => {
  if (findKey(ctx.args, 'dropout') === undefined) return;
  const v = takeArg(ctx.args, 'dropout');
  warnOnce(
    `${ctx.object}|dropout`,
    `${ctx.what}: the Keras 1 \`dropout\` argument of Embedding (${JSON.stringify(v)}) no longer exists in Keras 2 and is ignored; put a SpatialDropout1D layer right after the Embedding for the same effect.`,
  );
};

/** ZeroPadding2D: Keras 1 paddings `{top_pad, bottom_pad, left_pad, right_pad}` and `[top, bottom, left, right]`. */
const zeroPadding2dForms: Preprocessor = (ctx) => {
  const k = findKey(ctx.args, 'padding');
  if (k === undefined) return;
  const p = ctx.args[k];
  const keys = ['top_pad', 'bottom_pad', 'left_pad', 'right_pad'];
  let pairs: number[][] | null = null;
  if (p && typeof p === 'object' && !Array.isArray(p) && Object.keys(p).every((x) => keys.includes(x))) {
    const d = p as Record<string, number>;
    pairs = [
      [d.top_pad ?? 0, d.bottom_pad ?? 0],
      [d.left_pad ?? 0, d.right_pad ?? 0],
    ];
  } else if (Array.isArray(p) && p.length === 4 && p.every((x) => typeof x === 'number')) {
    pairs = [
      [p[0], p[1]],
      [p[2], p[3]],
    ];
  }
  if (!pairs) return;
  ctx.args[k] = pairs;
  warnOnce(
    `${ctx.object}|padding`,
    `${ctx.what}: Keras 2 no longer takes \`padding\` as ${Array.isArray(p) ? 'four numbers' : 'a dict'}; give it as ((top_pad, bottom_pad), (left_pad, right_pad)): padding: ${JSON.stringify(pairs)}.`,
  );
};

/**
 * GRU: Keras 1's GRU applied the reset gate before the recurrent kernel (Keras 2's
 * `reset_after=False`, Keras 2.2's default). Here the default is `reset_after=True` (tf.keras 2),
 * so a GRU given in Keras 1 spellings, without `reset_after`, gets `reset_after=False`.
 */
const KERAS1_GRU_ONLY = ['output_dim', 'init', 'inner_init', 'inner_activation', 'W_regularizer', 'U_regularizer', 'b_regularizer', 'dropout_W', 'dropout_U', 'consume_less'];
const gruResetAfter: Preprocessor = (ctx) => {
  if (hasArg(ctx.args, 'reset_after') || !KERAS1_GRU_ONLY.some((k) => hasArg(ctx.args, k))) return;
  ctx.args.resetAfter = false;
  warnOnce(
    `${ctx.object}|reset_after`,
    `${ctx.what}: a GRU given Keras 1 arguments computes as Keras 1's GRU, which applies the reset gate before the recurrent kernel: \`reset_after=False\` (resetAfter: false) is set (the default here is reset_after=True).`,
  );
};

const recurrent: Rules = {
  pre: [forgetBiasInit, recurrentInputDim],
  values: { consume_less: { cpu: 0, mem: 1, gpu: 2 } },
  renames: [
    ['output_dim', 'units'],
    ['init', 'kernel_initializer'],
    ['inner_init', 'recurrent_initializer'],
    ['inner_activation', 'recurrent_activation'],
    ['W_regularizer', 'kernel_regularizer'],
    ['b_regularizer', 'bias_regularizer'],
    ['U_regularizer', 'recurrent_regularizer'],
    ['dropout_W', 'dropout'],
    ['dropout_U', 'recurrent_dropout'],
    ['consume_less', 'implementation'],
  ],
};

const pooling1d: Rules = {
  renames: [
    ['pool_length', 'pool_size'],
    ['stride', 'strides'],
    ['border_mode', 'padding'],
  ],
};

const poolingNd: Rules = { values: DIM_ORDERING, renames: [['border_mode', 'padding'], ['dim_ordering', 'data_format']] };

const conv1d: Rules = {
  pre: [conv1dInputDim],
  renames: [['nb_filter', 'filters'], ['filter_length', 'kernel_size'], ['subsample_length', 'strides'], ['border_mode', 'padding'], ...kernelAndBias],
};

const conv2dRenames = [['nb_filter', 'filters'], ['subsample', 'strides'], ['border_mode', 'padding'], ['dim_ordering', 'data_format'], ...kernelAndBias] as const;

const conv2d: Rules = { pre: [nbRowCol], values: DIM_ORDERING, renames: conv2dRenames };

const spatialDropoutNd: Rules = { values: DIM_ORDERING, renames: [['p', 'rate'], ['dim_ordering', 'data_format']] };

/** Conversions by Keras 2 class name. */
export const LAYER_RULES: Readonly<Record<string, Rules>> = {
  Dense: { renames: [['output_dim', 'units'], ...kernelAndBias] },
  Dropout: { renames: [['p', 'rate']] },
  SpatialDropout1D: { renames: [['p', 'rate']] },
  SpatialDropout2D: spatialDropoutNd,
  SpatialDropout3D: spatialDropoutNd,
  Embedding: {
    pre: [embeddingDropout],
    renames: [
      ['init', 'embeddings_initializer'],
      ['W_regularizer', 'embeddings_regularizer'],
      ['W_constraint', 'embeddings_constraint'],
    ],
  },
  MaxPooling1D: pooling1d,
  AveragePooling1D: pooling1d,
  MaxPooling2D: poolingNd,
  AveragePooling2D: poolingNd,
  MaxPooling3D: poolingNd,
  AveragePooling3D: poolingNd,
  GlobalMaxPooling2D: dimOrdering,
  GlobalAveragePooling2D: dimOrdering,
  GlobalMaxPooling3D: dimOrdering,
  GlobalAveragePooling3D: dimOrdering,
  PReLU: { renames: [['init', 'alpha_initializer']] },
  GaussianNoise: { renames: [['sigma', 'stddev']] },
  GaussianDropout: { renames: [['p', 'rate']] },
  SimpleRNN: recurrent,
  GRU: { ...recurrent, pre: [gruResetAfter, ...(recurrent.pre ?? [])] },
  LSTM: recurrent,
  UpSampling1D: { renames: [['length', 'size']] },
  UpSampling2D: dimOrdering,
  UpSampling3D: dimOrdering,
  Conv1D: conv1d,
  Conv2D: conv2d,
  Conv2DTranspose: { pre: [deconvOutputShape, nbRowCol], values: DIM_ORDERING, renames: conv2dRenames },
  SeparableConv2D: {
    pre: [separableInit, nbRowCol],
    values: DIM_ORDERING,
    renames: [
      ['nb_filter', 'filters'],
      ['subsample', 'strides'],
      ['border_mode', 'padding'],
      ['dim_ordering', 'data_format'],
      ['b_regularizer', 'bias_regularizer'],
      ['b_constraint', 'bias_constraint'],
      ['bias', 'use_bias'],
    ],
  },
  Conv3D: { pre: [kernelDims], values: DIM_ORDERING, renames: [['nb_filter', 'filters'], ['subsample', 'strides'], ['border_mode', 'padding'], ['dim_ordering', 'data_format'], ...kernelAndBias] },
  ConvLSTM2D: {
    pre: [forgetBiasInit, nbRowCol],
    values: DIM_ORDERING,
    renames: [
      ['nb_filter', 'filters'],
      ['subsample', 'strides'],
      ['border_mode', 'padding'],
      ['dim_ordering', 'data_format'],
      ['init', 'kernel_initializer'],
      ['inner_init', 'recurrent_initializer'],
      ['W_regularizer', 'kernel_regularizer'],
      ['U_regularizer', 'recurrent_regularizer'],
      ['b_regularizer', 'bias_regularizer'],
      ['inner_activation', 'recurrent_activation'],
      ['dropout_W', 'dropout'],
      ['dropout_U', 'recurrent_dropout'],
      ['bias', 'use_bias'],
    ],
  },
  BatchNormalization: {
    pre: [batchNormMode],
    renames: [
      ['beta_init', 'beta_initializer'],
      ['gamma_init', 'gamma_initializer'],
    ],
  },
  ZeroPadding2D: { pre: [zeroPadding2dForms], ...dimOrdering },
  ZeroPadding3D: dimOrdering,
  Cropping2D: dimOrdering,
  Cropping3D: dimOrdering,
  // These read their arguments before Layer's constructor runs: their constructors enter them
  // first (engine/keras1-entry.ts), and the model-config upgrade converts InputLayer's.
  InputLayer: { renames: [['input_dtype', 'dtype']] },
  Model: { renames: [['input', 'inputs'], ['output', 'outputs']] },
  Functional: { renames: [['input', 'inputs'], ['output', 'outputs']] },
};
