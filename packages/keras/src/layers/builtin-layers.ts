/**
 * The built-in layer classes by name, for reading configs (`{"class_name": "Conv2D", ...}`).
 *
 * Layer modules register nothing when they load: this table is the one place that names them
 * all, and only the entry points that resolve layers by class name import it (`loadModel`,
 * `modelFromJSON`, `deserialize`, `deserializeLayer`, `registeredNames`). So a bundle that
 * builds its model in code (`new Sequential([new Dense(...)])`) and never reads a config keeps
 * only the layers it uses; Node, which loads the whole package, registers them all.
 * `Sequential.fromConfig`, `Model.fromConfig` and wrappers' nested configs resolve through the
 * registry this fills (`serialization/registry.ts`), so in a bundle that uses none of those entry
 * points, call {@link registerBuiltinLayers} once before reading a config.
 */
import { configToArgs } from '../engine/layer.js';
import { installBuiltins, type BuiltinEntry, type CustomObjects, type SerializableClass } from '../serialization/registry.js';
import { InputLayer } from '../engine/input-layer.js';
import { Model } from '../engine/model.js';
import { Sequential } from '../engine/sequential.js';
import { ELU } from './activation/elu.js';
import { LeakyReLU } from './activation/leaky-relu.js';
import { PReLU } from './activation/prelu.js';
import { ReLU } from './activation/relu.js';
import { Softmax } from './activation/softmax.js';
import { ThresholdedReLU } from './activation/thresholded-relu.js';
import { AdditiveAttention } from './attention/additive-attention.js';
import { Attention } from './attention/attention.js';
import { MultiHeadAttention } from './attention/multi-head-attention.js';
import { Conv1DTranspose } from './convolutional/conv1d-transpose.js';
import { Conv1D } from './convolutional/conv1d.js';
import { Conv2DTranspose } from './convolutional/conv2d-transpose.js';
import { Conv2D } from './convolutional/conv2d.js';
import { Conv3DTranspose } from './convolutional/conv3d-transpose.js';
import { Conv3D } from './convolutional/conv3d.js';
import { DepthwiseConv1D } from './convolutional/depthwise-conv1d.js';
import { DepthwiseConv2D } from './convolutional/depthwise-conv2d.js';
import { SeparableConv1D } from './convolutional/separable-conv1d.js';
import { SeparableConv2D } from './convolutional/separable-conv2d.js';
import { Activation } from './core/activation.js';
import { ActivityRegularization } from './core/activity-regularization.js';
import { Dense } from './core/dense.js';
import { Dropout } from './core/dropout.js';
import { Embedding } from './core/embedding.js';
import { Flatten } from './core/flatten.js';
import { Lambda } from './core/lambda.js';
import { Masking } from './core/masking.js';
import { Permute } from './core/permute.js';
import { RepeatVector } from './core/repeat-vector.js';
import { Reshape } from './core/reshape.js';
import { SpatialDropout1D } from './core/spatial-dropout1d.js';
import { SpatialDropout2D } from './core/spatial-dropout2d.js';
import { SpatialDropout3D } from './core/spatial-dropout3d.js';
import { Add } from './merge/add.js';
import { Average } from './merge/average.js';
import { Concatenate } from './merge/concatenate.js';
import { Dot } from './merge/dot.js';
import { Maximum } from './merge/maximum.js';
import { Minimum } from './merge/minimum.js';
import { Multiply } from './merge/multiply.js';
import { Subtract } from './merge/subtract.js';
import { BatchNormalization } from './normalization/batch-normalization.js';
import { GroupNormalization } from './normalization/group-normalization.js';
import { LayerNormalization } from './normalization/layer-normalization.js';
import { UnitNormalization } from './normalization/unit-normalization.js';
import { AveragePooling1D } from './pooling/average-pooling1d.js';
import { AveragePooling2D } from './pooling/average-pooling2d.js';
import { AveragePooling3D } from './pooling/average-pooling3d.js';
import { GlobalAveragePooling1D } from './pooling/global-average-pooling1d.js';
import { GlobalAveragePooling2D } from './pooling/global-average-pooling2d.js';
import { GlobalAveragePooling3D } from './pooling/global-average-pooling3d.js';
import { GlobalMaxPooling1D } from './pooling/global-max-pooling1d.js';
import { GlobalMaxPooling2D } from './pooling/global-max-pooling2d.js';
import { GlobalMaxPooling3D } from './pooling/global-max-pooling3d.js';
import { MaxPooling1D } from './pooling/max-pooling1d.js';
import { MaxPooling2D } from './pooling/max-pooling2d.js';
import { MaxPooling3D } from './pooling/max-pooling3d.js';
import { Normalization } from './preprocessing/normalization.js';
import { Rescaling } from './preprocessing/rescaling.js';
import { Bidirectional } from './recurrent/bidirectional.js';
import { ConvLSTMCell } from './recurrent/conv-lstm-cell.js';
import { ConvLSTM1D } from './recurrent/conv-lstm1d.js';
import { ConvLSTM2D } from './recurrent/conv-lstm2d.js';
import { ConvLSTM3D } from './recurrent/conv-lstm3d.js';
import { GRUCell } from './recurrent/gru-cell.js';
import { GRU } from './recurrent/gru.js';
import { LSTMCell } from './recurrent/lstm-cell.js';
import { LSTM } from './recurrent/lstm.js';
import { RNN } from './recurrent/rnn.js';
import { SimpleRNNCell } from './recurrent/simple-rnn-cell.js';
import { SimpleRNN } from './recurrent/simple-rnn.js';
import { StackedRNNCells } from './recurrent/stacked-rnn-cells.js';
import { TimeDistributed } from './recurrent/time-distributed.js';
import { AlphaDropout } from './regularization/alpha-dropout.js';
import { GaussianDropout } from './regularization/gaussian-dropout.js';
import { GaussianNoise } from './regularization/gaussian-noise.js';
import { Cropping1D } from './reshaping/cropping1d.js';
import { Cropping2D } from './reshaping/cropping2d.js';
import { Cropping3D } from './reshaping/cropping3d.js';
import { UpSampling1D } from './reshaping/up-sampling1d.js';
import { UpSampling2D } from './reshaping/up-sampling2d.js';
import { UpSampling3D } from './reshaping/up-sampling3d.js';
import { ZeroPadding1D } from './reshaping/zero-padding1d.js';
import { ZeroPadding2D } from './reshaping/zero-padding2d.js';
import { ZeroPadding3D } from './reshaping/zero-padding3d.js';
import { OpLambda } from '../keras-backend/dispatch.js';
import { AtrousConvolution1D } from '../legacy/atrous-convolution1d.js';
import { AtrousConvolution2D } from '../legacy/atrous-convolution2d.js';
import { Highway } from '../legacy/highway.js';
import { MaxoutDense } from '../legacy/maxout-dense.js';
import { LegacyMerge } from '../legacy/merge.js';
import { TimeDistributedDense } from '../legacy/time-distributed-dense.js';

