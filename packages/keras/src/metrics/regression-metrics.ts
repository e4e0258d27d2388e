import { fmtShape, ops, shapesEqual, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { registerClass } from '../serialization/registry.js';
import type { Variable } from '../engine/variable.js';
import { BaseMetric, defaultMetricName, parseMetricArgs, type MetricArgs } from './base-metric.js';
import { cosineSimilarity, logcosh, meanAbsoluteError, meanAbsolutePercentageError, meanSquaredError, meanSquaredLogarithmicError } from './functions.js';
import { MeanFunctionMetric, meanFunctionClass, Reduce } from './reduction-metrics.js';
import { broadcastWeights, divideNoNan, removeSqueezableDimensions, squeezeOrExpandDimensions, toFloat } from './utils.js';
import { KerasShapeError, KerasStateError } from '../errors.js';

/**
 * The mean of `(y_pred - y_true)^2` (`keras.metrics.MeanSquaredError`).
 *
 * @example
 * const m = new MeanSquaredError();
 * await m.update(tensor([[0, 1], [0, 0]]), tensor([[1, 1], [0, 0]]));
 * (await m.resultValue()).toArray(); // 0.25
 */
export class MeanSquaredError extends meanFunctionClass('MeanSquaredError', 'mean_squared_error', meanSquaredError) {}

/**
 * The mean of `|y_pred - y_true|` (`keras.metrics.MeanAbsoluteError`).
 *
 * @example
 * const m = new MeanAbsoluteError();
 * await m.update(tensor([[0, 1], [0, 0]]), tensor([[1, 1], [0, 0]]));
 * (await m.resultValue()).toArray(); // 0.25
 */
export class MeanAbsoluteError extends meanFunctionClass('MeanAbsoluteError', 'mean_absolute_error', meanAbsoluteError) {}

/**
 * The mean of `100 * |y_true - y_pred| / max(|y_true|, 1e-7)`
 * (`keras.metrics.MeanAbsolutePercentageError`).
 *
 * @example
 * const m = new MeanAbsolutePercentageError();
 * await m.update(tensor([[1, 2]]), tensor([[1.1, 2]]));
 */
export class MeanAbsolutePercentageError extends meanFunctionClass('MeanAbsolutePercentageError', 'mean_absolute_percentage_error', meanAbsolutePercentageError) {}

/**
 * The mean of `(log(y_pred + 1) - log(y_true + 1))^2`, both floored at 1e-7
 * (`keras.metrics.MeanSquaredLogarithmicError`).
 *
 * @example
 * const m = new MeanSquaredLogarithmicError();
 * await m.update(tensor([[0, 1]]), tensor([[1, 1]]));
 */
export class MeanSquaredLogarithmicError extends meanFunctionClass('MeanSquaredLogarithmicError', 'mean_squared_logarithmic_error', meanSquaredLogarithmicError) {}

/**
 * The mean of `log(cosh(y_pred - y_true))` (`keras.metrics.LogCoshError`, named `logcosh`).
 *
 * @example
 * const m = new LogCoshError();
 * await m.update(tensor([[0, 1]]), tensor([[1, 1]]));
 */
export class LogCoshError extends meanFunctionClass('LogCoshError', 'logcosh', logcosh) {}

export interface CosineSimilarityArgs extends MetricArgs {
  /** The axis the similarity is computed along. Default -1. */
  axis?: number;
}

/**
 * The mean cosine similarity of labels and predictions (`keras.metrics.CosineSimilarity`).
 *
 * @example
 * const m = new CosineSimilarity({ axis: 1 });
 * await m.update(tensor([[0, 1], [1, 1]]), tensor([[1, 0], [1, 1]]));
 * (await m.resultValue()).toArray(); // 0.5
 */
export class CosineSimilarity extends MeanFunctionMetric {
  static override readonly className: string = 'CosineSimilarity';
  readonly axis: number;
  constructor(args: CosineSimilarityArgs = {}) {
    const a = parseMetricArgs('CosineSimilarity', args, { axis: z.number().int().default(-1) });
    super(a.name ?? 'cosine_similarity');
    this.axis = a.axis;
  }
  protected override values(yTrue: Sym, yPred: Sym): Sym {
    return cosineSimilarity(yTrue, yPred, this.axis);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}

/**
 * The square root of the mean of `(y_pred - y_true)^2` (`keras.metrics.RootMeanSquaredError`).
 *
 * @example
 * const m = new RootMeanSquaredError();
 * await m.update(tensor([[0, 1], [0, 0]]), tensor([[1, 1], [0, 0]]));
 * (await m.resultValue()).toArray(); // 0.5
 */
export class RootMeanSquaredError extends Reduce {
  static override readonly className: string = 'RootMeanSquaredError';
  constructor(args: MetricArgs = {}) {
    super('weighted_mean', parseMetricArgs('RootMeanSquaredError', args, {}).name ?? 'root_mean_squared_error');
  }
  override updateState(yTrue: Sym, yPred: Sym, sampleWeight?: Sym | null): void {
    const { yPred: p, yTrue: t } = squeezeOrExpandDimensions(toFloat(yPred), toFloat(yTrue), null, this.label);
    this.reduceUpdate(ops.square(ops.sub(p, t!)), sampleWeight);
  }
  override result(): Sym {
    return ops.sqrt(divideNoNan(this.total.read(), this.count!.read()));
  }
}

type NestedNumbers = number | NestedNumbers[];

function flattenNested(v: NestedNumbers): { data: number[]; shape: number[] } {
  const shape: number[] = [];
  for (let x: NestedNumbers = v; Array.isArray(x); x = x[0]) shape.push(x.length);
  const data: number[] = [];
  const walk = (x: NestedNumbers): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else data.push(x);
  };
  walk(v);
  return { data, shape };
}

export interface MeanRelativeErrorArgs extends MetricArgs {
  /** What the absolute errors are divided by: a number or an array shaped like (or broadcasting to) the predictions. */
  normalizer: number | NestedNumbers[];
}

/**
 * The mean of `|y_true - y_pred| / normalizer` (`keras.metrics.MeanRelativeError`); a zero
 * normalizer gives 0.
 *
 * @example
 * const m = new MeanRelativeError({ normalizer: [1, 3, 2, 3] });
 * await m.update(tensor([1, 3, 2, 3]), tensor([2, 4, 6, 8]));
 * (await m.resultValue()).toArray(); // 1.25
 */
export class MeanRelativeError extends Reduce {
  static override readonly className: string = 'MeanRelativeError';
  readonly normalizer: number | NestedNumbers[];
  constructor(args: MeanRelativeErrorArgs) {
    const a = parseMetricArgs('MeanRelativeError', args ?? {}, { normalizer: z.union([z.number(), z.array(z.any())]) });
    super('weighted_mean', a.name ?? defaultMetricName('MeanRelativeError'));
    this.normalizer = a.normalizer as number | NestedNumbers[];
  }
  override updateState(yTrue: Sym, yPred: Sym, sampleWeight?: Sym | null): void {
    const { yPred: p0, yTrue: t } = squeezeOrExpandDimensions(toFloat(yPred), toFloat(yTrue), null, this.label);
    const { data, shape } = flattenNested(this.normalizer);
    let norm = ops.constant(p0.graph, Float32Array.from(data), shape, 'float32');
    let p = p0;
    [p, norm] = removeSqueezableDimensions(p, norm);
    if (!shapesEqual(p.shape, t!.shape)) {
      throw new KerasShapeError(`${this.label}: y_true of shape ${fmtShape(yTrue.shape)} and y_pred of shape ${fmtShape(yPred.shape)} are not compatible`);
    }
    this.reduceUpdate(divideNoNan(ops.abs(ops.sub(t!, p)), norm), sampleWeight);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), normalizer: this.normalizer };
  }
}

