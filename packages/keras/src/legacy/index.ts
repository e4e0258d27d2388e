/**
 * Keras 1 compatibility, as Keras 2 provided it: Keras 1 argument spellings converted (with
 * one-time warnings) by the layers and training methods, Keras 1 weight layouts converted on load,
 * Keras 1 model configs read, the deprecated Atrous/Deconvolution names, and removed Keras 1 layers
 * (MaxoutDense, TimeDistributedDense, Highway, Merge) failing with what to use instead.
 */
export { convertLegacyLayerArgs } from './layer-args';
export { convertLegacyTrainingArgs, type LegacyTrainingMethod } from './training-args';
export { convertKeras1Weights, type Keras1WeightOptions } from './weights';
export { convertKeras1ModelConfig } from './model-config';
export { resetLegacyWarnings } from './warnings';
export { AtrousConvolution1D, AtrousConvolution1D as AtrousConv1D } from './atrous-convolution1d';
export { AtrousConvolution2D, AtrousConvolution2D as AtrousConv2D } from './atrous-convolution2d';
export { Deconvolution2D, Deconv2D, Deconvolution3D, Deconv3D } from './deconvolution';
export { MaxoutDense } from './maxout-dense';
export { TimeDistributedDense } from './time-distributed-dense';
export { Highway } from './highway';
export { LegacyMerge, merge } from './merge';
/** Keras 2's `keras.objectives`: the Keras 1 name of the losses module. */
export * as objectives from '../losses/index';
