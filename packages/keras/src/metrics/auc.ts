import { fmtShape, ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { registerClass } from '../serialization/registry.js';
import type { Variable } from '../engine/variable.js';
import { BaseMetric, defaultMetricName, parseMetricArgs, type MetricArgs } from './base-metric.js';
import { confusionMatrixIncrements, isEvenlyDistributed } from './confusion-matrix.js';
import { divideNoNan, EPSILON } from './utils.js';
import { KerasShapeError, KerasStateError, KerasValueError } from '../errors.js';

/**
 * The curve an {@link AUC} integrates: `'ROC'` (true positive rate over false positive rate) or
 * `'PR'` (precision over recall).
 */
export type AUCCurve = 'ROC' | 'PR';
/**
 * How {@link AUC} sums the curve between thresholds, as Keras: `'interpolation'` (trapezoids; PR
 * interpolated as Davis & Goadrich), `'minoring'` (the lower value of each interval) or
 * `'majoring'` (the higher).
 */
export type AUCSummationMethod = 'interpolation' | 'minoring' | 'majoring';

export interface AUCArgs extends MetricArgs {
  /** How many evenly spaced thresholds discretize the curve. Default 200. */
  numThresholds?: number;
  /** `'ROC'` (default) or `'PR'` (precision-recall); lowercase accepted. */
  curve?: AUCCurve | 'roc' | 'pr';
  /** How the area under each segment is summed: `'interpolation'` (default), `'minoring'` or `'majoring'`. */
  summationMethod?: AUCSummationMethod | 'Interpolation' | 'Minoring' | 'Majoring';
  /** Explicit thresholds in [0, 1] instead of `numThresholds` evenly spaced ones. */
  thresholds?: number[] | null;
  /** Whether each label (column) gets its own curve, the AUCs then averaged. Default false. */
  multiLabel?: boolean;
  /** With `multiLabel`, the number of labels (else taken from the first batch). */
  numLabels?: number | null;
  /** Non-negative per-label weights: of the data without `multiLabel`, of the per-label AUCs with it. */
  labelWeights?: number[] | null;
  /** Whether predictions are logits (a sigmoid is applied first). Default false. */
  fromLogits?: boolean;
}

const CURVES: Record<string, AUCCurve> = { ROC: 'ROC', roc: 'ROC', PR: 'PR', pr: 'PR' };
const METHODS: Record<string, AUCSummationMethod> = {
  interpolation: 'interpolation',
  Interpolation: 'interpolation',
  minoring: 'minoring',
  Minoring: 'minoring',
  majoring: 'majoring',
  Majoring: 'majoring',
};

/**
 * The approximate area under the ROC or precision-recall curve (`keras.metrics.AUC`), from the
 * confusion counts at a fixed set of thresholds. With `curve: 'PR'` and interpolation, the
 * precision-recall curve is interpolated as Davis & Goadrich (2006) describe, as Keras does.
 *
 * @example
 * const m = new AUC({ numThresholds: 3 });
 * await m.update(tensor([0, 0, 1, 1]), tensor([0, 0.5, 0.3, 0.9]));
 * (await m.resultValue()).toArray(); // 0.75
 */
export class AUC extends BaseMetric {
  static override readonly className: string = 'AUC';
  readonly numThresholds: number;
  readonly curve: AUCCurve;
  readonly summationMethod: AUCSummationMethod;
  readonly multiLabel: boolean;
  readonly numLabels: number | null;
  readonly labelWeights: number[] | null;
  readonly fromLogits: boolean;
  /** The thresholds, with -1e-7 and 1 + 1e-7 at the ends. */
  readonly thresholds: number[];
  private readonly initFromThresholds: boolean;
  private readonly evenly: boolean;
  private vars: { tp: Variable; tn: Variable; fp: Variable; fn: Variable } | null = null;

  constructor(args: AUCArgs = {}) {
    const a = parseMetricArgs('AUC', args, {
      numThresholds: z.number().int().default(200),
      curve: z.string().default('ROC'),
      summationMethod: z.string().default('interpolation'),
      thresholds: z.array(z.number()).nullable().default(null),
      multiLabel: z.boolean().default(false),
      numLabels: z.number().int().positive().nullable().default(null),
      labelWeights: z.array(z.number()).nullable().default(null),
      fromLogits: z.boolean().default(false),
    });
    super(a.name ?? defaultMetricName('AUC'));
    const curve = CURVES[a.curve];
    if (!curve) throw new KerasValueError(`${this.label}: argument 'curve' got ${JSON.stringify(a.curve)}: expected 'ROC' or 'PR'`);
    const method = METHODS[a.summationMethod];
    if (!method) throw new KerasValueError(`${this.label}: argument 'summation_method' got ${JSON.stringify(a.summationMethod)}: expected 'interpolation', 'majoring' or 'minoring'`);
    this.curve = curve;
    this.summationMethod = method;
    let inner: number[];
    if (a.thresholds) {
      inner = [...a.thresholds].sort((x, y) => x - y);
      const bad = inner.filter((t) => !(t >= 0 && t <= 1));
      if (bad.length) throw new KerasValueError(`${this.label}: argument 'thresholds' got ${JSON.stringify(a.thresholds)}: threshold values must be in [0, 1]`);
      this.numThresholds = inner.length + 2;
      this.evenly = isEvenlyDistributed([0, ...inner, 1]);
      this.initFromThresholds = true;
    } else {
      if (a.numThresholds <= 1) throw new KerasValueError(`${this.label}: argument 'num_thresholds' got ${a.numThresholds}: it must be an integer > 1`);
      this.numThresholds = a.numThresholds;
      inner = Array.from({ length: a.numThresholds - 2 }, (_, i) => (i + 1) / (a.numThresholds - 1));
      this.evenly = true;
      this.initFromThresholds = false;
    }
    this.thresholds = [0 - EPSILON, ...inner, 1 + EPSILON];
    this.multiLabel = a.multiLabel;
    this.numLabels = a.numLabels;
    if (a.labelWeights && a.labelWeights.some((w) => w < 0)) {
      throw new KerasValueError(`${this.label}: argument 'label_weights' got ${JSON.stringify(a.labelWeights)}: all values must be non-negative`);
    }
    this.labelWeights = a.labelWeights;
    this.fromLogits = a.fromLogits;
    if (this.multiLabel) {
      if (a.numLabels) this.build(a.numLabels);
    } else {
      if (a.numLabels) throw new KerasValueError(`${this.label}: argument 'num_labels' is needed only when multi_label is true`);
      this.build(null);
    }
  }

  private build(numLabels: number | null): void {
    const shape = numLabels === null ? [this.numThresholds] : [this.numThresholds, numLabels];
    this.vars = {
      tp: this.addState('true_positives', shape),
      tn: this.addState('true_negatives', shape),
      fp: this.addState('false_positives', shape),
      fn: this.addState('false_negatives', shape),
    };
  }

  /** The true positive, true negative, false positive and false negative counts (after the first update for a multi-label AUC without `numLabels`). */
  get truePositives(): Variable | undefined {
    return this.vars?.tp;
  }

  override updateState(yTrue: Sym, yPred: Sym, sampleWeight?: Sym | null): void {
    if (!this.vars) {
      if (yPred.rank !== 2) throw new KerasShapeError(`${this.label}: y_pred must have rank 2 when multi_label is true, got shape ${fmtShape(yPred.shape)}`);
      this.build(yPred.shape[1]);
    }
    const v = this.vars!;
    const numLabels = this.multiLabel ? v.tp.shape[1] : null;
    if (this.multiLabel && (yTrue.rank !== 2 || yTrue.shape[1] !== numLabels || yPred.shape[yPred.rank - 1] !== numLabels)) {
      throw new KerasShapeError(`${this.label}: expects y_true and y_pred of shape [N, ${numLabels}], got ${fmtShape(yTrue.shape)} and ${fmtShape(yPred.shape)}`);
    }
    if (this.labelWeights && yTrue.shape[yTrue.rank - 1] !== this.labelWeights.length) {
      throw new KerasShapeError(`${this.label}: ${this.labelWeights.length} label_weights for labels of shape ${fmtShape(yTrue.shape)}: the number of labels is not consistent`);
    }
    const p = this.fromLogits ? ops.sigmoid(ops.cast(yPred, 'float32')) : yPred;
    const lw = !this.multiLabel && this.labelWeights ? ops.constant(p.graph, Float32Array.from(this.labelWeights), [this.labelWeights.length], 'float32') : null;
    const inc = confusionMatrixIncrements({
      yTrue,
      yPred: p,
      sampleWeight,
      thresholds: this.thresholds,
      evenly: this.evenly,
      multiLabel: this.multiLabel,
      labelWeights: lw,
      want: ['tp', 'tn', 'fp', 'fn'],
      what: this.label,
    });
    this.assign(v.tp, ops.add(v.tp.read(), inc.tp!));
    this.assign(v.tn, ops.add(v.tn.read(), inc.tn!));
    this.assign(v.fp, ops.add(v.fp.read(), inc.fp!));
    this.assign(v.fn, ops.add(v.fn.read(), inc.fn!));
  }

  /** Rows [0, T-1) and [1, T) along the threshold axis. */
  private heads(x: Sym): [Sym, Sym] {
    const t = this.numThresholds;
    const rest = x.shape.slice(1);
    return [ops.slice(x, [0, ...rest.map(() => 0)], [t - 1, ...rest]), ops.slice(x, [1, ...rest.map(() => 0)], [t - 1, ...rest])];
  }

  /** Sums the per-segment terms; with multiLabel, per label and then averaged (weighted by label_weights). */
  private total(terms: Sym): Sym {
    if (!this.multiLabel) return ops.sum(terms);
    const byLabel = ops.sum(terms, 0);
    if (!this.labelWeights) return ops.mean(byLabel);
    const lw = ops.constant(terms.graph, Float32Array.from(this.labelWeights), [this.labelWeights.length], 'float32');
    return divideNoNan(ops.sum(ops.mul(byLabel, lw)), ops.sum(lw));
  }

  /** Keras' interpolated area under the precision-recall curve. */
  private interpolatePrAuc(tp: Sym, fp: Sym, fn: Sym): Sym {
    const [tp0, tp1] = this.heads(tp);
    const dtp = ops.sub(tp0, tp1);
    const p = ops.add(tp, fp);
    const [p0, p1] = this.heads(p);
    const dp = ops.sub(p0, p1);
    const precSlope = divideNoNan(dtp, ops.maximum(dp, 0));
    const intercept = ops.sub(tp1, ops.mul(precSlope, p1));
    const bothPositive = ops.logicalAnd(ops.greater(p0, 0), ops.greater(p1, 0));
    const safePRatio = ops.where(bothPositive, divideNoNan(p0, ops.maximum(p1, 0)), 1);
    const [, fn1] = this.heads(fn);
    const logRatio = ops.log(safePRatio);
    const increment = divideNoNan(ops.mul(precSlope, ops.add(dtp, ops.mul(intercept, logRatio))), ops.maximum(ops.add(tp1, fn1), 0));
    return this.total(increment);
  }

  override result(): Sym {
    if (!this.vars) throw new KerasStateError(`${this.label}: no result before the first update: a multi-label AUC without num_labels creates its state from the first batch`);
    const tp = this.vars.tp.read();
    const tn = this.vars.tn.read();
    const fp = this.vars.fp.read();
    const fn = this.vars.fn.read();
    if (this.curve === 'PR' && this.summationMethod === 'interpolation') return this.interpolatePrAuc(tp, fp, fn);
    const recall = divideNoNan(tp, ops.add(tp, fn));
    let x: Sym;
    let y: Sym;
    if (this.curve === 'ROC') {
      x = divideNoNan(fp, ops.add(fp, tn));
      y = recall;
    } else {
      x = recall;
      y = divideNoNan(tp, ops.add(tp, fp));
    }
    const [y0, y1] = this.heads(y);
    const heights = this.summationMethod === 'interpolation' ? ops.div(ops.add(y0, y1), 2) : this.summationMethod === 'minoring' ? ops.minimum(y0, y1) : ops.maximum(y0, y1);
    const [x0, x1] = this.heads(x);
    return this.total(ops.mul(ops.sub(x0, x1), heights));
  }

  override getConfig(): Record<string, unknown> {
    const c: Record<string, unknown> = {
      ...super.getConfig(),
      num_thresholds: this.numThresholds,
      curve: this.curve,
      summation_method: this.summationMethod,
      multi_label: this.multiLabel,
      num_labels: this.numLabels,
      label_weights: this.labelWeights,
      from_logits: this.fromLogits,
    };
    if (this.initFromThresholds) c.thresholds = this.thresholds.slice(1, -1);
    return c;
  }
}

registerClass('metric', AUC);
