import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { registerClass } from '../serialization/registry.js';
import type { Variable } from '../engine/variable.js';
import { BaseMetric, defaultMetricName, parseMetricArgs, type MetricArgs } from './base-metric.js';
import { confusionMatrixIncrements, isEvenlyDistributed, NEG_INF, parseInitThresholds, type ConfusionKind } from './confusion-matrix.js';
import { divideNoNan } from './utils.js';

const zThresholds = z.union([z.number(), z.array(z.number())]).nullable().default(null);
const zOptionalInt = z.number().int().nullable().default(null);

export interface ThresholdsArgs extends MetricArgs {
  /** A threshold or a list of them in [0, 1]: a prediction above it counts as positive. Default 0.5. */
  thresholds?: number | number[] | null;
}

/** The count of one cell of the confusion matrix at each threshold (Keras' `_ConfusionMatrixConditionCount`). */
abstract class ConfusionMatrixConditionCount extends BaseMetric {
  readonly initThresholds: number | number[] | null;
  readonly thresholds: number[];
  private readonly evenly: boolean;
  readonly accumulator: Variable;

  constructor(
    private readonly cond: ConfusionKind,
    cls: string,
    args: ThresholdsArgs,
  ) {
    const a = parseMetricArgs(cls, args, { thresholds: zThresholds });
    super(a.name ?? defaultMetricName(cls));
    this.initThresholds = a.thresholds;
    this.thresholds = parseInitThresholds(a.thresholds, 0.5, this.label);
    this.evenly = isEvenlyDistributed(this.thresholds);
    this.accumulator = this.addState('accumulator', [this.thresholds.length]);
  }

  override updateState(yTrue: Sym, yPred: Sym, sampleWeight?: Sym | null): void {
    const inc = confusionMatrixIncrements({ yTrue, yPred, sampleWeight, thresholds: this.thresholds, evenly: this.evenly, want: [this.cond], what: this.label });
    this.assign(this.accumulator, ops.add(this.accumulator.read(), inc[this.cond]!));
  }

  override result(): Sym {
    const acc = this.accumulator.read();
    return this.thresholds.length === 1 ? ops.reshape(acc, []) : ops.identity(acc);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), thresholds: this.initThresholds };
  }
}

/**
 * The (weighted) number of true positives at each threshold (`keras.metrics.TruePositives`).
 *
 * @example
 * const m = new TruePositives();
 * await m.update(tensor([0, 1, 1, 1]), tensor([1, 0, 1, 1]));
 * (await m.resultValue()).toArray(); // 2
 */
export class TruePositives extends ConfusionMatrixConditionCount {
  static override readonly className: string = 'TruePositives';
  constructor(args: ThresholdsArgs = {}) {
    super('tp', 'TruePositives', args);
  }
}

/**
 * The (weighted) number of false positives at each threshold (`keras.metrics.FalsePositives`).
 *
 * @example
 * const m = new FalsePositives();
 * await m.update(tensor([0, 1, 0, 0]), tensor([0, 0, 1, 1]));
 * (await m.resultValue()).toArray(); // 2
 */
export class FalsePositives extends ConfusionMatrixConditionCount {
  static override readonly className: string = 'FalsePositives';
  constructor(args: ThresholdsArgs = {}) {
    super('fp', 'FalsePositives', args);
  }
}

/**
 * The (weighted) number of true negatives at each threshold (`keras.metrics.TrueNegatives`).
 *
 * @example
 * const m = new TrueNegatives();
 * await m.update(tensor([0, 1, 0, 0]), tensor([1, 1, 0, 0]));
 * (await m.resultValue()).toArray(); // 2
 */
export class TrueNegatives extends ConfusionMatrixConditionCount {
  static override readonly className: string = 'TrueNegatives';
  constructor(args: ThresholdsArgs = {}) {
    super('tn', 'TrueNegatives', args);
  }
}

