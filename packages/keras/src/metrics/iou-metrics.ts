import { fmtShape, ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { registerClass } from '../serialization/registry.js';
import type { Variable } from '../engine/variable.js';
import { BaseMetric, defaultMetricName, parseMetricArgs, type MetricArgs } from './base-metric.js';
import { divideNoNan, flatten, toFloat } from './utils.js';
import { KerasShapeError, KerasTypeError, KerasValueError } from '../errors.js';

/** Keras 3 writes an integer dtype for the IoU metrics (their confusion matrix); it reads as float32 here, as Keras 2. */
const IOU_DTYPES = ['int', 'int32', 'int64', 'float64'];

export interface IoUBaseArgs extends MetricArgs {
  /** The number of classes. */
  numClasses: number;
  /** A label to leave out (such as a "void" class in segmentation). Default none. */
  ignoreClass?: number | null;
  /** Whether labels are class indices (true, default) or one-hot / scores (argmax taken over `axis`). */
  sparseYTrue?: boolean;
  /** Whether predictions are class indices (true, default) or scores (argmax taken over `axis`). */
  sparseYPred?: boolean;
  /** The class axis of non-sparse inputs. Default -1. */
  axis?: number;
}

export interface IoUArgs extends IoUBaseArgs {
  /** The classes whose IoU is averaged. */
  targetClassIds: number[];
}

const zIoUShape = {
  numClasses: z.number().int().positive(),
  ignoreClass: z.number().int().nullable().default(null),
  sparseYTrue: z.boolean().default(true),
  sparseYPred: z.boolean().default(true),
  axis: z.number().int().default(-1),
};

/**
 * Keras' `_IoUBase` and `IoU`: a confusion matrix of class indices accumulated over batches
 * (rows: labels, columns: predictions, weighted by sample weights), and the mean over the
 * target classes of `tp / (tp + fp + fn)` (classes never seen are left out of the mean).
 *
 * Float indices are truncated toward zero; labels or predictions outside [0, num_classes) add
 * nothing (Keras 2's `tf.math.confusion_matrix` raises on them instead).
 *
 * @example
 * const m = new IoU({ numClasses: 2, targetClassIds: [0] });
 * await m.update(tensor([0, 0, 1, 1]), tensor([0, 1, 0, 1]));
 * (await m.resultValue()).toArray(); // 0.33333334
 */
export class IoU extends BaseMetric {
  static override readonly className: string = 'IoU';
  readonly numClasses: number;
  readonly targetClassIds: number[];
  readonly ignoreClass: number | null;
  readonly sparseYTrue: boolean;
  readonly sparseYPred: boolean;
  readonly axis: number;
  readonly totalCm: Variable;

  constructor(args: IoUArgs, cls = 'IoU', shape: z.ZodRawShape = { ...zIoUShape, targetClassIds: z.array(z.number().int().nonnegative()).min(1) }) {
    const a = parseMetricArgs(cls, args ?? {}, shape, {}, IOU_DTYPES) as unknown as IoUArgs & { name?: string | null };
    super(a.name ?? defaultMetricName(cls));
    this.numClasses = a.numClasses;
    this.ignoreClass = a.ignoreClass ?? null;
    this.sparseYTrue = a.sparseYTrue ?? true;
    this.sparseYPred = a.sparseYPred ?? true;
    this.axis = a.axis ?? -1;
    this.targetClassIds = a.targetClassIds ? [...a.targetClassIds] : Array.from({ length: a.numClasses }, (_, i) => i);
    const top = Math.max(...this.targetClassIds);
    if (top >= this.numClasses) throw new KerasValueError(`${this.label}: target class id ${top} is out of range, which is [0, ${this.numClasses})`);
    this.totalCm = this.addState('total_confusion_matrix', [this.numClasses, this.numClasses]);
  }

  /** The class indices of labels or predictions, flattened. */
  protected classIndices(x: Sym, sparse: boolean): Sym {
    const idx = sparse ? ops.cast(toFloat(x), 'int32') : ops.argmax(x, this.axis);
    return flatten(idx);
  }

  override updateState(yTrue: Sym, yPred: Sym, sampleWeight?: Sym | null): void {
    const t = this.classIndices(yTrue, this.sparseYTrue);
    const p = this.classIndices(yPred, this.sparseYPred);
    if (t.shape[0] !== p.shape[0]) {
      throw new KerasShapeError(`${this.label}: labels of shape ${fmtShape(yTrue.shape)} and predictions of shape ${fmtShape(yPred.shape)} hold different numbers of entries`);
    }
    let w: Sym | null = null;
    if (sampleWeight) {
      w = flatten(toFloat(sampleWeight));
      if (w.shape[0] !== t.shape[0]) {
        if (w.shape[0] !== 1) throw new KerasShapeError(`${this.label}: sample_weight of shape ${fmtShape(sampleWeight.shape)} does not match labels of shape ${fmtShape(yTrue.shape)}`);
        w = ops.broadcastTo(w, t.shape);
      }
    }
    let valid: Sym | null = null;
    if (this.ignoreClass !== null) valid = toFloat(ops.notEqual(t, this.ignoreClass));
    if (valid) w = w ? ops.mul(w, valid) : valid;
    // One-hot rows (all zero for indices out of range), weighted on the label side.
    const c = this.numClasses;
    let tHot = ops.oneHot(t, c);
    if (w) tHot = ops.mul(tHot, ops.expandDims(w, -1));
    const pHot = ops.oneHot(p, c);
    const cm = ops.matmul(tHot, pHot, true, false);
    this.assign(this.totalCm, ops.add(this.totalCm.read(), cm));
  }

  override result(): Sym {
    const cm = this.totalCm.read();
    const c = this.numClasses;
    const eye = new Float32Array(c * c);
    for (let i = 0; i < c; i++) eye[i * c + i] = 1;
    const sumOverRow = ops.sum(cm, 0);
    const sumOverCol = ops.sum(cm, 1);
    const tp = ops.sum(ops.mul(cm, ops.constant(cm.graph, eye, [c, c], 'float32')), 1);
    let denominator = ops.sub(ops.add(sumOverRow, sumOverCol), tp);
    let truePos = tp;
    if (this.targetClassIds.length !== c || this.targetClassIds.some((id, i) => id !== i)) {
      const ids = ops.constant(cm.graph, Int32Array.from(this.targetClassIds), [this.targetClassIds.length], 'int32');
      truePos = ops.gather(truePos, ids, 0);
      denominator = ops.gather(denominator, ids, 0);
    }
    const numValid = ops.sum(toFloat(ops.notEqual(denominator, 0)));
    const iou = divideNoNan(truePos, denominator);
    return divideNoNan(ops.sum(iou), numValid);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      num_classes: this.numClasses,
      target_class_ids: this.targetClassIds,
      ignore_class: this.ignoreClass,
      sparse_y_true: this.sparseYTrue,
      sparse_y_pred: this.sparseYPred,
      axis: this.axis,
    };
  }
}