export interface R2ScoreArgs extends MetricArgs {
  /** How per-output scores combine: `'uniform_average'` (default), `'variance_weighted_average'`, or null (one per output). */
  classAggregation?: 'uniform_average' | 'variance_weighted_average' | null;
  /** The number of independent regressors, for the adjusted R2 score (0, the default: not adjusted). */
  numRegressors?: number;
}

/**
 * The coefficient of determination `1 - SS_res / SS_tot` of labels and predictions of shape
 * `[batch, outputs]` (`keras.metrics.R2Score`).
 *
 * @example
 * const m = new R2Score();
 * await m.update(tensor([[1], [4], [3]]), tensor([[2], [4], [4]]));
 * (await m.resultValue()).toArray(); // 0.57142854
 */
export class R2Score extends BaseMetric {
  static override readonly className: string = 'R2Score';
  readonly classAggregation: 'uniform_average' | 'variance_weighted_average' | null;
  readonly numRegressors: number;
  private readonly numSamples: Variable;
  private vars: { squaredSum: Variable; sum: Variable; totalMse: Variable; count: Variable } | null = null;

  constructor(args: R2ScoreArgs = {}) {
    const a = parseMetricArgs('R2Score', args, {
      classAggregation: z.enum(['uniform_average', 'variance_weighted_average']).nullable().default('uniform_average'),
      numRegressors: z.number().int().min(0).default(0),
    });
    super(a.name ?? 'r2_score');
    this.classAggregation = a.classAggregation;
    this.numRegressors = a.numRegressors;
    this.numSamples = this.addState('num_samples', [], 0, 'int32');
  }