/** The built-in layers and their other names (Keras 2's aliases and Keras 1 names). */
export function builtinLayers(): BuiltinEntry[] {
  return [
    // engine
    [InputLayer],
    [Model, 'Functional'],
    [Sequential],
    // activation
    [ELU],
    [LeakyReLU],
    [PReLU],
    [ReLU],
    [Softmax],
    [ThresholdedReLU],
    // attention
    [AdditiveAttention],
    [Attention],
    [MultiHeadAttention],
    // convolutional
    [Conv1DTranspose, 'Convolution1DTranspose'],
    [Conv1D, 'Convolution1D'],
    [Conv2DTranspose, 'Convolution2DTranspose'],
    [Conv2D, 'Convolution2D'],
    [Conv3DTranspose, 'Convolution3DTranspose'],
    [Conv3D, 'Convolution3D'],
    [DepthwiseConv1D],
    [DepthwiseConv2D],
    [SeparableConv1D, 'SeparableConvolution1D'],
    [SeparableConv2D, 'SeparableConvolution2D'],
    // core
    [Activation],
    [ActivityRegularization],
    [Dense],
    [Dropout],
    [Embedding],
    [Flatten],
    [Lambda],
    [Masking],
    [Permute],
    [RepeatVector],
    [Reshape],
    [SpatialDropout1D],
    [SpatialDropout2D],
    [SpatialDropout3D],
    // merge
    [Add],
    [Average],
    [Concatenate],
    [Dot],
    [Maximum],
    [Minimum],
    [Multiply],
    [Subtract],
    // normalization
    [BatchNormalization],
    [GroupNormalization],
    [LayerNormalization],
    [UnitNormalization],
    // pooling
    [AveragePooling1D, 'AvgPool1D'],
    [AveragePooling2D, 'AvgPool2D'],
    [AveragePooling3D, 'AvgPool3D'],
    [GlobalAveragePooling1D, 'GlobalAvgPool1D'],
    [GlobalAveragePooling2D, 'GlobalAvgPool2D'],
    [GlobalAveragePooling3D, 'GlobalAvgPool3D'],
    [GlobalMaxPooling1D, 'GlobalMaxPool1D'],
    [GlobalMaxPooling2D, 'GlobalMaxPool2D'],
    [GlobalMaxPooling3D, 'GlobalMaxPool3D'],
    [MaxPooling1D, 'MaxPool1D'],
    [MaxPooling2D, 'MaxPool2D'],
    [MaxPooling3D, 'MaxPool3D'],
    // preprocessing
    [Normalization],
    [Rescaling],
    // recurrent
    [Bidirectional],
    [ConvLSTMCell],
    [ConvLSTM1D],
    [ConvLSTM2D],
    [ConvLSTM3D],
    [GRUCell],
    [GRU],
    [LSTMCell],
    [LSTM],
    [RNN],
    [SimpleRNNCell],
    [SimpleRNN],
    [StackedRNNCells],
    [TimeDistributed],
    // regularization
    [AlphaDropout],
    [GaussianDropout],
    [GaussianNoise],
    // reshaping
    [Cropping1D],
    [Cropping2D],
    [Cropping3D],
    [UpSampling1D],
    [UpSampling2D],
    [UpSampling3D],
    [ZeroPadding1D],
    [ZeroPadding2D],
    [ZeroPadding3D],
    // keras-backend
    [OpLambda],
    // legacy
    [Highway],
    [MaxoutDense],
    [LegacyMerge],
    [TimeDistributedDense],
    // Keras 1 names that load Keras 2 classes
    [{ className: 'AtrousConvolution1D', fromConfig: (c: Record<string, unknown>) => new AtrousConvolution1D(configToArgs(c)) }, 'AtrousConv1D'],
    [{ className: 'AtrousConvolution2D', fromConfig: (c: Record<string, unknown>) => new AtrousConvolution2D(configToArgs(c)) }, 'AtrousConv2D'],
    [{ className: 'Deconvolution2D', fromConfig: (c: Record<string, unknown>, custom?: CustomObjects) => (Conv2DTranspose as unknown as SerializableClass).fromConfig(c, custom) }, 'Deconv2D'],
    [{ className: 'Deconvolution3D', fromConfig: (c: Record<string, unknown>, custom?: CustomObjects) => (Conv3DTranspose as unknown as SerializableClass).fromConfig(c, custom) }, 'Deconv3D'],
  ];
}

/**
 * Registers every built-in layer class for deserialization by class name. Importing the package
 * in Node does it, and so does any bundle that uses `loadModel`, `modelFromJSON`, `deserialize`,
 * `deserializeLayer` or `registeredNames`; a page bundled without them calls it once before
 * `Sequential.fromConfig` / `Model.fromConfig` (a bundler then keeps every layer). Calling it
 * again does nothing.
 *
 * @example
 * import { registerBuiltinLayers, Sequential } from '@keras-ts/keras';
 * registerBuiltinLayers();
 * const model = Sequential.fromConfig(config); // config: a Sequential's get_config()
 */
export function registerBuiltinLayers(): void {
  installBuiltins('layer', builtinLayers);
}

registerBuiltinLayers();
