import { fmtShape, ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { registerClass } from '../serialization/registry.js';
import type { Variable } from '../engine/variable.js';
import { BaseMetric, parseMetricArgs, type MetricArgs } from './base-metric.js';
import { divideNoNan, toFloat } from './utils.js';
import { KerasShapeError, KerasStateError } from '../errors.js';

/**
 * How the F-scores of the classes are combined: null keeps one score per class, `'micro'` scores
 * the pooled counts, `'macro'` averages the class scores, `'weighted'` averages them weighted by
 * each class's number of true instances.
 */
export type FScoreAverage = 'micro' | 'macro' | 'weighted' | null;

export interface FBetaScoreArgs extends MetricArgs {
  /** How per-class scores combine: null (one per class, the default), `'micro'`, `'macro'` or `'weighted'`. */
  average?: FScoreAverage;
  /** The weight of recall relative to precision. Default 1. */
  beta?: number;
  /** Predictions above it count as positive; null (default) takes each row's largest prediction as the positive one. */
  threshold?: number | null;
}

const zAverage = z.enum(['micro', 'macro', 'weighted']).nullable().default(null);
const zFThreshold = z
  .number()
  .gt(0, 'it should verify 0 < threshold <= 1')
  .max(1, 'it should verify 0 < threshold <= 1')
  .nullable()
  .default(null);

/**
 * The F-beta score `(1 + beta^2) * precision * recall / (beta^2 * precision + recall)`
 * (`keras.metrics.FBetaScore`), over labels and predictions of shape `[batch, classes]`.
 *
 * @example
 * const m = new FBetaScore({ beta: 2, threshold: 0.5, average: 'macro' });
 * await m.update(tensor([[1, 1, 1], [1, 0, 0], [1, 1, 0]]), tensor([[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]]));
 */
export class FBetaScore extends BaseMetric {
  static override readonly className: string = 'FBetaScore';
  readonly average: FScoreAverage;
  readonly beta: number;
  readonly threshold: number | null;
  private vars: { tp: Variable; fp: Variable; fn: Variable; weights: Variable } | null = null;

  constructor(args: FBetaScoreArgs = {}, cls = 'FBetaScore', defaultName = 'fbeta_score') {
    const shape = { average: zAverage, beta: z.number().gt(0, 'it should be > 0').default(1), threshold: zFThreshold };
    const a = parseMetricArgs(cls, args, cls === 'F1Score' ? { average: shape.average, threshold: shape.threshold } : shape);
    super(a.name ?? defaultName);
    this.average = a.average;
    this.beta = (a as { beta?: number }).beta ?? 1;
    this.threshold = a.threshold;
  }

  private build(yTrue: Sym, yPred: Sym): void {
    if (yPred.rank !== 2 || yTrue.rank !== 2) {
      throw new KerasShapeError(`${this.label} expects 2D inputs with shape (batch_size, output_dim), got y_true of shape ${fmtShape(yTrue.shape)} and y_pred of shape ${fmtShape(yPred.shape)}`);
    }
    const shape = this.average === 'micro' ? [] : [yPred.shape[1]];
    this.vars = {
      tp: this.addState('true_positives', shape),
      fp: this.addState('false_positives', shape),
      fn: this.addState('false_negatives', shape),
      weights: this.addState('intermediate_weights', shape),
    };
  }

  override updateState(yTrue: Sym, yPred: Sym, sampleWeight?: Sym | null): void {
    const t = toFloat(yTrue);
    let p = toFloat(yPred);
    if (!this.vars) this.build(t, p);
    const v = this.vars!;
    const classes = this.average === 'micro' ? null : v.tp.shape[0];
    if (t.rank !== 2 || p.rank !== 2 || (classes !== null && (t.shape[1] !== classes || p.shape[1] !== classes))) {
      throw new KerasShapeError(`${this.label} expects inputs of shape (batch_size, ${classes ?? 'output_dim'}), got y_true of shape ${fmtShape(t.shape)} and y_pred of shape ${fmtShape(p.shape)}`);
    }
    if (this.threshold === null) {
      const top = ops.max(p, -1, true);
      p = ops.logicalAnd(ops.greaterEqual(p, top), ops.greater(ops.abs(p), 1e-9));
    } else {
      p = ops.greater(p, this.threshold);
    }
    p = toFloat(p);
    let sw = sampleWeight ? toFloat(sampleWeight) : null;
    if (sw && sw.rank === 2 && sw.shape[1] === 1) sw = ops.squeeze(sw, [1]);
    if (sw && (sw.rank !== 1 || sw.shape[0] !== t.shape[0])) {
      throw new KerasShapeError(`${this.label}: sample_weight must have shape [${t.shape[0]}] (one weight per row), got ${fmtShape(sampleWeight!.shape)}`);
    }
    if (sw) sw = ops.expandDims(sw, 1);
    const weightedSum = (x: Sym): Sym => {
      const w = sw ? ops.mul(x, sw) : x;
      return this.average === 'micro' ? ops.sum(w) : ops.sum(w, 0);
    };
    const notP = ops.sub(1, p);
    const notT = ops.sub(1, t);
    this.assign(v.tp, ops.add(v.tp.read(), weightedSum(ops.mul(p, t))));
    this.assign(v.fp, ops.add(v.fp.read(), weightedSum(ops.mul(p, notT))));
    this.assign(v.fn, ops.add(v.fn.read(), weightedSum(ops.mul(notP, t))));
    this.assign(v.weights, ops.add(v.weights.read(), weightedSum(t)));
  }

  override result(): Sym {
    if (!this.vars) throw new KerasStateError(`${this.label}: no result before the first update: the state is created from the first batch's shape`);
    const tp = this.vars.tp.read();
    const precision = divideNoNan(tp, ops.add(tp, this.vars.fp.read()));
    const recall = divideNoNan(tp, ops.add(tp, this.vars.fn.read()));
    const b2 = this.beta * this.beta;
    const mean = divideNoNan(ops.mul(precision, recall), ops.add(ops.mul(precision, b2), recall));
    let f = ops.mul(mean, 1 + b2);
    if (this.average === 'weighted') {
      const iw = this.vars.weights.read();
      f = ops.sum(ops.mul(f, divideNoNan(iw, ops.sum(iw))));
    } else if (this.average !== null) {
      f = ops.mean(f);
    }
    return f;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), average: this.average, beta: this.beta, threshold: this.threshold };
  }
}

export interface F1ScoreArgs extends MetricArgs {
  /** How per-class scores combine: null (one per class, the default), `'micro'`, `'macro'` or `'weighted'`. */
  average?: FScoreAverage;
  /** Predictions above it count as positive; null (default) takes each row's largest prediction as the positive one. */
  threshold?: number | null;
}

/**
 * The F1 score `2 * precision * recall / (precision + recall)` (`keras.metrics.F1Score`), the
 * F-beta score with beta 1.
 *
 * @example
 * const m = new F1Score({ threshold: 0.5 });
 * await m.update(tensor([[1, 1, 1], [1, 0, 0], [1, 1, 0]]), tensor([[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]]));
 * (await m.resultValue()).toArray(); // [0.5, 0.8, 0.6666667]
 */
export class F1Score extends FBetaScore {
  static override readonly className: string = 'F1Score';
  constructor(args: F1ScoreArgs = {}) {
    super(args, 'F1Score', 'f1_score');
  }

  override getConfig(): Record<string, unknown> {
    const { beta: _beta, ...rest } = super.getConfig();
    return rest;
  }
}

registerClass('metric', FBetaScore);
registerClass('metric', F1Score);
