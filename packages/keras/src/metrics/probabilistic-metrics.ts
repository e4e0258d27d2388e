import type { Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { registerClass } from '../serialization/registry.js';
import { parseMetricArgs, type MetricArgs } from './base-metric.js';
import { binaryCrossentropy, categoricalCrossentropy, kullbackLeiblerDivergence, poisson, sparseCategoricalCrossentropy, type MetricValues } from './functions.js';
import { MeanFunctionMetric, meanFunctionClass } from './reduction-metrics.js';

export interface BinaryCrossentropyArgs extends MetricArgs {
  /** Whether predictions are logits rather than probabilities. Default false. */
  fromLogits?: boolean;
  /** Labels are moved toward 0.5 by this much: `y * (1 - s) + 0.5 s`. Default 0. */
  labelSmoothing?: number;
}

/**
 * The mean binary crossentropy of labels and predictions (`keras.metrics.BinaryCrossentropy`).
 *
 * @example
 * const m = new BinaryCrossentropy();
 * await m.update(tensor([[0, 1], [0, 0]]), tensor([[0.6, 0.4], [0.4, 0.6]]));
 * (await m.resultValue()).toArray(); // 0.81492424
 */
export class BinaryCrossentropy extends MeanFunctionMetric {
  static override readonly className: string = 'BinaryCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  constructor(args: BinaryCrossentropyArgs = {}) {
    const a = parseMetricArgs('BinaryCrossentropy', args, { fromLogits: z.boolean().default(false), labelSmoothing: z.number().min(0).max(1).default(0) });
    super(a.name ?? 'binary_crossentropy');
    this.fromLogits = a.fromLogits;
    this.labelSmoothing = a.labelSmoothing;
  }
  protected override values(yTrue: Sym, yPred: Sym): Sym {
    return binaryCrossentropy(yTrue, yPred, { fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing });
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), from_logits: this.fromLogits, label_smoothing: this.labelSmoothing };
  }
}

export interface CategoricalCrossentropyArgs extends BinaryCrossentropyArgs {
  /** The class axis. Default -1. */
  axis?: number;
}

/**
 * The mean categorical crossentropy of one-hot labels and predictions
 * (`keras.metrics.CategoricalCrossentropy`). Label smoothing moves labels toward
 * `1 / num_classes`.
 *
 * @example
 * const m = new CategoricalCrossentropy();
 * await m.update(tensor([[0, 1, 0], [0, 0, 1]]), tensor([[0.05, 0.95, 0], [0.1, 0.8, 0.1]]));
 * (await m.resultValue()).toArray(); // 1.1769392
 */
export class CategoricalCrossentropy extends MeanFunctionMetric {
  static override readonly className: string = 'CategoricalCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;
  constructor(args: CategoricalCrossentropyArgs = {}) {
    const a = parseMetricArgs('CategoricalCrossentropy', args, {
      fromLogits: z.boolean().default(false),
      labelSmoothing: z.number().min(0).max(1).default(0),
      axis: z.number().int().default(-1),
    });
    super(a.name ?? 'categorical_crossentropy');
    this.fromLogits = a.fromLogits;
    this.labelSmoothing = a.labelSmoothing;
    this.axis = a.axis;
  }
  protected override values(yTrue: Sym, yPred: Sym): Sym {
    return categoricalCrossentropy(yTrue, yPred, { fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, axis: this.axis });
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), from_logits: this.fromLogits, label_smoothing: this.labelSmoothing, axis: this.axis };
  }
}

export interface SparseCategoricalCrossentropyArgs extends MetricArgs {
  /** Whether predictions are logits rather than probabilities. Default false. */
  fromLogits?: boolean;
  /** A label value to leave out of the mean (such as a "void" class). Default none. */
  ignoreClass?: number | null;
  /** The class axis. Default -1. */
  axis?: number;
}

/**
 * The mean crossentropy of integer labels and predictions
 * (`keras.metrics.SparseCategoricalCrossentropy`).
 *
 * @example
 * const m = new SparseCategoricalCrossentropy();
 * await m.update(tensor([1, 2]), tensor([[0.05, 0.95, 0], [0.1, 0.8, 0.1]]));
 * (await m.resultValue()).toArray(); // 1.1769392
 */
export class SparseCategoricalCrossentropy extends MeanFunctionMetric {
  static override readonly className: string = 'SparseCategoricalCrossentropy';
  readonly fromLogits: boolean;
  readonly ignoreClass: number | null;
  readonly axis: number;
  constructor(args: SparseCategoricalCrossentropyArgs = {}) {
    const a = parseMetricArgs('SparseCategoricalCrossentropy', args, {
      fromLogits: z.boolean().default(false),
      ignoreClass: z.number().int().nullable().default(null),
      axis: z.number().int().default(-1),
    });
    super(a.name ?? 'sparse_categorical_crossentropy');
    this.fromLogits = a.fromLogits;
    this.ignoreClass = a.ignoreClass;
    this.axis = a.axis;
  }
  protected override values(yTrue: Sym, yPred: Sym): MetricValues {
    return sparseCategoricalCrossentropy(yTrue, yPred, { fromLogits: this.fromLogits, ignoreClass: this.ignoreClass, axis: this.axis });
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), from_logits: this.fromLogits, ignore_class: this.ignoreClass, axis: this.axis };
  }
}

/**
 * The mean of `y_pred - y_true * log(y_pred + 1e-7)` (`keras.metrics.Poisson`).
 *
 * @example
 * const m = new Poisson();
 * await m.update(tensor([[0, 1], [0, 0]]), tensor([[1, 1], [0, 0]]));
 */
export class Poisson extends meanFunctionClass('Poisson', 'poisson', poisson) {}

/**
 * The mean Kullback-Leibler divergence `sum(y_true * log(y_true / y_pred))`
 * (`keras.metrics.KLDivergence`).
 *
 * @example
 * const m = new KLDivergence();
 * await m.update(tensor([[0, 1], [0, 0]]), tensor([[0.6, 0.4], [0.4, 0.6]]));
 */
export class KLDivergence extends meanFunctionClass('KLDivergence', 'kullback_leibler_divergence', kullbackLeiblerDivergence) {}

registerClass('metric', BinaryCrossentropy, 'binary_crossentropy', 'bce', 'BCE');
registerClass('metric', CategoricalCrossentropy, 'categorical_crossentropy');
registerClass('metric', SparseCategoricalCrossentropy, 'sparse_categorical_crossentropy');
registerClass('metric', Poisson, 'poisson');
registerClass('metric', KLDivergence, 'kullback_leibler_divergence', 'kl_divergence', 'kld', 'KLD');