/**
 * The (weighted) number of false negatives at each threshold (`keras.metrics.FalseNegatives`).
 *
 * @example
 * const m = new FalseNegatives();
 * await m.update(tensor([0, 1, 1, 1]), tensor([0, 1, 0, 0]));
 * (await m.resultValue()).toArray(); // 2
 */
export class FalseNegatives extends ConfusionMatrixConditionCount {
  static override readonly className: string = 'FalseNegatives';
  constructor(args: ThresholdsArgs = {}) {
    super('fn', 'FalseNegatives', args);
  }
}

export interface PrecisionRecallArgs extends ThresholdsArgs {
  /** Only the `k` largest predictions of each row count as positive (thresholds then default to none). */
  topK?: number | null;
  /** Only this class (an index on the last axis) is looked at. */
  classId?: number | null;
}

/** Precision and Recall: true positives and one other count, at each threshold. */
abstract class PrecisionRecallBase extends BaseMetric {
  readonly initThresholds: number | number[] | null;
  readonly topK: number | null;
  readonly classId: number | null;
  readonly thresholds: number[];
  private readonly evenly: boolean;
  readonly truePositives: Variable;
  protected readonly other: Variable;

  constructor(
    private readonly otherKind: 'fp' | 'fn',
    cls: string,
    args: PrecisionRecallArgs,
  ) {
    const a = parseMetricArgs(cls, args, { thresholds: zThresholds, topK: z.number().int().positive().nullable().default(null), classId: zOptionalInt });
    super(a.name ?? defaultMetricName(cls));
    this.initThresholds = a.thresholds;
    this.topK = a.topK;
    this.classId = a.classId;
    this.thresholds = parseInitThresholds(a.thresholds, a.topK === null ? 0.5 : NEG_INF, this.label);
    this.evenly = isEvenlyDistributed(this.thresholds);
    this.truePositives = this.addState('true_positives', [this.thresholds.length]);
    this.other = this.addState(otherKind === 'fp' ? 'false_positives' : 'false_negatives', [this.thresholds.length]);
  }

  override updateState(yTrue: Sym, yPred: Sym, sampleWeight?: Sym | null): void {
    const inc = confusionMatrixIncrements({
      yTrue,
      yPred,
      sampleWeight,
      thresholds: this.thresholds,
      evenly: this.evenly,
      topK: this.topK,
      classId: this.classId,
      want: ['tp', this.otherKind],
      what: this.label,
    });
    this.assign(this.truePositives, ops.add(this.truePositives.read(), inc.tp!));
    this.assign(this.other, ops.add(this.other.read(), inc[this.otherKind]!));
  }

  override result(): Sym {
    const tp = this.truePositives.read();
    const r = divideNoNan(tp, ops.add(tp, this.other.read()));
    return this.thresholds.length === 1 ? ops.reshape(r, []) : r;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), thresholds: this.initThresholds, top_k: this.topK, class_id: this.classId };
  }
}

/**
 * `tp / (tp + fp)` at each threshold (`keras.metrics.Precision`).
 *
 * @example
 * const m = new Precision();
 * await m.update(tensor([0, 1, 1, 1]), tensor([1, 0, 1, 1]));
 * (await m.resultValue()).toArray(); // 0.6666667
 */
export class Precision extends PrecisionRecallBase {
  static override readonly className: string = 'Precision';
  constructor(args: PrecisionRecallArgs = {}) {
    super('fp', 'Precision', args);
  }
}

/**
 * `tp / (tp + fn)` at each threshold (`keras.metrics.Recall`).
 *
 * @example
 * const m = new Recall();
 * await m.update(tensor([0, 1, 1, 1]), tensor([1, 0, 1, 1]));
 * (await m.resultValue()).toArray(); // 0.6666667
 */
export class Recall extends PrecisionRecallBase {
  static override readonly className: string = 'Recall';
  constructor(args: PrecisionRecallArgs = {}) {
    super('fn', 'Recall', args);
  }
}