  override updateState(yTrue: Sym, yPred: Sym, sampleWeight?: Sym | null): void {
    const t = toFloat(yTrue);
    const p = toFloat(yPred);
    if (t.rank !== 2 || p.rank !== 2 || !shapesEqual(t.shape, p.shape)) {
      throw new KerasShapeError(`${this.label} expects 2D inputs with shape (batch_size, output_dim), got y_true of shape ${fmtShape(t.shape)} and y_pred of shape ${fmtShape(p.shape)}`);
    }
    if (!this.vars) {
      const n = p.shape[1];
      this.vars = {
        squaredSum: this.addState('squared_sum', [n]),
        sum: this.addState('sum', [n]),
        totalMse: this.addState('residual', [n]),
        count: this.addState('count', [n]),
      };
    }
    const v = this.vars;
    if (v.sum.shape[0] !== p.shape[1]) throw new KerasShapeError(`${this.label} was built for ${v.sum.shape[0]} outputs, got y_pred of shape ${fmtShape(p.shape)}`);
    let w = sampleWeight ? toFloat(sampleWeight) : ops.fill(t.graph, [], 1);
    if (w.rank === 1) w = ops.expandDims(w, 1);
    w = broadcastWeights(w, t, this.label);
    const wt = ops.mul(t, w);
    this.assign(v.sum, ops.add(v.sum.read(), ops.sum(wt, 0)));
    this.assign(v.squaredSum, ops.add(v.squaredSum.read(), ops.sum(ops.mul(t, wt), 0)));
    this.assign(v.totalMse, ops.add(v.totalMse.read(), ops.sum(ops.mul(ops.square(ops.sub(t, p)), w), 0)));
    this.assign(v.count, ops.add(v.count.read(), ops.sum(w, 0)));
    this.assign(this.numSamples, ops.add(this.numSamples.read(), ops.fill(t.graph, [], t.shape[0] * t.shape[1], 'int32')));
  }

  override result(): Sym {
    if (!this.vars) throw new KerasStateError(`${this.label}: no result before the first update: the state is created from the first batch's shape`);
    const sum = this.vars.sum.read();
    const mean = ops.div(sum, this.vars.count.read());
    const total = ops.sub(this.vars.squaredSum.read(), ops.mul(sum, mean));
    let raw = ops.sub(1, ops.div(this.vars.totalMse.read(), total));
    raw = ops.where(ops.equal(ops.abs(raw), Infinity), 0, raw);
    let r2: Sym;
    if (this.classAggregation === 'uniform_average') r2 = ops.mean(raw);
    else if (this.classAggregation === 'variance_weighted_average') r2 = ops.div(ops.sum(ops.mul(total, raw)), ops.sum(total));
    else r2 = raw;
    if (this.numRegressors !== 0) {
      // Adjusted R2, unless there are too few samples (then Keras falls back to the plain score).
      const n = toFloat(this.numSamples.read());
      const pr = this.numRegressors;
      const adjusted = ops.sub(1, ops.div(ops.mul(ops.sub(1, r2), ops.sub(n, 1)), ops.sub(ops.sub(n, pr), 1)));
      r2 = ops.where(ops.greater(ops.sub(n, 1), pr), adjusted, r2);
    }
    return r2;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), class_aggregation: this.classAggregation, num_regressors: this.numRegressors };
  }
}

registerClass('metric', MeanSquaredError, 'mean_squared_error', 'mse', 'MSE');
registerClass('metric', MeanAbsoluteError, 'mean_absolute_error', 'mae', 'MAE');
registerClass('metric', MeanAbsolutePercentageError, 'mean_absolute_percentage_error', 'mape', 'MAPE');
registerClass('metric', MeanSquaredLogarithmicError, 'mean_squared_logarithmic_error', 'msle', 'MSLE');
registerClass('metric', LogCoshError, 'logcosh', 'log_cosh');
registerClass('metric', CosineSimilarity, 'cosine_similarity', 'cosine_proximity');
registerClass('metric', RootMeanSquaredError);
registerClass('metric', MeanRelativeError);
registerClass('metric', R2Score);
