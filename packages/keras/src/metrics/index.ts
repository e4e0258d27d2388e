export { BaseMetric, type MetricArgs } from './base-metric';
export { Reduce, Sum, Mean, MeanFunctionMetric, MeanMetricWrapper, type MeanMetricWrapperArgs } from './reduction-metrics';
export {
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  TopKCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
  type BinaryAccuracyArgs,
  type TopKArgs,
} from './accuracy-metrics';
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
} from './regression-metrics';
export {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  SparseCategoricalCrossentropy,
  Poisson,
  KLDivergence,
  type BinaryCrossentropyArgs,
  type CategoricalCrossentropyArgs,
  type SparseCategoricalCrossentropyArgs,
} from './probabilistic-metrics';
export { Hinge, SquaredHinge, CategoricalHinge } from './hinge-metrics';
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
} from './confusion-metrics';
export { AUC, type AUCArgs, type AUCCurve, type AUCSummationMethod } from './auc';
export { FBetaScore, F1Score, type FBetaScoreArgs, type F1ScoreArgs, type FScoreAverage } from './f-score-metrics';
export { IoU, MeanIoU, BinaryIoU, OneHotIoU, OneHotMeanIoU, type IoUArgs, type IoUBaseArgs, type BinaryIoUArgs, type OneHotIoUArgs, type OneHotMeanIoUArgs } from './iou-metrics';
export { getMetric, resolveAccuracy, resolveCrossentropy, type MetricHint, type MetricIdentifier, type MaybeShape } from './get-metric';
export * as metricFunctions from './functions';
