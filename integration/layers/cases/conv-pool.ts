/**
 * Harness cases: convolutions (transposed, depthwise, separable; the Keras 1 names that load as
 * them) and pooling. `keras` names the golden cases (Keras' own numbers) each class's forward
 * values are checked against.
 */
import {
  AveragePooling1D,
  AveragePooling2D,
  AveragePooling3D,
  Conv1D,
  Conv1DTranspose,
  Conv2D,
  Conv2DTranspose,
  Conv3D,
  Conv3DTranspose,
  DepthwiseConv1D,
  DepthwiseConv2D,
  GlobalAveragePooling1D,
  GlobalAveragePooling2D,
  GlobalAveragePooling3D,
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
  GlobalMaxPooling3D,
  MaxPooling1D,
  MaxPooling2D,
  MaxPooling3D,
  SeparableConv1D,
  SeparableConv2D,
  deserializeLayer,
} from '@keras-ts/keras';
import type { HarnessCase } from '../harness.js';

/** A layer from a Keras 1 config, quietly (the Keras 1 argument warnings are the legacy tests' subject). */
function fromKeras1(config: { class_name: string; config: Record<string, unknown> }) {
  const warn = console.warn;
  console.warn = () => {};
  try {
    return deserializeLayer(config);
  } finally {
    console.warn = warn;
  }
}