export interface SensitivitySpecificityArgs extends MetricArgs {
  /** How many evenly spaced thresholds to evaluate. Default 200. */
  numThresholds?: number;
  /** Only this class (an index on the last axis) is looked at. */
  classId?: number | null;
}

/** The rates a SensitivitySpecificityBase metric trades off, each `a / (a + b)` of two of its counts. */
type Rate = 'sensitivity' | 'specificity' | 'precision' | 'recall';

const RATE_COUNTS = {
  sensitivity: ['truePositives', 'falseNegatives'],
  recall: ['truePositives', 'falseNegatives'],
  specificity: ['trueNegatives', 'falsePositives'],
  precision: ['truePositives', 'falsePositives'],
} as const;

/**
 * Keras' `SensitivitySpecificityBase`: the four counts at `numThresholds` evenly spaced
 * thresholds, and the best value of one rate (`dependent`) where another (`constrained`, the
 * argument of the same name) is at least the given value.
 */
abstract class SensitivitySpecificityBase extends BaseMetric {
  readonly value: number;
  readonly numThresholds: number;
  readonly classId: number | null;
  readonly thresholds: number[];
  private readonly evenly: boolean;
  readonly truePositives: Variable;
  readonly trueNegatives: Variable;
  readonly falsePositives: Variable;
  readonly falseNegatives: Variable;

  constructor(
    cls: string,
    private readonly constrained: Rate,
    private readonly dependent: Rate,
    args: SensitivitySpecificityArgs,
  ) {
    const a = parseMetricArgs(cls, args, {
      [constrained]: z.number().min(0).max(1),
      numThresholds: z.number().int().positive().default(200),
      classId: zOptionalInt,
    } as Record<string, z.ZodType>);
    super((a.name as string | null | undefined) ?? defaultMetricName(cls));
    this.value = a[constrained] as number;
    this.numThresholds = a.numThresholds as number;
    this.classId = a.classId as number | null;
    const n = this.numThresholds;
    if (n === 1) {
      this.thresholds = [0.5];
      this.evenly = false;
    } else {
      this.thresholds = [0, ...Array.from({ length: n - 2 }, (_, i) => (i + 1) / (n - 1)), 1];
      this.evenly = true;
    }
    this.truePositives = this.addState('true_positives', [n]);
    this.trueNegatives = this.addState('true_negatives', [n]);
    this.falsePositives = this.addState('false_positives', [n]);
    this.falseNegatives = this.addState('false_negatives', [n]);
  }

  override updateState(yTrue: Sym, yPred: Sym, sampleWeight?: Sym | null): void {
    const inc = confusionMatrixIncrements({
      yTrue,
      yPred,
      sampleWeight,
      thresholds: this.thresholds,
      evenly: this.evenly,
      classId: this.classId,
      want: ['tp', 'tn', 'fp', 'fn'],
      what: this.label,
    });
    this.assign(this.truePositives, ops.add(this.truePositives.read(), inc.tp!));
    this.assign(this.trueNegatives, ops.add(this.trueNegatives.read(), inc.tn!));
    this.assign(this.falsePositives, ops.add(this.falsePositives.read(), inc.fp!));
    this.assign(this.falseNegatives, ops.add(this.falseNegatives.read(), inc.fn!));
  }

  override result(): Sym {
    const constrained = this.rate(this.constrained);
    const dependent = this.rate(this.dependent);
    return this.maxUnderConstraint(constrained, dependent, (c) => ops.greaterEqual(c, this.value));
  }

  /** The largest `dependent` where `predicate(constrained)` holds, or 0 where it never does. */
  protected maxUnderConstraint(constrained: Sym, dependent: Sym, predicate: (c: Sym) => Sym): Sym {
    const feasible = predicate(constrained);
    const any = ops.greater(ops.sum(ops.cast(feasible, 'float32')), 0);
    const best = ops.max(ops.where(feasible, dependent, -Infinity));
    return ops.where(any, best, 0);
  }

