export { BaseMetric, type MetricArgs } from './base-metric.js';
export { Reduce, Sum, Mean, MeanFunctionMetric, MeanOfFunction, meanFunctionClass, MeanMetricWrapper, type MeanFunctionClass, type MeanMetricWrapperArgs } from './reduction-metrics.js';
export {
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  TopKCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
  type BinaryAccuracyArgs,
  type TopKArgs,
} from './accuracy-metrics.js';
export {
  MeanSquaredError,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredLogarithmicError,
  RootMeanSquaredError,
  LogCoshError,
  CosineSimilarity,
  MeanRelativeError,
  R2Score,
  type CosineSimilarityArgs,
  type MeanRelativeErrorArgs,
  type R2ScoreArgs,
} from './regression-metrics.js';
export {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  SparseCategoricalCrossentropy,
  Poisson,
  KLDivergence,
  type BinaryCrossentropyArgs,
  type CategoricalCrossentropyArgs,
  type SparseCategoricalCrossentropyArgs,
} from './probabilistic-metrics.js';
export { Hinge, SquaredHinge, CategoricalHinge } from './hinge-metrics.js';
export {
  TruePositives,
  FalsePositives,
  TrueNegatives,
  FalseNegatives,
  Precision,
  Recall,
  SensitivityAtSpecificity,
  SpecificityAtSensitivity,
  PrecisionAtRecall,
  RecallAtPrecision,
  type ThresholdsArgs,
  type PrecisionRecallArgs,
  type SensitivitySpecificityArgs,
} from './confusion-metrics.js';
export { AUC, type AUCArgs, type AUCCurve, type AUCSummationMethod } from './auc.js';
export { FBetaScore, F1Score, type FBetaScoreArgs, type F1ScoreArgs, type FScoreAverage } from './f-score-metrics.js';
export { IoU, MeanIoU, BinaryIoU, OneHotIoU, OneHotMeanIoU, type IoUArgs, type IoUBaseArgs, type BinaryIoUArgs, type OneHotIoUArgs, type OneHotMeanIoUArgs } from './iou-metrics.js';
export { getMetric, resolveAccuracy, resolveCrossentropy, type MetricHint, type MetricIdentifier, type MaybeShape } from './get-metric.js';
export * as metricFunctions from './functions.js';