export const CONV_POOL_CASES: Record<string, HarnessCase> = {
  'Conv1D causal': {
    make: () => new Conv1D({ filters: 3, kernelSize: 3, padding: 'causal', dilationRate: 2 }),
    inputShape: [9, 2],
    outputShape: [9, 3],
    weightShapes: [[3, 2, 3], [3]],
    keras: ['layers/Conv1D/causal_s1_d2', 'layers/Conv1D/valid_s2_d1'],
  },
  'Conv2D same, strides 2, tanh': {
    make: () => new Conv2D({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh' }),
    inputShape: [7, 6, 2],
    outputShape: [4, 3, 4],
    weightShapes: [[3, 3, 2, 4], [4]],
    keras: ['layers/Conv2D/same_s2_d1', 'layers/Conv2D/valid_s1_d2'],
  },
  'Conv2D groups, no bias': { make: () => new Conv2D({ filters: 4, kernelSize: [2, 3], groups: 2, useBias: false }), inputShape: [5, 5, 4], outputShape: [4, 3, 4], weightShapes: [[2, 3, 2, 4]], keras: ['layers/Conv2D/groups2'] },
  Conv3D: { make: () => new Conv3D({ filters: 2, kernelSize: 2, padding: 'same' }), inputShape: [3, 4, 3, 2], outputShape: [3, 4, 3, 2], weightShapes: [[2, 2, 2, 2, 2], [2]], keras: ['layers/Conv3D/valid'] },
  'AtrousConvolution1D (Keras 1)': {
    make: () => fromKeras1({ class_name: 'AtrousConvolution1D', config: { nb_filter: 3, filter_length: 2, atrous_rate: 2, border_mode: 'same' } }),
    covers: ['AtrousConvolution1D'],
    inputShape: [6, 2],
    outputShape: [6, 3],
    weightShapes: [[2, 2, 3], [3]],
    keras: ['harness/AtrousConvolution1D/rate2_same'],
  },
  'AtrousConvolution2D (Keras 1)': {
    make: () => fromKeras1({ class_name: 'AtrousConvolution2D', config: { nb_filter: 2, nb_row: 2, nb_col: 2, atrous_rate: [2, 1] } }),
    covers: ['AtrousConvolution2D'],
    inputShape: [5, 4, 2],
    outputShape: [3, 3, 2],
    weightShapes: [[2, 2, 2, 2], [2]],
    keras: ['harness/AtrousConvolution2D/rate21_valid'],
  },
  'Conv1DTranspose same, strides 2': {
    make: () => new Conv1DTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }),
    inputShape: [5, 2],
    outputShape: [10, 3],
    weightShapes: [[3, 3, 2], [3]],
    keras: ['layers/Conv1DTranspose/same_s2'],
  },
  'Conv2DTranspose valid, output_padding': {
    make: () => new Conv2DTranspose({ filters: 2, kernelSize: 3, strides: 2, outputPadding: 1 }),
    inputShape: [3, 4, 3],
    outputShape: [8, 10, 2],
    weightShapes: [[3, 3, 2, 3], [2]],
    keras: ['layers/Conv2DTranspose/valid_s2', 'layers/Conv2DTranspose/same_s1'],
  },
  'Conv3DTranspose no bias': {
    make: () => new Conv3DTranspose({ filters: 2, kernelSize: 2, strides: 2, useBias: false }),
    inputShape: [2, 3, 2, 2],
    outputShape: [4, 6, 4, 2],
    weightShapes: [[2, 2, 2, 2, 2]],
    keras: ['layers/Conv3DTranspose/s2'],
  },
  'Deconvolution2D (Keras 1)': {
    make: () => fromKeras1({ class_name: 'Deconvolution2D', config: { nb_filter: 2, nb_row: 3, nb_col: 3, subsample: [2, 2], border_mode: 'valid' } }),
    covers: ['Deconvolution2D'],
    inputShape: [3, 3, 2],
    outputShape: [7, 7, 2],
    weightShapes: [[3, 3, 2, 2], [2]],
    keras: ['harness/Deconvolution2D/s2_valid'],
  },
  'Deconvolution3D (Keras 1)': {
    make: () => fromKeras1({ class_name: 'Deconvolution3D', config: { filters: 2, kernel_size: 2, strides: 2, padding: 'same' } }),
    covers: ['Deconvolution3D'],
    inputShape: [2, 2, 2, 1],
    outputShape: [4, 4, 4, 2],
    weightShapes: [[2, 2, 2, 2, 1], [2]],
    keras: ['harness/Deconvolution3D/s2_same'],
  },
  'DepthwiseConv1D multiplier 2': {
    make: () => new DepthwiseConv1D({ kernelSize: 3, depthMultiplier: 2 }),
    inputShape: [7, 2],
    outputShape: [5, 4],
    weightShapes: [[3, 2, 2], [4]],
    keras: ['layers/DepthwiseConv1D/dm2'],
  },
  'DepthwiseConv2D strides 2 same': {
    make: () => new DepthwiseConv2D({ kernelSize: 3, strides: 2, padding: 'same' }),
    inputShape: [5, 6, 3],
    outputShape: [3, 3, 3],
    weightShapes: [[3, 3, 3, 1], [3]],
    keras: ['layers/DepthwiseConv2D/dm2_same'],
  },
  'SeparableConv1D causal': {
    make: () => new SeparableConv1D({ filters: 3, kernelSize: 3, padding: 'causal', depthMultiplier: 2 }),
    inputShape: [6, 2],
    outputShape: [6, 3],
    weightShapes: [[3, 2, 2], [1, 4, 3], [3]],
    keras: ['layers/SeparableConv1D/same'],
  },
  'SeparableConv2D relu': {
    make: () => new SeparableConv2D({ filters: 4, kernelSize: 3, activation: 'relu' }),
    inputShape: [6, 6, 2],
    outputShape: [4, 4, 4],
    weightShapes: [[3, 3, 2, 1], [1, 1, 2, 4], [4]],
    keras: ['layers/SeparableConv2D/valid'],
  },
  MaxPooling1D: { make: () => new MaxPooling1D({ poolSize: 3, strides: 2, padding: 'same' }), inputShape: [7, 3], outputShape: [4, 3], weightShapes: [], keras: ['layers/MaxPooling1D/same'] },
  MaxPooling2D: { make: () => new MaxPooling2D(), inputShape: [5, 4, 2], outputShape: [2, 2, 2], weightShapes: [], keras: ['layers/MaxPooling2D/valid', 'layers/MaxPooling2D/same'] },
  MaxPooling3D: { make: () => new MaxPooling3D({ poolSize: [2, 1, 2] }), inputShape: [4, 3, 4, 2], outputShape: [2, 3, 2, 2], weightShapes: [], keras: ['layers/MaxPooling3D/valid'] },
  AveragePooling1D: { make: () => new AveragePooling1D({ poolSize: 2, strides: 1 }), inputShape: [6, 2], outputShape: [5, 2], weightShapes: [], keras: ['layers/AveragePooling1D/same'] },
  AveragePooling2D: {
    make: () => new AveragePooling2D({ poolSize: 3, strides: 2, padding: 'same' }),
    inputShape: [7, 6, 2],
    outputShape: [4, 3, 2],
    weightShapes: [],
    keras: ['layers/AveragePooling2D/same'],
  },
  AveragePooling3D: { make: () => new AveragePooling3D(), inputShape: [4, 4, 2, 1], outputShape: [2, 2, 1, 1], weightShapes: [], keras: ['layers/AveragePooling3D/valid'] },
  GlobalMaxPooling1D: { make: () => new GlobalMaxPooling1D(), inputShape: [5, 3], outputShape: [3], weightShapes: [], keras: ['layers/GlobalMaxPooling1D/basic'] },
  'GlobalMaxPooling2D keepdims': { make: () => new GlobalMaxPooling2D({ keepdims: true }), inputShape: [4, 5, 3], outputShape: [1, 1, 3], weightShapes: [], keras: ['layers/GlobalMaxPooling2D/basic'] },
  GlobalMaxPooling3D: { make: () => new GlobalMaxPooling3D(), inputShape: [2, 3, 2, 2], outputShape: [2], weightShapes: [], keras: ['layers/GlobalMaxPooling3D/basic'] },
  'GlobalAveragePooling1D keepdims': { make: () => new GlobalAveragePooling1D({ keepdims: true }), inputShape: [5, 3], outputShape: [1, 3], weightShapes: [], keras: ['layers/GlobalAveragePooling1D/basic'] },
  GlobalAveragePooling2D: { make: () => new GlobalAveragePooling2D(), inputShape: [4, 5, 3], outputShape: [3], weightShapes: [], keras: ['layers/GlobalAveragePooling2D/basic'] },
  'GlobalAveragePooling3D keepdims': {
    make: () => new GlobalAveragePooling3D({ keepdims: true }),
    inputShape: [2, 3, 2, 2],
    outputShape: [1, 1, 1, 2],
    weightShapes: [],
    keras: ['layers/GlobalAveragePooling3D/basic'],
  },
};