/**
 * The IoU of every class averaged (`keras.metrics.MeanIoU`).
 *
 * @example
 * const m = new MeanIoU({ numClasses: 2 });
 * await m.update(tensor([0, 0, 1, 1]), tensor([0, 1, 0, 1]));
 * (await m.resultValue()).toArray(); // 0.33333334
 */
export class MeanIoU extends IoU {
  static override readonly className: string = 'MeanIoU';
  constructor(args: IoUBaseArgs, cls = 'MeanIoU', shape: z.ZodRawShape = zIoUShape) {
    super(args as IoUArgs, cls, shape);
  }

  override getConfig(): Record<string, unknown> {
    return configInOrder(super.getConfig(), ['num_classes', 'name', 'dtype', 'ignore_class', 'sparse_y_true', 'sparse_y_pred', 'axis']);
  }
}

export interface BinaryIoUArgs extends MetricArgs {
  /** Which of the classes 0 and 1 to average. Default [0, 1]. */
  targetClassIds?: number[];
  /** Predictions at or above it are class 1. Default 0.5. */
  threshold?: number;
}

/**
 * The IoU of binary labels and predictions thresholded at `threshold`
 * (`keras.metrics.BinaryIoU`).
 *
 * @example
 * const m = new BinaryIoU({ targetClassIds: [0, 1], threshold: 0.3 });
 * await m.update(tensor([0, 1, 0, 1]), tensor([0.1, 0.2, 0.4, 0.7]));
 * (await m.resultValue()).toArray(); // 0.33333334
 */