  /** A rate at each threshold, from the running counts. */
  protected rate(r: Rate): Sym {
    const [a, b] = RATE_COUNTS[r];
    const x = this[a].read();
    return divideNoNan(x, ops.add(x, this[b].read()));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), class_id: this.classId, num_thresholds: this.numThresholds, [this.constrained]: this.value };
  }
}

/**
 * The best sensitivity (recall) where the specificity is at least a value
 * (`keras.metrics.SensitivityAtSpecificity`).
 *
 * @example
 * const m = new SensitivityAtSpecificity({ specificity: 0.5 });
 * await m.update(tensor([0, 0, 0, 1, 1]), tensor([0, 0.3, 0.8, 0.3, 0.8]));
 * (await m.resultValue()).toArray(); // 0.5
 */
export class SensitivityAtSpecificity extends SensitivitySpecificityBase {
  static override readonly className: string = 'SensitivityAtSpecificity';
  readonly specificity: number;
  constructor(args: SensitivitySpecificityArgs & { specificity: number }) {
    super('SensitivityAtSpecificity', 'specificity', 'sensitivity', args);
    this.specificity = args.specificity;
  }
}

/**
 * The best specificity where the sensitivity (recall) is at least a value
 * (`keras.metrics.SpecificityAtSensitivity`).
 *
 * @example
 * const m = new SpecificityAtSensitivity({ sensitivity: 0.5 });
 * await m.update(tensor([0, 0, 0, 1, 1]), tensor([0, 0.3, 0.8, 0.3, 0.8]));
 * (await m.resultValue()).toArray(); // 0.6666667
 */
export class SpecificityAtSensitivity extends SensitivitySpecificityBase {
  static override readonly className: string = 'SpecificityAtSensitivity';
  readonly sensitivity: number;
  constructor(args: SensitivitySpecificityArgs & { sensitivity: number }) {
    super('SpecificityAtSensitivity', 'sensitivity', 'specificity', args);
    this.sensitivity = args.sensitivity;
  }
}

/**
 * The best precision where the recall is at least a value (`keras.metrics.PrecisionAtRecall`).
 *
 * @example
 * const m = new PrecisionAtRecall({ recall: 0.5 });
 * await m.update(tensor([0, 0, 0, 1, 1]), tensor([0, 0.3, 0.8, 0.3, 0.8]));
 * (await m.resultValue()).toArray(); // 0.5
 */
export class PrecisionAtRecall extends SensitivitySpecificityBase {
  static override readonly className: string = 'PrecisionAtRecall';
  readonly recall: number;
  constructor(args: SensitivitySpecificityArgs & { recall: number }) {
    super('PrecisionAtRecall', 'recall', 'precision', args);
    this.recall = args.recall;
  }
}

/**
 * The best recall where the precision is at least a value (`keras.metrics.RecallAtPrecision`).
 *
 * @example
 * const m = new RecallAtPrecision({ precision: 0.8 });
 * await m.update(tensor([0, 0, 1, 1]), tensor([0, 0.5, 0.3, 0.9]));
 * (await m.resultValue()).toArray(); // 0.5
 */
export class RecallAtPrecision extends SensitivitySpecificityBase {
  static override readonly className: string = 'RecallAtPrecision';
  readonly precision: number;
  constructor(args: SensitivitySpecificityArgs & { precision: number }) {
    super('RecallAtPrecision', 'precision', 'recall', args);
    this.precision = args.precision;
  }
}

registerClass('metric', TruePositives);
registerClass('metric', FalsePositives);
registerClass('metric', TrueNegatives);
registerClass('metric', FalseNegatives);
registerClass('metric', Precision);
registerClass('metric', Recall);
registerClass('metric', SensitivityAtSpecificity);
registerClass('metric', SpecificityAtSensitivity);
registerClass('metric', PrecisionAtRecall);
registerClass('metric', RecallAtPrecision);
