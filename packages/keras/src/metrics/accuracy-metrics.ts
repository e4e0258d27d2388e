import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { registerClass } from '../serialization/registry.js';
import { parseMetricArgs, type MetricArgs } from './base-metric.js';
import { accuracy, binaryMatches, sparseCategoricalMatches, sparseTopKCategoricalMatches } from './functions.js';
import { MeanFunctionMetric, meanFunctionClass } from './reduction-metrics.js';

/**
 * How often predictions equal labels exactly (`keras.metrics.Accuracy`).
 *
 * @example
 * const m = new Accuracy();
 * await m.update(tensor([[1], [2], [3], [4]]), tensor([[0], [2], [3], [4]]));
 * (await m.resultValue()).toArray(); // 0.75
 */
export class Accuracy extends meanFunctionClass('Accuracy', 'accuracy', accuracy) {}

export interface BinaryAccuracyArgs extends MetricArgs {
  /** Predictions above it count as 1. Default 0.5. */
  threshold?: number;
}

/**
 * How often `y_pred > threshold` matches binary labels (`keras.metrics.BinaryAccuracy`).
 *
 * @example
 * const m = new BinaryAccuracy({ threshold: 0.5 });
 * await m.update(tensor([[1], [1], [0], [0]]), tensor([[0.98], [1], [0], [0.6]]));
 * (await m.resultValue()).toArray(); // 0.75
 */
export class BinaryAccuracy extends MeanFunctionMetric {
  static override readonly className: string = 'BinaryAccuracy';
  readonly threshold: number;
  constructor(args: BinaryAccuracyArgs = {}) {
    const a = parseMetricArgs('BinaryAccuracy', args, { threshold: z.number().default(0.5) });
    super(a.name ?? 'binary_accuracy');
    this.threshold = a.threshold;
  }
  protected override values(yTrue: Sym, yPred: Sym): Sym {
    return binaryMatches(yTrue, yPred, this.threshold);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), threshold: this.threshold };
  }
}

/**
 * How often the argmax of the predictions matches the argmax of one-hot labels
 * (`keras.metrics.CategoricalAccuracy`).
 *
 * @example
 * const m = new CategoricalAccuracy();
 * await m.update(tensor([[0, 0, 1], [0, 1, 0]]), tensor([[0.1, 0.9, 0.8], [0.05, 0.95, 0]]));
 * (await m.resultValue()).toArray(); // 0.5
 */
export class CategoricalAccuracy extends meanFunctionClass('CategoricalAccuracy', 'categorical_accuracy', (t, p) => sparseCategoricalMatches(ops.argmax(t, -1), p)) {}

/**
 * How often the argmax of the predictions matches integer labels
 * (`keras.metrics.SparseCategoricalAccuracy`).
 *
 * @example
 * const m = new SparseCategoricalAccuracy();
 * await m.update(tensor([[2], [1]]), tensor([[0.1, 0.6, 0.3], [0.05, 0.95, 0]]));
 * (await m.resultValue()).toArray(); // 0.5
 */
export class SparseCategoricalAccuracy extends meanFunctionClass('SparseCategoricalAccuracy', 'sparse_categorical_accuracy', sparseCategoricalMatches) {}

export interface TopKArgs extends MetricArgs {
  /** How many of the largest predictions to look at. Default 5. */
  k?: number;
}

/** What the two top-k accuracies share: `k`, read from the arguments and written in the config. */
abstract class TopKAccuracy extends MeanFunctionMetric {
  readonly k: number;
  constructor(cls: string, defaultName: string, args: TopKArgs, neutral: Readonly<Record<string, unknown>> = {}) {
    const a = parseMetricArgs(cls, args, { k: z.number().int().positive().default(5) }, neutral);
    super(a.name ?? defaultName);
    this.k = a.k;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), k: this.k };
  }
}

/**
 * How often the one-hot label's class is among the `k` largest predictions
 * (`keras.metrics.TopKCategoricalAccuracy`).
 *
 * @example
 * const m = new TopKCategoricalAccuracy({ k: 1 });
 * await m.update(tensor([[0, 0, 1], [0, 1, 0]]), tensor([[0.1, 0.9, 0.8], [0.05, 0.95, 0]]));
 * (await m.resultValue()).toArray(); // 0.5
 */
export class TopKCategoricalAccuracy extends TopKAccuracy {
  static override readonly className: string = 'TopKCategoricalAccuracy';
  constructor(args: TopKArgs = {}) {
    super('TopKCategoricalAccuracy', 'top_k_categorical_accuracy', args);
  }
  protected override values(yTrue: Sym, yPred: Sym): Sym {
    return sparseTopKCategoricalMatches(ops.argmax(yTrue, -1), yPred, this.k);
  }
}

/**
 * How often the integer label is among the `k` largest predictions
 * (`keras.metrics.SparseTopKCategoricalAccuracy`).
 *
 * @example
 * const m = new SparseTopKCategoricalAccuracy({ k: 1 });
 * await m.update(tensor([2, 1]), tensor([[0.1, 0.9, 0.8], [0.05, 0.95, 0]]));
 * (await m.resultValue()).toArray(); // 0.5
 */
export class SparseTopKCategoricalAccuracy extends TopKAccuracy {
  static override readonly className: string = 'SparseTopKCategoricalAccuracy';
  constructor(args: TopKArgs = {}) {
    // Keras 3 adds `from_sorted_ids` (default false), which Keras 2 lacks.
    super('SparseTopKCategoricalAccuracy', 'sparse_top_k_categorical_accuracy', args, { fromSortedIds: false });
  }
  protected override values(yTrue: Sym, yPred: Sym): Sym {
    return sparseTopKCategoricalMatches(yTrue, yPred, this.k);
  }
}

registerClass('metric', Accuracy, 'accuracy', 'acc', 'ACC');
registerClass('metric', BinaryAccuracy, 'binary_accuracy');
registerClass('metric', CategoricalAccuracy, 'categorical_accuracy');
registerClass('metric', SparseCategoricalAccuracy, 'sparse_categorical_accuracy');
registerClass('metric', TopKCategoricalAccuracy, 'top_k_categorical_accuracy');
registerClass('metric', SparseTopKCategoricalAccuracy, 'sparse_top_k_categorical_accuracy');
