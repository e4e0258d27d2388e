/**
 * Keras 1 compatibility, as Keras 2 provided it: Keras 1 argument spellings converted (with
 * one-time warnings) by the layers and training methods, Keras 1 weight layouts converted on load,
 * Keras 1 model configs read, the deprecated Atrous/Deconvolution names, and removed Keras 1 layers
 * (MaxoutDense, TimeDistributedDense, Highway, Merge) failing with what to use instead.
 */
export { convertLegacyLayerArgs } from './layer-args.js';
export { convertLegacyTrainingArgs, type LegacyTrainingMethod } from './training-args.js';
export { convertKeras1Weights, type Keras1WeightOptions } from './weights.js';
export { convertKeras1ModelConfig } from './model-config.js';
export { resetLegacyWarnings } from './warnings.js';
export { AtrousConvolution1D, AtrousConvolution1D as AtrousConv1D } from './atrous-convolution1d.js';
export { AtrousConvolution2D, AtrousConvolution2D as AtrousConv2D } from './atrous-convolution2d.js';
export { Deconvolution2D, Deconv2D, Deconvolution3D, Deconv3D } from './deconvolution.js';
export { MaxoutDense } from './maxout-dense.js';
export { TimeDistributedDense } from './time-distributed-dense.js';
export { Highway } from './highway.js';
export { LegacyMerge, merge } from './merge.js';
/** Keras 2's `keras.objectives`: the Keras 1 name of the losses module. */
export * as objectives from '../losses/index.js';