export class BinaryIoU extends IoU {
  static override readonly className: string = 'BinaryIoU';
  readonly threshold: number;
  constructor(args: BinaryIoUArgs = {}) {
    const a = parseMetricArgs(
      'BinaryIoU',
      args,
      { targetClassIds: z.array(z.number().int().nonnegative()).min(1).default([0, 1]), threshold: z.number().default(0.5) },
      {},
      IOU_DTYPES,
    );
    super({ name: a.name, dtype: a.dtype, numClasses: 2, targetClassIds: a.targetClassIds }, 'BinaryIoU');
    this.threshold = a.threshold;
  }

  override updateState(yTrue: Sym, yPred: Sym, sampleWeight?: Sym | null): void {
    super.updateState(yTrue, toFloat(ops.greaterEqual(toFloat(yPred), this.threshold)), sampleWeight);
  }

  override getConfig(): Record<string, unknown> {
    return configInOrder({ ...super.getConfig(), threshold: this.threshold }, ['target_class_ids', 'threshold', 'name', 'dtype']);
  }
}

/** The keys of a subclass' config, in Keras' order: those of `config` it writes (a subset, reordered). */
function configInOrder(config: Readonly<Record<string, unknown>>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, config[k]]));
}

/** The one-hot IoU metrics take no `sparse_y_true` (their labels are one-hot by definition). */
function refuseSparseYTrue(cls: string, args: object | undefined): void {
  const v = (args as { sparseYTrue?: unknown } | undefined)?.sparseYTrue;
  if (v !== undefined) throw new KerasTypeError(`${cls}: unknown argument 'sparseYTrue' (got ${JSON.stringify(v)}); one-hot labels are implied`);
}

export interface OneHotIoUArgs extends MetricArgs {
  numClasses: number;
  targetClassIds: number[];
  ignoreClass?: number | null;
  sparseYPred?: boolean;
  axis?: number;
}

/**
 * IoU for one-hot labels (`keras.metrics.OneHotIoU`): the argmax over `axis` gives the classes.
 *
 * @example
 * const m = new OneHotIoU({ numClasses: 3, targetClassIds: [0, 2] });
 * await m.update(tensor([[0, 0, 1], [1, 0, 0]]), tensor([[0.2, 0.3, 0.5], [0.1, 0.2, 0.7]]));
 */
export class OneHotIoU extends IoU {
  static override readonly className: string = 'OneHotIoU';
  constructor(args: OneHotIoUArgs) {
    refuseSparseYTrue('OneHotIoU', args);
    const { sparseYTrue: _t, ...shape } = zIoUShape;
    super({ ...(args ?? {}), sparseYTrue: false, sparseYPred: args?.sparseYPred ?? false } as IoUArgs, 'OneHotIoU', {
      ...shape,
      sparseYTrue: z.literal(false),
      sparseYPred: z.boolean().default(false),
      targetClassIds: z.array(z.number().int().nonnegative()).min(1),
    });
  }

  override getConfig(): Record<string, unknown> {
    return configInOrder(super.getConfig(), ['num_classes', 'target_class_ids', 'name', 'dtype', 'ignore_class', 'sparse_y_pred', 'axis']);
  }
}

export interface OneHotMeanIoUArgs extends MetricArgs {
  numClasses: number;
  ignoreClass?: number | null;
  sparseYPred?: boolean;
  axis?: number;
}

/**
 * Mean IoU for one-hot labels (`keras.metrics.OneHotMeanIoU`).
 *
 * @example
 * const m = new OneHotMeanIoU({ numClasses: 3 });
 * await m.update(tensor([[0, 0, 1], [1, 0, 0]]), tensor([[0.2, 0.3, 0.5], [0.1, 0.2, 0.7]]));
 */
export class OneHotMeanIoU extends MeanIoU {
  static override readonly className: string = 'OneHotMeanIoU';
  constructor(args: OneHotMeanIoUArgs) {
    refuseSparseYTrue('OneHotMeanIoU', args);
    super({ ...(args ?? {}), sparseYTrue: false, sparseYPred: args?.sparseYPred ?? false } as IoUBaseArgs, 'OneHotMeanIoU', {
      ...zIoUShape,
      sparseYTrue: z.literal(false),
      sparseYPred: z.boolean().default(false),
    });
  }

  override getConfig(): Record<string, unknown> {
    const { sparse_y_true: _t, ...rest } = super.getConfig();
    return rest;
  }
}

registerClass('metric', IoU);
registerClass('metric', MeanIoU);
registerClass('metric', BinaryIoU);
registerClass('metric', OneHotIoU);
registerClass('metric', OneHotMeanIoU);
